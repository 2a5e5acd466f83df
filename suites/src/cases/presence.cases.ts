/**
 * Presence channels: the member list, member_added / member_removed across several connections
 * of one user (model-based), channel_data validation and the presence limits.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { ErrorCode } from '../../../spec/src/error-codes.ts';
import { Event } from '../../../spec/src/events.ts';
import { MemberAddedFrameLenient, MemberRemovedFrameLenient } from '../../../spec/src/frames/presence.ts';
import { PresenceSubscriptionSucceededFrameLenient } from '../../../spec/src/frames/subscription.ts';
import { ChannelPrefix, USER_ID_PATTERN } from '../../../spec/src/identifiers.ts';
import { UsersResponse } from '../../../spec/src/rest/schemas.ts';
import { InfoAttribute } from '../../../spec/src/rest/endpoints.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client } from '../harness/types.ts';
import { barrier, closeAll, decodeData, describeOutcome, expectRefused, framesSince, subscribeRaw, utf8Bytes } from './helpers/channel-sync.ts';
import { limitOrPusher } from './helpers/limit-or-pusher.ts';
import { presenceHistories } from './presence-model/commands.ts';
import { initialModel, SLOT_COUNT, type PresenceModel, type PresenceReal } from './presence-model/model.ts';

/** Member-limit cases open this many connections at most; above it they report unsupported. */
const MAX_MEMBER_LIMIT = 200;

const memberEvents = [Event.MemberAdded, Event.MemberRemoved] as const;

/** Connect and subscribe `n` connections as distinct (or given) users; returns clients and ids. */
async function joinAll(ctx: CaseContext, channel: string, ids: readonly string[]): Promise<Client[]> {
  const clients: Client[] = [];
  for (const id of ids) {
    const c = await ctx.connect();
    clients.push(c);
    await c.subscribeOk(channel, { channelData: { user_id: id, user_info: { name: id } } });
  }
  return clients;
}

const presenceData = (frame: unknown) => {
  const parsed = PresenceSubscriptionSucceededFrameLenient.safeParse(frame);
  check(parsed.success, 'subscription_succeeded data {presence: {ids, hash, count}} (clause presence.succeeded-data)', () => JSON.stringify(frame).slice(0, 400));
  return parsed.data.data.presence;
};

/**
 * Subscribe `ids.length` new connections, one per user id, 20 at a time; every subscription must
 * succeed. The clients are pushed to `into` as they open, so the caller can close them.
 */
async function fill(ctx: CaseContext, channel: string, ids: readonly string[], into: Client[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(
      ids.slice(i, i + 20).map(async (id, j) => {
        const c = await ctx.connect();
        into.push(c);
        const o = await c.subscribe(channel, { channelData: { user_id: id } });
        check(o.ok, `member ${i + j + 1} of ${ids.length} admitted`, () => describeOutcome(o));
      }),
    );
  }
}

/** A JSON object whose JSON.stringify is exactly `bytes` UTF-8 bytes, filled with `unit` where it fits. */
function userInfoOfBytes(bytes: number, unit: string): Record<string, unknown> | undefined {
  const empty = utf8Bytes(JSON.stringify({ p: '' }));
  if (bytes < empty) return undefined;
  const room = bytes - empty;
  const u = utf8Bytes(unit);
  const n = Math.floor(room / u);
  const fill = unit.repeat(n) + 'a'.repeat(room - n * u);
  const info = { p: fill };
  return utf8Bytes(JSON.stringify(info)) === bytes ? info : undefined;
}

/** A user id of exactly `length` characters from the allowed alphabet, unique to the case. */
function userIdOfLength(ctx: CaseContext, length: number): string {
  const base = ctx.userId('len').replace(/[^A-Za-z0-9_\-=@,.;]/g, '');
  const id = base.length >= length ? base.slice(base.length - length) : base + '0'.repeat(length - base.length);
  return id;
}

