/**
 * One node of a cluster: what this node knows of the others (a mirror of their channels, members
 * and signed-in users, kept by their messages), heartbeats and the death of silent nodes, and the
 * per-app facade (AppCluster) the protocol modules call through `app.cluster?.…`.
 *
 * Every node decides member_added / member_removed for its own subscribers from its own view of
 * the union (its members plus its mirror): a user who becomes present in that view is announced
 * once, however many nodes it joined through. Webhooks, which must go out once per cluster, are
 * decided by an atomic Redis transition instead (ClusterBus.transition).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { WebhookEventName } from '../../../spec/src/webhooks.ts';
import type { AppRuntime } from '../app-runtime.ts';
import type { Channel } from '../channels/channel.ts';
import type { FaultSet } from '../contracts.ts';
import { Event } from '../../../spec/src/events.ts';
import type { ClusterBus, TransitionSubject } from './bus.ts';
import type { AppShare, ChannelShare, ClusterMessage, MemberWire, MessageOf } from './messages.ts';

/** How often a node says it is alive. */
export const HEARTBEAT_MS = 500;
/**
 * Silence after which a node is dead. With the sweep every HEARTBEAT_MS, its members are removed
 * at most DEAD_AFTER_MS + HEARTBEAT_MS after its last heartbeat: well inside DEAD_NODE_CLEANUP_MS
 * (spec/src/cluster.ts, clause cluster.dead-node-members-removed).
 */
export const DEAD_AFTER_MS = 2500;
/** How long a starting node waits for the snapshots of the nodes already running. */
export const SNAPSHOT_WAIT_MS = 1500;
/** Bound of the webhook transitions still running when the node shuts down. */
const CLOSE_PENDING_MS = 2000;
/** Bound of settled(): how long a REST answer waits for its fan-out to be dispatched. */
const SETTLE_MS = 1000;
/**
 * Bound of barrier(): how long a REST query or a presence subscription waits for the other nodes
 * (a dead one does not answer until it is declared dead).
 */
const BARRIER_MS = 1500;

interface RemoteChannel {
  subscribers: number;
  members: Map<string, MemberWire>;
}
interface RemoteApp {
  channels: Map<string, RemoteChannel>;
  users: Set<string>;
  connections: number;
}
interface RemoteNode {
  lastSeen: number;
  apps: Map<string, RemoteApp>;
}

/** The presence hooks the node needs from the protocol modules (injected: no import cycle). */
export interface LocalEffects {
  /** send member_added for `member` to every local subscriber of the channel */
  memberAdded(app: AppRuntime, channel: Channel, member: MemberWire): void;
  /** send member_removed for `userId` to every local subscriber of the channel */
  memberRemoved(app: AppRuntime, channel: Channel, userId: string | number): void;
  /** the channel's cluster-wide subscriber count changed */
  countChanged(app: AppRuntime, channel: Channel): void;
  /** deliver an event published on another node to this node's subscribers */
  deliverEvent(app: AppRuntime, ev: MessageOf<'event'>): void;
  /** a user went online / offline in this node's view: tell the local watchers */
  watchlist(app: AppRuntime, userId: string, online: boolean): void;
  /** terminate_connections received by another node */
  terminate(app: AppRuntime, userId: string): void;
  /** keep a cache channel event loaded from the cluster */
  storeCached(app: AppRuntime, channel: string, frame: string, data: string, ttlMs: number): void;
}

export class ClusterNode {
  readonly #bus: ClusterBus;
  readonly #apps = new Map<string, AppRuntime>();
  readonly #remotes = new Map<string, RemoteNode>();
  readonly #faults: FaultSet;
  readonly #effects: LocalEffects;
  readonly #log: (line: string) => void;
  readonly #pending = new Set<Promise<unknown>>();
  /** unknown nodes we already asked for a snapshot */
  readonly #asked = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** the last message handed to the bus */
  #lastPublish: Promise<void> = Promise.resolve();
  /** open barriers: id → the nodes still to answer, and what to call when none is left */
  readonly #barriers = new Map<string, { waiting: Set<string>; done: () => void }>();

