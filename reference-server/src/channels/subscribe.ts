/**
 * `pusher:subscribe` and `pusher:unsubscribe`: channel name rules, auth, presence identity,
 * limits, the confirmation, cache replay and the subscription count.
 * @module
 */
import { ErrorCode } from '../../../spec/src/error-codes.ts';
import { Event } from '../../../spec/src/events.ts';
import { ChannelPrefix, CHANNEL_NAME_PATTERN, channelKind, serverToUserChannel } from '../../../spec/src/identifiers.ts';
import { jsonString } from '../../../spec/src/codec.ts';
import { ChannelData } from '../../../spec/src/frames/presence.ts';
import { SubscribeFrameLenient, UnsubscribeFrameLenient } from '../../../spec/src/frames/subscription.ts';
import { WebhookEventName } from '../../../spec/src/webhooks.ts';
import type { AppRuntime } from '../app-runtime.ts';
import type { Connection } from '../connection.ts';
import { ProtocolError } from '../errors.ts';
import { crashServer } from '../crash.ts';
import { channelAuthValid } from './auth.ts';
import type { Channel } from './channel.ts';
import { addSubscriber, removeSubscriber } from './membership.ts';
import { joinPresence, presenceData, presenceFull, type PresenceIdentity } from './presence.ts';
import { subscriptionCountChanged } from './subscription-count.ts';
import { subscriptionCap } from '../app-config.ts';

const ChannelDataString = jsonString(ChannelData);
/** channel-name-charset-narrow: the alphabet without = @ , . ; */
const NARROW_CHANNEL_NAME = /^[A-Za-z0-9_-]+$/;

export function handleSubscribe(conn: Connection, frame: unknown): void {
  const app = conn.app;
  const parsed = SubscribeFrameLenient.safeParse(frame);
  if (!parsed.success) {
    // clause: subscription.missing-channel
    if (app.faults.has('subscribe-missing-channel-closes')) return conn.close(ErrorCode.ReconnectImmediately, 'Subscribe without channel');
    if (app.faults.has('crash-on-malformed-subscribe')) return crashServer(conn, `${Event.Subscribe} without a string channel`);
    conn.error(new ProtocolError(null, `${Event.Subscribe} needs data {channel: string, auth?: string, channel_data?: string}`, 'subscription.missing-channel'));
    return;
  }
  const { channel: name, auth, channel_data: channelDataText } = parsed.data.data;

  const nameError = checkChannelName(conn, name);
  if (nameError) return conn.error(nameError);

  const kind = app.faults.has('channel-type-unanchored') ? unanchoredKind(name) : channelKind(name);
  let identity: PresenceIdentity | undefined;
  if (kind.requiresAuth) {
    // clause: presence.channel-data-from-signin (no channel_data: the signed-in user is the member)
    const fromSignin = kind.type === 'presence' && channelDataText === undefined && conn.user !== undefined;
    const generatedId = kind.type === 'presence' && channelDataText === undefined && !fromSignin && app.faults.has('presence-channel-data-optional');
    if (kind.type === 'presence' && channelDataText === undefined && !fromSignin && !generatedId) {
      // clause: presence.channel-data-required
      return conn.error(new ProtocolError(null, `Presence channel ${name} needs channel_data (or a signed-in connection)`, 'presence.channel-data-required', false, name));
    }
    if (!channelAuthValid(app, { socketId: conn.socketId, channel: name, auth, channelData: kind.type === 'presence' ? channelDataText : undefined })) {
      // clause: channel-auth.failure-signalled (pusher:error 4009 naming the channel; connection kept)
      if (app.faults.has('auth-refusal-silent')) return;
      const fatal = app.faults.has('auth-refusal-closes');
      return conn.error(new ProtocolError(ErrorCode.Unauthorized, `Invalid signature for channel ${name}: expected HMAC-SHA256 hex of "${conn.socketId}:${name}${kind.type === 'presence' && channelDataText !== undefined ? ':<channel_data>' : ''}" keyed by the app secret`, 'channel-auth.failure-signalled', fatal, name));
    }
    if (kind.type === 'presence') {
      const result = fromSignin ? identityFromSignin(conn) : generatedId ? { userId: conn.socketId, userInfo: undefined } : parseIdentity(channelDataText ?? '', name, app);
      if (result instanceof ProtocolError) return conn.error(result);
      identity = result;
    }
  }

  const channel = app.channels.getOrCreate(name);
  if (channel.subscribers.has(conn)) {
    // clause: subscription.resubscribe-idempotent / subscription.resubscribe-confirmed
    if (!app.faults.has('resubscribe-silent')) sendSucceeded(app, channel, conn);
    return;
  }
  const cap = subscriptionCap(app.config);
  if (conn.subscriptions.size >= cap) {
    // clause: limits.subscriptions-per-connection (non-fatal: the connection keeps what it holds)
    app.channels.release(channel);
    return conn.error(new ProtocolError(ErrorCode.OverCapacity, `This connection already holds ${cap} subscriptions, the server's limit`, 'limits.subscriptions-per-connection', false, name));
  }
  if (identity) {
    const limitError = checkPresenceLimits(app, channel, identity);
    if (limitError) {
      app.channels.release(channel);
      return conn.error(limitError);
    }
  }

  // clause: subscription.multiple-channels
  if (app.faults.has('one-channel-per-connection')) {
    for (const held of [...conn.subscriptions]) {
      const other = app.channels.get(held);
      if (other) removeSubscriber(app, other, conn);
    }
  }
  addSubscriber(app, channel, conn);
  if (identity) joinPresence(app, channel, conn, identity);
  // clause: signin.authorized-connections-kept (a private or presence subscription authorizes the connection)
  if (kind.requiresAuth) conn.satisfyAuthorization();
  sendSucceeded(app, channel, conn);
  // clause: cache.plain-channels-no-replay
  if (channel.kind.cache || kind.cache || app.faults.has('cache-replay-on-plain-channels')) replayCache(app, channel, conn);
  subscriptionCountChanged(app, channel);
}

