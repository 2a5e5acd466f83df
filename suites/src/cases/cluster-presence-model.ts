/**
 * A model of one presence channel on a cluster (clause cluster.presence-cluster-wide): which
 * connections are open, whose they are and which node each went through. Every command picks the
 * node of its step: a join connects through that node, a leave closes a connection wherever it
 * is, and the REST check after the step asks the node the command names.
 *
 * After every step: each open connection got exactly the member events the model predicts
 * (member_added once per user however many nodes it joined through, member_removed only after its
 * last connection anywhere left), counted up to a marker published through the node where the
 * step happened (one node's messages keep their order, so whatever it fanned out for the step
 * arrived before the marker); a joiner's member list holds every member once; GET /users from the
 * command's node lists the model's users.
 * @module
 */
import fc from 'fast-check';
import { Event } from '../../../spec/src/events.ts';
import { PresenceSubscriptionSucceededFrameLenient } from '../../../spec/src/frames/subscription.ts';
import { UsersResponse } from '../../../spec/src/rest/schemas.ts';
import { InfoAttribute } from '../../../spec/src/rest/endpoints.ts';
import type { AnyFrame } from '../../../spec/src/frames/generic.ts';
import { check } from '../model/outcome.ts';
import { isAccepted } from '../harness/rest.ts';
import type { CaseContext, Client } from '../harness/types.ts';
import { carriesToken, decodeData, framesSince } from './helpers/channel-sync.ts';
import { httpSummary, uniqueToken } from './helpers/first-areas.ts';

/** Users of a run, and the most connections open at once (a user may hold several, on several nodes). */
export const MODEL_USERS = 3;
export const MAX_OPEN = 6;
/** Bound of one cross-node delivery, before time-scale. */
const STEP_MS = 3000;
const MARK_EVENT = 'conformance-cluster-mark';

export interface ClusterPresenceModel {
  /** open connections in the order they opened: the user index and the node of each */
  readonly open: { user: number; node: number }[];
}

export interface ClusterPresenceReal {
  readonly ctx: CaseContext;
  readonly channel: string;
  readonly users: readonly string[];
  /** parallel to model.open */
  readonly clients: Client[];
  /** parallel to model.open: frames() index up to which member events were counted */
  readonly cursors: number[];
}

type Cmd = fc.AsyncCommand<ClusterPresenceModel, ClusterPresenceReal, false>;

const present = (m: ClusterPresenceModel): Set<number> => new Set(m.open.map((o) => o.user));
const nodeLabel = (node: number): string => `n${node + 1}`;

