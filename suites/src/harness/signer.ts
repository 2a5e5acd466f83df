/**
 * The suite acting as the app's server: channel, presence and user signatures, shared secrets
 * and encrypted payloads, all computed with spec/ crypto.
 * @module
 */
import { signChannel, signUser, channelSharedSecret, encryptedDataString } from '../../../spec/src/crypto/index.ts';
import type { Signer } from './types.ts';

export function createSigner(creds: { key: string; secret: string; encryptionMasterKey: string }): Signer {
  const { key, secret } = creds;
  return {
    channel: (socketId, channel, channelData) =>
      channelData === undefined ? signChannel({ key, secret, socketId, channel }) : signChannel({ key, secret, socketId, channel, channelData }),
    presence(socketId, channel, data) {
      const channel_data = JSON.stringify(data);
      return { auth: signChannel({ key, secret, socketId, channel, channelData: channel_data }), channel_data };
    },
    user(socketId, userData) {
      const user_data = JSON.stringify(userData);
      return { auth: signUser({ key, secret, socketId, userData: user_data }), user_data };
    },
    sharedSecret: (channel) => Buffer.from(channelSharedSecret(channel, creds.encryptionMasterKey)).toString('base64'),
    encrypt: (channel, plaintext) => encryptedDataString({ channel, masterKey: creds.encryptionMasterKey, plaintext }),
  };
}
