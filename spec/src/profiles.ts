/**
 * Target profiles: what one server documents, or what an operator configures on it, as data.
 * Limits, features, dialect switches and the alternative each server takes on the open questions
 * of the ambiguity register, every value with its source.
 *
 * A profile describes; it never excuses. A server's departure from a MUST stays a `fail` in its
 * own profile's report: known bugs are not features here (soketi relaying client events on public
 * channels is not a profile value), and `alternatives` names only alternatives whose verdict in
 * the ambiguity register is `pass` or `warn`. Known `fail` behaviours are mentioned in notes only.
 *
 * `pusher` (the default) is Pusher's own documentation, the strict reading; its limits are the
 * limit catalogue's (limits.ts). CLI flags and a config file override any value through
 * {@link resolveProfile}.
 * @module
 */
import { limits, limitKeys, type CapacityKey, type LimitKey } from './limits.ts';
import { featureNames, type Feature } from './features.ts';
import { ErrorCode, ERROR_CODE_MIN, ERROR_CODE_MAX } from './error-codes.ts';
import type { SourceId, SourceRef } from './sources.ts';
import type { AmbiguityId, ambiguities } from './ambiguities.ts';

// --- Types ----------------------------------------------------------------------------------------

/** A value with the source that fixes it. */
export interface Sourced<T> {
  readonly value: T;
  readonly source: SourceRef;
  readonly note?: string;
}

/** How REST paths address the app: `/apps/{app_id}/…` or `/apps/{app_key}/…`. */
export type RestAppPath = 'id' | 'key';
/** How a fatal connection error reaches the client. */
export type ErrorSignalling = 'close-code' | 'error-frame-then-close' | 'error-frame-only' | 'silent-close';
/** The body of a successful publish without `info`. */
export type RestSuccessBody = 'empty-object' | 'ok-true';
/** How a refused channel signature is reported. */
export type ChannelAuthFailure = 'pusher-error' | 'subscription-error-frame';
/** Bytes in the "KB" of documented size limits. */
export type Kilobyte = 1000 | 1024;

/** The dialect switches as plain values. */
export interface Dialect {
  readonly restAppPath: RestAppPath;
  /** ErrorCode.OverConnectionQuota or ErrorCode.OverCapacity */
  readonly overQuotaCode: number;
  readonly errorSignalling: ErrorSignalling;
  readonly restSuccessBody: RestSuccessBody;
  readonly channelAuthFailure: ChannelAuthFailure;
  readonly kilobyte: Kilobyte;
}
export type DialectKey = keyof Dialect;

/** Every value a dialect switch may take (CLI and config parsing, validation). */
export const dialectValues = {
  restAppPath: ['id', 'key'],
  errorSignalling: ['close-code', 'error-frame-then-close', 'error-frame-only', 'silent-close'],
  restSuccessBody: ['empty-object', 'ok-true'],
  channelAuthFailure: ['pusher-error', 'subscription-error-frame'],
  kilobyte: [1000, 1024],
} as const satisfies { readonly [K in Exclude<DialectKey, 'overQuotaCode'>]: readonly Dialect[K][] };

/** The alternative ids of one ambiguity, as the register spells them. */
export type AlternativeId<A extends AmbiguityId> = (typeof ambiguities)[A]['alternatives'][number]['id'];
/** Which alternative of each ambiguity a server takes (only `pass`/`warn` alternatives; see module doc). */
export type ProfileAlternatives = { readonly [A in AmbiguityId]?: AlternativeId<A> };

export interface ProfileDef {
  readonly title: string;
  readonly description: string;
  /** null = the server documents/enforces no limit */
  readonly limits: { readonly [K in LimitKey]: Sourced<number | null> };
  readonly features: { readonly [F in Feature]: Sourced<boolean> };
  readonly dialect: { readonly [K in DialectKey]: Sourced<Dialect[K]> };
  /** which alternative of each ambiguity (spec/src/ambiguities.ts) this server takes, where known */
  readonly alternatives: ProfileAlternatives;
}

// --- Helpers --------------------------------------------------------------------------------------

function ref(source: SourceId, section?: string): SourceRef {
  return section === undefined ? { source } : { source, section };
}

/** A sourced value: `v(value, source, section?, note?)`. */
function v<const T>(value: T, source: SourceId, section?: string, note?: string): Sourced<T> {
  return note === undefined ? { value, source: ref(source, section) } : { value, source: ref(source, section), note };
}

/** A limit taken from the catalogue's `pusher` value. */
function pusherLimit(key: LimitKey, source: SourceId, section?: string, note?: string): Sourced<number | null> {
  return v<number | null>(limits[key].pusher, source, section, note);
}

const KB = 1024;

// Recurring notes.
const SOKETIFY_SILENT = 'not documented by Soketify; Pusher\'s value, as Soketify documents Pusher\'s numbers wherever it gives one';
const VASK_SILENT = 'not documented by Vask; Pusher\'s value, as Vask claims Pusher compatibility';
const NO_WEBHOOKS_REVERB = 'Reverb sends no webhooks';

// --- Profiles -------------------------------------------------------------------------------------

