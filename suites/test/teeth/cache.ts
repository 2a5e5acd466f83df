/**
 * Teeth of the cache cases: for each case, the reference-server faults that make it fail
 * (verified by running).
 */
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'cache/last-event-replayed': ['cache-replays-first', 'cache-miss-not-sent', 'unsubscribe-ignored'],
  'cache/variants-replay': ['cache-replays-first', 'cache-miss-not-sent', 'unsubscribe-ignored'],
  'cache/miss-event': ['cache-miss-not-sent'],
  'cache/client-events-not-cached': ['client-events-cached'],
  'cache/ttl-expiry': ['cache-never-expires'],
  'cache/info-cache': ['cache-never-expires', 'cache-replays-first'],
  'cache/plain-channel-no-replay': ['cache-replay-on-plain-channels'],
} satisfies Record<string, FaultName[]>;
