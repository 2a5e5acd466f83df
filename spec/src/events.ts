/**
 * Every event name that appears on the wire. Nothing outside spec/ writes these strings.
 * @module
 */

/** Events of the WebSocket protocol, both directions. */
export const Event = {
  ConnectionEstablished: 'pusher:connection_established',
  Error: 'pusher:error',
  Ping: 'pusher:ping',
  Pong: 'pusher:pong',
  Subscribe: 'pusher:subscribe',
  Unsubscribe: 'pusher:unsubscribe',
  SubscriptionSucceeded: 'pusher_internal:subscription_succeeded',
  // not in Pusher's wire protocol: pusher-js raises it locally; soketi sends it over the wire
  SubscriptionError: 'pusher:subscription_error',
  MemberAdded: 'pusher_internal:member_added',
  MemberRemoved: 'pusher_internal:member_removed',
  CacheMiss: 'pusher:cache_miss',
  SubscriptionCount: 'pusher_internal:subscription_count',
  Signin: 'pusher:signin',
  SigninSuccess: 'pusher:signin_success',
  WatchlistEvents: 'pusher_internal:watchlist_events',
} as const;
export type Event = (typeof Event)[keyof typeof Event];

/** Name prefixes with protocol meaning. */
export const EventPrefix = {
  /** system events; clients and REST publishers may not use it */
  Pusher: 'pusher:',
  /** server-internal events; a client sending one is hostile input */
  Internal: 'pusher_internal:',
  /** client events relayed between subscribers */
  Client: 'client-',
} as const;

/** Names pusher-js re-emits to applications for the internal events above. */
export const ClientFacingEvent = {
  SubscriptionSucceeded: 'pusher:subscription_succeeded',
  MemberAdded: 'pusher:member_added',
  MemberRemoved: 'pusher:member_removed',
  SubscriptionCount: 'pusher:subscription_count',
} as const;

/** Watchlist entry names inside `pusher_internal:watchlist_events`. */
export const WatchlistEventName = { Online: 'online', Offline: 'offline' } as const;
export type WatchlistEventName = (typeof WatchlistEventName)[keyof typeof WatchlistEventName];

export const isClientEventName = (name: string): boolean => name.startsWith(EventPrefix.Client);
export const isReservedEventName = (name: string): boolean =>
  name.startsWith(EventPrefix.Pusher) || name.startsWith(EventPrefix.Internal);
