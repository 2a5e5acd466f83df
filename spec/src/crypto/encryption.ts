// End-to-end encrypted channels: per-channel keys and NaCl secretbox payloads.
import { createHash } from 'node:crypto';
import nacl from 'tweetnacl';

export const MASTER_KEY_BYTES = 32;
export const NONCE_BYTES = nacl.secretbox.nonceLength;

/** Thrown when a master key is not 32 bytes, or not valid base64. */
export class EncryptionKeyError extends Error {
  override name = 'EncryptionKeyError';
}

export type DecryptFailureReason = 'bad-key' | 'bad-nonce' | 'bad-ciphertext' | 'auth-failed' | 'bad-utf8';
export type DecryptResult = { ok: true; plaintext: string } | { ok: false; reason: DecryptFailureReason };

export interface EncryptInput {
  channel: string;
  /** 32 bytes, or their base64 (44 characters). */
  masterKey: Uint8Array | string;
  /** Usually `JSON.stringify(payload)`, which is what the server SDKs encrypt. */
  plaintext: string;
  /** 24 bytes; random when omitted. Fixed nonces are for test vectors only. */
  nonce?: Uint8Array;
}

/** SHA-256(utf8(channel) ‖ masterKey): channel bytes first. Sent base64 as `shared_secret`. */
export function channelSharedSecret(channel: string, masterKey: Uint8Array | string): Uint8Array {
  const key = typeof masterKey === 'string' ? decodeBase64(masterKey) : masterKey;
  if (key === undefined) throw new EncryptionKeyError('Encryption master key is not valid base64');
  if (key.length !== MASTER_KEY_BYTES) {
    throw new EncryptionKeyError(`Encryption master key must be ${MASTER_KEY_BYTES} bytes, got ${key.length}`);
  }
  return new Uint8Array(createHash('sha256').update(channel, 'utf8').update(key).digest());
}

export function encryptPayload(input: EncryptInput): { nonce: string; ciphertext: string } {
  const nonce = input.nonce ?? nacl.randomBytes(NONCE_BYTES);
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`Nonce must be ${NONCE_BYTES} bytes, got ${nonce.length}`);
  const key = channelSharedSecret(input.channel, input.masterKey);
  const box = nacl.secretbox(new TextEncoder().encode(input.plaintext), nonce, key);
  return { nonce: encodeBase64(nonce), ciphertext: encodeBase64(box) };
}

/** The `data` string of an encrypted event, field order as pusher-http-node writes it. */
export function encryptedDataString(input: EncryptInput): string {
  const { nonce, ciphertext } = encryptPayload(input);
  return JSON.stringify({ nonce, ciphertext });
}

/** Never throws: malformed base64, wrong lengths, tampering and non-UTF-8 plaintext all give ok:false. */
export function decryptPayload(input: { sharedSecret: Uint8Array | string; nonce: string; ciphertext: string }): DecryptResult {
  const key = typeof input.sharedSecret === 'string' ? decodeBase64(input.sharedSecret) : input.sharedSecret;
  if (!(key instanceof Uint8Array) || key.length !== nacl.secretbox.keyLength) return { ok: false, reason: 'bad-key' };
  const nonce = decodeBase64(input.nonce);
  if (nonce === undefined || nonce.length !== NONCE_BYTES) return { ok: false, reason: 'bad-nonce' };
  const box = decodeBase64(input.ciphertext);
  if (box === undefined) return { ok: false, reason: 'bad-ciphertext' };
  let opened: Uint8Array | null;
  try {
    opened = nacl.secretbox.open(box, nonce, key);
  } catch {
    return { ok: false, reason: 'bad-ciphertext' };
  }
  if (opened === null) return { ok: false, reason: 'auth-failed' };
  // ignoreBOM keeps a leading U+FEFF that the plaintext really contained.
  try {
    return { ok: true, plaintext: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(opened) };
  } catch {
    return { ok: false, reason: 'bad-utf8' };
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// Buffer.from(s, 'base64') silently skips invalid characters, so validate first.
function decodeBase64(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !BASE64.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
