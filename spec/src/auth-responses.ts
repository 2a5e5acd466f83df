/**
 * Bodies an application's auth endpoints return to the client, which forwards their fields in
 * pusher:subscribe and pusher:signin.
 * @module
 */
import nacl from 'tweetnacl';
import { z } from 'zod';
import { base64OfBytes, jsonText } from './codec.ts';
import { ChannelData } from './frames/presence.ts';
import { UserData } from './frames/signin.ts';
import { AuthValue } from './identifiers.ts';
import { publish } from './registry.ts';

export const ChannelAuthResponse = publish(
  z.object({ auth: AuthValue }),
  { id: 'ChannelAuthResponse', kind: 'auth-response', description: 'Private channel authorization: {auth}.' },
);
export const PresenceAuthResponse = publish(
  z.object({ auth: AuthValue, channel_data: jsonText(ChannelData) }),
  { id: 'PresenceAuthResponse', kind: 'auth-response', description: 'Presence channel authorization: {auth, channel_data}; channel_data is signed.' },
);
export const EncryptedAuthResponse = publish(
  z.object({
    auth: AuthValue,
    // not covered by the signature; pusher-js refuses the subscription without it (a secretbox key)
    shared_secret: base64OfBytes(nacl.secretbox.keyLength),
  }),
  { id: 'EncryptedAuthResponse', kind: 'auth-response', description: `Encrypted channel authorization: {auth, shared_secret}; shared_secret is padded base64 of the ${nacl.secretbox.keyLength}-byte channel key.` },
);
export const UserAuthResponse = publish(
  z.object({ auth: AuthValue, user_data: jsonText(UserData) }),
  { id: 'UserAuthResponse', kind: 'auth-response', description: 'User authentication: {auth, user_data}; user_data is signed.' },
);
