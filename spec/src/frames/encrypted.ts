/** The payload of an event on a private-encrypted- channel. */
import { z } from 'zod';
import { jsonString } from '../codec.ts';
import { publish } from '../registry.ts';

const base64OfLength = (min: number, max: number) =>
  z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64').refine((s) => {
    const n = Buffer.from(s, 'base64').length;
    return n >= min && n <= max;
  }, `decodes to ${min === max ? min : `${min}..${max}`} bytes`);

/** NaCl secretbox: 24-byte nonce, ciphertext = plaintext + 16-byte MAC. */
export const EncryptedPayload = publish(
  z.object({ nonce: base64OfLength(24, 24), ciphertext: base64OfLength(16, Number.MAX_SAFE_INTEGER) }),
  { id: 'EncryptedPayload', kind: 'data', description: 'Encrypted channel event data: base64 24-byte nonce and base64 secretbox ciphertext.' },
);
export type EncryptedPayload = z.infer<typeof EncryptedPayload>;

/** The `data` string of an encrypted event, as the server SDK writes it and the server relays it. */
export const EncryptedData = jsonString(EncryptedPayload);