export default defineArea('presence', 'Presence channels', [
  defineCase({
    id: 'presence/membership-model',
    clause: 'presence.member-added-first-connection',
    level: 'MUST',
    features: ['presence'],
    action:
      'Runs random histories (3 to 5 initial subscriptions, then connect, subscribe, unsubscribe, close and TCP drop) over 3 users with up to 2 connections each on one presence channel, checking after every step the member list, the member events each connection got, and the REST users and user_count',
    requirement:
      'The server MUST list every member once (the subscriber included) with its user_info, MUST send member_added only for a user\'s first connection and never to the joining connection, MUST send member_removed only when the user\'s last connection leaves, and its REST view MUST match',
    numRuns: 8,
    timeoutMs: 90_000,
    async run(ctx) {
      const restInfo = ctx.target.features.has('rest-info');
      await ctx.modelRun<PresenceModel, PresenceReal>(
        (replayPath) => presenceHistories(16, replayPath),
        async () => {
          const users = [0, 1, 2].map((u) => ctx.userId(`m${u}`));
          const real: PresenceReal = {
            ctx,
            channel: ctx.channelName(ChannelPrefix.Presence),
            users,
            infos: users.map((id, u) => ({ name: `User ${u}`, tag: id.slice(-6), n: u })),
            clients: Array.from({ length: SLOT_COUNT }, () => undefined),
            cursors: Array.from({ length: SLOT_COUNT }, () => 0),
            restInfo,
          };
          return { model: initialModel(), real };
        },
        async (real) => {
          await closeAll(real.clients);
        },
        { numRuns: 8 },
      );
    },
  }),

  defineCase({
    id: 'presence/member-added-not-to-joiner',
    clause: 'presence.member-added-not-to-joiner',
    level: 'MUST',
    features: ['presence'],
    action: 'Subscribes user A, then user B, to a presence channel',
    requirement: 'The server MUST send member_added for B to A and MUST NOT send it to B\'s own connection',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const [ca, cb] = await joinAll(ctx, channel, [a, b]);
      const added = await ca!.expectFrame(MemberAddedFrameLenient, { event: Event.MemberAdded, channel });
      check(String(added.data.user_id) === b, `member_added for ${b} at A`, `member_added for ${String(added.data.user_id)}`);
      await barrier(ctx, channel, [cb!]);
      const own = framesSince(cb!, 0, channel, memberEvents);
      check(own.length === 0, `no member events at B (the joiner)`, () => JSON.stringify(own).slice(0, 400));
      await closeAll([ca, cb]);
    },
  }),

  defineCase({
    id: 'presence/member-added-once-per-user',
    clause: 'presence.member-added-once-per-user',
    level: 'MUST',
    features: ['presence'],
    action: 'Subscribes user A, then user B on one connection, then B again on a second connection',
    requirement: 'The server MUST send member_added for B once (for its first connection) and MUST NOT announce B\'s second connection',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const [ca, cb1, cb2] = await joinAll(ctx, channel, [a, b, b]);
      await barrier(ctx, channel, [ca!, cb1!, cb2!]);
      const atA = framesSince(ca!, 0, channel, [Event.MemberAdded]);
      check(atA.length === 1, `exactly one member_added (for ${b}) at A`, () => `${atA.length}: ${JSON.stringify(atA).slice(0, 400)}`);
      const atB1 = framesSince(cb1!, 0, channel, [Event.MemberAdded]);
      check(atB1.length === 0, `no member_added at B's first connection when B's second connection joins`, () => JSON.stringify(atB1).slice(0, 400));
      await closeAll([ca, cb1, cb2]);
    },
  }),

  defineCase({
    id: 'presence/member-removed-not-early',
    clause: 'presence.member-removed-not-early',
    level: 'MUST',
    features: ['presence'],
    action: 'With user A and user B (two connections) on a presence channel, closes one of B\'s connections',
    requirement: 'The server MUST NOT send member_removed for B while B\'s other connection is still subscribed',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const [ca, cb1, cb2] = await joinAll(ctx, channel, [a, b, b]);
      await cb1!.close();
      const [mark] = await barrier(ctx, channel, [ca!, cb2!]);
      const removed = framesSince(ca!, 0, channel, [Event.MemberRemoved]).filter((f) => ca!.frames().indexOf(f) < mark!);
      check(removed.length === 0, `no member_removed for ${b} at A while B has a connection left`, () => JSON.stringify(removed).slice(0, 400));
      const users = await ctx.rest.users(channel);
      const parsed = UsersResponse.safeParse(users.json);
      check(parsed.success && parsed.data.users.some((u) => u.id === b), `REST users still lists ${b}`, users.text.slice(0, 300));
      await closeAll([ca, cb2]);
    },
  }),

  defineCase({
    id: 'presence/member-removed-on-last-disconnect',
    clause: 'presence.member-removed-last-connection',
    level: 'MUST',
    features: ['presence'],
    action: 'With users A and B on a presence channel, drops B\'s TCP connection without a close handshake',
    requirement: 'The server MUST send member_removed for B to A once B\'s last connection is gone, however it went',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const [ca, cb] = await joinAll(ctx, channel, [a, b]);
      cb!.terminate();
      const removed = await ca!.expectFrame(MemberRemovedFrameLenient, { event: Event.MemberRemoved, channel, within: 5000, description: `member_removed for ${b} at A` });
      check(String(removed.data.user_id) === b, `member_removed for ${b}`, `member_removed for ${String(removed.data.user_id)}`);
      await closeAll([ca]);
    },
  }),

  defineCase({
    id: 'presence/succeeded-includes-self',
    clause: 'presence.succeeded-includes-self',
    level: 'MUST',
    features: ['presence'],
    action: 'Subscribes user A, then user B, to a presence channel, and reads the member list B receives',
    requirement: 'The member list in subscription_succeeded MUST include the subscriber itself, with its user_info',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const ca = await ctx.connect();
      await ca.subscribeOk(channel, { channelData: { user_id: a, user_info: { name: a } } });
      const cb = await ctx.connect();
      const list = presenceData(await cb.subscribeOk(channel, { channelData: { user_id: b, user_info: { name: b } } }));
      const ids = list.ids.map(String).sort();
      check(JSON.stringify(ids) === JSON.stringify([a, b].sort()), `ids [${[a, b].sort().join(', ')}]`, `ids ${JSON.stringify(list.ids)}`);
      check(list.count === 2, 'count 2', `count ${list.count}`);
      const own = list.hash[b] as { name?: unknown } | undefined;
      check(own?.name === b, `hash[${b}] = {name: ${b}}`, `hash ${JSON.stringify(list.hash)}`);
      await closeAll([ca, cb]);
    },
  }),

  defineCase({
    id: 'presence/count-distinct-users',
    clause: 'presence.one-entry-per-user',
    level: 'MUST',
    features: ['presence'],
    action: 'Subscribes user A on two connections and user B on one, then reads the member list of a new subscriber and GET /channels/{name}/users',
    requirement: 'The server MUST list each user once and MUST count distinct users, not connections, in the member list and the REST users endpoint',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [a, b, c] = [ctx.userId('a'), ctx.userId('b'), ctx.userId('c')];
      const clients = await joinAll(ctx, channel, [a, a, b]);
      const cc = await ctx.connect();
      const list = presenceData(await cc.subscribeOk(channel, { channelData: { user_id: c } }));
      const expected = [a, b, c].sort();
      check(JSON.stringify(list.ids.map(String).sort()) === JSON.stringify(expected), `ids [${expected.join(', ')}], each once`, `ids ${JSON.stringify(list.ids)}`);
      check(list.count === 3, 'count 3 distinct users', `count ${list.count}`);
      const res = await ctx.rest.users(channel);
      const parsed = UsersResponse.safeParse(res.json);
      check(res.status === 200 && parsed.success, 'GET users answers 200 {users: [{id}]}', `HTTP ${res.status} ${res.text.slice(0, 300)}`);
      const restIds = parsed.data.users.map((u) => u.id).sort();
      check(JSON.stringify(restIds) === JSON.stringify(expected), `REST users [${expected.join(', ')}], each once`, `[${restIds.join(', ')}]`);
      if (ctx.target.features.has('rest-info')) {
        const info = await ctx.rest.channel(channel, { info: InfoAttribute.UserCount });
        const uc = (info.json as { user_count?: unknown } | undefined)?.user_count;
        check(uc === 3, 'user_count 3', `HTTP ${info.status} ${info.text.slice(0, 200)}`);
      }
      await closeAll([...clients, cc]);
    },
  }),

  defineCase({
    id: 'presence/channel-data-required',
    clause: 'presence.channel-data-required',
    level: 'MUST',
    features: ['presence'],
    action: 'Subscribes a connection that has not signed in to a presence channel with a channel signature but no channel_data',
    requirement: 'The server MUST refuse a presence subscription without channel_data from a connection that has not signed in',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const c = await ctx.connect();
      const outcome = await subscribeRaw(c, { channel, auth: ctx.sign.channel(c.socketId, channel) });
      await expectRefused(ctx, c, channel, outcome, 'no channel_data', { alone: true });
      await c.close();
    },
  }),

  defineCase({
    id: 'presence/channel-data-invalid-refused',
    clause: 'presence.channel-data-json',
    level: 'MUST',
    features: ['presence'],
    // sends channel_data that is not JSON: malformed input runs last, alone, liveness-checked
    hostile: true,
    action: 'Subscribes to presence channels with correctly signed channel_data that is not JSON, not a JSON object, or an object without a usable user_id',
    requirement: 'The server MUST refuse a presence subscription whose channel_data is not a JSON object with a user_id',
    numRuns: 12,
    timeoutMs: 20_000,
    async run(ctx) {
      const invalid = fc.oneof(
        fc.constantFrom('not json', '{', '{"user_id":', ''),
        fc.constantFrom('null', '[]', '42', '"u"', 'true', '["user_id"]'),
        fc.dictionary(fc.constantFrom('user_info', 'id', 'userId', 'user'), fc.constantFrom<unknown>({}, 'x', 1)).map((o) => JSON.stringify(o)),
        fc.constantFrom<unknown>(null, true, {}, [], ['a']).map((id) => JSON.stringify({ user_id: id, user_info: {} })),
      );
      let c = await ctx.connect();
      await ctx.property(invalid, async (channelDataRaw) => {
        // a server may close after a refusal (another clause judges that): start afresh then
        if (!c.isOpen) c = await ctx.connect();
        const channel = ctx.channelName(ChannelPrefix.Presence);
        const outcome = await c.subscribe(channel, { channelDataRaw });
        await expectRefused(ctx, c, channel, outcome, `channel_data ${JSON.stringify(channelDataRaw)}`, { alone: true });
      });
      await c.close();
    },
  }),

  defineCase({
    id: 'presence/user-info-not-object-refused',
    clause: 'presence.channel-data-json',
    level: 'SHOULD',
    features: ['presence'],
    action: 'Subscribes to presence channels with correctly signed channel_data whose user_info is a string, number, boolean or array',
    requirement: 'The server SHOULD refuse channel_data whose user_info is present but not a JSON object',
    numRuns: 8,
    timeoutMs: 20_000,
    async run(ctx) {
      let c = await ctx.connect();
      await ctx.property(fc.constantFrom<unknown>('name', 7, true, ['a'], []), async (userInfo) => {
        if (!c.isOpen) c = await ctx.connect();
        const channel = ctx.channelName(ChannelPrefix.Presence);
        const outcome = await c.subscribe(channel, { channelDataRaw: JSON.stringify({ user_id: ctx.userId('ui'), user_info: userInfo }) });
        await expectRefused(ctx, c, channel, outcome, `user_info ${JSON.stringify(userInfo)}`, { alone: true });
      });
      await c.close();
    },
  }),

  defineCase({
    id: 'presence/numeric-user-id',
    clause: 'presence.user-id-number',
    level: 'SHOULD',
    features: ['presence'],
    action: 'Subscribes one user whose channel_data user_id is a JSON number, then a second user, to a presence channel',
    requirement: 'The server SHOULD accept a numeric user_id and report it back as a number in the member list and member_added',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      // the docs' own example id; the channel is fresh, so no other member has it
      const numericId = 10;
      const observer = await ctx.connect();
      await observer.subscribeOk(channel, { channelData: { user_id: ctx.userId('obs') } });
      const c = await ctx.connect();
      const outcome = await c.subscribe(channel, { channelData: { user_id: numericId, user_info: { name: 'numeric' } } });
      check(outcome.ok, `numeric user_id ${numericId} accepted`, () => describeOutcome(outcome));
      const list = presenceData(outcome.frame);
      check(list.ids.some((id) => id === numericId), `ids contains the number ${numericId}`, `ids ${JSON.stringify(list.ids)}`);
      const added = await observer.expectFrame(MemberAddedFrameLenient, { event: Event.MemberAdded, channel });
      check(added.data.user_id === numericId, `member_added user_id is the number ${numericId}`, `user_id ${JSON.stringify(added.data.user_id)}`);
      await closeAll([observer, c]);
    },
  }),

  defineCase({
    id: 'presence/user-info-size-boundary',
    clause: 'limits.presence-user-size',
    level: 'SHOULD',
    features: ['presence'],
    action: 'Subscribes members whose user_info JSON is at the profile\'s userInfoBytes (ASCII and multi-byte fill), then one byte over it',
    requirement: 'The server SHOULD accept user_info at the declared size in UTF-8 bytes of its JSON and refuse one byte more, keeping the connection',
    async run(ctx) {
      const limit = limitOrPusher(ctx, 'userInfoBytes').value;
      // ambiguity presence-user-object-size: "1 KB" may mean 1000 or 1024 bytes, so a server
      // admitting 1000 and refusing 1025 passes; between the two either answer is accepted
      const acceptAt = limit % 1024 === 0 ? (limit / 1024) * 1000 : limit;
      if (acceptAt !== limit) ctx.note(`"${limit / 1024} KB" read leniently: ${acceptAt} bytes must be accepted, ${limit + 1} refused`);
      let c = await ctx.connect();
      for (const unit of ['a', '\u00e9', '\u{1F600}']) {
        const channel = ctx.channelName(ChannelPrefix.Presence);
        const empty = ctx.channelName(ChannelPrefix.Presence);
        const at = userInfoOfBytes(acceptAt, unit);
        const over = userInfoOfBytes(limit + 1, unit);
        if (!at || !over) return ctx.unsupported(`cannot build a user_info of ${acceptAt} and ${limit + 1} bytes`);
        const ok = await c.subscribe(channel, { channelData: { user_id: ctx.userId('at'), user_info: at } });
        check(ok.ok, `user_info of ${acceptAt} bytes (fill ${JSON.stringify(unit)}) accepted`, () => describeOutcome(ok));
        const bad = await c.subscribe(empty, { channelData: { user_id: ctx.userId('over'), user_info: over } });
        await expectRefused(ctx, c, empty, bad, `user_info of ${limit + 1} bytes (fill ${JSON.stringify(unit)})`, { alone: true });
        if (!c.isOpen) c = await ctx.connect();
      }
      await c.close();
    },
  }),

  defineCase({
    id: 'presence/user-id-length-boundary',
    clause: 'limits.presence-user-id-length',
    level: 'SHOULD',
    features: ['presence'],
    action: 'Subscribes a member whose user_id has exactly the profile\'s userIdLength characters, then one with one character more',
    requirement: 'The server SHOULD accept a user_id of exactly the declared length and refuse a longer one',
    async run(ctx) {
      const limit = limitOrPusher(ctx, 'userIdLength').value;
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const c = await ctx.connect();
      const atId = userIdOfLength(ctx, limit);
      check(atId.length === limit && USER_ID_PATTERN.test(atId), 'suite: id of the right length', atId);
      const ok = await c.subscribe(channel, { channelData: { user_id: atId } });
      check(ok.ok, `user_id of exactly ${limit} characters accepted`, () => describeOutcome(ok));
      const empty = ctx.channelName(ChannelPrefix.Presence);
      const overId = userIdOfLength(ctx, limit + 1);
      const bad = await c.subscribe(empty, { channelData: { user_id: overId } });
      await expectRefused(ctx, c, empty, bad, `user_id of ${limit + 1} characters`, { alone: true });
      await c.close();
    },
  }),

  defineCase({
    id: 'presence/member-limit-admits-limit',
    clause: 'limits.presence-members',
    level: 'MUST',
    features: ['presence'],
    // presenceMembers connections: alone where a quota could refuse its neighbours', beside them on the embedded server
    exclusive: 'external',
    timeoutMs: 30_000,
    action: 'Subscribes as many distinct users as the profile\'s presenceMembers limit to one presence channel',
    requirement: 'The server MUST admit exactly the declared number of distinct users',
    async run(ctx) {
      const limit = limitOrPusher(ctx, 'presenceMembers').value;
      if (limit > MAX_MEMBER_LIMIT) ctx.unsupported(`the presence member limit ${limit} is above the ${MAX_MEMBER_LIMIT} connections this case opens`);
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const clients: Client[] = [];
      try {
        await fill(ctx, channel, Array.from({ length: limit }, (_, i) => ctx.userId(`m${i}`)), clients);
        const res = await ctx.rest.users(channel);
        const parsed = UsersResponse.safeParse(res.json);
        check(parsed.success && parsed.data.users.length === limit, `REST users lists ${limit} users`, res.text.slice(0, 200));
      } finally {
        await closeAll(clients);
      }
    },
  }),

  defineCase({
    id: 'presence/member-limit-refuses-one-more',
    clause: 'presence.full-channel-refused',
    level: 'SHOULD',
    features: ['presence'],
    // presenceMembers connections: alone where a quota could refuse its neighbours', beside them on the embedded server
    exclusive: 'external',
    timeoutMs: 30_000,
    action: 'Fills a presence channel with the profile\'s presenceMembers distinct users, then subscribes one more user, and another connection of an existing member',
    requirement:
      `The server SHOULD refuse the extra user with ${Event.Error} (${ErrorCode.OverCapacity} recommended) or ${Event.SubscriptionError}, keeping the connection open, and SHOULD still admit a further connection of a user who is already a member`,
    async run(ctx) {
      const limit = limitOrPusher(ctx, 'presenceMembers').value;
      if (limit > MAX_MEMBER_LIMIT) ctx.unsupported(`the presence member limit ${limit} is above the ${MAX_MEMBER_LIMIT} connections this case opens`);
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const clients: Client[] = [];
      const ids = Array.from({ length: limit }, (_, i) => ctx.userId(`m${i}`));
      try {
        await fill(ctx, channel, ids, clients);
        const extra = await ctx.connect();
        clients.push(extra);
        const refused = await extra.subscribe(channel, { channelData: { user_id: ctx.userId('extra') } });
        check(
          !refused.ok && (refused.via === 'error-frame' || refused.via === 'subscription-error'),
          [`user ${limit + 1} refused with ${Event.Error} (code ${ErrorCode.OverCapacity} recommended)`, `user ${limit + 1} refused with ${Event.SubscriptionError}`],
          () => describeOutcome(refused),
        );
        check(extra.isOpen, 'the refused connection stays open', `closed ${JSON.stringify(extra.closeInfo)}`);
        await expectRefused(ctx, extra, channel, refused, `user ${limit + 1} of a full channel`);
        const again = await ctx.connect();
        clients.push(again);
        const second = await again.subscribe(channel, { channelData: { user_id: ids[0]! } });
        check(second.ok, `a second connection of member ${ids[0]} is admitted (it adds no member)`, () => describeOutcome(second));
      } finally {
        await closeAll(clients);
      }
    },
  }),
  defineCase({
    id: 'presence/member-added-data',
    clause: 'presence.member-added-data',
    level: 'MUST',
    features: ['presence'],
    action: 'User A is in a presence channel; user B joins with a user_info object',
    requirement: 'The member_added A receives MUST decode to an object with B\'s user_id and B\'s user_info',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const info = { name: 'B', tags: ['x', 'y'], n: 7 };
      const [ca] = await joinAll(ctx, channel, [a]);
      const cb = await ctx.connect();
      await cb.subscribeOk(channel, { channelData: { user_id: b, user_info: info } });
      const added = await ca!.expectFrame(MemberAddedFrameLenient, { event: Event.MemberAdded, channel, description: `member_added for ${b} at A` });
      check(String(added.data.user_id) === b, `member_added user_id ${b}`, `user_id ${JSON.stringify(added.data.user_id)}`);
      check(isDeepStrictEqual(added.data.user_info, info), `member_added user_info ${JSON.stringify(info)}`, `user_info ${JSON.stringify(added.data.user_info)}`);
      await closeAll([ca, cb]);
    },
  }),

  defineCase({
    id: 'presence/member-removed-data',
    clause: 'presence.member-removed-data',
    level: 'MUST',
    features: ['presence'],
    action: 'Users A and B are in a presence channel; B unsubscribes',
    requirement: 'The member_removed A receives MUST decode to an object whose user_id is the one member_added announced for B',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const [ca, cb] = await joinAll(ctx, channel, [a, b]);
      const added = await ca!.expectFrame(MemberAddedFrameLenient, { event: Event.MemberAdded, channel, description: `member_added for ${b} at A` });
      cb!.unsubscribe(channel);
      const removed = await ca!.expectFrame(MemberRemovedFrameLenient, { event: Event.MemberRemoved, channel, within: 5000, description: `member_removed for ${b} at A` });
      check(
        String(removed.data.user_id) === String(added.data.user_id) && String(removed.data.user_id) === b,
        `member_removed user_id ${JSON.stringify(added.data.user_id)} (as announced)`,
        `user_id ${JSON.stringify(removed.data.user_id)}`,
      );
      await closeAll([ca, cb]);
    },
  }),

  defineCase({
    id: 'presence/hash-is-object',
    clause: 'presence.hash-is-object',
    level: 'MUST',
    features: ['presence'],
    action: 'Subscribes alone to a presence channel with channel_data holding a user_id and no user_info',
    requirement: 'The hash in subscription_succeeded MUST be a JSON object (not an array), even though no member gave user_info',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const c = await ctx.connect();
      const outcome = await c.subscribe(channel, { channelData: { user_id: ctx.userId('bare') } });
      check(outcome.ok, `subscription_succeeded for ${channel}`, () => describeOutcome(outcome));
      const data = decodeData(outcome.frame.data) as { presence?: { hash?: unknown } } | undefined;
      const hash = data?.presence?.hash;
      check(typeof hash === 'object' && hash !== null && !Array.isArray(hash), 'presence.hash a JSON object', `hash ${JSON.stringify(hash)}`);
      await c.close();
    },
  }),

  defineCase({
    id: 'presence/hash-lists-members-without-info',
    clause: 'presence.succeeded-data',
    level: 'MUST',
    features: ['presence'],
    action: 'User A joins a presence channel with user_info, user B without; user C, without user_info, joins and reads the member list',
    requirement: 'Every member MUST be a key of hash, those that gave no user_info included: pusher-js builds members.each and members.me from hash alone',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [a, b, c] = [ctx.userId('info'), ctx.userId('bare'), ctx.userId('me')];
      const ca = await ctx.connect();
      await ca.subscribeOk(channel, { channelData: { user_id: a, user_info: { name: a } } });
      const cb = await ctx.connect();
      await cb.subscribeOk(channel, { channelData: { user_id: b } });
      const cc = await ctx.connect();
      const list = presenceData(await cc.subscribeOk(channel, { channelData: { user_id: c } }));
      // the hash's own shape is presence.hash-is-object's clause; here only its keys count
      const keys = typeof list.hash === 'object' && list.hash !== null ? Object.keys(list.hash).sort() : [];
      const expected = [a, b, c].sort();
      check(JSON.stringify(keys) === JSON.stringify(expected), `hash keys [${expected.join(', ')}] (B and C gave no user_info)`, `hash ${JSON.stringify(list.hash)}`);
      await closeAll([ca, cb, cc]);
    },
  }),
]);
