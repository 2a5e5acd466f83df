/** User sign-in and watchlist frames. */
import { z } from 'zod';
import { Event, WatchlistEventName } from '../events.ts';
import { AuthValue, UserId } from '../identifiers.ts';
import { jsonString, jsonText, stringOrObject } from '../codec.ts';
import { publish } from '../registry.ts';

/** The JSON inside `user_data`, signed together with the socket id. */
export const UserData = publish(
  z.object({
    id: UserId,
    user_info: z.record(z.string(), z.unknown()).optional(),
    watchlist: z.array(z.string()).optional(),
  }),
  { id: 'UserData', kind: 'data', description: 'Signed-in identity: non-empty string id, optional user_info and watchlist.' },
);
export type UserData = z.infer<typeof UserData>;

export const SigninData = z.object({ auth: AuthValue, user_data: jsonText(UserData) });
export const SigninFrame = publish(
  z.object({ event: z.literal(Event.Signin), data: SigninData }),
  { id: 'SigninFrame', kind: 'frame', direction: 'client-to-server', event: Event.Signin, strictness: 'strict', description: 'Sign in as a user: auth (key:signature) and the exact user_data string that was signed (JSON of UserData).' },
);
export const SigninFrameLenient = publish(
  z.object({ event: z.literal(Event.Signin), data: z.object({ auth: z.string(), user_data: jsonText(UserData, 'unchecked') }) }),
  { id: 'SigninFrameLenient', kind: 'frame', direction: 'client-to-server', event: Event.Signin, strictness: 'lenient', description: 'Sign-in as a server reads it before verifying: auth any string (a malformed one is a failed signature, not a malformed frame).' },
);

export const SigninSuccessData = publish(
  z.object({ user_data: jsonText(UserData) }),
  { id: 'SigninSuccessData', kind: 'data', description: 'Data of pusher:signin_success: the user_data string that was signed (JSON of UserData).' },
);
export const SigninSuccessFrame = publish(
  z.object({ event: z.literal(Event.SigninSuccess), data: SigninSuccessData }),
  { id: 'SigninSuccessFrame', kind: 'frame', direction: 'server-to-client', event: Event.SigninSuccess, strictness: 'strict', description: 'Sign-in accepted; data is an object holding the user_data string.' },
);
export const SigninSuccessFrameLenient = publish(
  z.object({ event: z.literal(Event.SigninSuccess), data: stringOrObject(SigninSuccessData) }),
  { id: 'SigninSuccessFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.SigninSuccess, strictness: 'lenient', description: 'signin_success with data as an object or a JSON string.' },
);

export const WatchlistEventsData = publish(
  z.object({
    events: z.array(z.object({ name: z.enum([WatchlistEventName.Online, WatchlistEventName.Offline]), user_ids: z.array(z.string()) })),
  }),
  { id: 'WatchlistEventsData', kind: 'data', description: 'Decoded data of pusher_internal:watchlist_events: online/offline entries with user ids.' },
);
export const WatchlistEventsFrame = publish(
  z.object({ event: z.literal(Event.WatchlistEvents), data: jsonString(WatchlistEventsData) }),
  { id: 'WatchlistEventsFrame', kind: 'frame', direction: 'server-to-client', event: Event.WatchlistEvents, strictness: 'strict', description: 'Online/offline transitions of watched users, data as a JSON string (WatchlistEventsData).' },
);
export const WatchlistEventsFrameLenient = publish(
  z.object({ event: z.literal(Event.WatchlistEvents), data: stringOrObject(WatchlistEventsData) }),
  { id: 'WatchlistEventsFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.WatchlistEvents, strictness: 'lenient', description: 'watchlist_events with data as a string or an object (pusher-js decodes both).' },
);
