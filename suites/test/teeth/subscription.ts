// Faults that make each subscription case fail (verified against the reference server).
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'subscription/public-succeeded': ['subscription-succeeded-no-channel'],
  'subscription/type-by-anchored-prefix': ['channel-type-unanchored'],
  'subscription/public-without-auth': ['subscription-succeeded-no-channel'],
  'subscription/private-succeeded': ['subscription-succeeded-no-channel'],
  'subscription/encrypted-succeeded': ['subscription-succeeded-no-channel'],
  'subscription/presence-succeeded': ['presence-hash-missing-subscriber', 'subscription-succeeded-no-channel'],
  'subscription/succeeded-data-empty-json': ['succeeded-data-absent', 'subscription-succeeded-no-channel'],
  'subscription/unsubscribe-stops-delivery': ['unsubscribe-ignored'],
  'subscription/delivery-follows-subscription-state': ['unsubscribe-ignored', 'event-delivered-twice'],
  'subscription/resubscribe-no-duplicates': ['event-delivered-twice'],
  'subscription/resubscribe-confirmed': ['resubscribe-silent', 'subscription-succeeded-no-channel'],
  'subscription/resubscribe-after-unsubscribe': ['event-delivered-twice'],
  'subscription/channel-name-charset-accepted': ['channel-name-charset-narrow', 'subscription-succeeded-no-channel'],
  'subscription/channel-name-invalid-refused': ['channel-name-unchecked'],
  'subscription/reserved-hash-names-refused': ['reserved-names-accepted', 'subscription-succeeded-no-channel'],
  'subscription/event-frame-shape': ['event-frame-no-channel', 'subscription-succeeded-no-channel'],
  'subscription/event-data-string': ['data-as-object'],
  'subscription/event-data-verbatim': ['data-reserialized', 'subscription-succeeded-no-channel', 'data-double-encoded'],
  'subscription/several-channels-one-connection': ['one-channel-per-connection', 'event-delivered-twice'],
  'subscription/missing-channel-refused': ['subscribe-missing-channel-closes', 'crash-on-malformed-subscribe'],
  'subscription/refusal-keeps-connection': ['auth-refusal-closes'],
  'subscription/no-confirmation-before-handshake': ['handshake-deferred'],
} satisfies Record<string, FaultName[]>;
