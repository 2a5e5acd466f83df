/**
 * The catalogue of protocol limits: what each measures, its unit, the value Pusher documents,
 * and how a server signals that it was exceeded. Profiles (profiles.ts) give per-server values.
 * @module
 */
import type { SourceId } from './sources.ts';

export type LimitUnit = 'bytes' | 'characters' | 'count' | 'per-second' | 'seconds';

export interface LimitDef {
  readonly title: string;
  readonly unit: LimitUnit;
  /** what exactly is measured, so that "at the limit" is well defined */
  readonly measures: string;
  /** the value in Pusher's own documentation (the `pusher` profile) */
  readonly pusher: number;
  /** how a server rejects one past the limit */
  readonly exceeded: string;
  readonly sources: readonly SourceId[];
}

export const limits = {
  eventDataBytes: {
    title: 'Event payload size',
    unit: 'bytes',
    measures: 'UTF-8 bytes of the `data` string of one published event (REST) or client event',
    pusher: 10 * 1024,
    exceeded: 'REST: HTTP 413; client event: pusher:error 4301',
    sources: ['pusher-docs/rest-api', 'soketify/events'],
  },
  eventNameLength: {
    title: 'Event name length',
    unit: 'characters',
    measures: 'characters of the event name',
    pusher: 200,
    exceeded: 'REST: HTTP 400; client event: pusher:error 4301',
    sources: ['pusher-http-node/events', 'soketify/events'],
  },
  channelNameLength: {
    title: 'Channel name length',
    unit: 'characters',
    measures: 'characters of the channel name, prefix included',
    pusher: 164,
    exceeded: 'REST: HTTP 400; subscribe: subscription rejected',
    sources: ['pusher-docs/channels'],
  },
  channelsPerTrigger: {
    title: 'Channels per publish',
    unit: 'count',
    measures: 'entries of `channels` in one POST /events',
    pusher: 100,
    exceeded: 'HTTP 400',
    sources: ['pusher-docs/rest-api', 'soketify/events'],
  },
  batchSize: {
    title: 'Events per batch',
    unit: 'count',
    measures: 'entries of `batch` in one POST /batch_events',
    pusher: 10,
    exceeded: 'HTTP 400',
    sources: ['pusher-docs/rest-api'],
  },
  presenceMembers: {
    title: 'Members per presence channel',
    unit: 'count',
    measures: 'distinct user ids subscribed to one presence channel',
    pusher: 100,
    exceeded: 'subscription rejected (pusher:error or pusher:subscription_error)',
    sources: ['pusher-docs/presence-channels', 'soketify/channels'],
  },
  userInfoBytes: {
    title: 'Presence user object size',
    unit: 'bytes',
    measures: 'UTF-8 bytes of the JSON-encoded `user_info` object',
    pusher: 1024,
    exceeded: 'subscription rejected',
    sources: ['pusher-docs/presence-channels', 'soketify/channels'],
  },
  userIdLength: {
    title: 'User id length',
    unit: 'characters',
    measures: 'characters of a presence `user_id` or sign-in `id`',
    pusher: 128,
    exceeded: 'subscription or sign-in rejected',
    sources: ['pusher-docs/presence-channels', 'soketify/channels'],
  },
  clientEventsPerSecond: {
    title: 'Client events per second',
    unit: 'per-second',
    measures: 'client events one connection may send in any one-second window',
    pusher: 10,
    exceeded: 'pusher:error 4301; the connection stays open',
    sources: ['pusher-docs/events', 'soketify/events'],
  },
  watchlistSize: {
    title: 'Watchlist size',
    unit: 'count',
    measures: 'user ids in the sign-in `watchlist`',
    pusher: 100,
    exceeded: 'the first entries are kept, sign-in succeeds, pusher:error 4302',
    sources: ['pusher-docs/authenticating-users'],
  },
  cacheTtlSeconds: {
    title: 'Cache channel TTL',
    unit: 'seconds',
    measures: 'how long the last event of a cache channel is kept (an upper bound: it may expire sooner)',
    pusher: 30 * 60,
    exceeded: 'the cached event is dropped; a new subscriber gets pusher:cache_miss',
    sources: ['pusher-docs/cache-channels', 'soketify/channels'],
  },
  activityTimeoutSeconds: {
    title: 'Activity timeout',
    unit: 'seconds',
    measures: 'the `activity_timeout` advertised in pusher:connection_established',
    pusher: 120,
    exceeded: 'the client pings after this much silence',
    sources: ['pusher-docs/websocket-protocol'],
  },
  pongTimeoutSeconds: {
    title: 'Pong timeout',
    unit: 'seconds',
    measures: 'how long a side waits for pusher:pong after sending pusher:ping',
    pusher: 30,
    exceeded: 'the server closes with 4201',
    sources: ['pusher-docs/websocket-protocol'],
  },
  webhookGraceSeconds: {
    title: 'Webhook grace delay',
    unit: 'seconds',
    measures: 'the longest delay between the last disconnect and channel_vacated / member_removed',
    pusher: 3,
    exceeded: 'a reconnect within the window sends neither webhook',
    sources: ['pusher-docs/webhooks', 'soketify/connection'],
  },
  webhookRetrySeconds: {
    title: 'Webhook retry window',
    unit: 'seconds',
    measures: 'how long a failed webhook (non-2xx) is retried with back-off',
    pusher: 300,
    exceeded: 'the webhook is dropped',
    sources: ['pusher-docs/webhooks'],
  },
  timestampWindowSeconds: {
    title: 'REST timestamp window',
    unit: 'seconds',
    measures: 'largest accepted difference between `auth_timestamp` and server time',
    pusher: 600,
    exceeded: 'HTTP 401',
    sources: ['pusher-docs/rest-api'],
  },
  subscriptionCountThreshold: {
    title: 'Subscription count throttle threshold',
    unit: 'count',
    measures: 'subscribers above which subscription_count updates are throttled',
    pusher: 100,
    exceeded: 'at most one update per throttle interval',
    sources: ['pusher-docs/events'],
  },
  subscriptionCountIntervalSeconds: {
    title: 'Subscription count throttle interval',
    unit: 'seconds',
    measures: 'minimum spacing of subscription_count updates on a throttled channel',
    pusher: 5,
    exceeded: 'updates are coalesced',
    sources: ['pusher-docs/events'],
  },
  userAuthenticationTimeoutSeconds: {
    title: 'Authorized-connections timeout',
    unit: 'seconds',
    measures: 'time a connection has to sign in or subscribe to a private channel when the app requires it',
    pusher: 30,
    exceeded: 'the connection is closed with 4009',
    sources: ['pusher-docs/authorized-connections'],
  },
} as const satisfies Record<string, LimitDef>;