export const profiles = {
  pusher: {
    title: 'Pusher Channels (documentation)',
    description:
      'Pusher\'s own documentation, read strictly: the default profile. Limits are the limit catalogue\'s; every optional feature is expected, because the embedded reference server (the default target) is configured for all of them.',
    limits: {
      eventDataBytes: pusherLimit('eventDataBytes', 'pusher-docs/rest-api', 'POST /apps/{app_id}/events', '10 KB of `data`; 413 beyond'),
      eventNameLength: pusherLimit('eventNameLength', 'pusher-http-node/pusher', 'trigger', 'the docs state no limit; the official server library refuses names over 200 characters'),
      channelNameLength: pusherLimit('channelNameLength', 'pusher-docs/channels', 'Channel naming conventions', 'the SDKs and open-source servers use 200 (ambiguity channel-name-length)'),
      channelsPerTrigger: pusherLimit('channelsPerTrigger', 'pusher-docs/rest-api', 'POST /apps/{app_id}/events: channels'),
      batchSize: pusherLimit('batchSize', 'pusher-docs/rest-api', 'POST /apps/{app_id}/batch_events', '"on multi-tenant clusters"'),
      presenceMembers: pusherLimit('presenceMembers', 'pusher-docs/presence-channels', 'Limits'),
      userInfoBytes: pusherLimit('userInfoBytes', 'pusher-docs/presence-channels', 'Limits', '1 KB "user object"'),
      userIdLength: pusherLimit('userIdLength', 'pusher-docs/presence-channels', 'Limits'),
      clientEventsPerSecond: pusherLimit('clientEventsPerSecond', 'pusher-docs/events', 'Client events: rate limit'),
      watchlistSize: pusherLimit('watchlistSize', 'pusher-docs/authenticating-users', 'watchlist'),
      cacheTtlSeconds: pusherLimit('cacheTtlSeconds', 'pusher-docs/cache-channels', 'TTL', 'up to 30 minutes; may expire sooner'),
      activityTimeoutSeconds: pusherLimit('activityTimeoutSeconds', 'pusher-docs/websocket-protocol', 'Ping and pong', 'hosted Pusher advertises 120 (pusher-websocket-swift fixtures)'),
      pongTimeoutSeconds: pusherLimit('pongTimeoutSeconds', 'pusher-docs/websocket-protocol', 'Ping and pong'),
      webhookGraceSeconds: pusherLimit('webhookGraceSeconds', 'pusher-docs/webhooks', 'Delay'),
      webhookRetrySeconds: pusherLimit('webhookRetrySeconds', 'pusher-docs/webhooks', 'Retries', 'exponential back-off for 5 minutes'),
      timestampWindowSeconds: pusherLimit('timestampWindowSeconds', 'pusher-docs/rest-api', 'Authentication: auth_timestamp'),
      subscriptionCountThreshold: pusherLimit('subscriptionCountThreshold', 'pusher-docs/events', 'Subscription count', '"more than 100" connections'),
      subscriptionCountIntervalSeconds: pusherLimit('subscriptionCountIntervalSeconds', 'pusher-docs/events', 'Subscription count'),
      userAuthenticationTimeoutSeconds: pusherLimit('userAuthenticationTimeoutSeconds', 'pusher-docs/authorized-connections'),
    },
    features: {
      'private-channels': v(true, 'pusher-docs/channels', 'Private channels'),
      presence: v(true, 'pusher-docs/presence-channels'),
      encrypted: v(true, 'pusher-docs/encrypted-channels'),
      cache: v(true, 'pusher-docs/cache-channels'),
      'client-events': v(true, 'pusher-docs/events', 'Client events', 'an app setting; the reference server enables it'),
      'client-event-rate-limit': v(true, 'pusher-docs/events', 'Client events: rate limit'),
      'user-auth': v(true, 'pusher-docs/user-authentication'),
      'server-to-user': v(true, 'pusher-docs/server-to-user-messages'),
      'user-events-endpoint': v(false, 'pusher-docs/server-to-user-messages', undefined, 'Pusher publishes to #server-to-user-{id} through /events; the per-user endpoint is Vask\'s'),
      watchlist: v(true, 'pusher-docs/watchlist-events'),
      terminate: v(true, 'pusher-docs/terminating-user-connections'),
      webhooks: v(true, 'pusher-docs/webhooks'),
      'subscription-count': v(true, 'pusher-docs/events', 'Subscription count', 'opt-in per app; the reference server enables it'),
      'batch-events': v(true, 'pusher-docs/rest-api', 'Publish batch events'),
      'rest-info': v(true, 'pusher-docs/rest-api', 'info attributes'),
      'cache-info': v(true, 'pusher-docs/rest-api', 'GET /apps/{app_id}/channels/{channel_name}: info=cache'),
      'cache-ttl': v(true, 'kit/reference-server', undefined, 'the embedded reference server runs with a short cache TTL so expiry is observable'),
      'app-management': v(true, 'kit/reference-server', undefined, 'the embedded reference server provides a disabled app and a connection quota for testing'),
      cluster: v(false, 'kit/positions', undefined, 'one node unless the run is given several (--node); the runner then declares the feature'),
    },
    dialect: {
      restAppPath: v('id', 'pusher-docs/rest-api', 'Paths: /apps/{app_id}/…'),
      overQuotaCode: v(ErrorCode.OverConnectionQuota, 'pusher-docs/websocket-protocol', 'Error codes'),
      errorSignalling: v('close-code', 'pusher-docs/websocket-protocol', 'Connection closure', 'protocol ≥ 6: the close code alone; a pusher:error before the close is also accepted (ambiguity error-signalling)'),
      restSuccessBody: v('empty-object', 'pusher-docs/rest-api', 'POST /apps/{app_id}/events: response'),
      channelAuthFailure: v('pusher-error', 'obs/pusher-websocket-java-205', undefined, 'hosted Pusher answers a bad channel signature with pusher:error, code null'),
      kilobyte: v(1024, 'kit/protocol-notes', '§15.4', 'the docs do not say; the limit catalogue reads KB as 1024 bytes'),
    },
    alternatives: {
      'error-signalling': 'close-code',
      'data-encoding': 'string',
      'data-encoding-error': 'object',
      'data-encoding-subscription-succeeded': 'empty-json-string',
      'data-encoding-pong': 'empty-json-string',
      'socket-id-format': 'digits-dot-digits',
      'over-quota-code': '4004',
      'protocol-version-rejection': 'refuse',
      'channel-auth-failure-signal': 'error-code-null',
      'client-event-rejection-signal': 'error-code-null',
      'signin-failure-close': 'error-keep',
      'channel-name-charset': 'channels-md-set',
      'channel-name-length': '164',
      'channel-type-prefix-matching': 'anchored-with-hyphen',
      'presence-numeric-user-id': 'accept-keep-number',
      'presence-channel-data-from-signin': 'from-user-data',
      'presence-user-object-size': '1kb',
      'client-events-public-channels': 'refused',
      'presence-client-event-user-id': 'always',
      'client-event-rate-limit': '10-per-second-4301',
      'cache-ttl': '30-minutes',
      'cache-channel-variants': 'all-four',
      'subscription-count-throttle-boundary': 'above-100',
      'server-to-user-endpoint': 'events-channel',
      'watchlist-wire-shape': 'internal-events-array',
      'terminate-response-body': 'empty-object',
      'rest-app-addressing': 'app-id',
      'rest-success-body': 'empty-object',
      'rest-validation-status': '400',
      'rest-info-validation': '400',
      'rest-timestamp-enforcement': 'enforced-600',
      'payload-size-limit': 'data-10kb',
      'webhook-batching': 'single',
    },
  },

  soketi: {
    title: 'soketi 1.6.1 (as run by our peer script)',
    description:
      'soketi 1.6.1 with its defaults, as peers/soketi/start.sh configures it: client events enabled, user authentication off (on only with SOKETI_USER_AUTH=true, which also makes terminate and server-to-user testable), no webhooks unless SOKETI_DEFAULT_APP_WEBHOOKS is exported. soketi has no subscription_count broadcast, no watchlist and no info=cache. Known departures that stay failures: client events relayed on public channels, unanchored private-/cache- prefix matching.',
    limits: {
      eventDataBytes: v<number | null>(100 * KB, 'soketi/server', 'eventLimits.maxPayloadInKb', '100 KB of `data` (KB = 1024 bytes; strictly greater is refused); SOKETI_EVENT_MAX_SIZE_IN_KB overrides'),
      eventNameLength: v<number | null>(200, 'soketi/server', 'eventLimits.maxNameLength'),
      channelNameLength: v<number | null>(200, 'soketi/server', 'channelLimits.maxNameLength'),
      channelsPerTrigger: v<number | null>(100, 'soketi/server', 'eventLimits.maxChannelsAtOnce'),
      batchSize: v<number | null>(10, 'soketi/server', 'eventLimits.maxBatchSize'),
      presenceMembers: v<number | null>(100, 'soketi/server', 'presence.maxMembersPerChannel', 'SOKETI_PRESENCE_MAX_MEMBERS overrides'),
      userInfoBytes: v<number | null>(2 * KB, 'soketi/server', 'presence.maxMemberSizeInKb', '2 KB of user_info'),
      userIdLength: v<number | null>(null, 'soketi/channels', 'presence-channel-manager.ts', 'no user id length check'),
      clientEventsPerSecond: v<number | null>(null, 'soketi/app', 'maxClientEventsPerSecond', 'default -1 (unlimited); SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC=10 sets Pusher\'s limit'),
      watchlistSize: v<number | null>(null, 'soketi/ws-handler', 'handleSignin', 'no watchlist support'),
      cacheTtlSeconds: v<number | null>(3600, 'soketi/server', 'channelLimits.cacheTtl', 'default 3600 s; our peer runner starts soketi with a short TTL through SOKETI_CHANNEL_CACHE_TTL and overrides this value to match'),
      activityTimeoutSeconds: v<number | null>(30, 'soketi/ws-handler', 'connection_established'),
      pongTimeoutSeconds: v<number | null>(null, 'soketi/ws-handler', 'idle timeout', 'soketi never pings; it closes with 4201 after 120 s without an outbound message'),
      webhookGraceSeconds: v<number | null>(0, 'soketi/webhook-sender', undefined, 'no grace delay: channel_vacated and member_removed are sent at once'),
      webhookRetrySeconds: v<number | null>(0, 'soketi/webhook-sender', undefined, 'no retry over HTTP (the Redis queue driver retries 6 times)'),
      timestampWindowSeconds: v<number | null>(null, 'soketi/http-handler', 'signature check', 'auth_timestamp is not checked'),
      subscriptionCountThreshold: v<number | null>(null, 'kit/soketi-peer', 'README', 'soketi 1.6.1 has no subscription_count'),
      subscriptionCountIntervalSeconds: v<number | null>(null, 'kit/soketi-peer', 'README', 'soketi 1.6.1 has no subscription_count'),
      userAuthenticationTimeoutSeconds: v<number | null>(30, 'soketi/server', 'userAuthenticationTimeout', '30000 ms; SOKETI_USER_AUTHENTICATION_TIMEOUT overrides; applies only with user authentication on'),
    },
    features: {
      'private-channels': v(true, 'soketi/channels', 'private-channel-manager.ts'),
      presence: v(true, 'soketi/channels', 'presence-channel-manager.ts'),
      encrypted: v(true, 'soketi/channels', 'encrypted-private-channel-manager.ts'),
      cache: v(true, 'soketi/ws-handler', 'cache channels'),
      'client-events': v(true, 'kit/soketi-peer', 'enableClientMessages: true'),
      'client-event-rate-limit': v(false, 'soketi/app', 'maxClientEventsPerSecond', 'unlimited by default; on with SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC'),
      'user-auth': v(false, 'kit/soketi-peer', 'enableUserAuthentication', 'on only with SOKETI_USER_AUTH=true (a separate instance: every connection must then sign in within the timeout)'),
      'server-to-user': v(false, 'kit/soketi-peer', 'enableUserAuthentication', 'needs sign-in, so only with SOKETI_USER_AUTH=true'),
      'user-events-endpoint': v(false, 'soketi/http-handler', undefined, 'no per-user events endpoint'),
      watchlist: v(false, 'kit/soketi-peer', 'README', 'no watchlist events in soketi 1.6.1'),
      terminate: v(false, 'kit/soketi-peer', 'enableUserAuthentication', 'the endpoint exists but affects signed-in sockets only, so only with SOKETI_USER_AUTH=true'),
      webhooks: v(false, 'kit/soketi-peer', 'README', 'soketi sends webhooks, but our peer configures none unless SOKETI_DEFAULT_APP_WEBHOOKS points at the suite\'s receiver'),
      'subscription-count': v(false, 'kit/soketi-peer', 'README', 'no pusher_internal:subscription_count in soketi 1.6.1'),
      'batch-events': v(true, 'soketi/server', 'eventLimits.maxBatchSize', 'POST /apps/{app_id}/batch_events'),
      'rest-info': v(true, 'soketi/http-handler', 'channels, channel', 'channel queries always carry subscription_count (and user_count on presence); the `info` of a publish is ignored, which stays a failure'),
      'cache-info': v(false, 'soketi/http-handler', 'channel', 'info=cache not supported'),
      'cache-ttl': v(true, 'kit/soketi-peer', 'SOKETI_CHANNEL_CACHE_TTL', 'our runner starts soketi with a short cache TTL'),
      'app-management': v(false, 'kit/soketi-peer', undefined, 'one enabled app, no connection quota configured'),
      cluster: v(false, 'kit/positions', undefined, 'one node unless the run is given several (--node); the runner then declares the feature'),
    },
    dialect: {
      restAppPath: v('id', 'soketi/http-handler'),
      overQuotaCode: v(ErrorCode.OverCapacity, 'soketi/ws-handler', 'app connection quota', 'pusher:error 4100 then close 4100, where Pusher documents 4004'),
      errorSignalling: v('error-frame-then-close', 'soketi/ws-handler', undefined, 'pusher:error carrying the code, then a close with the same code'),
      restSuccessBody: v('ok-true', 'soketi/http-handler'),
      channelAuthFailure: v('subscription-error-frame', 'soketi/ws-handler', 'subscribe', 'pusher:subscription_error {type:"AuthError", error, status:401} with channel'),
      kilobyte: v(1024, 'soketi/http-handler', 'payload size check'),
    },
    alternatives: {
      'error-signalling': 'frame-then-close',
      'data-encoding': 'object',
      'data-encoding-error': 'object',
      'data-encoding-subscription-succeeded': 'absent',
      'data-encoding-pong': 'empty-object',
      'data-encoding-client-event': 'as-received',
      'socket-id-format': 'digits-dot-digits',
      'over-quota-code': '4100',
      'protocol-version-rejection': 'ignore',
      'channel-auth-failure-signal': 'subscription-error-frame',
      'invalid-message-handling': 'ignore-invalid-json',
      'client-event-rejection-signal': 'error-4301',
      'presence-full-signal': 'subscription-error-frame',
      'signin-failure-close': 'error-close-4009',
      'channel-name-charset': 'channels-md-set',
      'channel-name-length': '200',
      'presence-numeric-user-id': 'accept-keep-number',
      'presence-user-info-conflict': 'last-wins',
      'presence-channel-data-from-signin': 'refuse',
      'presence-user-object-size': '2kb',
      'client-events-encrypted-channels': 'relayed',
      'presence-client-event-user-id': 'always',
      'client-event-rate-limit': 'unlimited-by-default',
      'encrypted-multi-channel-publish': 'accept',
      'cache-ttl': '1-hour',
      'cache-miss-data': 'absent',
      'server-to-user-endpoint': 'events-channel',
      'terminate-response-body': 'ok-true',
      'rest-app-addressing': 'app-id',
      'rest-success-body': 'ok-true',
      'rest-validation-status': '400',
      'rest-info-validation': 'ignored',
      'rest-timestamp-enforcement': 'not-enforced',
      'payload-size-limit': 'data-100kb',
      'webhook-batching': 'single',
    },
  },

  soketify: {
    title: 'Soketify (hosted, documentation)',
    description:
      'The hosted service Soketify as its own docs describe it. It says it runs "via Soketi" but documents Pusher\'s numbers (10 KB payloads, 1 KB user_info, 128-character user ids, 30-minute cache, 4004 over quota, 10 client events per second) and a 200-character channel name. Where its docs are silent, Pusher\'s value is taken (soketi\'s is noted); features it does not document are not assumed.',
    limits: {
      eventDataBytes: v<number | null>(10 * KB, 'soketify/events', 'Data limits', '10 KB per event (soketi, its engine, defaults to 100 KB)'),
      eventNameLength: v<number | null>(200, 'soketify/events', 'Event naming rules'),
      channelNameLength: v<number | null>(200, 'soketify/channels', 'Channel naming conventions'),
      channelsPerTrigger: v<number | null>(100, 'soketify/events', 'Data limits'),
      batchSize: v<number | null>(10, 'soketify/events', 'Batch triggering different events', '"Up to 10 different events per batch call"'),
      presenceMembers: v<number | null>(100, 'soketify/channels', 'Presence channels: limits'),
      userInfoBytes: v<number | null>(1 * KB, 'soketify/channels', 'Presence channels: limits', 'user_info max 1 KB (soketi defaults to 2 KB)'),
      userIdLength: v<number | null>(128, 'soketify/channels', 'Presence channels: limits'),
      clientEventsPerSecond: v<number | null>(10, 'soketify/events', 'Data limits'),
      watchlistSize: v<number | null>(limits.watchlistSize.pusher, 'pusher-docs/authenticating-users', 'watchlist', SOKETIFY_SILENT),
      cacheTtlSeconds: v<number | null>(30 * 60, 'soketify/channels', 'Cache TTL', 'up to 30 minutes (soketi defaults to 3600 s)'),
      activityTimeoutSeconds: v<number | null>(limits.activityTimeoutSeconds.pusher, 'pusher-docs/websocket-protocol', 'Ping and pong', `${SOKETIFY_SILENT}; soketi advertises 30`),
      pongTimeoutSeconds: v<number | null>(limits.pongTimeoutSeconds.pusher, 'pusher-docs/websocket-protocol', 'Ping and pong', SOKETIFY_SILENT),
      webhookGraceSeconds: v<number | null>(3, 'soketify/connection', 'Disconnecting', '"a short grace period (~3 seconds)" (soketi has none)'),
      webhookRetrySeconds: v<number | null>(limits.webhookRetrySeconds.pusher, 'pusher-docs/webhooks', 'Retries', `${SOKETIFY_SILENT}; soketi does not retry over HTTP`),
      timestampWindowSeconds: v<number | null>(limits.timestampWindowSeconds.pusher, 'pusher-docs/rest-api', 'Authentication: auth_timestamp', `${SOKETIFY_SILENT}; soketi does not check it`),
      subscriptionCountThreshold: v<number | null>(100, 'soketify/channels', 'Subscription count', '"more than 100 subscribers" here, "100+" in the Events page (ambiguity subscription-count-throttle-boundary)'),
      subscriptionCountIntervalSeconds: v<number | null>(5, 'soketify/channels', 'Subscription count'),
      userAuthenticationTimeoutSeconds: v<number | null>(limits.userAuthenticationTimeoutSeconds.pusher, 'pusher-docs/authorized-connections', undefined, SOKETIFY_SILENT),
    },
    features: {
      'private-channels': v(true, 'soketify/channels', 'Private channels'),
      presence: v(true, 'soketify/channels', 'Presence channels'),
      encrypted: v(true, 'soketify/channels', 'Encrypted channels'),
      cache: v(true, 'soketify/channels', 'Cache channels', 'cache-, private-cache-, presence-cache- (no private-encrypted-cache-)'),
      'client-events': v(true, 'soketify/events', 'Client events', 'an app setting in the dashboard'),
      'client-event-rate-limit': v(true, 'soketify/events', 'Client events: requirements', '10 per second per connection'),
      'user-auth': v(false, 'soketify/connection', undefined, 'sign-in is not documented'),
      'server-to-user': v(false, 'soketify/events', undefined, 'not documented'),
      'user-events-endpoint': v(false, 'soketify/events', undefined, 'not documented'),
      watchlist: v(false, 'soketify/events', undefined, 'not documented'),
      terminate: v(false, 'soketify/connection', undefined, 'not documented'),
      webhooks: v(true, 'soketify/channels', 'Handling cache misses with webhooks', 'also the ~3 s grace delay in Connection'),
      'subscription-count': v(true, 'soketify/channels', 'Subscription count', 'when enabled in the app settings'),
      'batch-events': v(true, 'soketify/events', 'Batch triggering different events'),
      'rest-info': v(false, 'soketify/events', 'Triggering server events', 'the API reference page is not among the Soketify docs we have'),
      'cache-info': v(false, 'soketify/channels', 'Cache channels', 'not documented'),
      'cache-ttl': v(false, 'soketify/channels', 'Cache TTL', 'a hosted 30-minute TTL cannot be observed in a run'),
      'app-management': v(false, 'soketify/connection', 'Connection errors', 'hosted: disabled apps and quotas are not set up for testing'),
      cluster: v(false, 'kit/positions', undefined, 'one node unless the run is given several (--node); the runner then declares the feature'),
    },
    dialect: {
      restAppPath: v('id', 'soketify/channels', 'Encrypted channels: server setup', 'the server SDK is configured with appId'),
      overQuotaCode: v(ErrorCode.OverConnectionQuota, 'soketify/connection', 'Connection errors', '4004 "Over connection limit" (soketi, its engine, sends 4100)'),
      errorSignalling: v('error-frame-then-close', 'soketify/connection', 'Connection errors', 'the documented handler reads the code from the pusher:error data; soketi, its engine, sends the frame and then closes with the code'),
      restSuccessBody: v('empty-object', 'pusher-docs/rest-api', 'POST /apps/{app_id}/events: response', `${SOKETIFY_SILENT}; soketi answers {"ok":true}`),
      channelAuthFailure: v('subscription-error-frame', 'soketify/events', 'pusher:subscription_error', 'error.type "AuthError" or "WebSocketError": a server-sent subscription_error, as soketi, its engine, sends'),
      kilobyte: v(1024, 'kit/protocol-notes', '§15.4', 'the docs do not define KB; the limit catalogue\'s reading (1024), also soketi\'s'),
    },
    alternatives: {
      'error-signalling': 'frame-then-close',
      'socket-id-format': 'digits-dot-digits',
      'over-quota-code': '4004',
      'channel-auth-failure-signal': 'subscription-error-frame',
      'channel-name-charset': 'channels-md-set',
      'channel-name-length': '200',
      'presence-user-object-size': '1kb',
      'client-events-public-channels': 'refused',
      'client-events-encrypted-channels': 'refused',
      'presence-client-event-user-id': 'always',
      'client-event-rate-limit': '10-per-second-4301',
      'encrypted-multi-channel-publish': 'refuse-400',
      'cache-ttl': '30-minutes',
      'cache-channel-variants': 'no-encrypted-cache',
      'subscription-count-throttle-boundary': 'from-100',
      'rest-app-addressing': 'app-id',
      'payload-size-limit': 'data-10kb',
    },
  },

  vask: {
    title: 'Vask (hosted, documentation)',
    description:
      'The hosted service Vask as its Events page describes it: REST paths address the app by its KEY, an extra POST /apps/{app_key}/users/{user_id}/events endpoint publishes to one signed-in user, pusher_internal:subscription_count is emitted, and client events are refused on public and encrypted channels. It states no numbers, so every limit is Pusher\'s; features it does not document are not assumed.',
    limits: {
      eventDataBytes: pusherLimit('eventDataBytes', 'pusher-docs/rest-api', 'POST /apps/{app_id}/events', VASK_SILENT),
      eventNameLength: pusherLimit('eventNameLength', 'pusher-http-node/pusher', 'trigger', VASK_SILENT),
      channelNameLength: pusherLimit('channelNameLength', 'pusher-docs/channels', 'Channel naming conventions', VASK_SILENT),
      channelsPerTrigger: pusherLimit('channelsPerTrigger', 'pusher-docs/rest-api', 'POST /apps/{app_id}/events: channels', VASK_SILENT),
      batchSize: pusherLimit('batchSize', 'pusher-docs/rest-api', 'POST /apps/{app_id}/batch_events', VASK_SILENT),
      presenceMembers: pusherLimit('presenceMembers', 'pusher-docs/presence-channels', 'Limits', VASK_SILENT),
      userInfoBytes: pusherLimit('userInfoBytes', 'pusher-docs/presence-channels', 'Limits', VASK_SILENT),
      userIdLength: pusherLimit('userIdLength', 'pusher-docs/presence-channels', 'Limits', VASK_SILENT),
      clientEventsPerSecond: pusherLimit('clientEventsPerSecond', 'pusher-docs/events', 'Client events: rate limit', VASK_SILENT),
      watchlistSize: pusherLimit('watchlistSize', 'pusher-docs/authenticating-users', 'watchlist', VASK_SILENT),
      cacheTtlSeconds: pusherLimit('cacheTtlSeconds', 'pusher-docs/cache-channels', 'TTL', VASK_SILENT),
      activityTimeoutSeconds: pusherLimit('activityTimeoutSeconds', 'pusher-docs/websocket-protocol', 'Ping and pong', `${VASK_SILENT} (Vask documents a "heartbeat timeout" in connection_established, without a value)`),
      pongTimeoutSeconds: pusherLimit('pongTimeoutSeconds', 'pusher-docs/websocket-protocol', 'Ping and pong', VASK_SILENT),
      webhookGraceSeconds: pusherLimit('webhookGraceSeconds', 'pusher-docs/webhooks', 'Delay', VASK_SILENT),
      webhookRetrySeconds: pusherLimit('webhookRetrySeconds', 'pusher-docs/webhooks', 'Retries', VASK_SILENT),
      timestampWindowSeconds: pusherLimit('timestampWindowSeconds', 'pusher-docs/rest-api', 'Authentication: auth_timestamp', VASK_SILENT),
      subscriptionCountThreshold: pusherLimit('subscriptionCountThreshold', 'pusher-docs/events', 'Subscription count', VASK_SILENT),
      subscriptionCountIntervalSeconds: pusherLimit('subscriptionCountIntervalSeconds', 'pusher-docs/events', 'Subscription count', VASK_SILENT),
      userAuthenticationTimeoutSeconds: pusherLimit('userAuthenticationTimeoutSeconds', 'pusher-docs/authorized-connections', undefined, VASK_SILENT),
    },
    features: {
      'private-channels': v(true, 'vask/events', 'Server events'),
      presence: v(true, 'vask/events', 'System events', 'pusher_internal:member_added / member_removed'),
      encrypted: v(true, 'vask/events', 'Client events', 'encrypted channels exist (client events are refused on them)'),
      cache: v(false, 'vask/events', 'System events', 'cache channels are not documented (no pusher:cache_miss listed)'),
      'client-events': v(true, 'vask/events', 'Client events', 'private and presence channels, when enabled for the app'),
      'client-event-rate-limit': v(false, 'vask/events', 'Client events', 'no rate limit documented'),
      'user-auth': v(true, 'vask/events', 'System events', 'pusher:signin_success'),
      'server-to-user': v(false, 'vask/events', 'Server-to-user events', 'documented only through the per-user endpoint, not #server-to-user- channels'),
      'user-events-endpoint': v(true, 'vask/events', 'Server-to-user events', 'POST /apps/{app_key}/users/{user_id}/events'),
      watchlist: v(false, 'vask/events', undefined, 'not documented'),
      terminate: v(false, 'vask/events', undefined, 'not documented'),
      webhooks: v(false, 'vask/events', undefined, 'not documented'),
      'subscription-count': v(true, 'vask/events', 'System events', 'pusher_internal:subscription_count'),
      'batch-events': v(true, 'vask/events', 'Info responses', 'info on events and batch_events'),
      'rest-info': v(true, 'vask/events', 'Info responses', 'info on events and batch_events'),
      'cache-info': v(false, 'vask/events', undefined, 'not documented'),
      'cache-ttl': v(false, 'vask/events', undefined, 'hosted; not configurable for a run'),
      'app-management': v(false, 'vask/events', undefined, 'hosted; disabled apps and quotas are not set up for testing'),
      cluster: v(false, 'kit/positions', undefined, 'one node unless the run is given several (--node); the runner then declares the feature'),
    },
    dialect: {
      restAppPath: v('key', 'vask/events', 'Server events', 'POST https://api.vask.dev/apps/{app_key}/events'),
      overQuotaCode: v(ErrorCode.OverConnectionQuota, 'pusher-docs/websocket-protocol', 'Error codes', VASK_SILENT),
      errorSignalling: v('close-code', 'pusher-docs/websocket-protocol', 'Connection closure', VASK_SILENT),
      restSuccessBody: v('empty-object', 'pusher-docs/rest-api', 'POST /apps/{app_id}/events: response', VASK_SILENT),
      channelAuthFailure: v('pusher-error', 'vask/events', 'System events', 'pusher:error: "Command or auth failure"'),
      kilobyte: v(1024, 'kit/protocol-notes', '§15.4', `${VASK_SILENT}: the limit catalogue's reading`),
    },
    alternatives: {
      'data-encoding': 'string',
      'socket-id-format': 'digits-dot-digits',
      'client-events-public-channels': 'refused',
      'client-events-encrypted-channels': 'refused',
      'server-to-user-endpoint': 'user-endpoint-extra',
      'rest-app-addressing': 'app-key',
    },
  },

  reverb: {
    title: 'Laravel Reverb',
    description:
      'Laravel Reverb with its default configuration: no webhooks, no sign-in (so no server-to-user and no watchlist), no subscription_count, no encrypted class (private-encrypted- is a plain private channel), and no protocol limits (names, counts, presence size, cache TTL) beyond a 10 000-byte WebSocket frame. Errors arrive as pusher:error frames whose data is a string, with no close code. Known departures that stay failures: client events relayed on public channels, prefixes matched without the hyphen, terminate by presence user_id, cache kept forever.',
    limits: {
      eventDataBytes: v<number | null>(null, 'reverb/http-controllers', 'EventsController', 'no REST size limit; WebSocket frames over max_message_size (10 000 bytes, whole frame) are refused'),
      eventNameLength: v<number | null>(null, 'reverb/http-controllers', 'EventsController', 'no limit'),
      channelNameLength: v<number | null>(null, 'reverb/channels', undefined, 'no limit'),
      channelsPerTrigger: v<number | null>(null, 'reverb/http-controllers', 'EventsController', 'no limit'),
      batchSize: v<number | null>(null, 'reverb/http-controllers', 'EventsBatchController', 'no limit'),
      presenceMembers: v<number | null>(null, 'reverb/channels', 'PresenceChannel', 'no limit'),
      userInfoBytes: v<number | null>(null, 'reverb/channels', 'PresenceChannel', 'no limit'),
      userIdLength: v<number | null>(null, 'reverb/channels', 'PresenceChannel', 'no limit'),
      clientEventsPerSecond: v<number | null>(null, 'reverb/client-event', undefined, 'no client-event limiter; the optional limiter on all messages (rate_limiting, off by default) is not Pusher\'s'),
      watchlistSize: v<number | null>(null, 'reverb/event-handler', undefined, 'no sign-in, so no watchlist'),
      cacheTtlSeconds: v<number | null>(null, 'reverb/channels', 'CacheChannel', 'kept in memory with no TTL'),
      activityTimeoutSeconds: v<number | null>(30, 'reverb/config', 'apps.*.activity_timeout'),
      pongTimeoutSeconds: v<number | null>(60, 'reverb/ping-jobs', 'PruneStaleConnections', 'an unanswered ping is acted on at the next 60 s tick (ping_interval)'),
      webhookGraceSeconds: v<number | null>(null, 'reverb/server', undefined, NO_WEBHOOKS_REVERB),
      webhookRetrySeconds: v<number | null>(null, 'reverb/server', undefined, NO_WEBHOOKS_REVERB),
      timestampWindowSeconds: v<number | null>(null, 'reverb/http-controllers', 'Controller::verifySignature', 'auth_timestamp is not checked'),
      subscriptionCountThreshold: v<number | null>(null, 'reverb/channels', undefined, 'no subscription_count'),
      subscriptionCountIntervalSeconds: v<number | null>(null, 'reverb/channels', undefined, 'no subscription_count'),
      userAuthenticationTimeoutSeconds: v<number | null>(null, 'reverb/event-handler', undefined, 'no sign-in'),
    },
    features: {
      'private-channels': v(true, 'reverb/channels', 'PrivateChannel'),
      presence: v(true, 'reverb/channels', 'PresenceChannel'),
      encrypted: v(true, 'reverb/channels', 'PrivateChannel', 'no encrypted class: private-encrypted- is authorized like a private channel and its data relayed untouched'),
      cache: v(true, 'reverb/channels', 'CacheChannel', 'private-encrypted-cache- is not cached'),
      'client-events': v(true, 'reverb/config', 'apps.*.accept_client_events_from', 'default "members"'),
      'client-event-rate-limit': v(false, 'reverb/client-event', undefined, 'no client-event limiter'),
      'user-auth': v(false, 'reverb/event-handler', undefined, 'pusher:signin is answered with pusher:error 4200'),
      'server-to-user': v(false, 'reverb/event-handler', undefined, 'no sign-in'),
      'user-events-endpoint': v(false, 'reverb/http-controllers', undefined, 'no such endpoint'),
      watchlist: v(false, 'reverb/event-handler', undefined, 'no sign-in'),
      terminate: v(true, 'reverb/http-controllers', 'UsersTerminateController', 'disconnects by presence user_id, not by sign-in: that departure stays a failure'),
      webhooks: v(false, 'reverb/server', undefined, NO_WEBHOOKS_REVERB),
      'subscription-count': v(false, 'reverb/channels', undefined, 'no pusher_internal:subscription_count'),
      'batch-events': v(true, 'reverb/http-controllers', 'EventsBatchController'),
      'rest-info': v(true, 'reverb/http-controllers', 'EventsController, ChannelsController'),
      'cache-info': v(true, 'reverb/http-controllers', 'ChannelController', 'answers the whole cached frame instead of {data, ttl}: that departure stays a failure'),
      'cache-ttl': v(false, 'reverb/channels', 'CacheChannel', 'no TTL to observe'),
      'app-management': v(false, 'reverb/config', 'apps', 'no disabled-app concept; a connection limit only if the operator sets one'),
      cluster: v(false, 'kit/positions', undefined, 'one node unless the run is given several (--node); the runner then declares the feature'),
    },
    dialect: {
      restAppPath: v('id', 'reverb/http-controllers'),
      overQuotaCode: v(ErrorCode.OverConnectionQuota, 'reverb/server', 'connection limit', 'pusher:error 4004; the socket is left open'),
      errorSignalling: v('error-frame-only', 'reverb/server', undefined, 'pusher:error (data a string) and no close code: TCP dropped after it (unknown app, stale connection) or the socket left open (over quota)'),
      restSuccessBody: v('empty-object', 'reverb/http-controllers', 'EventsController', 'batch_events answers {"batch":{}}'),
      channelAuthFailure: v('pusher-error', 'reverb/channels', 'PrivateChannel', 'pusher:error 4009, connection kept'),
      kilobyte: v(1000, 'reverb/config', 'apps.*.max_message_size', 'the only size limit is 10 000 bytes'),
    },
    alternatives: {
      'error-signalling': 'frame-then-tcp-drop',
      'data-encoding': 'string',
      'data-encoding-error': 'json-string',
      'data-encoding-subscription-succeeded': 'empty-json-string',
      'data-encoding-pong': 'absent',
      'data-encoding-client-event': 'reencoded-object',
      'socket-id-format': 'digits-dot-digits',
      'over-quota-code': '4004',
      'protocol-version-rejection': 'ignore',
      'channel-auth-failure-signal': 'error-4009',
      'invalid-message-handling': 'error-4200',
      'client-event-rejection-signal': 'error-4009',
      'presence-full-signal': 'no-limit',
      'channel-name-charset': 'no-validation',
      'channel-name-length': 'none',
      'presence-numeric-user-id': 'accept-keep-number',
      'presence-user-info-conflict': 'first-wins',
      'presence-user-object-size': 'none',
      'client-events-encrypted-channels': 'relayed',
      'presence-client-event-user-id': 'conditional',
      'client-event-rate-limit': 'unlimited-by-default',
      'cache-miss-data': 'absent',
      'cache-channel-variants': 'no-encrypted-cache',
      'terminate-response-body': 'empty-object',
      'rest-app-addressing': 'app-id',
      'rest-success-body': 'empty-object',
      'rest-validation-status': '422',
      'rest-info-validation': 'ignored',
      'rest-timestamp-enforcement': 'not-enforced',
      'payload-size-limit': 'no-limit',
    },
  },

  sockudo: {
    title: 'Sockudo 5 (protocol V1)',
    description:
      'Sockudo 5.0.1 speaking its Pusher-compatible V1 protocol with default server options: 100 KB payloads, 200-character names, 2 KB presence members, 3600 s cache TTL, activity_timeout 120, timestamps checked (600 s), batched webhooks with retries. No pusher_internal:subscription_count broadcast (webhook only). Client events and their rate are per-app settings. Known departures that stay failures (source reading, need a live check): nothing sent for an unknown key or a full per-app quota, watchlist sent as top-level online/offline frames, no user_id on presence client events, private-cache- possibly joinable without a valid signature.',
    limits: {
      eventDataBytes: v<number | null>(100 * KB, 'sockudo/options', 'event_limits.max_event_payload_in_kb', '100 KB of the JSON-serialised data'),
      eventNameLength: v<number | null>(200, 'sockudo/options', 'event_limits.max_name_length'),
      channelNameLength: v<number | null>(200, 'sockudo/options', 'channel_limits.max_name_length'),
      channelsPerTrigger: v<number | null>(100, 'sockudo/options', 'event_limits.max_channels_at_once'),
      batchSize: v<number | null>(10, 'sockudo/options', 'event_limits.max_batch_size'),
      presenceMembers: v<number | null>(100, 'sockudo/options', 'presence.max_members_per_channel'),
      userInfoBytes: v<number | null>(2 * KB, 'sockudo/options', 'presence.max_member_size_in_kb'),
      userIdLength: v<number | null>(null, 'sockudo/core', 'auth', 'no user id length check'),
      clientEventsPerSecond: v<number | null>(null, 'sockudo/options', 'app max_client_events_per_second', 'a required per-app value with no server default: declare the configured value (and the client-event-rate-limit feature) as overrides'),
      watchlistSize: v<number | null>(null, 'sockudo/handler', 'signin', 'no watchlist size check found'),
      cacheTtlSeconds: v<number | null>(3600, 'sockudo/options', 'channel_limits.cache_ttl'),
      activityTimeoutSeconds: v<number | null>(120, 'sockudo/options', 'activity_timeout'),
      pongTimeoutSeconds: v<number | null>(30, 'sockudo/server', 'ws_handler.rs', 'close 4201 "Pong reply not received in time"'),
      webhookGraceSeconds: v<number | null>(3, 'sockudo/webhook', undefined, '3 s delay for channel_vacated'),
      webhookRetrySeconds: v<number | null>(300, 'sockudo/webhook', undefined, 'exponential: 1 s initial, 60 s max, 300 s total'),
      timestampWindowSeconds: v<number | null>(600, 'sockudo/server', 'http_handler'),
      subscriptionCountThreshold: v<number | null>(null, 'sockudo/handler', undefined, 'no pusher_internal:subscription_count broadcast in V1'),
      subscriptionCountIntervalSeconds: v<number | null>(null, 'sockudo/handler', undefined, 'no pusher_internal:subscription_count broadcast in V1'),
      userAuthenticationTimeoutSeconds: v<number | null>(3600, 'sockudo/options', 'user_authentication_timeout'),
    },
    features: {
      'private-channels': v(true, 'sockudo/core', 'channel'),
      presence: v(true, 'sockudo/handler', 'channel_manager.rs'),
      encrypted: v(true, 'sockudo/core', 'channel', 'private-encrypted- is classified as Private: authorized and relayed untouched'),
      cache: v(true, 'sockudo/core', 'channel'),
      'client-events': v(true, 'sockudo/options', 'app enable_client_messages', 'a per-app setting; a test target enables it'),
      'client-event-rate-limit': v(false, 'sockudo/options', 'app max_client_events_per_second', 'per-app value with no default; declare it as an override'),
      'user-auth': v(true, 'sockudo/handler', 'signin'),
      'server-to-user': v(true, 'sockudo/server', 'http_handler', '#server-to-user- publishes reach signed-in sockets'),
      'user-events-endpoint': v(false, 'sockudo/server', 'bootstrap/router.rs', 'no such endpoint'),
      watchlist: v(true, 'sockudo/handler', 'watchlist', 'implemented with a non-Pusher wire shape: that departure stays a failure'),
      terminate: v(true, 'sockudo/server', 'http_handler'),
      webhooks: v(true, 'sockudo/webhook'),
      'subscription-count': v(false, 'sockudo/handler', undefined, 'V1 sends the count as a webhook and on a metachannel only'),
      'batch-events': v(true, 'sockudo/server', 'http_handler', 'batch_events answers {}'),
      'rest-info': v(true, 'sockudo/server', 'http_handler'),
      'cache-info': v(true, 'sockudo/server', 'http_handler', 'cache: {data, ttl}'),
      'cache-ttl': v(false, 'sockudo/options', 'channel_limits.cache_ttl', '3600 s by default; override with the configured value to enable'),
      'app-management': v(false, 'sockudo/options', 'app_manager', 'nothing set up for testing by default'),
      cluster: v(false, 'kit/positions', undefined, 'one node unless the run is given several (--node); the runner then declares the feature'),
    },
    dialect: {
      restAppPath: v('id', 'sockudo/server', 'bootstrap/router.rs'),
      overQuotaCode: v(ErrorCode.OverConnectionQuota, 'sockudo/pr-345', undefined, 'the intent for the per-app quota; the source at 7040dc0 sends nothing (a failure), and the node-wide cap sends 4100'),
      errorSignalling: v('silent-close', 'sockudo/server', 'ws_handler.rs', 'unknown key and per-app quota: no frame, no close code (source reading; a failure under ambiguity error-signalling). Pong timeout and terminate close with the code'),
      restSuccessBody: v('ok-true', 'sockudo/server', 'http_handler', 'events answers {"ok":true}; batch_events answers {}'),
      channelAuthFailure: v('pusher-error', 'sockudo/handler', 'subscribe', 'pusher:error 4009, connection kept'),
      kilobyte: v(1024, 'sockudo/options', 'event_limits', 'assumed ×1024 as in soketi, whose option names Sockudo keeps; needs a live check'),
    },
    alternatives: {
      'data-encoding': 'stringified-on-input',
      'data-encoding-error': 'object',
      'data-encoding-subscription-succeeded': 'empty-json-string',
      'data-encoding-pong': 'absent',
      'data-encoding-client-event': 'as-received',
      'socket-id-format': 'digits-dot-digits',
      'protocol-version-rejection': 'switch-dialect',
      'channel-auth-failure-signal': 'error-4009',
      'invalid-message-handling': 'error-4000',
      'client-event-rejection-signal': 'error-4301',
      'presence-full-signal': 'error-4100',
      'signin-failure-close': 'error-keep',
      'channel-name-charset': 'channels-md-set',
      'channel-name-length': '200',
      'presence-numeric-user-id': 'refuse',
      'presence-channel-data-from-signin': 'refuse',
      'presence-user-object-size': '2kb',
      'client-events-public-channels': 'refused',
      'client-events-encrypted-channels': 'relayed',
      'encrypted-multi-channel-publish': 'accept',
      'cache-ttl': '1-hour',
      'cache-miss-data': 'empty-json-string',
      'server-to-user-endpoint': 'events-channel',
      'terminate-response-body': 'ok-true',
      'rest-app-addressing': 'app-id',
      'rest-success-body': 'ok-true',
      'rest-validation-status': '400',
      'rest-info-validation': 'ignored',
      'rest-timestamp-enforcement': 'enforced-600',
      'payload-size-limit': 'data-100kb',
      'webhook-batching': 'batched',
    },
  },
} as const satisfies Record<string, ProfileDef>;

