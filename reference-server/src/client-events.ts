/**
 * Client events (`client-*`): who may send them, on which channels, how often, and to whom
 * they are relayed.
 * @module
 */
import { z } from 'zod';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { ClientEventFrameLenient } from '../../spec/src/frames/events.ts';
import { WebhookEventName } from '../../spec/src/webhooks.ts';
import type { Connection } from './connection.ts';
import { ProtocolError } from './errors.ts';
import { storeInCache } from './channels/publish.ts';

const RATE_WINDOW_MS = 1000;
/** client-event-name-unanchored: any event name is read as a client event once dispatch routed it here. */
const UnanchoredClientEventFrame = ClientEventFrameLenient.extend({ event: z.string() });

const rejected = (message: string, clause: ConstructorParameters<typeof ProtocolError>[2], channel?: string): ProtocolError =>
  new ProtocolError(ErrorCode.ClientEventRejected, message, clause, false, channel);

export function handleClientEvent(conn: Connection, frame: unknown): void {
  const app = conn.app;
  const { faults, limits } = app;
  // the lenient frame: name and size limits are the app's (below), not Pusher's values in the strict schema
  const parsed = (faults.has('client-event-name-unanchored') ? UnanchoredClientEventFrame : ClientEventFrameLenient).safeParse(frame);
  if (!parsed.success) {
    if (faults.has('client-event-malformed-silent')) return;
    return conn.error(rejected('A client event needs a string channel and a data value', 'client-events.not-subscribed-signalled'));
  }
  const { event, channel: name } = parsed.data;
  const data: unknown = parsed.data.data;

  // clause: client-events.enabled-flag
  if (!app.config.clientEvents && !faults.has('client-events-flag-ignored')) {
    return conn.error(rejected('Client events are not enabled for this app', 'client-events.disabled-signalled', name));
  }
  const channel = app.channels.get(name);
  const kind = channel?.kind;
  // clause: client-events.sender-subscribed
  const subscribed = channel !== undefined && channel.subscribers.has(conn);
  if (!subscribed && !faults.has('client-events-unsubscribed')) {
    return conn.error(rejected(`Client event refused: this connection is not subscribed to ${name}`, 'client-events.sender-subscribed', name));
  }
  if (!channel || !kind) return;
  if (kind.type === 'public' && !faults.has('client-events-on-public')) {
    // clause: client-events.private-presence-only
    return conn.error(rejected(`Client events are allowed on private and presence channels only, not on ${name}`, 'client-events.private-presence-only', name));
  }
  if (kind.type === 'encrypted' && !faults.has('client-events-on-encrypted')) {
    // clause: client-events.encrypted-not-relayed
    return conn.error(rejected(`Client events are not supported on encrypted channel ${name}`, 'client-events.encrypted-not-relayed', name));
  }
  const nameLimit = limits.eventNameLength + (faults.has('event-name-limit-off-by-one') ? 1 : 0);
  if (event.length > nameLimit && !faults.has('client-event-name-limit-unchecked')) {
    // clause: limits.event-name-length
    return conn.error(rejected(`Event name is ${event.length} characters; the limit is ${limits.eventNameLength}`, 'limits.event-name-length', name));
  }
  const dataText = typeof data === 'string' ? data : JSON.stringify(data ?? null);
  // clause: limits.client-event-size (UTF-8 bytes of the data, not characters)
  const bytes = faults.has('client-event-size-chars') ? dataText.length : Buffer.byteLength(dataText);
  const dataLimit = limits.eventDataBytes + (faults.has('payload-limit-off-by-one') ? 1 : 0);
  if (bytes > dataLimit) {
    // clause: limits.client-event-size
    return conn.error(rejected(`Event data is ${bytes} bytes; the limit is ${limits.eventDataBytes}`, 'limits.client-event-size', name));
  }
  if (!faults.has('client-event-rate-limit-off') && !withinRate(conn, limits.clientEventsPerSecond)) {
    // clause: client-events.rate-limit-4301 (excess dropped, connection kept)
    const err = rejected(`Client event rate limit of ${limits.clientEventsPerSecond} per second exceeded`, 'client-events.rate-limit-4301', name);
    // clause: client-events.rate-limit-keeps-connection
    if (faults.has('client-event-rate-limit-closes')) return conn.error(new ProtocolError(err.code, err.message, 'client-events.rate-limit-keeps-connection', true, name));
    return conn.error(err);
  }

  // clause: client-events.presence-user-id / client-events.user-id-not-spoofable
  const presenceKey = conn.presenceKeys.get(name);
  const member = presenceKey === undefined ? undefined : channel.members.get(presenceKey);
  const userId = kind.type === 'presence' && member && !faults.has('client-event-no-user-id') ? String(member.userId) : undefined;
  const sent = (frame as { user_id?: unknown }).user_id;
  const passedThrough = kind.type !== 'presence' && faults.has('client-event-user-id-passed-through') && sent !== undefined ? { user_id: sent } : {};
  // clause: client-events.frame-shape / client-events.data-form-kept
  const relayed = faults.has('client-event-data-altered') ? JSON.stringify(data) : data;
  const text = JSON.stringify({ event, channel: name, data: relayed, ...passedThrough, ...(userId !== undefined ? { user_id: userId } : {}) });
  for (const other of channel.subscribers) {
    // clause: client-events.no-echo
    if (other === conn && !faults.has('client-event-echo')) continue;
    // clause: client-events.delivered-to-others (the sender's other connections included)
    if (other !== conn && presenceKey !== undefined && other.presenceKeys.get(name) === presenceKey && faults.has('client-event-echo-other-connections-skipped')) continue;
    other.send(text);
  }
  // clause: cluster.client-events-every-node
  app.cluster?.clientEvent(name, text);
  // clause: cache.client-events-not-cached
  if (kind.cache && faults.has('client-events-cached')) storeInCache(app, name, text, dataText);
  app.emit({
    name: WebhookEventName.ClientEvent,
    channel: name,
    event,
    data: dataText,
    socket_id: conn.socketId,
    ...(userId !== undefined ? { user_id: userId } : {}),
  });
}

/** Sliding one-second window of accepted client events per connection. */
function withinRate(conn: Connection, perSecond: number): boolean {
  const now = Date.now();
  const times = conn.clientEventTimes;
  while (times.length > 0 && now - times[0]! >= RATE_WINDOW_MS) times.shift();
  if (times.length >= perSecond) return false;
  times.push(now);
  return true;
}
