// Faults that make each echo-exclusion case fail (verified against the reference server).
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'echo-exclusion/trigger-socket-id': ['socket-id-exclusion-ignored', 'event-delivered-twice'],
  'echo-exclusion/batch-socket-id': ['batch-socket-id-ignored', 'event-delivered-twice', 'batch-endpoint-missing'],
  'echo-exclusion/unsubscribed-socket-id': ['event-delivered-twice'],
} satisfies Record<string, FaultName[]>;
