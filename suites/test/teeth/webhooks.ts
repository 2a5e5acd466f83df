import type { FaultName } from '../../../reference-server/src/faults.ts';

/** For each webhooks case, the faults of the reference server that make it fail (verified by running). */
export default {
  'webhooks/channel-occupied': ['webhook-occupied-private-not-sent'],
  'webhooks/channel-vacated': ['unsubscribe-ignored', 'leak-on-disconnect'],
  'webhooks/occupied-before-vacated': ['unsubscribe-ignored'],
  'webhooks/member-added-first-connection': ['webhook-member-added-every-connection'],
  'webhooks/member-removed-last-connection': ['leak-on-disconnect'],
  'webhooks/client-event': ['client-event-no-user-id'],
  'webhooks/cache-miss': ['cache-miss-webhook-not-sent'],
  'webhooks/cache-miss-deduplicated': ['cache-miss-webhook-every-time'],
  'webhooks/subscription-count': ['subscription-count-never-sent', 'subscription-count-off-by-one', 'subscription-count-on-presence'],
  'webhooks/envelope': ['webhook-time-ms-seconds', 'unsubscribe-ignored'],
  'webhooks/signature': ['webhook-unsigned', 'webhook-wrong-signature'],
  'webhooks/content-type': ['webhook-content-type-text'],
  'webhooks/grace-rejoin': ['webhook-no-grace'],
  'webhooks/grace-rejoin-no-duplicates': ['webhook-reoccupied-announced'],
} satisfies Record<string, FaultName[]>;
