/**
 * Teeth of the presence cases: for each case, the reference-server faults that make it fail
 * (verified by running). Cases with no killing fault are left out (see the area's report).
 */
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'presence/membership-model': [
    'member-added-every-connection',
    'member-removed-early',
    'member-added-to-joiner',
    'presence-hash-missing-subscriber',
    'presence-count-connections',
    'users-endpoint-duplicates',
    'leak-on-disconnect',
  ],
  'presence/member-added-not-to-joiner': ['member-added-to-joiner'],
  'presence/member-added-once-per-user': ['member-added-every-connection', 'member-added-to-joiner'],
  'presence/member-removed-not-early': ['member-removed-early'],
  'presence/member-removed-on-last-disconnect': ['leak-on-disconnect'],
  'presence/succeeded-includes-self': ['presence-hash-missing-subscriber'],
  'presence/count-distinct-users': ['presence-count-connections', 'presence-hash-missing-subscriber', 'users-endpoint-duplicates'],
  'presence/channel-data-required': ['presence-channel-data-optional'],
  'presence/channel-data-invalid-refused': ['presence-channel-data-unvalidated'],
  'presence/user-info-not-object-refused': ['presence-channel-data-unvalidated'],
  'presence/numeric-user-id': ['member-added-to-joiner', 'presence-hash-missing-subscriber', 'numeric-user-id-stringified'],
  'presence/user-info-size-boundary': ['presence-user-info-unchecked'],
  'presence/user-id-length-boundary': ['presence-user-id-length-off-by-one'],
  'presence/member-limit-admits-limit': ['presence-member-limit-too-low'],
  'presence/member-limit-refuses-one-more': ['presence-member-limit-off-by-one', 'presence-member-limit-counts-connections'],
  'presence/member-added-data': ['member-added-no-user-info'],
  'presence/member-removed-data': ['member-removed-socket-id'],
  'presence/hash-is-object': ['presence-hash-array-when-empty'],
  'presence/hash-lists-members-without-info': ['presence-hash-omits-members-without-info', 'presence-hash-missing-subscriber'],
} satisfies Record<string, FaultName[]>;