export type ProfileId = keyof typeof profiles;
export const profileIds: readonly ProfileId[] = Object.freeze(Object.keys(profiles) as ProfileId[]);
export const DEFAULT_PROFILE: ProfileId = 'pusher';

/**
 * What each server documents of the capacity caps (limits.ts `capacityLimits`); null: documents
 * none. Kept beside the profiles, not in them: no case judges these, they set the reference
 * server's defaults when it plays a profile (a null falls back to the catalogue's reference value).
 */
export const profileCapacity = {
  pusher: {
    subscriptionsPerConnection: v<number | null>(null, 'pusher-docs/connection', undefined, 'subscriptions are multiplexed over one connection; no per-connection limit is documented'),
    connectionsPerServer: v<number | null>(null, 'pusher-docs/connection', undefined, 'hosted: the quota is per app and per plan (4004), no node-wide figure'),
  },
  soketi: {
    subscriptionsPerConnection: v<number | null>(null, 'soketi/server', undefined, 'no per-connection subscription cap'),
    connectionsPerServer: v<number | null>(null, 'soketi/app', 'maxConnections', 'per app only, default -1 (unlimited)'),
  },
  soketify: {
    subscriptionsPerConnection: v<number | null>(null, 'soketify/connection', undefined, SOKETIFY_SILENT),
    connectionsPerServer: v<number | null>(null, 'soketify/connection', undefined, 'hosted: per-plan connection quotas only'),
  },
  vask: {
    subscriptionsPerConnection: v<number | null>(null, 'vask/events', undefined, VASK_SILENT),
    connectionsPerServer: v<number | null>(null, 'vask/events', undefined, 'hosted; not documented'),
  },
  reverb: {
    subscriptionsPerConnection: v<number | null>(null, 'reverb/config', undefined, 'no subscription cap'),
    connectionsPerServer: v<number | null>(null, 'reverb/config', 'apps.*.max_connections', 'per app only, unset by default'),
  },
  sockudo: {
    subscriptionsPerConnection: v<number | null>(null, 'sockudo/options', undefined, 'no subscription cap found'),
    connectionsPerServer: v<number | null>(null, 'sockudo/options', 'max_connections', 'a node-wide cap (close 4100) the operator sets; no default value found in the source reading'),
  },
} as const satisfies Record<ProfileId, { readonly [K in CapacityKey]: Sourced<number | null> }>;