  constructor(bus: ClusterBus, apps: readonly AppRuntime[], faults: FaultSet, effects: LocalEffects, log: (line: string) => void) {
    this.#bus = bus;
    this.#faults = faults;
    this.#effects = effects;
    this.#log = log;
    for (const app of apps) {
      this.#apps.set(app.id, app);
      app.cluster = new AppCluster(this, app);
    }
    bus.onMessage((m) => this.#receive(m));
  }

  get nodeId(): string {
    return this.#bus.nodeId;
  }

  get faults(): FaultSet {
    return this.#faults;
  }

  /** Load the shared cache, announce ourselves, and wait (bounded) for the running nodes' snapshots. */
  async start(): Promise<void> {
    await this.#bus.alive(DEAD_AFTER_MS);
    for (const entry of await this.#bus.cacheLoad()) {
      const app = this.#apps.get(entry.app);
      if (app) this.#effects.storeCached(app, entry.channel, entry.value.frame, entry.value.data, entry.ttlMs);
    }
    const expected = new Set(await this.#bus.liveNodes());
    this.#bus.publish({ type: 'hello', node: this.nodeId });
    const deadline = Date.now() + SNAPSHOT_WAIT_MS;
    while ([...expected].some((id) => !this.#remotes.has(id)) && Date.now() < deadline) await sleep(25);
    this.#timer = setInterval(() => this.#tick(), HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** Say goodbye, finish the webhook transitions (bounded), close the bus. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await Promise.race([Promise.allSettled([...this.#pending]), sleep(CLOSE_PENDING_MS)]);
    this.#bus.publish({ type: 'bye', node: this.nodeId });
    await this.#bus.close();
  }

  /** Stop at once, as if the process had been killed: no goodbye, no pending work (used to test node death in-process). */
  abandon(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#bus.abandon();
  }

  publish(message: ClusterMessage): void {
    if (!this.#closed) this.#lastPublish = this.#bus.publish(message);
  }

  /**
   * Resolves once everything published so far has been dispatched by the engine (bounded by
   * SETTLE_MS): a REST publish is answered after its event left for the other nodes, so that a
   * client acting on the answer (subscribing elsewhere) does not overtake it.
   */
  settled(): Promise<void> {
    return Promise.race([this.#lastPublish, sleep(SETTLE_MS)]);
  }

  /**
   * Resolves once every other live node answered a sync (or after BARRIER_MS). Messages of one
   * node arrive in order, so whatever a node published before its answer is in the mirror then:
   * a REST query sees a subscription another node confirmed before the query was sent.
   */
  barrier(): Promise<void> {
    if (this.#closed || this.#remotes.size === 0) return Promise.resolve();
    const id = randomBytes(6).toString('hex');
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, BARRIER_MS);
      timer.unref();
      const barriers = this.#barriers;
      function finish(): void {
        clearTimeout(timer);
        barriers.delete(id);
        resolve();
      }
      barriers.set(id, { waiting: new Set(this.#remotes.keys()), done: finish });
      this.publish({ type: 'sync', node: this.nodeId, id });
    });
  }

  #answered(id: string, node: string): void {
    const b = this.#barriers.get(id);
    if (!b) return;
    b.waiting.delete(node);
    if (b.waiting.size === 0) b.done();
  }

  /** Run an async cluster operation; failures are logged, and close() waits for it. */
  track(what: string, op: Promise<unknown>): void {
    if (this.#closed) {
      op.catch(() => {});
      return;
    }
    const p = op.catch((err: unknown) => this.#log(`cluster: ${what} failed: ${(err as Error).message}`)).finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  transition(subject: TransitionSubject, join: boolean): Promise<boolean> {
    return this.#bus.transition(subject, join);
  }

  claimMiss(app: string, channel: string): Promise<boolean> {
    return this.#bus.claimMiss(app, channel);
  }

  reserveConnection(app: string, max: number): Promise<boolean> {
    return this.#bus.reserveConnection(app, max);
  }

  releaseConnection(app: string): void {
    this.track('connection release', this.#bus.releaseConnection(app));
  }

  cacheSet(app: string, channel: string, frame: string, data: string, ttlMs: number): void {
    this.track('cache store', this.#bus.cacheSet(app, channel, { frame, data }, ttlMs));
  }

  /** every other node's share of an app */
  *remoteApps(appId: string): Iterable<RemoteApp> {
    for (const node of this.#remotes.values()) {
      const app = node.apps.get(appId);
      if (app) yield app;
    }
  }

  #tick(): void {
    this.publish({ type: 'heartbeat', node: this.nodeId });
    this.track('heartbeat', this.#bus.alive(DEAD_AFTER_MS));
    if (this.#faults.has('cluster-dead-node-kept')) return;
    const now = Date.now();
    for (const [id, node] of this.#remotes) {
      // clause: cluster.dead-node-members-removed
      if (now - node.lastSeen > DEAD_AFTER_MS) this.#dropNode(id, true);
    }
  }

  #receive(m: ClusterMessage): void {
    if (this.#closed) return;
    if (m.type === 'bye') {
      for (const id of [...this.#barriers.keys()]) this.#answered(id, m.node);
      return this.#dropNode(m.node, false);
    }
    const known = this.#remotes.get(m.node);
    const node = known ?? { lastSeen: 0, apps: new Map<string, RemoteApp>() };
    node.lastSeen = Date.now();
    if (!known) this.#remotes.set(m.node, node);
    switch (m.type) {
      case 'heartbeat':
        // a node we have no state of (we missed its snapshot): ask once
        if (!known && !this.#asked.has(m.node)) {
          this.#asked.add(m.node);
          this.publish({ type: 'hello', node: this.nodeId });
        }
        return;
      case 'hello':
        return this.publish({ type: 'snapshot', node: this.nodeId, apps: this.#snapshot() });
      case 'snapshot':
        return this.#replaceNode(node, m.apps);
      case 'channel': {
        const app = this.#apps.get(m.app);
        if (app) this.#applyShare(app, remoteApp(node, m.app), m.share);
        return;
      }
      case 'connections':
        remoteApp(node, m.app).connections = m.count;
        return;
      case 'user': {
        const app = this.#apps.get(m.app);
        if (app) this.#applyUser(app, remoteApp(node, m.app), m.user, m.online);
        return;
      }
      case 'event': {
        const app = this.#apps.get(m.app);
        if (app) this.#effects.deliverEvent(app, m);
        return;
      }
      case 'client-event': {
        const channel = this.#apps.get(m.app)?.channels.get(m.channel);
        // clause: cluster.client-events-every-node (the sender is on another node: everyone here gets it)
        if (channel) for (const conn of channel.subscribers) conn.send(m.frame);
        return;
      }
      case 'sync':
        return this.publish({ type: 'sync-ack', node: this.nodeId, id: m.id, to: m.node });
      case 'sync-ack':
        if (m.to === this.nodeId) this.#answered(m.id, m.node);
        return;
      case 'terminate': {
        const app = this.#apps.get(m.app);
        if (app) this.#effects.terminate(app, m.user);
        return;
      }
    }
  }

  #snapshot(): Record<string, AppShare> {
    const out: Record<string, AppShare> = {};
    for (const [id, app] of this.#apps) {
      out[id] = {
        channels: [...app.channels.all()].filter((c) => c.subscribers.size > 0).map(shareOf),
        users: [...app.users.entries()].filter(([, set]) => set.size > 0).map(([user]) => user),
        connections: app.connections.size,
      };
    }
    return out;
  }

  /** A snapshot replaces what we knew of a node: applied as the changes from the old to the new. */
  #replaceNode(node: RemoteNode, apps: Record<string, AppShare>): void {
    for (const [appId, app] of this.#apps) {
      const remote = remoteApp(node, appId);
      const next = apps[appId] ?? { channels: [], users: [], connections: 0 };
      remote.connections = next.connections;
      const seen = new Set(next.channels.map((c) => c.channel));
      for (const share of next.channels) this.#applyShare(app, remote, share);
      for (const name of [...remote.channels.keys()]) if (!seen.has(name)) this.#applyShare(app, remote, { channel: name, subscribers: 0, members: [] });
      const users = new Set(next.users);
      for (const user of users) this.#applyUser(app, remote, user, true);
      for (const user of [...remote.users]) if (!users.has(user)) this.#applyUser(app, remote, user, false);
    }
  }

  #dropNode(id: string, dead: boolean): void {
    const node = this.#remotes.get(id);
    if (!node) return;
    if (dead) this.#log(`cluster: node ${id} silent for ${DEAD_AFTER_MS} ms: removing its connections`);
    this.#replaceNode(node, {});
    this.#remotes.delete(id);
    const quotaApps = [...this.#apps.values()].filter((a) => a.config.maxConnections !== null).map((a) => a.id);
    // clause: connection.over-quota (a dead node's connections no longer count)
    if (quotaApps.length > 0) this.track('reap connections', this.#bus.reapConnections(id, quotaApps));
    this.#asked.delete(id);
    // clause: cluster.webhooks-once (the dead node's vacated / member_removed, sent by the one survivor whose reap emptied the sets)
    this.track('reap', this.#bus.reap(id).then((subjects) => {
      for (const s of subjects) {
        const app = this.#apps.get(s.app);
        if (!app) continue;
        if (s.kind === 'occupancy') app.emit({ name: WebhookEventName.ChannelVacated, channel: s.channel });
        else app.emit({ name: WebhookEventName.MemberRemoved, channel: s.channel, user_id: s.user });
      }
    }));
  }

  #applyShare(app: AppRuntime, remote: RemoteApp, share: ChannelShare): void {
    const local = app.channels.get(share.channel);
    const cluster = app.cluster!;
    const presenceView = local !== undefined && local.isPresence && local.subscribers.size > 0;
    const before = presenceView ? cluster.remoteMembers(share.channel) : undefined;
    const previousCount = remote.channels.get(share.channel)?.subscribers ?? 0;
    if (share.subscribers === 0 && share.members.length === 0) remote.channels.delete(share.channel);
    else remote.channels.set(share.channel, { subscribers: share.subscribers, members: new Map(share.members) });
    if (!local || local.subscribers.size === 0) return;
    if (before) {
      const after = cluster.remoteMembers(share.channel);
      // clause: cluster.presence-cluster-wide (announce a user once: when it appears in this node's view of the union)
      for (const [key, member] of after) if (!before.has(key) && !local.members.has(key)) this.#effects.memberAdded(app, local, member);
      for (const [key, member] of before) if (!after.has(key) && !local.members.has(key)) this.#effects.memberRemoved(app, local, member.userId);
    }
    if (previousCount !== share.subscribers) this.#effects.countChanged(app, local);
  }

  #applyUser(app: AppRuntime, remote: RemoteApp, user: string, online: boolean): void {
    if (remote.users.has(user) === online) return;
    const cluster = app.cluster!;
    const before = (app.users.get(user)?.size ?? 0) > 0 || cluster.remoteUserOnline(user);
    if (online) remote.users.add(user);
    else remote.users.delete(user);
    const after = (app.users.get(user)?.size ?? 0) > 0 || cluster.remoteUserOnline(user);
    // clause: cluster.users-every-node (watchlist follows the user's connections on every node)
    if (before !== after) this.#effects.watchlist(app, user, after);
  }
}

/**
 * What the protocol modules of one app see of the cluster. Queries are synchronous (answered from
 * the mirror); effects are published, or run in the background and awaited on close.
 */
export class AppCluster {
  readonly #node: ClusterNode;
  readonly #app: AppRuntime;
  /** per connection: the end of its inbound frames still waiting behind a barrier */
  readonly #inbound = new WeakMap<object, Promise<void>>();

  constructor(node: ClusterNode, app: AppRuntime) {
    this.#node = node;
    this.#app = app;
  }

  #has(fault: Parameters<FaultSet['has']>[0]): boolean {
    return this.#node.faults.has(fault);
  }

  // --- queries ---------------------------------------------------------------------------------

  /** subscribers of the channel on the other nodes */
  remoteSubscribers(channel: string): number {
    let n = 0;
    for (const app of this.#node.remoteApps(this.#app.id)) n += app.channels.get(channel)?.subscribers ?? 0;
    return n;
  }

  /** presence members on the other nodes, by member key (the first node's user_info wins) */
  remoteMembers(channel: string): Map<string, MemberWire> {
    const out = new Map<string, MemberWire>();
    // clause: cluster.presence-cluster-wide
    if (this.#has('cluster-presence-per-node')) return out;
    for (const app of this.#node.remoteApps(this.#app.id)) {
      for (const [key, member] of app.channels.get(channel)?.members ?? []) if (!out.has(key)) out.set(key, member);
    }
    return out;
  }

  remoteHasMember(channel: string, key: string): boolean {
    return this.remoteMembers(channel).has(key);
  }

  /** open connections of the app on the other nodes */
  remoteConnections(): number {
    let n = 0;
    for (const app of this.#node.remoteApps(this.#app.id)) n += app.connections;
    return n;
  }

  /** names of the channels with subscribers on another node */
  remoteChannels(): Set<string> {
    const out = new Set<string>();
    for (const app of this.#node.remoteApps(this.#app.id)) for (const [name, c] of app.channels) if (c.subscribers > 0) out.add(name);
    return out;
  }

  remoteUserOnline(user: string): boolean {
    // clause: cluster.users-every-node
    if (this.#has('cluster-users-local-only')) return false;
    for (const app of this.#node.remoteApps(this.#app.id)) if (app.users.has(user)) return true;
    return false;
  }

  /** REST answers see the other nodes, unless the cluster-rest-local fault is on. */
  get restSeesCluster(): boolean {
    // clause: cluster.rest-queries-cluster-wide
    return !this.#has('cluster-rest-local');
  }

  // --- connections -----------------------------------------------------------------------------

  /** Connections of this app are counted in the engine (clause connection.over-quota): it has a quota. */
  get countsConnections(): boolean {
    return this.#app.config.maxConnections !== null && !this.#app.faults.has('quota-not-enforced');
  }

  /**
   * Count a new connection against the app's cluster-wide quota, atomically across nodes: false
   * when the cluster holds `max` already. If the engine cannot answer, the nodes' reported
   * counts decide (not atomic, but no connection is refused for an engine hiccup alone).
   */
  async reserveConnection(max: number): Promise<boolean> {
    try {
      return await this.#node.reserveConnection(this.#app.id, max);
    } catch {
      return this.#app.connections.size + this.remoteConnections() < max;
    }
  }

  /** A connection counted by reserveConnection closed (or never opened). */
  connectionReleased(): void {
    if (this.countsConnections) this.#node.releaseConnection(this.#app.id);
  }

  /**
   * Handle a connection's inbound frames in order, holding a subscription until every node
   * answered a barrier: what it gets then reflects everything another node had confirmed before
   * (the member list, clause cluster.presence-cluster-wide; subscription_count and the cached
   * event, clauses cluster.rest-queries-cluster-wide and cluster.cache-shared). Other frames of
   * that connection wait behind it; frames of connections with nothing held run at once.
   */
  inbound(conn: object, data: unknown, isBinary: boolean, handle: () => void): void {
    const held = this.#inbound.get(conn);
    const sync = !isBinary && isSubscribe(data);
    if (!held && !sync) return handle();
    const next = (held ?? Promise.resolve()).then(() => (sync ? this.#node.barrier() : undefined)).then(handle, handle);
    const tail = next.catch(() => {});
    this.#inbound.set(conn, tail);
    void tail.then(() => {
      if (this.#inbound.get(conn) === tail) this.#inbound.delete(conn);
    });
  }

  // --- effects ---------------------------------------------------------------------------------

  /** This node's share of the channel changed (subscriber joined or left, member joined or left). */
  shareChanged(channel: Channel): void {
    this.#node.publish({ type: 'channel', node: this.#node.nodeId, app: this.#app.id, share: shareOf(channel) });
  }

  /** A connection of the app opened or closed on this node. */
  connectionsChanged(): void {
    this.#node.publish({ type: 'connections', node: this.#node.nodeId, app: this.#app.id, count: this.#app.connections.size });
  }

  /** The user's first connection on this node signed in, or its last one here left. */
  userChanged(user: string, online: boolean): void {
    this.#node.publish({ type: 'user', node: this.#node.nodeId, app: this.#app.id, user, online });
  }

  /** An event published over REST on this node. */
  published(ev: { channel: string; event: string; data: string; excludeSocketId?: string | undefined }, toUser: boolean): void {
    // clause: cluster.events-every-node / cluster.users-every-node
    if (this.#has(toUser ? 'cluster-users-local-only' : 'cluster-events-local-only')) return;
    this.#node.publish({
      type: 'event',
      node: this.#node.nodeId,
      app: this.#app.id,
      channel: ev.channel,
      event: ev.event,
      data: ev.data,
      ...(ev.excludeSocketId !== undefined ? { excludeSocketId: ev.excludeSocketId } : {}),
    });
  }

  clientEvent(channel: string, frame: string): void {
    // clause: cluster.client-events-every-node
    if (this.#has('cluster-client-events-local-only')) return;
    this.#node.publish({ type: 'client-event', node: this.#node.nodeId, app: this.#app.id, channel, frame });
  }

  terminate(user: string): void {
    // clause: cluster.users-every-node
    if (this.#has('cluster-users-local-only')) return;
    this.#node.publish({ type: 'terminate', node: this.#node.nodeId, app: this.#app.id, user });
  }

  /** A cache channel event stored on this node: kept in the cluster for nodes that start later. */
  cached(channel: string, frame: string, data: string, ttlMs: number): void {
    // clause: cluster.cache-shared
    if (this.#has('cluster-cache-not-shared')) return;
    this.#node.cacheSet(this.#app.id, channel, frame, data, ttlMs);
  }

  /** A subscriber found the cache empty: the cache_miss webhook goes out once per cluster until the cache is filled again. */
  cacheMiss(channel: string): void {
    const app = this.#app;
    this.#node.track('cache miss', this.#node.claimMiss(app.id, channel).then((first) => first && app.emit({ name: WebhookEventName.CacheMiss, channel })));
  }

  /** An event arriving from another node is kept in this node's cache unless the cache is not shared. */
  get cacheSharedFromRemote(): boolean {
    return !this.#has('cluster-cache-not-shared');
  }

  /** Exclusion applies to events that came from another node unless cluster-exclusion-local-only is on. */
  get excludesRemotePublishes(): boolean {
    // clause: cluster.socket-id-exclusion
    return !this.#has('cluster-exclusion-local-only');
  }

  /**
   * This node's occupancy of a channel changed. channel_occupied / channel_vacated go out when
   * the whole cluster's occupancy changes, from the one node whose transition changed it.
   */
  occupancy(channel: string, occupied: boolean): void {
    const app = this.#app;
    const emit = (): void => {
      if (!occupied) return app.emit({ name: WebhookEventName.ChannelVacated, channel });
      // clause: webhooks.grace-delay (back within the grace window: neither vacated nor occupied)
      if (!app.cancelPending({ name: WebhookEventName.ChannelVacated, channel })) app.emit({ name: WebhookEventName.ChannelOccupied, channel });
    };
    // clause: cluster.webhooks-once
    if (this.#has('cluster-webhooks-per-node')) return emit();
    this.#node.track('occupancy', this.#node.transition({ kind: 'occupancy', app: app.id, channel }, occupied).then((changed) => changed && emit()));
  }

  /** A user's presence on this node changed (first connection joined, last one left). */
  membership(channel: string, user: string, present: boolean): void {
    const app = this.#app;
    const emit = (): void => {
      if (!present) return app.emit({ name: WebhookEventName.MemberRemoved, channel, user_id: user });
      // clause: webhooks.member-added (back within the grace window: neither member_removed nor member_added)
      if (!app.cancelPending({ name: WebhookEventName.MemberRemoved, channel, user_id: user })) app.emit({ name: WebhookEventName.MemberAdded, channel, user_id: user });
    };
    // clause: cluster.webhooks-once
    if (this.#has('cluster-webhooks-per-node')) return emit();
    this.#node.track('membership', this.#node.transition({ kind: 'member', app: app.id, channel, user }, present).then((changed) => changed && emit()));
  }
}

function remoteApp(node: RemoteNode, appId: string): RemoteApp {
  let app = node.apps.get(appId);
  if (!app) {
    app = { channels: new Map(), users: new Set(), connections: 0 };
    node.apps.set(appId, app);
  }
  return app;
}

function shareOf(channel: Channel): ChannelShare {
  return {
    channel: channel.name,
    subscribers: channel.subscribers.size,
    members: [...channel.members].map(([key, m]) => [key, { userId: m.userId, ...(m.userInfo !== undefined ? { userInfo: m.userInfo } : {}) }] as [string, MemberWire]),
  };
}

/** a `pusher:subscribe` frame (cheap test first: most frames are not) */
function isSubscribe(data: unknown): boolean {
  const text = Array.isArray(data) ? Buffer.concat(data as Buffer[]).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : '';
  if (!text.includes(Event.Subscribe)) return false;
  try {
    return (JSON.parse(text) as { event?: unknown }).event === Event.Subscribe;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
