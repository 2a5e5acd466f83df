/**
 * The REST API: success bodies of every endpoint, delivery of publishes (once per channel and
 * subscriber), channel and user queries with their counts, and the documented error statuses.
 * @module
 */
import fc from 'fast-check';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import { InfoAttribute, RestPath, RestStatus, restPath } from '../../../spec/src/rest/endpoints.ts';
import {
  BatchResponse,
  ChannelResponse,
  ChannelsResponse,
  TerminateConnectionsResponse,
  TriggerResponse,
  TriggerResponseLenient,
  UsersResponse,
} from '../../../spec/src/rest/schemas.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { z } from 'zod';
import type { CaseContext, Client, HttpResult } from '../harness/types.ts';
import { barrier } from './helpers/channel-sync.ts';
import { batchEndpointMissing, effectiveStatus } from './helpers/rest-refusal.ts';
import { TEST_EVENT, deliveries, httpSummary, publishOk, uniqueToken } from './helpers/first-areas.ts';

/** The JSON body of a response, validated with `schema`; anything else fails with the body shown. */
function body<S extends z.ZodType>(res: HttpResult, schema: S, what: string): z.output<S> {
  check(res.status === RestStatus.Ok, `${what} answered ${RestStatus.Ok}`, () => httpSummary(res));
  const parsed = schema.safeParse(res.json);
  check(parsed.success, `${what}: a JSON body valid against the spec schema`, () => `${httpSummary(res)}${parsed.success ? '' : `: ${parsed.error.issues[0]?.message ?? ''}`}`);
  return parsed.data;
}

const isJsonObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Poll `probe` until `done` holds or about `boundMs` passed (servers may update occupancy a little
 * after an unsubscribe); returns the last value.
 */
async function pollUntil<T>(ctx: CaseContext, probe: () => Promise<T>, done: (v: T) => boolean, boundMs = 2000): Promise<T> {
  const until = Date.now() + ctx.ms(boundMs);
  let value = await probe();
  while (!done(value) && Date.now() < until) {
    await ctx.sleep(50);
    value = await probe();
  }
  return value;
}

/** `n` connections, each holding `channel`. */
async function subscribers(ctx: CaseContext, channel: string, n: number): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < n; i++) {
    const c = await ctx.connect();
    await c.subscribeOk(channel);
    out.push(c);
  }
  return out;
}

/** Connections joining a presence channel as the given users (a user may appear twice). */
async function presenceMembers(ctx: CaseContext, channel: string, users: readonly string[]): Promise<Client[]> {
  const out: Client[] = [];
  for (const user_id of users) {
    const c = await ctx.connect();
    await c.subscribeOk(channel, { channelData: { user_id, user_info: {} } });
    out.push(c);
  }
  return out;
}

