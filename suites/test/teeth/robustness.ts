import type { FaultName } from '../../../reference-server/src/faults.ts';

/** For each robustness case, the faults of the reference server that make it fail (verified by running). */
export default {
  'robustness/invalid-json': ['invalid-json-closes', 'no-pong'],
  'robustness/invalid-json-reported': ['invalid-json-closes', 'no-pong'],
  'robustness/wrong-types': ['wrong-types-close', 'no-pong'],
  'robustness/unknown-pusher-event': ['internal-event-relayed', 'no-pong'],
  'robustness/pusher-internal-not-relayed': ['internal-event-relayed', 'no-pong'],
  'robustness/unknown-event-not-relayed': ['unknown-event-relayed', 'no-pong'],
  'robustness/binary-frames': ['binary-frame-drop', 'no-pong'],
  'robustness/oversized-frame': ['payload-limit-off-by-one', 'no-pong'],
  'robustness/abrupt-disconnect': ['leak-on-disconnect', 'channels-list-includes-vacated'],
  'robustness/subscribe-flood-no-leaks': ['leak-on-disconnect', 'channels-list-includes-vacated'],
  'robustness/rapid-subscribe-unsubscribe': ['unsubscribe-ignored', 'channels-list-includes-vacated'],
  'robustness/utf8-preserved': ['data-astral-replaced'],
  'robustness/rest-hostile-bodies': ['rest-malformed-body-500'],
} satisfies Record<string, FaultName[]>;
