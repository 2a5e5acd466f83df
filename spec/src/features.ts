/**
 * Capabilities a server may lack. A case names the features it needs; a target declares (or the
 * runner detects) which it has; a case whose feature is absent is `unsupported`, never a pass.
 * @module
 */
export const features = {
  'private-channels': 'private- channels with signed subscriptions',
  presence: 'presence- channels with member lists and member events',
  encrypted: 'private-encrypted- channels (server relays ciphertext untouched)',
  cache: 'cache channels: last-event replay and pusher:cache_miss',
  'client-events': 'client- events relayed between subscribers of private and presence channels',
  'client-event-rate-limit': 'the per-connection client event rate limit is enforced',
  'user-auth': 'pusher:signin user authentication',
  'server-to-user': 'events to #server-to-user-{id} reach signed-in connections',
  'user-events-endpoint': 'POST /apps/{app}/users/{id}/events (Vask dialect)',
  watchlist: 'watchlist online/offline events for signed-in users',
  terminate: 'POST /users/{id}/terminate_connections',
  webhooks: 'webhooks to a URL the target is configured with',
  'subscription-count': 'pusher_internal:subscription_count broadcast (opt-in per app)',
  'batch-events': 'POST /apps/{app}/batch_events publishes several events in one request',
  'rest-info': 'info attributes (user_count, subscription_count) on REST publish and channel queries',
  'cache-info': 'GET /channels/{name}?info=cache',
  'cache-ttl': 'the cache TTL is short enough (or configured so) to be observed during a run',
  'app-management': 'disabled apps and connection quotas configured on the target for testing',
  cluster: 'several nodes of one deployment given to the suite (--node), joined so that they act as one server',
} as const;
export type Feature = keyof typeof features;
export const featureNames = Object.keys(features) as Feature[];
