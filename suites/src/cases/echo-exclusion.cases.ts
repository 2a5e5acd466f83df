/**
 * Excluding a recipient with socket_id: on POST /events (one or several channels) and per entry of
 * POST /batch_events, over random sets of subscribers; excluding a connection that does not hold
 * the channel changes nothing.
 * @module
 */
import fc from 'fast-check';
import { RestStatus } from '../../../spec/src/rest/endpoints.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client } from '../harness/types.ts';
import { barrier } from './helpers/channel-sync.ts';
import { TEST_EVENT, deliveries, httpSummary, publishOk, uniqueToken } from './helpers/first-areas.ts';

/** Connections opened once per case; each property run subscribes a subset to fresh channels. */
const POOL = 5;

async function pool(ctx: CaseContext): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < POOL; i++) out.push(await ctx.connect());
  return out;
}

/** 2-5 distinct pool indices (the subscribers) and which of them, if any, is excluded. */
const subscribersAndExcluded = fc
  .uniqueArray(fc.nat({ max: POOL - 1 }), { minLength: 2, maxLength: POOL })
  .chain((subs) => fc.record({ subs: fc.constant(subs), excluded: fc.option(fc.constantFrom(...subs), { nil: undefined }) }));

/** Each subscriber of `channel` got `data` exactly once, the excluded one never. */
function checkDeliveries(clients: readonly Client[], subs: readonly number[], excluded: number | undefined, channel: string, data: string, what: string): void {
  for (const i of subs) {
    const n = deliveries(clients[i]!, channel, TEST_EVENT, data).length;
    const expected = i === excluded ? 0 : 1;
    check(n === expected, `${what}: ${clients[i]!.label} on ${channel} ${expected === 0 ? 'gets nothing (excluded)' : 'gets the event exactly once'}`, `${n} time(s)`);
  }
}

export default defineArea('echo-exclusion', 'Excluding recipients', [
  defineCase({
    id: 'echo-exclusion/trigger-socket-id',
    clause: 'rest.socket-id-exclusion',
    level: 'MUST',
    features: [],
    action: 'Publishes to one or two channels held by 2-5 connections, with the socket_id of one random subscriber or none',
    requirement: 'Every subscriber except the excluded connection MUST receive the event exactly once per channel; the excluded one MUST receive nothing',
    numRuns: 10,
    timeoutMs: 20_000,
    async run(ctx) {
      const clients = await pool(ctx);
      await ctx.property(fc.record({ who: subscribersAndExcluded, channelCount: fc.integer({ min: 1, max: 2 }) }), async ({ who: { subs, excluded }, channelCount }) => {
        const channels = Array.from({ length: channelCount }, () => ctx.channelName(''));
        for (const ch of channels) for (const i of subs) await clients[i]!.subscribeOk(ch);
        const data = uniqueToken('excl');
        const target = channelCount === 1 ? { channel: channels[0]! } : { channels };
        await publishOk(ctx, { name: TEST_EVENT, ...target, data, ...(excluded !== undefined ? { socket_id: clients[excluded]!.socketId } : {}) });
        for (const ch of channels) {
          await barrier(ctx, ch, subs.map((i) => clients[i]!));
          checkDeliveries(clients, subs, excluded, ch, data, excluded === undefined ? 'no socket_id' : `socket_id of ${clients[excluded]!.label}`);
        }
      });
    },
  }),

  defineCase({
    id: 'echo-exclusion/batch-socket-id',
    clause: 'rest.batch-events',
    level: 'MUST',
    features: ['batch-events'],
    action: 'Publishes a batch of 1-4 events on a channel held by 2-5 connections, each entry with the socket_id of a random subscriber or none',
    requirement: 'Each entry MUST reach every subscriber exactly once except the connection its own socket_id names',
    numRuns: 10,
    timeoutMs: 20_000,
    async run(ctx) {
      const clients = await pool(ctx);
      const entries = fc.uniqueArray(fc.nat({ max: POOL - 1 }), { minLength: 2, maxLength: POOL }).chain((subs) =>
        fc.record({
          subs: fc.constant(subs),
          excluded: fc.array(fc.option(fc.constantFrom(...subs), { nil: undefined }), { minLength: 1, maxLength: Math.max(1, Math.min(4, ctx.limits.batchSize ?? 4)) }),
        }),
      );
      await ctx.property(entries, async ({ subs, excluded }) => {
        const channel = ctx.channelName('');
        for (const i of subs) await clients[i]!.subscribeOk(channel);
        const items = excluded.map((x) => ({ name: TEST_EVENT, channel, data: uniqueToken('batch-excl'), ...(x !== undefined ? { socket_id: clients[x]!.socketId } : {}) }));
        const res = await ctx.rest.batch(items);
        check(res.status === RestStatus.Ok, 'POST /batch_events answered 200', () => httpSummary(res));
        await barrier(ctx, channel, subs.map((i) => clients[i]!));
        items.forEach((item, k) => checkDeliveries(clients, subs, excluded[k], channel, item.data, `batch entry ${k}`));
      });
    },
  }),

  defineCase({
    id: 'echo-exclusion/unsubscribed-socket-id',
    clause: 'rest.socket-id-exclusion',
    level: 'MUST',
    features: [],
    action: 'Publishes to a channel held by 2-4 connections with the socket_id of a live connection that does not hold it, and with a well-formed id of no connection',
    requirement: 'Every subscriber MUST still receive each event exactly once',
    numRuns: 5,
    async run(ctx) {
      const outsider = await ctx.connect();
      await ctx.property(fc.integer({ min: 2, max: 4 }), async (n) => {
        const channel = ctx.channelName('');
        const subs: Client[] = [];
        for (let i = 0; i < n; i++) {
          const c = await ctx.connect();
          await c.subscribeOk(channel);
          subs.push(c);
        }
        const [a, b] = outsider.socketId.split('.');
        const stranger = `${a}${a}.${b}9`;
        for (const socket_id of [outsider.socketId, stranger]) {
          const data = uniqueToken('stranger');
          await publishOk(ctx, { name: TEST_EVENT, channel, data, socket_id });
          await barrier(ctx, channel, subs);
          for (const c of subs) {
            const got = deliveries(c, channel, TEST_EVENT, data).length;
            check(got === 1, `${c.label} gets the event exactly once (socket_id ${socket_id} holds no subscription)`, `${got} time(s)`);
          }
        }
      });
    },
  }),
]);
