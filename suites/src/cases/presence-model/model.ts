/**
 * The presence model: who is connected through which connection slot, and which slots are
 * subscribed to the one presence channel of a run. Members are derived from it (user → the set
 * of its subscribed slots); it is a simplification of the server, not a copy.
 *
 * After every command, `settle` checks the real server against the model: the member events
 * each connection got during the step (exactly the expected ones, none to the joiner, none for a
 * user's extra connections), and the REST view (users endpoint, user_count).
 * @module
 */
import type fc from 'fast-check';
import { Event } from '../../../../spec/src/events.ts';
import { MemberAddedFrameLenient, MemberRemovedFrameLenient } from '../../../../spec/src/frames/presence.ts';
import { PresenceSubscriptionSucceededFrameLenient } from '../../../../spec/src/frames/subscription.ts';
import { ChannelResponse, UsersResponse } from '../../../../spec/src/rest/schemas.ts';
import { InfoAttribute } from '../../../../spec/src/rest/endpoints.ts';
import type { AnyFrame } from '../../../../spec/src/frames/generic.ts';
import { check } from '../../model/outcome.ts';
import type { CaseContext, Client } from '../../harness/types.ts';
import { barrier, framesSince } from '../helpers/channel-sync.ts';

/** Connection slots and the user each belongs to: 3 users with 2, 2 and 1 connections. */
export const SLOT_USERS = [0, 0, 1, 1, 2] as const;
export const SLOT_COUNT = SLOT_USERS.length;

export interface SlotState {
  connected: boolean;
  subscribed: boolean;
}

export interface PresenceModel {
  readonly slots: SlotState[];
}

export interface PresenceReal {
  readonly ctx: CaseContext;
  readonly channel: string;
  /** user ids of this run, by user index */
  readonly users: readonly string[];
  /** user_info of each user (one per user: the conflicting-info question stays out of this model) */
  readonly infos: readonly Record<string, unknown>[];
  readonly clients: (Client | undefined)[];
  /** per slot: index in frames() up to which member events were already checked */
  readonly cursors: number[];
  /** check REST user_count too (feature rest-info) */
  readonly restInfo: boolean;
}

export type PresenceCommand = fc.AsyncCommand<PresenceModel, PresenceReal, false>;

export const initialModel = (): PresenceModel => ({ slots: Array.from({ length: SLOT_COUNT }, () => ({ connected: false, subscribed: false })) });

export const userOfSlot = (slot: number): number => SLOT_USERS[slot] ?? 0;

/** Distinct users (by index) with at least one subscribed slot. */
export function members(model: PresenceModel): Set<number> {
  const out = new Set<number>();
  model.slots.forEach((s, i) => {
    if (s.subscribed) out.add(userOfSlot(i));
  });
  return out;
}

/** Subscribed slots of one user. */
export function subscribedSlotsOf(model: PresenceModel, user: number): number[] {
  return model.slots.flatMap((s, i) => (s.subscribed && userOfSlot(i) === user ? [i] : []));
}

export const slotLabel = (slot: number): string => `c${slot}(u${userOfSlot(slot)})`;

const sameId = (a: unknown, b: string): boolean => (typeof a === 'string' || typeof a === 'number') && String(a) === b;

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Check a presence subscription_succeeded against the model's members (after the join). */
export function checkMemberList(real: PresenceReal, model: PresenceModel, frame: AnyFrame, who: string): void {
  const parsed = PresenceSubscriptionSucceededFrameLenient.safeParse(frame);
  check(parsed.success, `${who}: subscription_succeeded with data {presence: {ids, hash, count}} (clause presence.succeeded-data)`, () => JSON.stringify(frame).slice(0, 500));
  const { ids, hash, count } = parsed.data.data.presence;
  const expected = [...members(model)].map((u) => real.users[u]!).sort();
  const got = ids.map((id) => String(id)).sort();
  check(
    JSON.stringify(got) === JSON.stringify(expected),
    `${who}: ids = [${expected.join(', ')}], each member once, the subscriber included (clauses presence.succeeded-includes-self, presence.one-entry-per-user)`,
    `ids = ${JSON.stringify(ids)}`,
  );
  check(count === expected.length, `${who}: count = ${expected.length} distinct users (clause presence.one-entry-per-user)`, `count = ${count}`);
  const hashKeys = Object.keys(hash).sort();
  check(JSON.stringify(hashKeys) === JSON.stringify(expected), `${who}: hash keyed by exactly the member ids [${expected.join(', ')}] (clause presence.succeeded-data)`, `hash keys = ${JSON.stringify(hashKeys)}`);
  for (const u of members(model)) {
    const id = real.users[u]!;
    check(deepEqual(hash[id], real.infos[u]), `${who}: hash[${id}] = ${JSON.stringify(real.infos[u])} (clause presence.user-info-relayed)`, `hash[${id}] = ${JSON.stringify(hash[id])}`);
  }
}

export interface StepExpectation {
  /** per slot: user indices whose member_added it must get during this step */
  readonly added: Map<number, number[]>;
  /** per slot: user indices whose member_removed it must get during this step */
  readonly removed: Map<number, number[]>;
}

export const noExpectation = (): StepExpectation => ({ added: new Map(), removed: new Map() });

/**
 * After a command: wait for the member events that must arrive, then publish a marker and check
 * that each open connection got exactly those member events since the last step; finally
 * compare the REST view with the model (the model already reflects the command).
 */
