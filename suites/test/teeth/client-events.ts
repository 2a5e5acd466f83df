/**
 * Teeth of the client-events cases: for each case, the reference-server faults that make it fail
 * (verified by running). Cases with no killing fault are left out (see the area's report).
 */
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'client-events/name-prefix-anchored': ['client-event-name-unanchored'],
  'client-events/reserved-prefix-inside-name-relayed': ['reserved-event-prefix-unanchored'],
  'client-events/no-echo': ['client-event-echo'],
  'client-events/delivered-to-other-connections-of-sender': ['client-event-echo', 'client-event-echo-other-connections-skipped'],
  'client-events/presence-user-id': ['client-event-no-user-id'],
  'client-events/public-channel-refused': ['client-events-on-public'],
  'client-events/encrypted-channel-refused': ['client-events-on-encrypted'],
  'client-events/sender-not-subscribed-refused': ['client-events-unsubscribed', 'signature-not-checked'],
  'client-events/rejection-signalled': ['client-events-unsubscribed', 'client-events-on-public', 'client-events-on-encrypted'],
  'client-events/rate-limit-boundary': ['client-event-rate-limit-off'],
  'client-events/rate-limit-error-code': ['client-event-rate-limit-off'],
  'client-events/rate-limit-keeps-connection': ['client-event-rate-limit-closes'],
  'client-events/disabled-app-refused': ['client-events-flag-ignored'],
  'client-events/disabled-app-signalled': ['client-events-flag-ignored'],
  'client-events/data-relayed-intact': ['client-event-data-altered'],
  'client-events/unprefixed-event-not-relayed': ['unknown-event-relayed'],
  'client-events/reserved-names-not-relayed': ['internal-event-relayed'],
  'client-events/user-id-dropped-outside-presence': ['client-event-user-id-passed-through'],
  'client-events/no-channel-signalled': ['client-event-malformed-silent'],
} satisfies Record<string, FaultName[]>;
