/** The payload of an event on a private-encrypted- channel. */
import nacl from 'tweetnacl';
import { z } from 'zod';
import { base64OfAtLeast, base64OfBytes, jsonString } from '../codec.ts';
import { publish } from '../registry.ts';

/** NaCl secretbox: a 24-byte nonce; the ciphertext is the plaintext plus a 16-byte MAC. */
const SECRETBOX_NONCE_BYTES = nacl.secretbox.nonceLength;
const SECRETBOX_MAC_BYTES = nacl.secretbox.overheadLength;

export const EncryptedPayload = publish(
  z.object({ nonce: base64OfBytes(SECRETBOX_NONCE_BYTES), ciphertext: base64OfAtLeast(SECRETBOX_MAC_BYTES) }),
  {
    id: 'EncryptedPayload', kind: 'data',
    description: `Encrypted channel event data: nonce, padded base64 of ${SECRETBOX_NONCE_BYTES} bytes; ciphertext, padded base64 of the NaCl secretbox output (at least its ${SECRETBOX_MAC_BYTES}-byte MAC).`,
  },
);
export type EncryptedPayload = z.infer<typeof EncryptedPayload>;

/** The `data` string of an encrypted event, as the server SDK writes it and the server relays it. */
export const EncryptedData = jsonString(EncryptedPayload);
