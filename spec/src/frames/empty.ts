/** The decoded "{}" that several server frames carry as data. */
import { z } from 'zod';
import { publish } from '../registry.ts';

export const EmptyObjectData = publish(
  z.object({}).strict(),
  { id: 'EmptyObjectData', kind: 'data', description: 'Decoded data "{}": an object with no members (non-presence subscription_succeeded, cache_miss).' },
);
