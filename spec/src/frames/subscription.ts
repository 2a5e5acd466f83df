/** Subscribe, unsubscribe, and the server's answers. */
import { z } from 'zod';
import { Event } from '../events.ts';
import { jsonString, jsonText, stringOrObject } from '../codec.ts';
import { publish } from '../registry.ts';
import { AuthValue, ChannelName, PresenceUserId } from '../identifiers.ts';
import { ChannelData } from './presence.ts';
import { EmptyObjectData } from './empty.ts';

export const SubscribeData = publish(
  z.object({
    channel: ChannelName,
    // "" for public channels (pusher-js sends it), key:signature otherwise
    auth: z.union([z.literal(''), AuthValue]).optional(),
    // presence only: the exact JSON string that was signed
    channel_data: jsonText(ChannelData).optional(),
  }),
  { id: 'SubscribeData', kind: 'data', description: 'Data of pusher:subscribe as a conforming client sends it: a valid channel name, auth "" (public) or key:signature, and for presence the signed channel_data string (JSON of ChannelData).' },
);
export type SubscribeData = z.infer<typeof SubscribeData>;

/** What a server reads before judging the channel name and the signature against its profile. */
const SubscribeDataLenient = z.object({ channel: z.string(), auth: z.string().optional(), channel_data: jsonText(ChannelData, 'unchecked').optional() });

export const SubscribeFrame = publish(
  z.object({ event: z.literal(Event.Subscribe), data: SubscribeData }),
  { id: 'SubscribeFrame', kind: 'frame', direction: 'client-to-server', event: Event.Subscribe, strictness: 'strict', description: 'Subscribe to a channel; data is an object.' },
);
export const SubscribeFrameLenient = publish(
  z.object({ event: z.literal(Event.Subscribe), data: stringOrObject(SubscribeDataLenient) }),
  { id: 'SubscribeFrameLenient', kind: 'frame', direction: 'client-to-server', event: Event.Subscribe, strictness: 'lenient', description: 'Subscribe as a server reads it: data as an object or a JSON string (Reverb decodes both); channel and auth any strings, judged afterwards against the server\'s profile.' },
);

export const UnsubscribeFrame = publish(
  z.object({ event: z.literal(Event.Unsubscribe), data: z.object({ channel: ChannelName }) }),
  { id: 'UnsubscribeFrame', kind: 'frame', direction: 'client-to-server', event: Event.Unsubscribe, strictness: 'strict', description: 'Leave a channel; the server does not acknowledge it.' },
);
export const UnsubscribeFrameLenient = publish(
  z.object({ event: z.literal(Event.Unsubscribe), data: z.object({ channel: z.string() }) }),
  { id: 'UnsubscribeFrameLenient', kind: 'frame', direction: 'client-to-server', event: Event.Unsubscribe, strictness: 'lenient', description: 'Unsubscribe as a server reads it: any string channel (a name the server never confirmed is simply not held).' },
);

export const SubscriptionSucceededFrame = publish(
  z.object({ event: z.literal(Event.SubscriptionSucceeded), channel: ChannelName, data: jsonString(EmptyObjectData) }),
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
  { id: 'PresenceSubscriptionData', kind: 'data', description: 'Decoded data of a presence pusher_internal:subscription_succeeded: the members, the subscriber included.' },
);
export type PresenceSubscriptionData = z.infer<typeof PresenceSubscriptionData>;

export const PresenceSubscriptionSucceededFrame = publish(
  z.object({ event: z.literal(Event.SubscriptionSucceeded), channel: ChannelName, data: jsonString(PresenceSubscriptionData) }),
  { id: 'PresenceSubscriptionSucceededFrame', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionSucceeded, strictness: 'strict', description: 'Presence subscription confirmed with ids, hash and count, data as a JSON string (PresenceSubscriptionData).' },
);
export const PresenceSubscriptionSucceededFrameLenient = publish(
  z.object({ event: z.literal(Event.SubscriptionSucceeded), channel: z.string(), data: stringOrObject(PresenceSubscriptionData) }),
  { id: 'PresenceSubscriptionSucceededFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionSucceeded, strictness: 'lenient', description: 'Presence subscription confirmed, data as a string or an object.' },
);

/**
 * soketi's refusal of a subscription: `type` such as AuthError or LimitReached, a message, and a
 * `status` that is an HTTP status (401) or a protocol code (4009, 4100, 4301).
 */
export const SubscriptionErrorData = publish(
  z.looseObject({ type: z.string(), error: z.string().optional(), status: z.number().int() }),
  { id: 'SubscriptionErrorData', kind: 'data', description: 'Decoded data of pusher:subscription_error as soketi sends it: type (AuthError, LimitReached, ...), error message, status (an HTTP status such as 401, or a protocol code such as 4009 or 4100).' },
);
export const SubscriptionErrorFrame = publish(
  z.object({ event: z.literal(Event.SubscriptionError), channel: z.string(), data: stringOrObject(SubscriptionErrorData) }),
  {
    id: 'SubscriptionErrorFrame', kind: 'frame', direction: 'server-to-client', event: Event.SubscriptionError, strictness: 'lenient',
    description: 'Not a wire event in Pusher (pusher-js raises it locally when an auth endpoint fails); soketi sends it for a refused subscription, data an object. Lenient only: there is no strict form to follow.',
  },
);
