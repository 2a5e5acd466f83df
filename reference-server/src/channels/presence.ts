/**
 * Presence channels: members by distinct user id, member_added / member_removed, and the
 * member list sent with subscription_succeeded.
 * @module
 */
import { Event } from '../../../spec/src/events.ts';
import { WebhookEventName } from '../../../spec/src/webhooks.ts';
import type { PresenceSubscriptionData } from '../../../spec/src/frames/subscription.ts';
import type { AppRuntime } from '../app-runtime.ts';
import type { Connection } from '../connection.ts';
import type { Channel, Member } from './channel.ts';

export interface PresenceIdentity {
  readonly userId: string | number;
  readonly userInfo: Record<string, unknown> | undefined;
}

/** One user, however many connections: 10 and "10" are the same member. */
export const memberKey = (userId: string | number): string => String(userId);

/** True when admitting this user would exceed the channel's member limit. */
export function presenceFull(app: AppRuntime, channel: Channel, identity: PresenceIdentity): boolean {
  const limit = app.limits.presenceMembers + (app.faults.has('presence-member-limit-off-by-one') ? 1 : 0) - (app.faults.has('presence-member-limit-too-low') ? 1 : 0);
  // clause: limits.presence-members (distinct users: a further connection of a member adds no member)
  if (app.faults.has('presence-member-limit-counts-connections')) return channel.subscribers.size >= limit;
  if (channel.members.has(memberKey(identity.userId)) || app.cluster?.remoteHasMember(channel.name, memberKey(identity.userId))) return false;
  return memberCount(app, channel) >= limit;
}

/** Distinct users of the channel: this node's, plus (in a cluster) those only on other nodes. */
function memberCount(app: AppRuntime, channel: Channel): number {
  if (!app.cluster) return channel.members.size;
  let n = channel.members.size;
  for (const key of app.cluster.remoteMembers(channel.name).keys()) if (!channel.members.has(key)) n += 1;
  return n;
}

/** Add the (already subscribed) connection as a member; announce the user if it is new. */
export function joinPresence(app: AppRuntime, channel: Channel, conn: Connection, identity: PresenceIdentity): void {
  const key = memberKey(identity.userId);
  conn.presenceKeys.set(channel.name, key);
  const existing = channel.members.get(key);
  if (existing) {
    // clause: presence.user-info-conflict (the first connection's user_info stays)
    existing.connections.add(conn);
    // clause: presence.member-added-once-per-user
    if (app.faults.has('member-added-every-connection')) announceAdded(app, channel, conn, existing);
    if (app.faults.has('webhook-member-added-every-connection')) emitAdded(app, channel, existing);
    return;
  }
  // clause: presence.user-id-number (a number stays a number)
  const userId = app.faults.has('numeric-user-id-stringified') ? key : identity.userId;
  const member: Member = { userId, userInfo: identity.userInfo, connections: new Set([conn]) };
  channel.members.set(key, member);
  app.cluster?.shareChanged(channel);
  // clause: presence.member-added-first-connection / cluster.presence-cluster-wide (not if already present on another node)
  if (!app.cluster?.remoteHasMember(channel.name, key)) announceAdded(app, channel, conn, member);
  // clause: cluster.webhooks-once
  if (app.cluster) return app.cluster.membership(channel.name, key, true);
  // clause: webhooks.member-added (back within the grace window: neither member_removed nor member_added)
  if (!app.cancelPending({ name: WebhookEventName.MemberRemoved, channel: channel.name, user_id: key })) emitAdded(app, channel, member);
}

/** member_added to the channel's subscribers but the joiner (none when the user joined on another node). */
export function announceAdded(app: AppRuntime, channel: Channel, joiner: Connection | undefined, member: Pick<Member, 'userId' | 'userInfo'>): void {
  // clause: presence.member-added-data
  const data = member.userInfo === undefined || app.faults.has('member-added-no-user-info') ? { user_id: member.userId } : { user_id: member.userId, user_info: member.userInfo };
  const text = JSON.stringify({ event: Event.MemberAdded, channel: channel.name, data: JSON.stringify(data) });
  for (const conn of channel.subscribers) {
    // clause: presence.member-added-not-to-joiner
    if (conn === joiner && !app.faults.has('member-added-to-joiner')) continue;
    conn.send(text);
  }
}

