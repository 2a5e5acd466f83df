/**
 * Join a cluster: connect the engine named by the URL, wire the cluster node to the protocol
 * modules, and catch up with the nodes already running. Only `redis://` and `rediss://` exist.
 * @module
 */
import { WatchlistEventName } from '../../../spec/src/events.ts';
import type { AppRuntime } from '../app-runtime.ts';
import { announceAdded, announceRemoved } from '../channels/presence.ts';
import { publishServerEvent } from '../channels/publish.ts';
import { subscriptionCountChanged } from '../channels/subscription-count.ts';
import type { FaultSet } from '../contracts.ts';
import { notifyWatchers, terminateUser } from '../users.ts';
import { ClusterNode, type LocalEffects } from './node.ts';
import { connectRedisBus } from './redis-bus.ts';

const effects: LocalEffects = {
  memberAdded: (app, channel, member) => announceAdded(app, channel, undefined, { userId: member.userId, userInfo: member.userInfo }),
  memberRemoved: (app, channel, userId) => announceRemoved(app, channel, userId),
  countChanged: (app, channel) => subscriptionCountChanged(app, channel),
  deliverEvent: (app, m) => publishServerEvent(app, { channel: m.channel, event: m.event, data: m.data, excludeSocketId: m.excludeSocketId }, m.node),
  watchlist: (app, userId, online) => {
    if (!app.faults.has('watchlist-never-sent')) notifyWatchers(app, userId, online ? WatchlistEventName.Online : WatchlistEventName.Offline);
  },
  terminate: (app, userId) => terminateUser(app, userId, 'cluster'),
  storeCached: (app, channel, frame, data, ttlMs) => app.cache.store(channel, frame, data, ttlMs, Date.now()),
};

/** Throws ClusterError (one line) when the engine cannot be reached. */
export async function joinCluster(url: string, apps: readonly AppRuntime[], faults: FaultSet, log: (line: string) => void): Promise<ClusterNode> {
  const bus = await connectRedisBus(url, log);
  const node = new ClusterNode(bus, apps, faults, effects, log);
  try {
    await node.start();
  } catch (err) {
    await node.close().catch(() => {});
    throw err;
  }
  return node;
}
