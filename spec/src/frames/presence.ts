/** Presence channel data and member events. */
import { z } from 'zod';
import { Event } from '../events.ts';
import { ChannelName, PresenceUserId } from '../identifiers.ts';
import { jsonString, stringOrObject } from '../codec.ts';
import { publish } from '../registry.ts';

/** The JSON inside `channel_data`, signed together with socket id and channel. */
export const ChannelData = publish(
  z.object({ user_id: PresenceUserId, user_info: z.record(z.string(), z.unknown()).optional() }),
  { id: 'ChannelData', kind: 'data', description: 'Presence identity: user_id (string, or number per the docs example) and optional user_info object.' },
);
export type ChannelData = z.infer<typeof ChannelData>;

export const MemberAddedData = publish(
  z.object({ user_id: PresenceUserId, user_info: z.unknown().optional() }),
  { id: 'MemberAddedData', kind: 'data', description: 'Decoded data of pusher_internal:member_added: the user id and user_info of the channel_data that joined.' },
);
export const MemberRemovedData = publish(
  z.object({ user_id: PresenceUserId }),
  { id: 'MemberRemovedData', kind: 'data', description: 'Decoded data of pusher_internal:member_removed.' },
);

export const MemberAddedFrame = publish(
  z.object({ event: z.literal(Event.MemberAdded), channel: ChannelName, data: jsonString(MemberAddedData) }),
  { id: 'MemberAddedFrame', kind: 'frame', direction: 'server-to-client', event: Event.MemberAdded, strictness: 'strict', description: "A user's first connection joined the presence channel; data as a JSON string (MemberAddedData)." },
);
export const MemberAddedFrameLenient = publish(
  z.object({ event: z.literal(Event.MemberAdded), channel: z.string(), data: stringOrObject(MemberAddedData) }),
  { id: 'MemberAddedFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.MemberAdded, strictness: 'lenient', description: 'member_added with data as a string or an object.' },
);
export const MemberRemovedFrame = publish(
  z.object({ event: z.literal(Event.MemberRemoved), channel: ChannelName, data: jsonString(MemberRemovedData) }),
  { id: 'MemberRemovedFrame', kind: 'frame', direction: 'server-to-client', event: Event.MemberRemoved, strictness: 'strict', description: "A user's last connection left the presence channel; data as a JSON string (MemberRemovedData)." },
);
export const MemberRemovedFrameLenient = publish(
  z.object({ event: z.literal(Event.MemberRemoved), channel: z.string(), data: stringOrObject(MemberRemovedData) }),
  { id: 'MemberRemovedFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.MemberRemoved, strictness: 'lenient', description: 'member_removed with data as a string or an object.' },
);
