/** Channel events (from REST publishes), client events, cache and subscription-count frames. */
import { z } from 'zod';
import { Event } from '../events.ts';
import { ClientEventName, EventName } from '../identifiers.ts';
import { jsonString, stringOrObject } from '../codec.ts';
import { publish } from '../registry.ts';

export const ChannelEventFrame = publish(
  z.object({ event: EventName, channel: z.string(), data: z.string(), user_id: z.string().optional() }),
  { id: 'ChannelEventFrame', kind: 'frame', direction: 'server-to-client', strictness: 'strict', description: 'An event on a channel; data is the string the publisher sent.' },
);
export type ChannelEventFrame = z.infer<typeof ChannelEventFrame>;
export const ChannelEventFrameLenient = publish(
  z.object({ event: EventName, channel: z.string(), data: z.unknown(), user_id: z.union([z.string(), z.number()]).optional() }),
  { id: 'ChannelEventFrameLenient', kind: 'frame', direction: 'server-to-client', strictness: 'lenient', description: 'An event on a channel with data of any JSON type.' },
);

export const ClientEventFrame = publish(
  z.object({ event: ClientEventName, channel: z.string(), data: z.unknown() }),
  { id: 'ClientEventFrame', kind: 'frame', direction: 'client-to-server', description: 'A client event; pusher-js sends data as an object, other clients as a string.' },
);
export type ClientEventFrame = z.infer<typeof ClientEventFrame>;

export const CacheMissFrame = publish(
  z.object({ event: z.literal(Event.CacheMiss), channel: z.string(), data: jsonString(z.object({})).optional() }),
  { id: 'CacheMissFrame', kind: 'frame', direction: 'server-to-client', event: Event.CacheMiss, strictness: 'strict', description: 'The cache channel had no event to replay; data absent or "{}".' },
);
export const CacheMissFrameLenient = publish(
  z.object({ event: z.literal(Event.CacheMiss), channel: z.string(), data: z.unknown().optional() }),
  { id: 'CacheMissFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.CacheMiss, strictness: 'lenient', description: 'cache_miss with any data.' },
);

export const SubscriptionCountData = z.object({ subscription_count: z.number().int().nonnegative() });
export const SubscriptionCountFrame = publish(
  z.object({ event: z.literal(Event.SubscriptionCount), channel: z.string(), data: jsonString(SubscriptionCountData) }),
  { id: 'SubscriptionCountFrame', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionCount, strictness: 'strict', description: 'Number of subscribers of a (non-presence) channel, data as a JSON string.' },
);
export const SubscriptionCountFrameLenient = publish(
  z.object({ event: z.literal(Event.SubscriptionCount), channel: z.string(), data: stringOrObject(SubscriptionCountData) }),
  { id: 'SubscriptionCountFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionCount, strictness: 'lenient', description: 'subscription_count with data as a string or an object.' },
);
