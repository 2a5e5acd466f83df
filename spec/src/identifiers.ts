/**
 * Socket ids, channel names, event names and user ids: their syntax, and the channel kinds
 * that channel-name prefixes select. Patterns use `[0-9]`, not `\d` (validators in unicode mode
 * read `\d` differently) and nothing beyond what every ECMA-262 and RE2 engine reads alike.
 * @module
 */
import { z } from 'zod';
import { EventPrefix } from './events.ts';
import { limits } from './limits.ts';
import { refineExpressed } from './refinements.ts';

/** Escape a literal prefix for use inside a pattern. */
const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `digits.digits`, as pusher-http-node validates before signing or excluding. */
export const SOCKET_ID_PATTERN = /^[0-9]+\.[0-9]+$/;
export const SocketId = z.string().regex(SOCKET_ID_PATTERN, 'socket_id must be digits.digits').meta({ description: 'Connection id assigned by the server: digits "." digits.' });
export type SocketId = z.infer<typeof SocketId>;

/** The alphabet of channel names and sign-in user ids (Pusher channels and authenticating-users docs, pusher-http-node). */
const NAME_CHARACTER = '[A-Za-z0-9_=@,.;-]';
/** Characters allowed in a channel name (Pusher channels docs, pusher-http-node). */
export const CHANNEL_NAME_PATTERN = new RegExp(`^${NAME_CHARACTER}+$`);
/** Characters allowed in a sign-in user id (authenticating-users docs). */
export const USER_ID_PATTERN = new RegExp(`^${NAME_CHARACTER}+$`);

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

/** A channel name in a frame or a publish: the documented alphabet, or `#server-to-user-{user id}`. */
export const FRAME_CHANNEL_NAME_PATTERN = new RegExp(`^(?:${NAME_CHARACTER}+|${literal(ChannelPrefix.ServerToUser)}${NAME_CHARACTER}+)$`);

const { channelNameLength, eventNameLength } = limits;

export const ChannelName = z
  .string()
  .min(1)
  .max(channelNameLength.pusher)
  .regex(FRAME_CHANNEL_NAME_PATTERN, 'channel names use A-Za-z0-9 and _ - = @ , . ; (or are #server-to-user-{id})')
  .meta({
    description:
      `Channel name: A-Za-z0-9 and _ - = @ , . ; or ${ChannelPrefix.ServerToUser}{user id}; at most ${channelNameLength.pusher} characters ` +
      `(${channelNameLength.title}, Pusher's value; profiles may differ, and a receiver judges names by its own profile).`,
  });

export const EventName = z
  .string()
  .min(1)
  .max(eventNameLength.pusher)
  .meta({ description: `Event name: 1 to ${eventNameLength.pusher} characters (${eventNameLength.title}, Pusher's value; profiles may differ).` });

/** Matches the names that belong to the protocol (`pusher:`, `pusher_internal:`). */
export const RESERVED_EVENT_NAME_PATTERN = new RegExp(`^(?:${literal(EventPrefix.Pusher)}|${literal(EventPrefix.Internal)})`);
/** Event names a publisher may use: the protocol's prefixes are reserved (clause rest.event-name-reserved). */
export const PublishedEventName = refineExpressed(
  EventName,
  (s) => !RESERVED_EVENT_NAME_PATTERN.test(s),
  `event names starting with ${EventPrefix.Pusher} or ${EventPrefix.Internal} are reserved`,
  // a negated pattern instead of a lookahead: RE2-based validators have no lookahead
  { not: { pattern: RESERVED_EVENT_NAME_PATTERN.source } },
).meta({ description: `Event name: 1 to ${eventNameLength.pusher} characters (Pusher's value; profiles may differ), not starting with ${EventPrefix.Pusher} or ${EventPrefix.Internal}.` });

export const CLIENT_EVENT_NAME_PATTERN = new RegExp(`^${literal(EventPrefix.Client)}`);
/** Any name with the client- prefix, length unchecked: what a receiver reads before applying its profile's limit. */
export const AnyClientEventName = z.string().regex(CLIENT_EVENT_NAME_PATTERN, `client event names start with ${EventPrefix.Client}`);
export const ClientEventName = AnyClientEventName
  .max(eventNameLength.pusher)
  .meta({ description: `A client event name: starts with ${EventPrefix.Client}; at most ${eventNameLength.pusher} characters (Pusher's value; profiles may differ).` });

/** Presence user ids: a string, or (per the docs' own example) a number. */
export const PresenceUserId = z.union([z.string().min(1), z.number()]);
/** Sign-in user ids: a non-empty string of the allowed characters. */
export const UserId = z.string().min(1).regex(USER_ID_PATTERN, 'user id has characters outside A-Za-z0-9_-=@,.;');

/** `{app_key}:{lowercase hex HMAC-SHA256}` */
export const AUTH_VALUE_PATTERN = /^[^:]+:[0-9a-f]{64}$/;
export const AuthValue = z.string().regex(AUTH_VALUE_PATTERN, 'auth must be app_key ":" 64 lowercase hex digits').meta({ description: 'app_key ":" lowercase hex HMAC-SHA256 signature.' });
