/** Channel events (from REST publishes), client events, cache and subscription-count frames. */
import { z } from 'zod';
import { Event } from '../events.ts';
import { AnyClientEventName, ChannelName, ClientEventName, PublishedEventName } from '../identifiers.ts';
import { jsonString, stringOrObject } from '../codec.ts';
import { publish } from '../registry.ts';
import { EmptyObjectData } from './empty.ts';

/** Any JSON value: client events keep the form the sender used (clause client-events.data-form-kept). */
const AnyJson = z.unknown().meta({ description: 'Any JSON value, kept in the form the sender used (a string stays a string, an object an object).' });

export const ChannelEventFrame = publish(
  z.object({ event: PublishedEventName, channel: ChannelName, data: z.string(), user_id: z.string().optional() }),
  {
    id: 'ChannelEventFrame', kind: 'frame', direction: 'server-to-client', strictness: 'strict',
    description: 'An event published through the REST API, delivered on a channel; data is the string the publisher sent, byte for byte. Client events relayed by the server are RelayedClientEventFrame.',
  },
);
export type ChannelEventFrame = z.infer<typeof ChannelEventFrame>;
export const ChannelEventFrameLenient = publish(
  z.object({ event: z.string(), channel: z.string(), data: z.unknown(), user_id: z.union([z.string(), z.number()]).optional() }),
  {
    id: 'ChannelEventFrameLenient', kind: 'frame', direction: 'server-to-client', strictness: 'lenient',
    description: 'Any event on a channel as pusher-js accepts it: data of any JSON type, names unchecked (a receiver judges names by its own profile), user_id a string or a number.',
  },
);

/** The client event fields both directions share. */
const clientEvent = { event: ClientEventName, channel: ChannelName, data: AnyJson };

export const ClientEventFrame = publish(
  z.object(clientEvent),
  {
    id: 'ClientEventFrame', kind: 'frame', direction: 'client-to-server', strictness: 'strict',
    description: 'A client event as a conforming client sends it: a client- name and a channel within Pusher\'s limits; data any JSON value (pusher-js sends objects, other clients strings).',
  },
);
export type ClientEventFrame = z.infer<typeof ClientEventFrame>;
export const ClientEventFrameLenient = publish(
  z.object({ event: AnyClientEventName, channel: z.string(), data: z.unknown() }),
  {
    id: 'ClientEventFrameLenient', kind: 'frame', direction: 'client-to-server', strictness: 'lenient',
    description: 'A client event as a server reads it before judging it: a client- name, a string channel and data of any JSON type; lengths and the channel name are checked against the server\'s own profile.',
  },
);

export const RelayedClientEventFrame = publish(
  z.object({ ...clientEvent, user_id: z.string().optional() }),
  {
    id: 'RelayedClientEventFrame', kind: 'frame', direction: 'server-to-client', strictness: 'strict',
    description: 'A client event relayed to the other subscribers: data in the form the sender used (clause client-events.data-form-kept), user_id (a string) on presence channels.',
  },
);
export type RelayedClientEventFrame = z.infer<typeof RelayedClientEventFrame>;

export const CacheMissFrame = publish(
  z.object({ event: z.literal(Event.CacheMiss), channel: ChannelName, data: jsonString(EmptyObjectData).optional() }),
  { id: 'CacheMissFrame', kind: 'frame', direction: 'server-to-client', event: Event.CacheMiss, strictness: 'strict', description: 'The cache channel had no event to replay; data absent or "{}".' },
);
export const CacheMissFrameLenient = publish(
  z.object({ event: z.literal(Event.CacheMiss), channel: z.string(), data: z.unknown().optional() }),
  { id: 'CacheMissFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.CacheMiss, strictness: 'lenient', description: 'cache_miss with any data.' },
);

export const SubscriptionCountData = publish(
  z.object({ subscription_count: z.number().int().nonnegative() }),
  { id: 'SubscriptionCountData', kind: 'data', description: 'Decoded data of pusher_internal:subscription_count.' },
);
export const SubscriptionCountFrame = publish(
  z.object({ event: z.literal(Event.SubscriptionCount), channel: ChannelName, data: jsonString(SubscriptionCountData) }),
  { id: 'SubscriptionCountFrame', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionCount, strictness: 'strict', description: 'Number of subscribers of a (non-presence) channel, data as a JSON string (SubscriptionCountData).' },
);
export const SubscriptionCountFrameLenient = publish(
  z.object({ event: z.literal(Event.SubscriptionCount), channel: z.string(), data: stringOrObject(SubscriptionCountData) }),
  { id: 'SubscriptionCountFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionCount, strictness: 'lenient', description: 'subscription_count with data as a string or an object.' },
);
