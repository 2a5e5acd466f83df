/**
 * Checking the `auth` of a private, encrypted or presence subscription (spec crypto, constant time).
 * @module
 */
import { hmacSha256Hex, timingSafeEqualHex } from '../../../spec/src/crypto/hmac.ts';
import { channelStringToSign, verifyChannelAuth } from '../../../spec/src/crypto/channel-auth.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import type { AppRuntime } from '../app-runtime.ts';

export interface ChannelAuthInput {
  readonly socketId: string;
  readonly channel: string;
  readonly auth: string | undefined;
  /** presence: the exact channel_data string received; undefined for private channels and signed-in presence */
  readonly channelData: string | undefined;
}

/** True when `auth` is the app's signature of this socket, channel (and channel_data). */
export function channelAuthValid(app: AppRuntime, input: ChannelAuthInput): boolean {
  const { faults, config } = app;
  if (faults.has('signature-not-checked')) return true;
  // clause: channel-auth.private-required
  if (input.auth === undefined || input.auth === '') return false;
  const auth = faults.has('auth-key-ignored') ? withAppKey(input.auth, config.key) : input.auth;
  const verify = (socketId: string, channel: string, channelData: string | undefined): boolean =>
    verifyChannelAuth({ key: config.key, secret: config.secret, socketId, channel, channelData, auth }).ok;

  // clause: channel-auth.private-valid / channel-auth.presence-valid (channel_data exactly as received)
  const channelData = faults.has('channel-data-reserialized') ? reserialized(input.channelData) : input.channelData;
  if (verify(input.socketId, signedChannelName(app, input.channel), channelData)) return true;

  if (faults.has('channel-data-not-signed') && input.channelData !== undefined && verify(input.socketId, input.channel, undefined)) return true;
  if (faults.has('truncated-signature-accepted') && prefixMatches(app, input, auth)) return true;
  if (faults.has('other-socket-signature-accepted')) {
    for (const socketId of app.connections.keys()) if (verify(socketId, input.channel, input.channelData)) return true;
  }
  if (faults.has('other-channel-signature-accepted')) {
    for (const channel of app.channels.all()) if (verify(input.socketId, channel.name, input.channelData)) return true;
  }
  return false;
}

/** The channel name as signed: exactly as received, but for the private-auth-name-escaped and encrypted-auth-wrong-string faults. */
function signedChannelName(app: AppRuntime, channel: string): string {
  // clause: encrypted.auth-like-private ("{socket_id}:{channel}" with the whole name)
  if (app.faults.has('encrypted-auth-wrong-string') && channel.startsWith(ChannelPrefix.Encrypted)) return channel.slice(ChannelPrefix.Encrypted.length);
  // clause: channel-auth.private-valid (the name as sent, not URL-escaped)
  if (app.faults.has('private-auth-name-escaped')) return encodeURIComponent(channel);
  return channel;
}

/** channel-data-reserialized: channel_data as JSON.stringify(JSON.parse(…)); unchanged if it is not JSON. */
function reserialized(channelData: string | undefined): string | undefined {
  if (channelData === undefined) return undefined;
  try {
    return JSON.stringify(JSON.parse(channelData));
  } catch {
    return channelData;
  }
}

/** auth-key-ignored: whatever precedes the colon is treated as the app key. */
function withAppKey(auth: string, key: string): string {
  const colon = auth.indexOf(':');
  return colon < 0 ? auth : `${key}${auth.slice(colon)}`;
}

/** truncated-signature-accepted: compare only as many hex digits as the client sent. */
function prefixMatches(app: AppRuntime, input: ChannelAuthInput, auth: string): boolean {
  const colon = auth.indexOf(':');
  const given = auth.slice(colon + 1);
  if (colon < 0 || given.length === 0 || !timingSafeEqualHex(auth.slice(0, colon), app.config.key)) return false;
  const expected = hmacSha256Hex(app.config.secret, channelStringToSign({ socketId: input.socketId, channel: input.channel, channelData: input.channelData }));
  return timingSafeEqualHex(given, expected.slice(0, given.length));
}
