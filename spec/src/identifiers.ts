/**
 * Socket ids, channel names, event names and user ids: their syntax, and the channel kinds
 * that channel-name prefixes select.
 * @module
 */
import { z } from 'zod';
import { EventPrefix } from './events.ts';

/** `digits.digits`, as pusher-http-node validates before signing or excluding. */
export const SOCKET_ID_PATTERN = /^\d+\.\d+$/;
export const SocketId = z.string().regex(SOCKET_ID_PATTERN, 'socket_id must be digits.digits').meta({ description: 'Connection id assigned by the server: digits "." digits.' });
export type SocketId = z.infer<typeof SocketId>;

/** Characters allowed in a channel name (Pusher channels docs, pusher-http-node). */
export const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9_\-=@,.;]+$/;
/** Characters allowed in a sign-in user id (authenticating-users docs). */
export const USER_ID_PATTERN = /^[A-Za-z0-9_\-=@,.;]+$/;

export const ChannelPrefix = {
  Private: 'private-',
  Encrypted: 'private-encrypted-',
  Presence: 'presence-',
  Cache: 'cache-',
  PrivateCache: 'private-cache-',
  EncryptedCache: 'private-encrypted-cache-',
  PresenceCache: 'presence-cache-',
  /** names starting with `#` are reserved for the service */
  Reserved: '#',
  ServerToUser: '#server-to-user-',
} as const;

export type ChannelType = 'public' | 'private' | 'encrypted' | 'presence';

export interface ChannelKind {
  readonly type: ChannelType;
  /** a cache channel (any of the four cache prefixes) */
  readonly cache: boolean;
  /** `#server-to-user-{id}`: written by the server only */
  readonly serverToUser: boolean;
  /** subscribing needs a signature */
  readonly requiresAuth: boolean;
}

// Order matters: the longest prefix of each family first. Prefixes are anchored (soketi's
// unanchored matching of `private-` and `cache-` is a departure, not a reading of the spec).
const KINDS: readonly [prefix: string, type: ChannelType, cache: boolean][] = [
  [ChannelPrefix.EncryptedCache, 'encrypted', true],
  [ChannelPrefix.Encrypted, 'encrypted', false],
  [ChannelPrefix.PrivateCache, 'private', true],
  [ChannelPrefix.Private, 'private', false],
  [ChannelPrefix.PresenceCache, 'presence', true],
  [ChannelPrefix.Presence, 'presence', false],
  [ChannelPrefix.Cache, 'public', true],
];

export function channelKind(name: string): ChannelKind {
  if (name.startsWith(ChannelPrefix.ServerToUser)) {
    return { type: 'public', cache: false, serverToUser: true, requiresAuth: false };
  }
  for (const [prefix, type, cache] of KINDS) {
    if (name.startsWith(prefix)) return { type, cache, serverToUser: false, requiresAuth: type !== 'public' };
  }
  return { type: 'public', cache: false, serverToUser: false, requiresAuth: false };
}

export const serverToUserChannel = (userId: string): string => `${ChannelPrefix.ServerToUser}${userId}`;
export const userIdOfServerToUserChannel = (channel: string): string | undefined =>
  channel.startsWith(ChannelPrefix.ServerToUser) ? channel.slice(ChannelPrefix.ServerToUser.length) : undefined;

/** A syntactically valid channel name of at most `maxLength` characters (from the target's profile). */
export function isValidChannelName(name: string, maxLength: number): boolean {
  return name.length > 0 && name.length <= maxLength && CHANNEL_NAME_PATTERN.test(name);
}

/** Channel names as they appear in frames: the pattern, or a reserved server-to-user name. */
export const ChannelName = z
  .string()
  .min(1)
  .refine((s) => CHANNEL_NAME_PATTERN.test(s) || (s.startsWith(ChannelPrefix.ServerToUser) && USER_ID_PATTERN.test(s.slice(ChannelPrefix.ServerToUser.length))), 'invalid channel name')
  .meta({ description: 'A-Za-z0-9 and _ - = @ , . ; (length limit per profile), or #server-to-user-{id}.' });

export const EventName = z.string().min(1).meta({ description: 'Event name; length limit per profile (200).' });
export const ClientEventName = z
  .string()
  .startsWith(EventPrefix.Client)
  .meta({ description: 'A client event name: starts with client-.' });

/** Presence user ids: a string, or (per the docs' own example) a number. */
export const PresenceUserId = z.union([z.string().min(1), z.number()]);
/** Sign-in user ids: a non-empty string of the allowed characters. */
export const UserId = z.string().min(1).regex(USER_ID_PATTERN, 'user id has characters outside A-Za-z0-9_-=@,.;');

/** `{app_key}:{lowercase hex HMAC-SHA256}` */
export const AUTH_VALUE_PATTERN = /^[^:]+:[0-9a-f]{64}$/;
export const AuthValue = z.string().meta({ description: 'app_key ":" lowercase hex HMAC-SHA256 signature.' });
