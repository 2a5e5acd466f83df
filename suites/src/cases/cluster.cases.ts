/**
 * What only a cluster has: the target's nodes are given (--node), each step pins its node, and the
 * behaviour must be the same whichever node a connection or a REST call reaches. Every other area
 * runs cross-node too: the harness spreads its connections over the nodes.
 * @module
 */
import { DEAD_NODE_CLEANUP_MS } from '../../../spec/src/cluster.ts';
import { limits } from '../../../spec/src/limits.ts';
import { Event } from '../../../spec/src/events.ts';
import { ChannelPrefix, serverToUserChannel } from '../../../spec/src/identifiers.ts';
import { WebhookEventName } from '../../../spec/src/webhooks.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import { isAccepted } from '../harness/rest.ts';
import type { CaseContext, Client } from '../harness/types.ts';
import { TEST_EVENT, deliveries, httpSummary, uniqueToken } from './helpers/first-areas.ts';
import { carriesToken } from './helpers/channel-sync.ts';
import { MODEL_USERS, clusterPresenceCommands, initialClusterPresenceModel, type ClusterPresenceModel, type ClusterPresenceReal } from './cluster-presence-model.ts';

/** Bound of one delivery across nodes, before time-scale. */
const ACROSS_MS = 3000;
/** Quiet time in which a duplicate (a second member_added, a second webhook) would show, before time-scale. */
const QUIET_MS = 800;
const SYNC_EVENT = 'conformance-cluster-sync';

const lastNode = (ctx: CaseContext): number => ctx.nodes.length - 1;

async function publishOn(ctx: CaseContext, node: number, body: Record<string, unknown>): Promise<void> {
  const res = await ctx.restOn(node).trigger(body);
  check(isAccepted(res), `POST /events on node ${node + 1} is accepted`, httpSummary(res));
}

/**
 * A marker published through the same node after `channel`'s events: once every client got it,
 * whatever that node fanned out before it has arrived (one node's messages keep their order).
 */
async function fence(ctx: CaseContext, node: number, channel: string, clients: readonly Client[]): Promise<void> {
  const data = uniqueToken('fence');
  await publishOn(ctx, node, { name: SYNC_EVENT, channel, data });
  for (const c of clients) {
    const got = await c.waitFor({ event: SYNC_EVENT, channel, where: (f) => carriesToken(f.data, data), within: ACROSS_MS });
    check(got !== undefined, `${c.label} receives the event published on node ${node + 1}`, 'nothing arrived');
  }
}

/** one connection per node, each subscribed to `channel` (node i gets connection i) */
async function subscribeOnEveryNode(ctx: CaseContext, channel: string): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < ctx.nodes.length; i++) {
    const c = await ctx.connect({ node: i });
    await c.subscribeOk(channel);
    clients.push(c);
  }
  return clients;
}

/** how many webhooks named `name` arrived for `channel` */
const webhooksFor = (hooks: NonNullable<CaseContext['webhooks']>, name: string, channel: string): number =>
  hooks.received().filter((w) => w.event.name === name && w.event.channel === channel).length;

const memberEvents = (c: Client, channel: string, event: string, userId: string): number =>
  c.frames().filter((f) => f.event === event && f.channel === channel && typeof f.data === 'string' && (JSON.parse(f.data) as { user_id?: unknown }).user_id === userId).length;

async function presenceJoin(ctx: CaseContext, node: number, channel: string, userId: string): Promise<Client> {
  const c = await ctx.connect({ node });
  await c.subscribeOk(channel, { channelData: { user_id: userId } });
  return c;
}