export function handleUnsubscribe(conn: Connection, frame: unknown): void {
  const parsed = UnsubscribeFrameLenient.safeParse(frame);
  if (!parsed.success) {
    conn.error(new ProtocolError(null, `${Event.Unsubscribe} needs data {channel: string}`, 'subscription.missing-channel'));
    return;
  }
  // clause: subscription.unsubscribe-stops-delivery
  if (conn.app.faults.has('unsubscribe-ignored')) return;
  const channel = conn.app.channels.get(parsed.data.data.channel);
  // clause: subscription.unsubscribe-no-ack
  if (channel) removeSubscriber(conn.app, channel, conn);
}

/** channel-type-unanchored: the name read from the first type prefix found anywhere in it. */
function unanchoredKind(name: string): ReturnType<typeof channelKind> {
  const prefixes = [ChannelPrefix.Private, ChannelPrefix.Presence, ChannelPrefix.Cache];
  const at = Math.min(...prefixes.map((p) => name.indexOf(p)).filter((i) => i >= 0));
  return channelKind(Number.isFinite(at) ? name.slice(at) : name);
}

/** Charset, length and the reserved `#` names. */
function checkChannelName(conn: Connection, name: string): ProtocolError | undefined {
  const { faults, limits } = conn.app;
  if (name.startsWith(ChannelPrefix.Reserved)) {
    // clause: subscription.reserved-hash-names
    if (conn.user !== undefined && name === serverToUserChannel(conn.user.id)) return undefined;
    if (faults.has('reserved-names-accepted')) return undefined;
    return new ProtocolError(ErrorCode.Unauthorized, `Channel ${name} is reserved: only ${ChannelPrefix.ServerToUser}{id} of the connection's own signed-in user may be subscribed`, 'subscription.reserved-hash-names', false, name);
  }
  if (faults.has('channel-name-unchecked')) return undefined;
  if (faults.has('channel-name-charset-narrow') && !NARROW_CHANNEL_NAME.test(name)) {
    // clause: subscription.channel-name-charset
    return new ProtocolError(null, `Invalid channel name ${JSON.stringify(name)}: only A-Za-z0-9 _ - are allowed`, 'subscription.channel-name-charset', false, name);
  }
  if (name.length === 0 || !CHANNEL_NAME_PATTERN.test(name)) {
    // clause: subscription.channel-name-invalid
    return new ProtocolError(null, `Invalid channel name ${JSON.stringify(name)}: only A-Za-z0-9 and _ - = @ , . ; are allowed`, 'subscription.channel-name-invalid', false, name);
  }
  const max = limits.channelNameLength + (faults.has('channel-name-limit-off-by-one') ? 1 : 0);
  if (name.length > max) {
    // clause: limits.channel-name-length
    return new ProtocolError(null, `Channel name is ${name.length} characters; the limit is ${limits.channelNameLength}`, 'limits.channel-name-length', false, name);
  }
  return undefined;
}

