/**
 * Bodies an application's auth endpoints return to the client, which forwards their fields in
 * pusher:subscribe and pusher:signin.
 * @module
 */
import { z } from 'zod';
import { publish } from './registry.ts';

export const ChannelAuthResponse = publish(
  z.object({ auth: z.string() }),
  { id: 'ChannelAuthResponse', kind: 'auth-response', description: 'Private channel authorization: {auth}.' },
);
export const PresenceAuthResponse = publish(
  z.object({ auth: z.string(), channel_data: z.string() }),
  { id: 'PresenceAuthResponse', kind: 'auth-response', description: 'Presence channel authorization: {auth, channel_data}; channel_data is signed.' },
);
export const EncryptedAuthResponse = publish(
  z.object({
    auth: z.string(),
    // not covered by the signature; pusher-js refuses the subscription without it
    shared_secret: z.string().refine((s) => Buffer.from(s, 'base64').length === 32, 'shared_secret must be base64 of 32 bytes'),
  }),
  { id: 'EncryptedAuthResponse', kind: 'auth-response', description: 'Encrypted channel authorization: {auth, shared_secret}.' },
);
export const UserAuthResponse = publish(
  z.object({ auth: z.string(), user_data: z.string() }),
  { id: 'UserAuthResponse', kind: 'auth-response', description: 'User authentication: {auth, user_data}; user_data is signed.' },
);
