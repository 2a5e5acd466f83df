/**
 * Delivering server-published events: to a channel's subscribers, or to a signed-in user.
 * @module
 */
import { channelKind, userIdOfServerToUserChannel } from '../../../spec/src/identifiers.ts';
import type { AppRuntime } from '../app-runtime.ts';
import type { Connection } from '../connection.ts';
import type { Channel } from './channel.ts';

/** Send one serialized frame to every subscriber of a channel but `except`. */
export function broadcast(channel: Channel, text: string, except?: Connection): void {
  // encoded once for every receiver, not once per receiver
  const bytes = Buffer.from(text);
  for (const conn of channel.subscribers) {
    if (conn !== except) conn.send(bytes);
  }
}

export interface ServerEvent {
  readonly channel: string;
  readonly event: string;
  readonly data: string;
  /** the publisher's socket_id: that connection does not receive the event */
  readonly excludeSocketId?: string | undefined;
}

/** The frame a subscriber receives for a published event. */
function eventFrame(app: AppRuntime, ev: ServerEvent): string {
  let data: unknown = ev.data;
  if (app.faults.has('data-as-object')) {
    try {
      const parsed: unknown = JSON.parse(ev.data);
      if (parsed !== null && typeof parsed === 'object') data = parsed;
    } catch {
      // not JSON: stays a string
    }
  }
  if (app.faults.has('data-reserialized') && typeof data === 'string') {
    try {
      data = JSON.stringify(JSON.parse(data));
    } catch {
      // not JSON: stays as published
    }
  }
  // clause: robustness.utf8-preserved (characters outside the BMP lost, as by a UTF-16 unit-wise filter)
  if (app.faults.has('data-astral-replaced') && typeof data === 'string') data = data.replace(/[\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
  // clause: subscription.data-verbatim (the departure the harness recognises as double encoding)
  if (app.faults.has('data-double-encoded') && typeof data === 'string') data = JSON.stringify(data);
  // clause: subscription.event-frame-shape
  if (app.faults.has('event-frame-no-channel')) return JSON.stringify({ event: ev.event, data });
  return JSON.stringify({ event: ev.event, channel: ev.channel, data });
}

/**
 * Deliver an event published through the REST API (or the user-events endpoint): once per
 * (connection, channel), never to the excluded socket; cache channels keep it for replay.
 */
export function publishServerEvent(app: AppRuntime, ev: ServerEvent, fromNode?: string): void {
  const text = eventFrame(app, ev);
  const remote = fromNode !== undefined;
  // clause: cluster.events-every-node (the receiving node forwards; the others only deliver)
  if (!remote) app.cluster?.published(ev, userIdOfServerToUserChannel(ev.channel) !== undefined);
  const excluded = (conn: Connection): boolean =>
    // clause: rest.socket-id-exclusion / cluster.socket-id-exclusion
    ev.excludeSocketId !== undefined && conn.socketId === ev.excludeSocketId && !app.faults.has('socket-id-exclusion-ignored') && (!remote || app.cluster?.excludesRemotePublishes !== false);
  const times = app.faults.has('event-delivered-twice') ? 2 : 1;
  // encoded once for every receiver, not once per receiver
  const bytes = Buffer.from(text);
  const deliver = (conn: Connection): void => {
    if (excluded(conn)) return;
    for (let i = 0; i < times; i++) conn.send(bytes);
  };

  const userId = userIdOfServerToUserChannel(ev.channel);
  if (userId !== undefined) {
    // clause: server-to-user.delivery / server-to-user.only-that-user
    const targets = app.faults.has('server-to-user-broadcast') ? [...app.connections.values()] : [...(app.users.get(userId) ?? [])];
    if (app.faults.has('server-to-user-first-connection-only')) targets.splice(1);
    for (const conn of targets) deliver(conn);
    return;
  }

  // clause: cache.latest-only (an unoccupied cache channel keeps it for its next subscriber)
  if (channelKind(ev.channel).cache && (!remote || app.cluster?.cacheSharedFromRemote !== false)) storeInCache(app, ev.channel, text, ev.data, remote);
  const channel = app.channels.get(ev.channel);
  if (channel) for (const conn of channel.subscribers) deliver(conn);
}

/** Keep the last server event of a cache channel for the app's TTL. */
export function storeInCache(app: AppRuntime, channel: string, frame: string, data: string, fromCluster = false): void {
  const now = Date.now();
  // clause: cache.ttl
  const ttlMs = app.faults.has('cache-never-expires') ? Infinity : app.limits.cacheTtlSeconds * 1000;
  // clause: cache.latest-only
  app.cache.store(channel, frame, data, ttlMs, now, app.faults.has('cache-replays-first'));
  // clause: cluster.cache-shared (kept in the cluster for nodes that start later)
  if (!fromCluster) app.cluster?.cached(channel, frame, data, ttlMs);
}