export async function settle(real: PresenceReal, model: PresenceModel, exp: StepExpectation, step: string): Promise<void> {
  const { ctx, channel } = real;
  // 1. positive expectations, with the default bound
  for (const [slot, users] of exp.added) {
    const client = real.clients[slot];
    if (!client) continue;
    for (const u of users) {
      const id = real.users[u]!;
      const f = await client.expectFrame(MemberAddedFrameLenient, {
        event: Event.MemberAdded,
        channel,
        where: (fr) => sameIdIn(fr, id),
        description: `${step}: member_added for ${id} at ${slotLabel(slot)} (clause presence.member-added-first-connection)`,
      });
      check(deepEqual(f.data.user_info, real.infos[u]), `${step}: member_added for ${id} carries user_info ${JSON.stringify(real.infos[u])} (clause presence.user-info-relayed)`, `user_info ${JSON.stringify(f.data.user_info)}`);
    }
  }
  for (const [slot, users] of exp.removed) {
    const client = real.clients[slot];
    if (!client) continue;
    for (const u of users) {
      const id = real.users[u]!;
      await client.expectFrame(MemberRemovedFrameLenient, {
        event: Event.MemberRemoved,
        channel,
        where: (fr) => sameIdIn(fr, id),
        description: `${step}: member_removed for ${id} at ${slotLabel(slot)} (clause presence.member-removed-last-connection)`,
      });
    }
  }

  // 2. barrier, then exactly the expected member events since the previous step
  const open = real.clients.flatMap((c, i) => (c && c.isOpen ? [i] : []));
  const subscribed = open.filter((i) => model.slots[i]?.subscribed);
  const marks = subscribed.length > 0 ? await barrier(ctx, channel, subscribed.map((i) => real.clients[i]!)) : [];
  for (const slot of open) {
    const client = real.clients[slot]!;
    const k = subscribed.indexOf(slot);
    const end = k >= 0 ? marks[k]! : client.frames().length;
    const got = framesSince(client, real.cursors[slot]!, channel, [Event.MemberAdded, Event.MemberRemoved]).filter((f) => client.frames().indexOf(f) < end);
    const want = [
      ...(exp.added.get(slot) ?? []).map((u) => `${Event.MemberAdded}:${real.users[u]!}`),
      ...(exp.removed.get(slot) ?? []).map((u) => `${Event.MemberRemoved}:${real.users[u]!}`),
    ].sort();
    const have = got.map((f) => `${f.event}:${idOf(f)}`).sort();
    check(
      JSON.stringify(have) === JSON.stringify(want),
      `${step}: ${slotLabel(slot)} gets exactly [${want.join(', ') || 'no member events'}] (clauses presence.member-added-not-to-joiner, presence.member-added-once-per-user, presence.member-removed-not-early)`,
      `[${have.join(', ')}]`,
    );
    real.cursors[slot] = end;
  }

  // 3. REST view
  const expected = [...members(model)].map((u) => real.users[u]!).sort();
  await checkRest(real, expected, step);
}

function sameIdIn(frame: AnyFrame, id: string): boolean {
  return sameId(idOf(frame), id);
}

function idOf(frame: AnyFrame): string {
  let d: unknown = frame.data;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d) as unknown;
    } catch {
      return '?';
    }
  }
  const id = typeof d === 'object' && d !== null ? (d as { user_id?: unknown }).user_id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '?';
}

/**
 * The REST view must match the model. A server may take a moment to notice a dropped TCP
 * connection when no member event had to be waited for, so a mismatch is retried for a short
 * bound before it fails.
 */
async function checkRest(real: PresenceReal, expected: string[], step: string): Promise<void> {
  const deadline = Date.now() + real.ctx.ms(2000);
  for (;;) {
    try {
      await checkRestOnce(real, expected, step);
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await real.ctx.sleep(25);
    }
  }
}

async function checkRestOnce(real: PresenceReal, expected: string[], step: string): Promise<void> {
  const { ctx, channel } = real;
  const res = await ctx.rest.users(channel);
  if (expected.length === 0 && res.status === 404) {
    // Reverb answers 404 for an unoccupied channel (clause rest.users-unoccupied is a SHOULD, not checked here)
  } else {
    check(res.status === 200, `${step}: GET /channels/${channel}/users answers 200 (clause rest.users)`, `HTTP ${res.status} ${res.text.slice(0, 200)}`);
    const parsed = UsersResponse.safeParse(res.json);
    check(parsed.success, `${step}: users body {users: [{id}]} (clause rest.users)`, res.text.slice(0, 300));
    const ids = parsed.data.users.map((u) => u.id).sort();
    check(JSON.stringify(ids) === JSON.stringify(expected), `${step}: REST users = [${expected.join(', ')}], each once (clause rest.users)`, `[${ids.join(', ')}]`);
  }
  if (!real.restInfo) return;
  const info = await ctx.rest.channel(channel, { info: InfoAttribute.UserCount });
  check(info.status === 200, `${step}: GET /channels/${channel}?info=user_count answers 200`, `HTTP ${info.status} ${info.text.slice(0, 200)}`);
  const body = ChannelResponse.safeParse(info.json);
  check(body.success, `${step}: channel info body {occupied, user_count}`, info.text.slice(0, 300));
  check(body.data.occupied === expected.length > 0, `${step}: occupied = ${expected.length > 0}`, `occupied = ${body.data.occupied}`);
  if (expected.length > 0) {
    check(body.data.user_count === expected.length, `${step}: user_count = ${expected.length} distinct users (clause rest.channel-user-count)`, `user_count = ${body.data.user_count}`);
  }
}
