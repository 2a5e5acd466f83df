import type { FaultName } from '../../../reference-server/src/faults.ts';

/** For each robustness case, the faults of the reference server that make it fail (verified by running). */
export default {
  'robustness/invalid-json': ['invalid-json-closes'],
  'robustness/invalid-json-reported': ['invalid-json-closes'],
  'robustness/wrong-types': ['wrong-types-close'],
  'robustness/unknown-pusher-event': ['internal-event-relayed'],
  'robustness/pusher-internal-not-relayed': ['internal-event-relayed'],
  'robustness/unknown-event-not-relayed': ['unknown-event-relayed'],
  'robustness/binary-frames': ['binary-frame-drop'],
  'robustness/oversized-frame': ['payload-limit-off-by-one'],
  'robustness/abrupt-disconnect': ['leak-on-disconnect', 'channels-list-includes-vacated'],
  'robustness/subscribe-flood-no-leaks': ['leak-on-disconnect', 'channels-list-includes-vacated'],
  'robustness/rapid-subscribe-unsubscribe': ['unsubscribe-ignored', 'channels-list-includes-vacated'],
  'robustness/utf8-preserved': ['data-astral-replaced'],
  'robustness/rest-hostile-bodies': ['rest-malformed-body-500'],
} satisfies Record<string, FaultName[]>;