function emitAdded(app: AppRuntime, channel: Channel, member: Member): void {
  app.emit({ name: WebhookEventName.MemberAdded, channel: channel.name, user_id: memberKey(member.userId) });
}

/** Remove the (already unsubscribed) connection; announce the user's departure on its last one. */
export function leavePresence(app: AppRuntime, channel: Channel, conn: Connection): void {
  const key = conn.presenceKeys.get(channel.name);
  conn.presenceKeys.delete(channel.name);
  if (key === undefined) return;
  const member = channel.members.get(key);
  if (!member) return;
  member.connections.delete(conn);
  const last = member.connections.size === 0;
  if (last) channel.members.delete(key);
  // clause: presence.member-removed-last-connection / presence.member-removed-not-early
  if (!last && !app.faults.has('member-removed-early')) return;
  // clause: cluster.presence-cluster-wide (still connected through another node: not gone)
  if (!last || !app.cluster?.remoteHasMember(channel.name, key)) announceRemoved(app, channel, app.faults.has('member-removed-socket-id') ? conn.socketId : member.userId);
  // clause: cluster.webhooks-once
  if (last && app.cluster) app.cluster.membership(channel.name, key, false);
  else if (last) app.emit({ name: WebhookEventName.MemberRemoved, channel: channel.name, user_id: key });
}

/** member_removed to every subscriber of the channel. */
export function announceRemoved(app: AppRuntime, channel: Channel, userId: string | number): void {
  const text = JSON.stringify({ event: Event.MemberRemoved, channel: channel.name, data: JSON.stringify({ user_id: userId }) });
  for (const other of channel.subscribers) other.send(text);
}

/** The distinct-user count of a presence channel (user_count, and count in the member list). */
export function userCount(app: AppRuntime, channel: Channel): number {
  // clause: presence.one-entry-per-user
  return app.faults.has('presence-count-connections') ? channel.subscribers.size + (app.cluster?.remoteSubscribers(channel.name) ?? 0) : memberCount(app, channel);
}

/** `{presence: {ids, hash, count}}` as sent to `subscriber`, the subscriber included. */
export function presenceData(app: AppRuntime, channel: Channel, subscriber: Connection): PresenceSubscriptionData {
  const ownKey = subscriber.presenceKeys.get(channel.name);
  const ids: (string | number)[] = [];
  // clause: presence.hash-is-object
  const hash: Record<string, unknown> = {};
  let count = userCount(app, channel);
  for (const [key, member] of channel.members) {
    // clause: presence.succeeded-includes-self
    if (key === ownKey && app.faults.has('presence-hash-missing-subscriber')) {
      count -= 1;
      continue;
    }
    ids.push(member.userId);
    // clause: presence.succeeded-data (every member is a key of hash: pusher-js builds its list from hash alone)
    if (member.userInfo === undefined && app.faults.has('presence-hash-omits-members-without-info')) continue;
    // clause: presence.user-info-relayed (a member without user_info is listed with {})
    hash[key] = member.userInfo ?? {};
  }
  // clause: cluster.presence-cluster-wide (the members on other nodes are listed too)
  for (const [key, member] of app.cluster?.remoteMembers(channel.name) ?? []) {
    if (channel.members.has(key)) continue;
    ids.push(member.userId);
    hash[key] = member.userInfo ?? {};
  }
  const withInfo = [...channel.members.values()].some((m) => m.userInfo !== undefined);
  // an empty PHP array: what json_encode gives a hash that was never keyed by a string
  if (!withInfo && app.faults.has('presence-hash-array-when-empty')) return { presence: { ids, hash: [] as unknown as Record<string, unknown>, count } };
  return { presence: { ids, hash, count } };
}
