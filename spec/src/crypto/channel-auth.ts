// Channel authorization signatures (private, encrypted and presence channels).
import { hmacSha256Hex, timingSafeEqualHex } from './hmac.ts';

export interface ChannelAuthSubject {
  socketId: string;
  channel: string;
  /** Presence only: the exact `channel_data` string the client sends, byte for byte. */
  channelData?: string;
}

export interface ChannelSignInput extends ChannelAuthSubject {
  key: string;
  secret: string;
}

export type AuthFailureReason = 'malformed' | 'wrong-key' | 'bad-signature';
export type AuthVerification = { ok: true } | { ok: false; reason: AuthFailureReason };

const SIGNATURE_HEX = /^[0-9a-f]{64}$/;

/**
 * `socket_id:channel`, or `socket_id:channel:channel_data` when channel data is given.
 * The presence of channelData decides, not the channel prefix: pusher-http-node signs that way too.
 */
export function channelStringToSign({ socketId, channel, channelData }: ChannelAuthSubject): string {
  return channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
}

/** Returns the `auth` value `"<key>:<hex>"`. */
export function signChannel(input: ChannelSignInput): string {
  return `${input.key}:${hmacSha256Hex(input.secret, channelStringToSign(input))}`;
}

export function verifyChannelAuth(input: ChannelSignInput & { auth: string }): AuthVerification {
  return verifyAuthValue({ key: input.key, secret: input.secret, stringToSign: channelStringToSign(input), auth: input.auth });
}

/**
 * Checks an `"<key>:<hex>"` value against a string to sign. Shared by channel and user auth.
 * The key is checked separately so a wrong prefix is reported as such; Reverb and Sockudo ignore the
 * prefix, soketi compares the whole string.
 */
export function verifyAuthValue(args: { key: string; secret: string; stringToSign: string; auth: string }): AuthVerification {
  const { auth } = args;
  if (typeof auth !== 'string') return { ok: false, reason: 'malformed' };
  const colon = auth.indexOf(':');
  if (colon < 0) return { ok: false, reason: 'malformed' };
  const signature = auth.slice(colon + 1);
  if (!SIGNATURE_HEX.test(signature)) return { ok: false, reason: 'malformed' };
  if (!timingSafeEqualHex(auth.slice(0, colon), args.key)) return { ok: false, reason: 'wrong-key' };
  const expected = hmacSha256Hex(args.secret, args.stringToSign);
  return timingSafeEqualHex(signature, expected) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}