function parseIdentity(text: string, channel: string, app: AppRuntime): PresenceIdentity | ProtocolError {
  if (app.faults.has('presence-channel-data-unvalidated')) {
    const loose = looseIdentity(text);
    if (loose) return loose;
  }
  const parsed = ChannelDataString.safeParse(text);
  if (!parsed.success) {
    // clause: presence.channel-data-json
    return new ProtocolError(null, `channel_data must be a JSON string of {user_id: string | number, user_info?: object}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'presence.channel-data-json', false, channel);
  }
  return { userId: parsed.data.user_id, userInfo: parsed.data.user_info };
}

/** presence-channel-data-unvalidated: any JSON object is an identity, whatever its user_id and user_info. */
function looseIdentity(text: string): PresenceIdentity | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { user_id: userId, user_info: userInfo } = value as { user_id?: unknown; user_info?: unknown };
  return { userId: typeof userId === 'number' ? userId : String(userId), userInfo: userInfo as Record<string, unknown> | undefined };
}

function identityFromSignin(conn: Connection): PresenceIdentity {
  const user = conn.user!;
  return { userId: user.id, userInfo: user.userInfo };
}

function checkPresenceLimits(app: AppRuntime, channel: Channel, identity: PresenceIdentity): ProtocolError | undefined {
  const { limits, faults } = app;
  const idLength = String(identity.userId).length;
  if (idLength > limits.userIdLength + (faults.has('presence-user-id-length-off-by-one') ? 1 : 0)) {
    // clause: limits.presence-user-id-length
    return new ProtocolError(null, `user_id is ${idLength} characters; the limit is ${limits.userIdLength}`, 'limits.presence-user-id-length', false, channel.name);
  }
  const infoBytes = Buffer.byteLength(JSON.stringify(identity.userInfo ?? {}));
  if (infoBytes > limits.userInfoBytes && !faults.has('presence-user-info-unchecked')) {
    // clause: limits.presence-user-size
    return new ProtocolError(null, `user_info is ${infoBytes} bytes of JSON; the limit is ${limits.userInfoBytes}`, 'limits.presence-user-size', false, channel.name);
  }
  if (presenceFull(app, channel, identity)) {
    // clause: presence.full-channel-refused
    return new ProtocolError(ErrorCode.OverCapacity, `Presence channel ${channel.name} already has ${limits.presenceMembers} members`, 'presence.full-channel-refused', false, channel.name);
  }
  return undefined;
}

function sendSucceeded(app: AppRuntime, channel: Channel, conn: Connection): void {
  // clause: subscription.succeeded-data / presence.succeeded-data
  const data = channel.isPresence ? JSON.stringify(presenceData(app, channel, conn)) : '{}';
  const withChannel = !app.faults.has('subscription-succeeded-no-channel');
  const withData = channel.isPresence || !app.faults.has('succeeded-data-absent');
  conn.send({ event: Event.SubscriptionSucceeded, ...(withChannel ? { channel: channel.name } : {}), ...(withData ? { data } : {}) });
}

function replayCache(app: AppRuntime, channel: Channel, conn: Connection): void {
  const cached = app.cache.get(channel.name, Date.now());
  if (cached) {
    // clause: cache.last-event-replayed (the original frame, right after subscription_succeeded)
    conn.send(cached.frame);
    return;
  }
  // clause: cache.miss-event
  if (!app.faults.has('cache-miss-not-sent')) conn.send({ event: Event.CacheMiss, channel: channel.name });
  // clause: webhooks.cache-miss-dedup (in a cluster: once for the whole cluster)
  if (app.cluster && !app.faults.has('cache-miss-webhook-every-time')) app.cluster.cacheMiss(channel.name);
  else if (app.cache.markMiss(channel.name) || app.faults.has('cache-miss-webhook-every-time')) {
    app.emit({ name: WebhookEventName.CacheMiss, channel: channel.name });
  }
}