export type LimitKey = keyof typeof limits;
export type Limits = { readonly [K in LimitKey]: number };
export const limitKeys = Object.keys(limits) as LimitKey[];

/** The values of Pusher's own documentation, the strict default. */
export const pusherLimits: Limits = Object.fromEntries(limitKeys.map((k) => [k, limits[k].pusher])) as Limits;

// --- Capacity: what a production server bounds to protect itself -----------------------------------

/**
 * Caps that protect a server rather than shape the protocol: Pusher documents none of them as a
 * number a client can rely on, so they are not part of {@link limits} (whose every entry has a
 * documented Pusher value and is checked at its boundary). Each has the reference server's
 * default, the reason for it, and how exceeding it is signalled; profiles.ts records what each
 * server documents (`null`: documents none).
 */
export interface CapacityDef {
  readonly title: string;
  readonly unit: LimitUnit;
  readonly measures: string;
  /** what Pusher documents: null where it documents no cap */
  readonly pusher: number | null;
  /** the reference server's default (configurable per app or per server) */
  readonly reference: number;
  /** why the reference default is what it is */
  readonly rationale: string;
  readonly exceeded: string;
  readonly sources: readonly SourceId[];
}

export const capacityLimits = {
  subscriptionsPerConnection: {
    title: 'Subscriptions per connection',
    unit: 'count',
    measures: 'channels one connection is subscribed to at the same time',
    pusher: null,
    reference: 1000,
    rationale:
      'Pusher says subscriptions are multiplexed with no per-connection limit; an unbounded count lets one unauthenticated socket hold unbounded server state. 1000 is ten times the 100 channels a client guide calls typical.',
    exceeded: 'pusher:error 4100 (over capacity) naming the channel; the connection stays open',
    sources: ['pusher-docs/connection', 'guide/pusher-usage'],
  },
  connectionsPerServer: {
    title: 'Connections per server',
    unit: 'count',
    measures: 'open WebSocket connections of one server process, all apps together',
    pusher: null,
    reference: 10_000,
    rationale:
      'Per-app quotas (4004) are plan settings; a node-wide cap (Sockudo max_connections → 4100) bounds memory and file descriptors whatever the apps allow.',
    exceeded: 'the connection is closed with 4100 (over capacity: try again later)',
    sources: ['pusher-docs/websocket-protocol', 'sockudo/options'],
  },
} as const satisfies Record<string, CapacityDef>;

export type CapacityKey = keyof typeof capacityLimits;
export const capacityKeys = Object.keys(capacityLimits) as CapacityKey[];

/**
 * Deepest nesting of arrays and objects accepted in any JSON a client sends (a frame, a
 * `channel_data` or `user_data` string, a REST body). No source documents one; every payload the
 * protocol defines is at most a few levels deep, and a bound keeps every recursive walk of a
 * parsed value (serialising, validating) far from the stack limit: 5,000 nested arrays fit in
 * 10 KB and overflow the stack of a naive server.
 */
export const JSON_MAX_DEPTH = 64;

/**
 * Unsent bytes one connection may have queued (a subscriber that reads slower than its channels
 * publish) before the server closes it with 4100 (over capacity: the client reconnects after a
 * back-off). No source documents one; the protocol has no way to drop events for one client, so
 * a bound and a close keep a slow reader from holding unbounded memory or delaying the others
 * (clause robustness.isolation). 1 MiB is a hundred events at Pusher's 10 KB payload limit.
 */
export const SLOW_CONSUMER_UNSENT_BYTES = 1024 * 1024;
