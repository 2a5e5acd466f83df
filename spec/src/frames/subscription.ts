/** Subscribe, unsubscribe, and the server's answers. */
import { z } from 'zod';
import { Event } from '../events.ts';
import { jsonString, stringOrObject } from '../codec.ts';
import { publish } from '../registry.ts';
import { PresenceUserId } from '../identifiers.ts';

export const SubscribeData = publish(
  z.object({
    channel: z.string(),
    // "" for public channels (pusher-js sends it), key:signature otherwise
    auth: z.string().optional(),
    // presence only: the exact JSON string that was signed
    channel_data: z.string().optional(),
  }),
  { id: 'SubscribeData', kind: 'data', description: 'Data of pusher:subscribe.' },
);
export type SubscribeData = z.infer<typeof SubscribeData>;

export const SubscribeFrame = publish(
  z.object({ event: z.literal(Event.Subscribe), data: SubscribeData }),
  { id: 'SubscribeFrame', kind: 'frame', direction: 'client-to-server', event: Event.Subscribe, strictness: 'strict', description: 'Subscribe to a channel; data is an object.' },
);
export const SubscribeFrameLenient = publish(
  z.object({ event: z.literal(Event.Subscribe), data: stringOrObject(SubscribeData) }),
  { id: 'SubscribeFrameLenient', kind: 'frame', direction: 'client-to-server', event: Event.Subscribe, strictness: 'lenient', description: 'Subscribe with data as an object or a JSON string (Reverb decodes both).' },
);

export const UnsubscribeFrame = publish(
  z.object({ event: z.literal(Event.Unsubscribe), data: z.object({ channel: z.string() }) }),
  { id: 'UnsubscribeFrame', kind: 'frame', direction: 'client-to-server', event: Event.Unsubscribe, description: 'Leave a channel; the server does not acknowledge it.' },
);

export const SubscriptionSucceededFrame = publish(
  z.object({ event: z.literal(Event.SubscriptionSucceeded), channel: z.string(), data: jsonString(z.object({}).strict()) }),
  { id: 'SubscriptionSucceededFrame', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionSucceeded, strictness: 'strict', description: 'Subscription confirmed (non-presence); data is the string "{}" as hosted Pusher sends it.' },
);
export const SubscriptionSucceededFrameLenient = publish(
  z.object({ event: z.literal(Event.SubscriptionSucceeded), channel: z.string(), data: z.unknown().optional() }),
  { id: 'SubscriptionSucceededFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionSucceeded, strictness: 'lenient', description: 'Subscription confirmed with any data, or none (soketi omits it).' },
);

export const PresenceSubscriptionData = publish(
  z.object({
    presence: z.object({
      ids: z.array(PresenceUserId),
      hash: z.record(z.string(), z.unknown()),
      count: z.number().int().nonnegative(),
    }),
  }),
  { id: 'PresenceSubscriptionData', kind: 'data', description: 'Members of a presence channel, the subscriber included.' },
);
export type PresenceSubscriptionData = z.infer<typeof PresenceSubscriptionData>;

export const PresenceSubscriptionSucceededFrame = publish(
  z.object({ event: z.literal(Event.SubscriptionSucceeded), channel: z.string(), data: jsonString(PresenceSubscriptionData) }),
  { id: 'PresenceSubscriptionSucceededFrame', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionSucceeded, strictness: 'strict', description: 'Presence subscription confirmed with ids, hash and count, data as a JSON string.' },
);
export const PresenceSubscriptionSucceededFrameLenient = publish(
  z.object({ event: z.literal(Event.SubscriptionSucceeded), channel: z.string(), data: stringOrObject(PresenceSubscriptionData) }),
  { id: 'PresenceSubscriptionSucceededFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionSucceeded, strictness: 'lenient', description: 'Presence subscription confirmed, data as a string or an object.' },
);

export const SubscriptionErrorData = z.object({ type: z.string(), error: z.string(), status: z.number().int() });
export const SubscriptionErrorFrame = publish(
  z.object({ event: z.literal(Event.SubscriptionError), channel: z.string(), data: stringOrObject(SubscriptionErrorData) }),
  { id: 'SubscriptionErrorFrame', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionError, strictness: 'lenient', description: 'Not a wire event in Pusher (pusher-js raises it locally); soketi sends it for a refused subscription.' },
);