export default defineArea('cluster', 'Several nodes', [
  defineCase({
    id: 'cluster/publish-reaches-every-node',
    clause: 'cluster.events-every-node',
    level: 'MUST',
    features: ['cluster'],
    action: 'Subscribes one connection on every node, publishes through the first node',
    requirement: 'Every subscriber, on every node, MUST receive the event exactly once',
    async run(ctx) {
      const channel = ctx.channelName('');
      const clients: Client[] = [];
      for (let i = 0; i < ctx.nodes.length; i++) {
        const c = await ctx.connect({ node: i });
        await c.subscribeOk(channel);
        clients.push(c);
      }
      const data = uniqueToken('across');
      await publishOn(ctx, 0, { name: TEST_EVENT, channel, data });
      await fence(ctx, 0, channel, clients);
      for (const c of clients) {
        const n = deliveries(c, channel, TEST_EVENT, data).length;
        check(n === 1, `${c.label} gets the event published on node 1 exactly once`, `${n} time(s)`);
      }
    },
  }),
  defineCase({
    id: 'cluster/exclusion-on-another-node',
    clause: 'cluster.socket-id-exclusion',
    level: 'MUST',
    features: ['cluster'],
    action: 'Subscribes two connections on the last node, publishes through the first node with the socket_id of one of them',
    requirement: 'The excluded connection MUST NOT receive the event; the other MUST receive it once',
    async run(ctx) {
      const channel = ctx.channelName('');
      const excluded = await ctx.connect({ node: lastNode(ctx) });
      const other = await ctx.connect({ node: lastNode(ctx) });
      for (const c of [excluded, other]) await c.subscribeOk(channel);
      const data = uniqueToken('excl');
      await publishOn(ctx, 0, { name: TEST_EVENT, channel, data, socket_id: excluded.socketId });
      await fence(ctx, 0, channel, [excluded, other]);
      check(deliveries(excluded, channel, TEST_EVENT, data).length === 0, 'the excluded connection on another node gets nothing', `${deliveries(excluded, channel, TEST_EVENT, data).length} time(s)`);
      check(deliveries(other, channel, TEST_EVENT, data).length === 1, 'the other subscriber gets the event once', `${deliveries(other, channel, TEST_EVENT, data).length} time(s)`);
    },
  }),
  defineCase({
    id: 'cluster/client-events-every-node',
    clause: 'cluster.client-events-every-node',
    level: 'MUST',
    features: ['cluster', 'client-events', 'private-channels'],
    action: 'Subscribes a private channel on every node, sends a client event from the first node',
    requirement: 'Every other subscriber, on every node, MUST receive the client event; the sender MUST NOT',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const clients: Client[] = [];
      for (let i = 0; i < ctx.nodes.length; i++) {
        const c = await ctx.connect({ node: i });
        await c.subscribeOk(channel);
        clients.push(c);
      }
      const data = uniqueToken('client');
      clients[0]!.trigger(channel, 'client-across', data);
      for (const c of clients.slice(1)) {
        const got = await c.waitFor({ event: 'client-across', channel, within: ACROSS_MS });
        check(got !== undefined, `${c.label} receives the client event sent on node 1`, 'nothing arrived');
      }
    },
  }),
  defineCase({
    id: 'cluster/presence-one-member-across-nodes',
    clause: 'cluster.presence-cluster-wide',
    level: 'MUST',
    features: ['cluster', 'presence'],
    action: 'A watcher on node 1; one user joins a presence channel through the last node and then through every other node, and leaves them one by one',
    requirement: 'The watcher MUST get member_added once for the user, the member list and GET /users from every node MUST hold the user once, and member_removed MUST come only after its last connection left',
    timeoutMs: 20_000,
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const watcherId = ctx.userId('watcher');
      const userId = ctx.userId('roamer');
      const watcher = await presenceJoin(ctx, 0, channel, watcherId);
      const joins: Client[] = [];
      for (let i = lastNode(ctx); i >= 0; i--) {
        joins.push(await presenceJoin(ctx, i, channel, userId));
        if (i === lastNode(ctx)) {
          const added = await watcher.waitFor({ event: Event.MemberAdded, channel, within: ACROSS_MS });
          check(added !== undefined, 'the watcher on node 1 gets member_added for a user who joined on another node', 'no member_added');
        }
      }
      await ctx.sleep(QUIET_MS);
      const added = memberEvents(watcher, channel, Event.MemberAdded, userId);
      check(added === 1, `member_added once for a user with connections on ${ctx.nodes.length} nodes`, `${added} time(s)`);
      for (let i = 0; i < ctx.nodes.length; i++) {
        const res = await ctx.restOn(i).users(channel);
        const ids = ((res.json as { users?: { id: string }[] } | undefined)?.users ?? []).map((u) => u.id).sort();
        check(JSON.stringify(ids) === JSON.stringify([userId, watcherId].sort()), `GET /users from node ${i + 1} lists both users once`, httpSummary(res));
      }
      for (const c of joins.slice(0, -1)) await c.close();
      await ctx.sleep(QUIET_MS);
      const early = memberEvents(watcher, channel, Event.MemberRemoved, userId);
      check(early === 0, 'no member_removed while the user still has a connection on another node', `${early} member_removed`);
      await joins.at(-1)!.close();
      const removed = await watcher.waitFor({ event: Event.MemberRemoved, channel, within: ACROSS_MS });
      check(removed !== undefined, 'member_removed once the last connection, on any node, left', 'no member_removed');
    },
  }),
  defineCase({
    id: 'cluster/presence-model-across-nodes',
    clause: 'cluster.presence-cluster-wide',
    level: 'MUST',
    features: ['cluster', 'presence'],
    action: `Random histories of ${MODEL_USERS} users joining a presence channel through nodes each step chooses (a user on several nodes at once) and leaving, checked after every step against a model`,
    requirement:
      'Every connection, on every node, MUST get member_added once when a user first appears anywhere in the cluster and member_removed only after its last connection anywhere left; a joiner\'s member list and GET /users from any node MUST list each present user once',
    numRuns: 4,
    timeoutMs: 120_000,
    async run(ctx) {
      await ctx.modelRun<ClusterPresenceModel, ClusterPresenceReal>(
        (replayPath) => clusterPresenceCommands(ctx.nodes.length, 10, replayPath),
        async () => ({
          model: initialClusterPresenceModel(),
          real: { ctx, channel: ctx.channelName(ChannelPrefix.Presence), users: Array.from({ length: MODEL_USERS }, (_, u) => ctx.userId(`cm${u}`)), clients: [], cursors: [] },
        }),
        async (real) => {
          await Promise.all(real.clients.map((c) => c.close().catch(() => c.terminate())));
        },
        { numRuns: 4 },
      );
    },
  }),
  defineCase({
    id: 'cluster/rest-same-from-every-node',
    clause: 'cluster.rest-queries-cluster-wide',
    level: 'MUST',
    features: ['cluster'],
    action: 'Subscribes a channel on the last node only, then asks every node for GET /channels and GET /channels/{name}',
    requirement: 'Every node MUST list the channel and report it occupied',
    async run(ctx) {
      const channel = ctx.channelName('');
      const c = await ctx.connect({ node: lastNode(ctx) });
      await c.subscribeOk(channel);
      for (let i = 0; i < ctx.nodes.length; i++) {
        const list = await ctx.restOn(i).channels({ filter_by_prefix: channel });
        const channels = (list.json as { channels?: Record<string, unknown> } | undefined)?.channels ?? {};
        check(Object.hasOwn(channels, channel), `GET /channels on node ${i + 1} lists the channel subscribed on node ${ctx.nodes.length}`, httpSummary(list));
        const one = await ctx.restOn(i).channel(channel);
        check((one.json as { occupied?: unknown } | undefined)?.occupied === true, `GET /channels/{name} on node ${i + 1} says occupied`, httpSummary(one));
      }
    },
  }),
  defineCase({
    id: 'cluster/cache-replay-across-nodes',
    clause: 'cluster.cache-shared',
    level: 'MUST',
    features: ['cluster', 'cache'],
    action: 'Publishes to an empty cache channel through the first node, then subscribes on the last node',
    requirement: 'The subscriber MUST get the cached event, not pusher:cache_miss',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Cache);
      const data = uniqueToken('cached');
      await publishOn(ctx, 0, { name: TEST_EVENT, channel, data });
      const c = await ctx.connect({ node: lastNode(ctx) });
      await c.subscribeOk(channel);
      const got = await c.waitFor({ channel, where: (f) => (f.event === TEST_EVENT && carriesToken(f.data, data)) || f.event === Event.CacheMiss, within: ACROSS_MS });
      check(got?.event === TEST_EVENT, 'the event published through another node is replayed', got ? `${got.event}` : 'nothing');
    },
  }),
  defineCase({
    id: 'cluster/server-to-user-every-node',
    clause: 'cluster.users-every-node',
    level: 'MUST',
    features: ['cluster', 'user-auth', 'server-to-user'],
    action: 'Signs a user in on the last node, publishes to #server-to-user-{id} through the first node',
    requirement: 'The user\'s connection on the other node MUST receive the event',
    async run(ctx) {
      const userId = ctx.userId('s2u');
      const c = await ctx.connect({ node: lastNode(ctx) });
      const signed = await c.signin({ id: userId });
      check(signed.ok, 'the sign-in succeeds', 'refused');
      const data = uniqueToken('s2u');
      await publishOn(ctx, 0, { name: TEST_EVENT, channel: serverToUserChannel(userId), data });
      const got = await c.waitFor({ event: TEST_EVENT, where: (f) => carriesToken(f.data, data), within: ACROSS_MS });
      check(got !== undefined, 'the signed-in connection on another node gets the event', 'nothing arrived');
    },
  }),
  defineCase({
    id: 'cluster/occupied-webhook-once',
    clause: 'cluster.webhooks-once',
    level: 'MUST',
    features: ['cluster', 'webhooks'],
    action: 'Subscribes a channel on every node',
    requirement: 'Exactly one channel_occupied webhook MUST arrive for the channel',
    async run(ctx) {
      const hooks = ctx.webhooks ?? ctx.unsupported('the suite receives no webhooks from this target');
      const channel = ctx.channelName('');
      await subscribeOnEveryNode(ctx, channel);
      await hooks.expect((e) => e.name === WebhookEventName.ChannelOccupied && e.channel === channel, { within: ACROSS_MS, description: 'channel_occupied' });
      await ctx.sleep(QUIET_MS);
      const n = webhooksFor(hooks, WebhookEventName.ChannelOccupied, channel);
      check(n === 1, `one channel_occupied for a channel occupied on ${ctx.nodes.length} nodes`, `${n} webhooks`);
    },
  }),
  defineCase({
    id: 'cluster/vacated-webhook-once',
    clause: 'cluster.webhooks-once',
    level: 'MUST',
    features: ['cluster', 'webhooks'],
    action: 'Subscribes a channel on every node, waits for channel_occupied, then closes every connection',
    requirement: 'Exactly one channel_vacated webhook MUST arrive for the channel once its last subscriber, on any node, left',
    async run(ctx) {
      const hooks = ctx.webhooks ?? ctx.unsupported('the suite receives no webhooks from this target');
      const channel = ctx.channelName('');
      const clients = await subscribeOnEveryNode(ctx, channel);
      await hooks.expect((e) => e.name === WebhookEventName.ChannelOccupied && e.channel === channel, { within: ACROSS_MS, description: 'channel_occupied' });
      for (const c of clients) await c.close();
      // channel_vacated may wait for the grace window (clause webhooks.grace-delay)
      const grace = (ctx.limits.webhookGraceSeconds ?? limits.webhookGraceSeconds.pusher) * 1000;
      await hooks.expect((e) => e.name === WebhookEventName.ChannelVacated && e.channel === channel, { within: ACROSS_MS + grace, description: 'channel_vacated' });
      await ctx.sleep(QUIET_MS + grace);
      const n = webhooksFor(hooks, WebhookEventName.ChannelVacated, channel);
      check(n === 1, `one channel_vacated for a channel left on ${ctx.nodes.length} nodes`, `${n} webhooks`);
    },
  }),
  defineCase({
    id: 'cluster/dead-node-members-removed',
    clause: 'cluster.dead-node-members-removed',
    level: 'SHOULD',
    features: ['cluster', 'presence'],
    action: 'A watcher on node 1 and a user on the last node in a presence channel; the runner kills the last node',
    requirement: `The watcher SHOULD get member_removed for the user within ${DEAD_NODE_CLEANUP_MS / 1000} s`,
    exclusive: true,
    timeoutMs: 40_000,
    async run(ctx) {
      const control = ctx.target.nodeControl ?? ctx.unsupported('the runner does not control the nodes (give per-node commands)');
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const userId = ctx.userId('doomed');
      const watcher = await presenceJoin(ctx, 0, channel, ctx.userId('watcher'));
      await presenceJoin(ctx, lastNode(ctx), channel, userId);
      const added = await watcher.waitFor({ event: Event.MemberAdded, channel, within: ACROSS_MS });
      check(added !== undefined, 'the watcher sees the user join on the last node', 'no member_added');
      ctx.note(`the runner kills node ${ctx.nodes[lastNode(ctx)]!.name}, without a goodbye`);
      await control.kill(lastNode(ctx));
      ctx.note(`node ${ctx.nodes[lastNode(ctx)]!.name} is dead; waiting up to ${DEAD_NODE_CLEANUP_MS} ms for member_removed`);
      try {
        const removed = await watcher.waitFor({ event: Event.MemberRemoved, channel, within: DEAD_NODE_CLEANUP_MS });
        check(removed !== undefined, `member_removed within ${DEAD_NODE_CLEANUP_MS} ms of the node's death`, 'no member_removed');
      } finally {
        await control.restart(lastNode(ctx));
      }
    },
  }),
]);
