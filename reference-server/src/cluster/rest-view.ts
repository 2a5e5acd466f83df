/**
 * What the REST API reports of a channel: this node's subscribers and members and, in a cluster,
 * every other node's (clause cluster.rest-queries-cluster-wide). On a single node these are the
 * local figures and cost nothing more.
 * @module
 */
import type { AppRuntime } from '../app-runtime.ts';
import { userCount } from '../channels/presence.ts';

const remote = (app: AppRuntime) => (app.cluster?.restSeesCluster ? app.cluster : undefined);

/** Subscribers of the channel across the cluster. */
export function restSubscribers(app: AppRuntime, name: string): number {
  return (app.channels.get(name)?.subscribers.size ?? 0) + (remote(app)?.remoteSubscribers(name) ?? 0);
}

/** Distinct users of a presence channel across the cluster. */
export function restUserCount(app: AppRuntime, name: string): number {
  const channel = app.channels.get(name);
  const cluster = remote(app);
  if (!cluster) return channel ? (app.cluster ? channel.members.size : userCount(app, channel)) : 0;
  if (channel) return userCount(app, channel);
  return cluster.remoteMembers(name).size;
}

/** The user ids of a presence channel across the cluster, each once, with the connections this node holds for each. */
export function restMembers(app: AppRuntime, name: string): { id: string; localConnections: number }[] {
  const out = new Map<string, { id: string; localConnections: number }>();
  for (const [key, m] of app.channels.get(name)?.members ?? []) out.set(key, { id: String(m.userId), localConnections: m.connections.size });
  for (const [key, m] of remote(app)?.remoteMembers(name) ?? []) if (!out.has(key)) out.set(key, { id: String(m.userId), localConnections: 1 });
  return [...out.values()];
}

/** Occupied channels that only other nodes hold (this node's are listed from its registry). */
export function remoteOnlyChannels(app: AppRuntime): string[] {
  const cluster = remote(app);
  if (!cluster) return [];
  return [...cluster.remoteChannels()].filter((name) => (app.channels.get(name)?.subscribers.size ?? 0) === 0);
}