export default defineArea('rest', 'REST API', [
  // --- success bodies ------------------------------------------------------------------------------
  defineCase({
    id: 'rest/trigger-success-body',
    clause: 'rest.trigger-success-body',
    level: 'MUST',
    features: [],
    action: 'Publishes one event with POST /events and one batch with POST /batch_events, without info',
    requirement: 'The server MUST answer each with 200 and a JSON object body',
    async run(ctx) {
      const channel = ctx.channelName('');
      const single = await ctx.rest.trigger({ name: TEST_EVENT, channel, data: uniqueToken() });
      check(single.status === RestStatus.Ok && isJsonObject(single.json), 'POST /events: 200 with a JSON object', () => httpSummary(single));
      // the batch endpoint is a feature of its own: a server without it is judged on /events alone
      if (!ctx.target.features.has('batch-events')) return ctx.note('POST /batch_events not checked: the target does not declare batch-events');
      const batch = await ctx.rest.batch([
        { name: TEST_EVENT, channel, data: uniqueToken() },
        { name: TEST_EVENT, channel, data: uniqueToken() },
      ]);
      if (batchEndpointMissing(ctx, batch, 'POST /batch_events')) return;
      check(batch.status === RestStatus.Ok && isJsonObject(batch.json), 'POST /batch_events: 200 with a JSON object', () => httpSummary(batch));
    },
  }),

  defineCase({
    id: 'rest/trigger-success-body-dialect',
    clause: 'rest.trigger-success-body',
    level: 'SHOULD',
    features: [],
    action: 'Publishes one event and one batch without info and reads the bodies with the schema of the profile\'s dialect',
    requirement: 'The server SHOULD answer {} (Pusher\'s documentation), or the form its profile declares',
    async run(ctx) {
      const channel = ctx.channelName('');
      const strict = ctx.profile.dialect.restSuccessBody === 'empty-object';
      const single = await ctx.rest.trigger({ name: TEST_EVENT, channel, data: uniqueToken() });
      const b = body(single, strict ? TriggerResponse : TriggerResponseLenient, `POST /events (dialect ${ctx.profile.dialect.restSuccessBody})`);
      check(b.channels === undefined, 'no channels attribute without info', () => httpSummary(single));
      if (strict && !ctx.target.features.has('batch-events')) ctx.note('POST /batch_events not checked: the target does not declare batch-events');
      else if (strict) {
        const batch = await ctx.rest.batch([{ name: TEST_EVENT, channel, data: uniqueToken() }]);
        if (!batchEndpointMissing(ctx, batch, 'POST /batch_events')) {
          const bb = body(batch, BatchResponse, 'POST /batch_events (dialect empty-object)');
          check(bb.batch === undefined, 'no batch attribute without info', () => httpSummary(batch));
        }
      }
    },
  }),

  defineCase({
    id: 'rest/terminate-success-body',
    clause: 'terminate.response',
    level: 'MUST',
    features: ['terminate'],
    action: 'Calls POST /users/{user_id}/terminate_connections for a user with no connection',
    requirement: 'The server MUST answer 200 with a JSON object body ({} in Pusher\'s documentation)',
    async run(ctx) {
      const res = await ctx.rest.terminate(ctx.userId('nobody'));
      if (ctx.profile.dialect.restSuccessBody === 'empty-object') body(res, TerminateConnectionsResponse, 'terminate_connections');
      else check(res.status === RestStatus.Ok && isJsonObject(res.json), 'terminate_connections: 200 with a JSON object', () => httpSummary(res));
    },
  }),

  // --- delivery ------------------------------------------------------------------------------------
  defineCase({
    id: 'rest/trigger-channel-delivers-once',
    clause: 'rest.trigger-channel',
    level: 'MUST',
    features: [],
    action: 'Publishes one event with channel to a channel held by two connections',
    requirement: 'The server MUST deliver the event exactly once to each subscriber',
    async run(ctx) {
      const channel = ctx.channelName('');
      const clients = await subscribers(ctx, channel, 2);
      const data = uniqueToken('one');
      await publishOk(ctx, { name: TEST_EVENT, channel, data });
      await barrier(ctx, channel, clients);
      for (const c of clients) {
        const n = deliveries(c, channel, TEST_EVENT, data).length;
        check(n === 1, `${c.label}: the event exactly once`, `${n} time(s)`);
      }
    },
  }),

  defineCase({
    id: 'rest/trigger-channels-once-per-channel',
    clause: 'rest.trigger-channels',
    level: 'MUST',
    features: [],
    action: 'Publishes with a channels array of 1-4 channels while three connections hold random subsets of them',
    requirement: 'The server MUST deliver the event exactly once on each listed channel to each of its subscribers, and nothing on channels a connection does not hold',
    numRuns: 10,
    timeoutMs: 20_000,
    async run(ctx) {
      const clients = [await ctx.connect(), await ctx.connect(), await ctx.connect()];
      const control = ctx.channelName('');
      for (const c of clients) await c.subscribeOk(control);
      const shape = fc.integer({ min: 1, max: 4 }).chain((k) => fc.array(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), { minLength: k, maxLength: k }));
      await ctx.property(shape, async (holds) => {
        const channels = holds.map(() => ctx.channelName(''));
        for (const [i, holders] of holds.entries()) {
          for (const [j, holds] of holders.entries()) if (holds) await clients[j]!.subscribeOk(channels[i]!);
        }
        const data = uniqueToken('multi');
        await publishOk(ctx, { name: TEST_EVENT, channels, data });
        await barrier(ctx, control, clients);
        for (const [i, holders] of holds.entries()) {
          for (const [j, held] of holders.entries()) {
            const n = deliveries(clients[j]!, channels[i]!, TEST_EVENT, data).length;
            check(n === (held ? 1 : 0), `${clients[j]!.label} on ${channels[i]}: ${held ? 'exactly once' : 'nothing (not subscribed)'}`, `${n} time(s)`);
          }
        }
      });
    },
  }),

  defineCase({
    id: 'rest/batch-delivers-each-once',
    clause: 'rest.batch-events',
    level: 'MUST',
    features: ['batch-events'],
    action: 'Publishes a batch of 2-5 events spread over two channels, both held by one connection',
    requirement: 'The server MUST deliver each batch item exactly once, on its own channel',
    numRuns: 8,
    timeoutMs: 20_000,
    async run(ctx) {
      const c = await ctx.connect();
      const control = ctx.channelName('');
      await c.subscribeOk(control);
      const max = Math.max(2, Math.min(5, ctx.limits.batchSize ?? 5));
      await ctx.property(fc.array(fc.nat({ max: 1 }), { minLength: 2, maxLength: max }), async (targets) => {
        const channels = [ctx.channelName(''), ctx.channelName('')];
        for (const ch of channels) await c.subscribeOk(ch);
        const items = targets.map((t) => ({ name: TEST_EVENT, channel: channels[t]!, data: uniqueToken('batch') }));
        const res = await ctx.rest.batch(items);
        check(res.status === RestStatus.Ok, 'POST /batch_events answered 200', () => httpSummary(res));
        await barrier(ctx, control, [c]);
        for (const item of items) {
          const n = deliveries(c, item.channel, TEST_EVENT, item.data).length;
          check(n === 1, `batch item ${item.data} exactly once on ${item.channel}`, `${n} time(s)`);
          const elsewhere = channels.filter((ch) => ch !== item.channel).flatMap((ch) => deliveries(c, ch, TEST_EVENT, item.data));
          check(elsewhere.length === 0, `batch item ${item.data} only on its own channel`, `also on ${elsewhere[0]?.channel}`);
        }
      });
    },
  }),

  // --- counts --------------------------------------------------------------------------------------
  defineCase({
    id: 'rest/trigger-info-counts',
    clause: 'rest.trigger-info',
    level: 'SHOULD',
    features: ['rest-info'],
    action: 'Publishes with info=subscription_count to a channel held by 2 connections, and with info=user_count to a presence channel of 2 users (one on 2 connections)',
    requirement: 'The server SHOULD answer {channels: {name: {…}}} with the exact counts',
    async run(ctx) {
      const channel = ctx.channelName('');
      await subscribers(ctx, channel, 2);
      const res = await ctx.rest.trigger({ name: TEST_EVENT, channel, data: uniqueToken(), info: InfoAttribute.SubscriptionCount });
      const b = body(res, TriggerResponseLenient, 'POST /events with info');
      const got = b.channels?.[channel]?.subscription_count;
      check(got === 2, `channels.${channel}.subscription_count = 2`, () => httpSummary(res));
      if (ctx.target.features.has('presence')) {
        const presence = ctx.channelName(ChannelPrefix.Presence);
        const [u1, u2] = [ctx.userId('a'), ctx.userId('b')];
        await presenceMembers(ctx, presence, [u1, u1, u2]);
        const pres = await ctx.rest.trigger({ name: TEST_EVENT, channel: presence, data: uniqueToken(), info: InfoAttribute.UserCount });
        const pb = body(pres, TriggerResponseLenient, 'POST /events with info=user_count');
        check(pb.channels?.[presence]?.user_count === 2, `channels.${presence}.user_count = 2 (distinct users)`, () => httpSummary(pres));
      }
    },
  }),

  defineCase({
    id: 'rest/channels-lists-occupied-only',
    clause: 'rest.channels-list',
    level: 'MUST',
    features: [],
    action: 'Occupies two channels under a fresh prefix, occupies and then vacates a third, and lists GET /channels?filter_by_prefix=… and GET /channels without a filter',
    requirement: 'The server MUST list exactly the occupied channels, not the vacated one, with and without a filter',
    async run(ctx) {
      const prefix = `${ctx.channelName('')}-`;
      const [a, b, gone] = [`${prefix}a`, `${prefix}b`, `${prefix}gone`];
      const c = await ctx.connect();
      for (const ch of [a, b, gone]) await c.subscribeOk(ch);
      c.unsubscribe(gone);
      const expected = [a, b].sort();
      const same = (names: string[]) => JSON.stringify(names) === JSON.stringify(expected);
      const list = async () => Object.keys(body(await ctx.rest.channels({ filter_by_prefix: prefix }), ChannelsResponse, 'GET /channels').channels).sort();
      const got = await pollUntil(ctx, list, same);
      check(same(got), `channels ${JSON.stringify(expected)}`, `channels ${JSON.stringify(got)}`);
      // a shared target lists other runs' channels too: "exactly" is judged on the names this case made
      const unfiltered = async () => Object.keys(body(await ctx.rest.channels(), ChannelsResponse, 'GET /channels (no filter)').channels).filter((n) => n.startsWith(prefix)).sort();
      const all = await pollUntil(ctx, unfiltered, same);
      check(same(all), `GET /channels without a filter: of this case's channels, exactly ${JSON.stringify(expected)}`, `${JSON.stringify(all)}`);
    },
  }),

  defineCase({
    id: 'rest/channels-filter-by-prefix',
    clause: 'rest.channels-filter-prefix',
    level: 'MUST',
    features: [],
    action: 'Occupies a channel under a fresh prefix, one outside it, and one containing the prefix in the middle, then lists with filter_by_prefix',
    requirement: 'The server MUST list only the occupied channels whose names start with the prefix',
    async run(ctx) {
      const prefix = `${ctx.channelName('')}-`;
      const inside = `${prefix}in`;
      const outside = ctx.channelName('');
      const middle = `x${prefix}mid`;
      const c = await ctx.connect();
      for (const ch of [inside, outside, middle]) await c.subscribeOk(ch);
      const b = body(await ctx.rest.channels({ filter_by_prefix: prefix }), ChannelsResponse, 'GET /channels with filter_by_prefix');
      const names = Object.keys(b.channels);
      check(names.length === 1 && names[0] === inside, `only ${inside}`, `channels ${JSON.stringify(names)}`);
    },
  }),

  defineCase({
    id: 'rest/channels-user-count',
    clause: 'rest.channels-user-count',
    level: 'SHOULD',
    features: ['presence'],
    action: 'Joins a fresh presence channel as 2 users (one on 2 connections) and lists GET /channels?filter_by_prefix=presence-…&info=user_count',
    requirement: 'The server SHOULD give the channel user_count 2, the number of distinct users',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [u1, u2] = [ctx.userId('a'), ctx.userId('b')];
      await presenceMembers(ctx, channel, [u1, u1, u2]);
      const res = await ctx.rest.channels({ filter_by_prefix: channel, info: InfoAttribute.UserCount });
      const b = body(res, ChannelsResponse, 'GET /channels with info=user_count');
      check(b.channels[channel]?.user_count === 2, `${channel}: user_count 2`, () => httpSummary(res));
    },
  }),

  defineCase({
    id: 'rest/channels-user-count-needs-presence-filter',
    clause: 'rest.channels-user-count-needs-presence',
    level: 'SHOULD',
    features: [],
    action: 'Lists GET /channels?info=user_count without a filter, and with a filter that does not start with presence-',
    requirement: 'The server SHOULD answer 400 to both',
    async run(ctx) {
      const queries: Record<string, string>[] = [{ info: InfoAttribute.UserCount }, { info: InfoAttribute.UserCount, filter_by_prefix: ctx.channelName('') }];
      for (const query of queries) {
        const res = await ctx.rest.channels(query);
        check(effectiveStatus(ctx, res) === RestStatus.BadRequest, `${RestStatus.BadRequest} for ${JSON.stringify(query)}`, () => httpSummary(res));
      }
    },
  }),

  defineCase({
    id: 'rest/channel-occupied',
    clause: 'rest.channel-occupied',
    level: 'MUST',
    features: [],
    action: 'Queries GET /channels/{name} for a channel never used, while it is held, and after its only subscriber left',
    requirement: 'The server MUST answer occupied false, true and false',
    async run(ctx) {
      const channel = ctx.channelName('');
      const occupied = async () => body(await ctx.rest.channel(channel), ChannelResponse, `GET /channels/${channel}`).occupied;
      check((await occupied()) === false, 'occupied false before anyone subscribed', 'occupied true');
      const c = await ctx.connect();
      await c.subscribeOk(channel);
      check((await occupied()) === true, 'occupied true while subscribed', 'occupied false');
      c.unsubscribe(channel);
      const after = await pollUntil(ctx, occupied, (v) => v === false);
      check(after === false, 'occupied false after the last subscriber left', 'occupied true');
    },
  }),

  defineCase({
    id: 'rest/channel-user-count',
    clause: 'rest.channel-user-count',
    level: 'SHOULD',
    features: ['presence'],
    action: 'Joins a presence channel as 2 users, one of them on 2 connections, and queries GET /channels/{name}?info=user_count',
    requirement: 'The server SHOULD answer user_count 2, the number of distinct users',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [u1, u2] = [ctx.userId('a'), ctx.userId('b')];
      await presenceMembers(ctx, channel, [u1, u1, u2]);
      const res = await ctx.rest.channel(channel, { info: InfoAttribute.UserCount });
      const b = body(res, ChannelResponse, 'GET /channels/{presence channel}?info=user_count');
      check(b.occupied && b.user_count === 2, 'occupied true, user_count 2', () => httpSummary(res));
    },
  }),

  defineCase({
    id: 'rest/channel-subscription-count',
    clause: 'rest.channel-subscription-count',
    level: 'SHOULD',
    features: ['rest-info'],
    action: 'Holds a public channel on 3 connections, queries GET /channels/{name}?info=subscription_count, then again after one unsubscribes',
    requirement: 'The server SHOULD answer subscription_count 3, then 2',
    async run(ctx) {
      const channel = ctx.channelName('');
      const clients = await subscribers(ctx, channel, 3);
      const count = async () => body(await ctx.rest.channel(channel, { info: InfoAttribute.SubscriptionCount }), ChannelResponse, 'GET /channels/{name}?info=subscription_count').subscription_count;
      const first = await count();
      check(first === 3, 'subscription_count 3', `subscription_count ${String(first)}`);
      clients[0]!.unsubscribe(channel);
      const second = await pollUntil(ctx, count, (n) => n === 2);
      check(second === 2, 'subscription_count 2 after one unsubscribed', `subscription_count ${String(second)}`);
    },
  }),

  defineCase({
    id: 'rest/users-distinct',
    clause: 'rest.users',
    level: 'MUST',
    features: ['presence'],
    action: 'Joins a presence channel as 2 users, one of them on 2 connections, and queries GET /channels/{name}/users',
    requirement: 'The server MUST list each distinct user id exactly once',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [u1, u2] = [ctx.userId('a'), ctx.userId('b')];
      await presenceMembers(ctx, channel, [u1, u1, u2]);
      const res = await ctx.rest.users(channel);
      const ids = body(res, UsersResponse, 'GET /channels/{name}/users').users.map((u) => u.id).sort();
      check(JSON.stringify(ids) === JSON.stringify([u1, u2].sort()), `users ${JSON.stringify([u1, u2].sort())}`, `users ${JSON.stringify(ids)}`);
    },
  }),

  // --- error statuses ------------------------------------------------------------------------------
  defineCase({
    id: 'rest/users-non-presence-400',
    clause: 'rest.users-non-presence',
    level: 'SHOULD',
    features: [],
    action: 'Queries GET /channels/{name}/users for an occupied public channel',
    requirement: 'The server SHOULD answer 400',
    async run(ctx) {
      const channel = ctx.channelName('');
      await subscribers(ctx, channel, 1);
      const res = await ctx.rest.users(channel);
      check(effectiveStatus(ctx, res) === RestStatus.BadRequest, `${RestStatus.BadRequest}`, () => httpSummary(res));
    },
  }),

  defineCase({
    id: 'rest/channel-info-inapplicable-400',
    clause: 'rest.channel-info-inapplicable',
    level: 'SHOULD',
    features: [],
    action: 'Queries GET /channels/{name}?info=user_count for an occupied public channel',
    requirement: 'The server SHOULD answer 400: user_count applies to presence channels only',
    async run(ctx) {
      const channel = ctx.channelName('');
      await subscribers(ctx, channel, 1);
      const res = await ctx.rest.channel(channel, { info: InfoAttribute.UserCount });
      check(effectiveStatus(ctx, res) === RestStatus.BadRequest, `${RestStatus.BadRequest}`, () => httpSummary(res));
    },
  }),

  defineCase({
    id: 'rest/unknown-app-404',
    clause: 'rest.not-found',
    level: 'SHOULD',
    features: [],
    action: 'Publishes to /apps/{unknown app}/events, signed with the target\'s key and secret',
    requirement: 'The server SHOULD answer 404 and deliver nothing',
    async run(ctx) {
      const channel = ctx.channelName('');
      const [c] = await subscribers(ctx, channel, 1);
      const data = uniqueToken('stray');
      const path = restPath(RestPath.Events, { app: `${ctx.target.appId}0${uniqueToken('app').replace(/\W/g, '')}` });
      const res = await ctx.rest.request({ method: 'POST', path, body: JSON.stringify({ name: TEST_EVENT, channel, data }) });
      check(res.status === RestStatus.NotFound, `${RestStatus.NotFound}`, () => httpSummary(res));
      await barrier(ctx, channel, [c!]);
      check(deliveries(c!, channel, TEST_EVENT, data).length === 0, 'nothing delivered', 'the event was delivered');
    },
  }),

  defineCase({
    id: 'rest/bad-request-400',
    clause: 'rest.bad-request',
    level: 'SHOULD',
    features: [],
    action: 'Publishes a correctly signed POST /events whose JSON body has a channel and data but no event name',
    requirement: `The server SHOULD answer ${RestStatus.BadRequest} with an explanation in the body (not a 2xx carrying the error, which SDKs read as a success)`,
    async run(ctx) {
      const channel = ctx.channelName('');
      const res = await ctx.rest.request({ method: 'POST', path: ctx.rest.path('events'), body: JSON.stringify({ channel, data: uniqueToken('nameless') }) });
      check(res.status === RestStatus.BadRequest, `${RestStatus.BadRequest}`, () => httpSummary(res));
      check(res.text.trim().length > 0, 'an explanation in the body', 'an empty body');
    },
  }),
]);