function memberId(frame: AnyFrame): string | undefined {
  const d = decodeData(frame.data);
  const id = typeof d === 'object' && d !== null ? (d as { user_id?: unknown }).user_id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * Publish a marker through `node` and wait until every open connection has it; then each must
 * have got exactly `expected` member events (event:user_id, sorted) since its cursor.
 */
async function settle(r: ClusterPresenceReal, m: ClusterPresenceModel, node: number, expected: (index: number) => string[], restNode: number, step: string): Promise<void> {
  // the predicted events first (a close may reach its node a moment after the client saw it end)
  for (let i = 0; i < r.clients.length; i++) {
    const c = r.clients[i]!;
    for (const key of expected(i)) {
      const arrived = () => framesSince(c, r.cursors[i]!, r.channel, [Event.MemberAdded, Event.MemberRemoved]).some((f) => `${f.event}:${memberId(f) ?? '?'}` === key);
      if (arrived()) continue;
      const got = await c.waitFor({ channel: r.channel, where: (f) => `${f.event}:${memberId(f) ?? '?'}` === key, within: STEP_MS });
      check(got !== undefined, `${step}: ${c.label} gets ${key}`, 'it did not arrive');
    }
  }
  const data = uniqueToken('mark');
  const res = await r.ctx.restOn(node).trigger({ name: MARK_EVENT, channel: r.channel, data });
  check(isAccepted(res), `${step}: the marker published on ${nodeLabel(node)} is accepted`, httpSummary(res));
  for (let i = 0; i < r.clients.length; i++) {
    const c = r.clients[i]!;
    const mark = await c.waitFor({ event: MARK_EVENT, channel: r.channel, where: (f) => carriesToken(f.data, data), within: STEP_MS });
    check(mark !== undefined, `${step}: ${c.label} receives the marker published on ${nodeLabel(node)}`, 'nothing arrived');
    const end = c.frames().indexOf(mark);
    const got = framesSince(c, r.cursors[i]!, r.channel, [Event.MemberAdded, Event.MemberRemoved])
      .filter((f) => c.frames().indexOf(f) < end)
      .map((f) => `${f.event}:${memberId(f) ?? '?'}`)
      .sort();
    const want = expected(i).sort();
    check(JSON.stringify(got) === JSON.stringify(want), `${step}: ${c.label} gets exactly [${want.join(', ') || 'no member events'}]`, `[${got.join(', ')}]`);
    r.cursors[i] = end + 1;
  }
  const users = [...present(m)].map((u) => r.users[u]!).sort();
  const list = await r.ctx.restOn(restNode).users(r.channel);
  if (users.length === 0 && list.status === 404) return;
  const parsed = UsersResponse.safeParse(list.json);
  const ids = parsed.success ? parsed.data.users.map((u) => String(u.id)).sort() : undefined;
  check(JSON.stringify(ids) === JSON.stringify(users), `${step}: GET /users on ${nodeLabel(restNode)} lists [${users.join(', ')}], each once`, httpSummary(list));
  if (users.length === 0 || !r.ctx.target.features.has('rest-info')) return;
  const info = await r.ctx.restOn(restNode).channel(r.channel, { info: InfoAttribute.UserCount });
  const count = (info.json as { user_count?: unknown } | undefined)?.user_count;
  check(count === users.length, `${step}: user_count on ${nodeLabel(restNode)} is ${users.length} distinct users, however many nodes each is on`, httpSummary(info));
}

class JoinCommand implements Cmd {
  constructor(
    readonly user: number,
    readonly node: number,
    readonly restNode: number,
  ) {}

  check(m: Readonly<ClusterPresenceModel>): boolean {
    return m.open.length < MAX_OPEN;
  }

  async run(m: ClusterPresenceModel, r: ClusterPresenceReal): Promise<void> {
    const step = this.toString();
    const isNew = !present(m).has(this.user);
    const id = r.users[this.user]!;
    const c = await r.ctx.connect({ node: this.node });
    r.clients.push(c);
    r.cursors.push(0);
    m.open.push({ user: this.user, node: this.node });
    const frame = await c.subscribeOk(r.channel, { channelData: { user_id: id } });
    const parsed = PresenceSubscriptionSucceededFrameLenient.safeParse(frame);
    check(parsed.success, `${step}: subscription_succeeded with {presence: {ids, hash, count}}`, JSON.stringify(frame).slice(0, 300));
    const want = [...present(m)].map((u) => r.users[u]!).sort();
    const ids = parsed.data.data.presence.ids.map(String).sort();
    check(JSON.stringify(ids) === JSON.stringify(want), `${step}: the member list holds [${want.join(', ')}], each once, from every node`, `ids ${JSON.stringify(ids)}`);
    check(parsed.data.data.presence.count === want.length, `${step}: count ${want.length} distinct users`, `count ${parsed.data.data.presence.count}`);
    r.cursors[r.cursors.length - 1] = c.frames().indexOf(frame) + 1;
    const last = m.open.length - 1;
    // member_added to every other connection, once, only when the user was absent from the whole cluster
    await settle(r, m, this.node, (i) => (isNew && i !== last ? [`${Event.MemberAdded}:${id}`] : []), this.restNode, step);
  }

  toString(): string {
    return `join u${this.user}@${nodeLabel(this.node)} (users from ${nodeLabel(this.restNode)})`;
  }
}

class LeaveCommand implements Cmd {
  constructor(
    readonly pick: number,
    readonly restNode: number,
  ) {}

  check(m: Readonly<ClusterPresenceModel>): boolean {
    return m.open.length > 0;
  }

  async run(m: ClusterPresenceModel, r: ClusterPresenceReal): Promise<void> {
    const index = this.pick % m.open.length;
    const { user, node } = m.open[index]!;
    const step = `${this.toString()}: u${user}@${nodeLabel(node)} leaves`;
    const c = r.clients[index]!;
    m.open.splice(index, 1);
    r.clients.splice(index, 1);
    r.cursors.splice(index, 1);
    await c.close();
    const gone = !present(m).has(user);
    const id = r.users[user]!;
    // member_removed to everyone left only after the user's last connection, on any node, left
    await settle(r, m, node, () => (gone ? [`${Event.MemberRemoved}:${id}`] : []), this.restNode, step);
  }

  toString(): string {
    return `leave #${this.pick} (users from ${nodeLabel(this.restNode)})`;
  }
}

/** Histories over `nodes` nodes; `replayPath` is fc.commands' replay log for a `--path` replay. */
export function clusterPresenceCommands(nodes: number, maxCommands: number, replayPath?: string): fc.Arbitrary<Iterable<Cmd>> {
  const user = fc.integer({ min: 0, max: MODEL_USERS - 1 });
  const node = fc.integer({ min: 0, max: nodes - 1 });
  return fc.commands<ClusterPresenceModel, ClusterPresenceReal, false>(
    [
      // joining is the interesting move: weighted by repetition
      fc.tuple(user, node, node).map(([u, n, q]): Cmd => new JoinCommand(u, n, q)),
      fc.tuple(user, node, node).map(([u, n, q]): Cmd => new JoinCommand(u, n, q)),
      fc.tuple(fc.nat(MAX_OPEN - 1), node).map(([p, q]): Cmd => new LeaveCommand(p, q)),
    ],
    { maxCommands, size: '+1', ...(replayPath !== undefined ? { replayPath } : {}) },
  );
}

export const initialClusterPresenceModel = (): ClusterPresenceModel => ({ open: [] });