/**
 * The server timers of the embedded target (the reference server the suite starts itself),
 * shortened so that a run observes each of them in about a second; the embedded target declares
 * these values as its limits, so every case judges against what the server really uses. The
 * public profiles keep each server's documented values. Timers no case waits on (activity
 * timeout, pong timeout, authorized-connections timeout) keep the reference server's defaults:
 * shortening them would only add unsolicited server pings to the transcripts.
 */
export const embeddedTimers = {
  cacheTtlSeconds: v(2, 'kit/reference-server', undefined, 'short, so that cache expiry is observable in a run'),
  webhookGraceSeconds: v(0.5, 'kit/reference-server', undefined, 'short, so that the grace window and what follows it fit in a run'),
  webhookRetrySeconds: v(5, 'kit/reference-server', undefined, 'retries stop quickly, so shutdown never waits on a dead receiver'),
  subscriptionCountIntervalSeconds: v(1, 'kit/reference-server', undefined, 'one update per second on a throttled channel instead of Pusher\'s 5 s, so the throttle case waits out one short interval'),
} as const satisfies Partial<Record<LimitKey, Sourced<number>>>;
export type EmbeddedTimerKey = keyof typeof embeddedTimers;

export function isProfileId(s: string): s is ProfileId {
  return Object.hasOwn(profiles, s);
}

