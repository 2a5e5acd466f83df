// Webhook authentication: HMAC-SHA256 of the raw request body, sent with the app key in headers.
import { hmacSha256Hex, timingSafeEqualHex } from './hmac.ts';

export const WebhookHeader = { Key: 'X-Pusher-Key', Signature: 'X-Pusher-Signature' } as const;
export type WebhookHeader = (typeof WebhookHeader)[keyof typeof WebhookHeader];

/** A fetch `Headers` object or a plain record such as Node's `IncomingHttpHeaders`. */
export type WebhookHeaders = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export type WebhookFailureReason = 'missing-key-header' | 'missing-signature-header' | 'wrong-key' | 'bad-signature';
export type WebhookVerification = { ok: true } | { ok: false; reason: WebhookFailureReason };

/** Lowercase hex signature for `X-Pusher-Signature`. Sign the bytes that are sent, not a re-serialisation. */
export function signWebhook(secret: string, rawBody: string | Uint8Array): string {
  return hmacSha256Hex(secret, rawBody);
}

export function verifyWebhook(input: {
  key: string;
  secret: string;
  headers: WebhookHeaders;
  rawBody: string | Uint8Array;
}): WebhookVerification {
  const key = readHeader(input.headers, WebhookHeader.Key);
  if (key === undefined) return { ok: false, reason: 'missing-key-header' };
  const signature = readHeader(input.headers, WebhookHeader.Signature);
  if (signature === undefined) return { ok: false, reason: 'missing-signature-header' };
  if (key !== input.key) return { ok: false, reason: 'wrong-key' };
  const expected = signWebhook(input.secret, input.rawBody);
  return timingSafeEqualHex(signature, expected) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (isHeadersObject(headers)) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted || v === undefined) continue;
    // Node joins repeated custom headers with ", "; do the same so a duplicate cannot verify.
    return Array.isArray(v) ? v.join(', ') : String(v);
  }
  return undefined;
}

function isHeadersObject(headers: WebhookHeaders): headers is { get(name: string): string | null } {
  return typeof headers.get === 'function';
}
