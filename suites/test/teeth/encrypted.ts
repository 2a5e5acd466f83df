/**
 * Teeth of the encrypted cases: for each case, the reference-server faults that make it fail
 * (verified by running). encrypted/multi-channel-publish is a MAY case whose observation a fault changes.
 */
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'encrypted/relay-opaque': ['data-as-object'],
  'encrypted/auth-like-private': ['signature-not-checked', 'other-channel-signature-accepted', 'truncated-signature-accepted'],
  'encrypted/batch-accepted': ['data-as-object'],
  'encrypted/multi-channel-publish': ['multi-channel-partial-delivery'],
  'encrypted/names-in-clear': ['event-frame-no-channel'],
} satisfies Record<string, FaultName[]>;
