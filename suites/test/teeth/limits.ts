// Faults that make each limits case fail (verified against the reference server).
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'limits/event-data-size-boundary': ['payload-limit-off-by-one', 'payload-too-large-400'],
  'limits/event-data-size-enforced': ['payload-limit-off-by-one', 'payload-too-large-400'],
  'limits/event-name-length-boundary': ['event-name-limit-off-by-one'],
  'limits/event-name-length-enforced': ['event-name-limit-off-by-one'],
  'limits/event-name-length-multibyte-boundary': ['event-name-limit-bytes', 'event-name-limit-off-by-one'],
  'limits/batch-data-size-enforced': ['batch-payload-unchecked', 'payload-limit-off-by-one'],
  'limits/client-event-data-size-enforced': ['client-event-size-chars', 'payload-limit-off-by-one'],
  'limits/client-event-name-length-enforced': ['client-event-name-limit-unchecked', 'event-name-limit-off-by-one'],
  'limits/channel-name-length-rest-boundary': ['channel-name-limit-off-by-one'],
  'limits/channel-name-length-rest-enforced': ['channel-name-limit-off-by-one'],
  'limits/channels-per-trigger-boundary': ['channels-per-trigger-off-by-one'],
  'limits/channels-per-trigger-enforced': ['channels-per-trigger-off-by-one'],
  'limits/batch-size-boundary': ['batch-size-off-by-one'],
  'limits/batch-size-enforced': ['batch-size-off-by-one'],
  'limits/channel-name-length-subscribe-boundary': ['channel-name-limit-off-by-one'],
  'limits/channel-name-length-subscribe-enforced': ['channel-name-limit-off-by-one', 'channel-name-unchecked'],
} satisfies Record<string, FaultName[]>;