// --- Resolution -----------------------------------------------------------------------------------

/** CLI flags and config-file values that replace profile values. */
export interface ProfileOverrides {
  readonly limits?: Partial<Record<LimitKey, number | null>>;
  readonly features?: Partial<Record<Feature, boolean>>;
  readonly dialect?: Partial<Dialect>;
}

/** A profile as plain values, after overrides. */
export interface ResolvedProfile {
  readonly id: ProfileId;
  readonly title: string;
  readonly limits: Record<LimitKey, number | null>;
  readonly features: Record<Feature, boolean>;
  readonly dialect: Dialect;
  readonly alternatives: ProfileAlternatives;
  /** which values came from overrides, as 'limits.cacheTtlSeconds', 'features.webhooks', 'dialect.kilobyte' */
  readonly overridden: readonly string[];
}

function checkKeys(kind: string, given: object, known: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) throw new Error(`Unknown ${kind} override "${key}"; known: ${known.join(', ')}`);
  }
}

function checkDialectValue(key: DialectKey, value: unknown): void {
  if (key === 'overQuotaCode') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < ERROR_CODE_MIN || value > ERROR_CODE_MAX) {
      throw new Error(`Invalid dialect override overQuotaCode=${String(value)}: expected an error code ${ERROR_CODE_MIN}–${ERROR_CODE_MAX}`);
    }
    return;
  }
  const allowed: readonly unknown[] = dialectValues[key];
  if (!allowed.includes(value)) {
    throw new Error(`Invalid dialect override ${key}=${String(value)}: expected one of ${allowed.join(', ')}`);
  }
}

