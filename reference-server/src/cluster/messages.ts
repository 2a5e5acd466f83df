/**
 * What the nodes of a cluster tell each other over the bus. Every message names its sender node;
 * a node ignores its own. Parsed with zod on receipt: a malformed message is dropped, not trusted.
 * @module
 */
import { z } from 'zod';

/** A presence member as a node reports it: the member key is String(user_id). */
export const MemberWire = z.object({ userId: z.union([z.string(), z.number()]), userInfo: z.unknown().optional() });
export type MemberWire = z.infer<typeof MemberWire>;

/** One node's share of one channel: its subscriber count and its presence members. */
export const ChannelShare = z.object({
  channel: z.string(),
  subscribers: z.number().int().nonnegative(),
  members: z.array(z.tuple([z.string(), MemberWire])),
});
export type ChannelShare = z.infer<typeof ChannelShare>;

/** One node's share of one app: channels and signed-in user ids. */
export const AppShare = z.object({ channels: z.array(ChannelShare), users: z.array(z.string()), connections: z.number().int().nonnegative() });
export type AppShare = z.infer<typeof AppShare>;

const base = { node: z.string() };

export const ClusterMessage = z.discriminatedUnion('type', [
  /** liveness, every HEARTBEAT_MS */
  z.object({ type: z.literal('heartbeat'), ...base }),
  /** a node that just joined asks every node for a snapshot */
  z.object({ type: z.literal('hello'), ...base }),
  /** graceful shutdown: drop my state now */
  z.object({ type: z.literal('bye'), ...base }),
  /** the sender's whole state, replacing what the receivers knew of it */
  z.object({ type: z.literal('snapshot'), ...base, apps: z.record(z.string(), AppShare) }),
  /** the sender's share of one channel changed */
  z.object({ type: z.literal('channel'), ...base, app: z.string(), share: ChannelShare }),
  /** a user's first connection on the sender signed in (online) or its last one left (offline) */
  z.object({ type: z.literal('user'), ...base, app: z.string(), user: z.string(), online: z.boolean() }),
  /** the sender's number of open connections of an app changed (quotas are cluster-wide) */
  z.object({ type: z.literal('connections'), ...base, app: z.string(), count: z.number().int().nonnegative() }),
  /** an event published over REST on the sender */
  z.object({
    type: z.literal('event'),
    ...base,
    app: z.string(),
    channel: z.string(),
    event: z.string(),
    data: z.string(),
    excludeSocketId: z.string().optional(),
  }),
  /** a client event relayed on the sender: the frame as its subscribers got it */
  z.object({ type: z.literal('client-event'), ...base, app: z.string(), channel: z.string(), frame: z.string() }),
  /** a REST query on the sender waits until every node answered: all they published before is then known */
  z.object({ type: z.literal('sync'), ...base, id: z.string() }),
  z.object({ type: z.literal('sync-ack'), ...base, id: z.string(), to: z.string() }),
  /** terminate_connections received by the sender */
  z.object({ type: z.literal('terminate'), ...base, app: z.string(), user: z.string() }),
]);
export type ClusterMessage = z.infer<typeof ClusterMessage>;
export type MessageOf<T extends ClusterMessage['type']> = Extract<ClusterMessage, { type: T }>;

/** A cached cache-channel event as stored in the cluster (the receiving node re-renders nothing). */
export const CachedWire = z.object({ frame: z.string(), data: z.string() });
export type CachedWire = z.infer<typeof CachedWire>;
