/** The envelope every frame shares, for code that must look at a frame before knowing its kind. */
import { z } from 'zod';
import { publish } from '../registry.ts';

export const AnyFrame = publish(
  z.looseObject({
    event: z.string(),
    channel: z.string().optional(),
    data: z.unknown().optional(),
    user_id: z.union([z.string(), z.number()]).optional(),
  }),
  { id: 'AnyFrame', kind: 'frame', description: 'One JSON object with a string event; channel, data and user_id optional.' },
);
export type AnyFrame = z.infer<typeof AnyFrame>;
