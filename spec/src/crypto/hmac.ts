// Hash and MAC primitives shared by every Pusher signature scheme.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Lowercase hex HMAC-SHA256. Strings are hashed as UTF-8. */
export function hmacSha256Hex(secret: string | Uint8Array, message: string | Uint8Array): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** Lowercase hex MD5 of the exact body bytes (strings as UTF-8), as used for `body_md5`. */
export function md5Hex(body: string | Uint8Array): string {
  return createHash('md5').update(body).digest('hex');
}

/**
 * Compares two strings without an early exit on the first differing byte.
 * Returns false (never throws) on a length mismatch or a non-string argument; length is not secret.
 */
export function timingSafeEqualHex(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