/**
 * Resolve a profile to plain values, applying overrides (CLI flags, config file).
 * Throws on an unknown profile id, an unknown key, or a value of the wrong kind.
 */
export function resolveProfile(id: ProfileId, overrides: ProfileOverrides = {}): ResolvedProfile {
  if (typeof id !== 'string' || !isProfileId(id)) {
    throw new Error(`Unknown profile "${String(id)}"; known profiles: ${profileIds.join(', ')}`);
  }
  const def: ProfileDef = profiles[id];
  const overridden: string[] = [];

  const resolvedLimits = Object.fromEntries(limitKeys.map((k) => [k, def.limits[k].value])) as Record<LimitKey, number | null>;
  if (overrides.limits) {
    checkKeys('limit', overrides.limits, limitKeys);
    for (const [k, value] of Object.entries(overrides.limits) as [LimitKey, number | null | undefined][]) {
      if (value === undefined) continue;
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
        throw new Error(`Invalid limit override ${k}=${String(value)}: expected a non-negative number or null (no limit)`);
      }
      resolvedLimits[k] = value;
      overridden.push(`limits.${k}`);
    }
  }

  const resolvedFeatures = Object.fromEntries(featureNames.map((f) => [f, def.features[f].value])) as Record<Feature, boolean>;
  if (overrides.features) {
    checkKeys('feature', overrides.features, featureNames);
    for (const [f, value] of Object.entries(overrides.features) as [Feature, boolean | undefined][]) {
      if (value === undefined) continue;
      if (typeof value !== 'boolean') throw new Error(`Invalid feature override ${f}=${String(value)}: expected true or false`);
      resolvedFeatures[f] = value;
      overridden.push(`features.${f}`);
    }
  }

  const dialectKeys = Object.keys(def.dialect) as DialectKey[];
  const resolvedDialect = Object.fromEntries(dialectKeys.map((k) => [k, def.dialect[k].value])) as { -readonly [K in DialectKey]: Dialect[K] };
  if (overrides.dialect) {
    checkKeys('dialect', overrides.dialect, dialectKeys);
    for (const [k, value] of Object.entries(overrides.dialect) as [DialectKey, unknown][]) {
      if (value === undefined) continue;
      checkDialectValue(k, value);
      (resolvedDialect as Record<DialectKey, unknown>)[k] = value;
      overridden.push(`dialect.${k}`);
    }
  }

  return {
    id,
    title: def.title,
    limits: resolvedLimits,
    features: resolvedFeatures,
    dialect: resolvedDialect,
    alternatives: { ...def.alternatives },
    overridden,
  };
}
