/**
 * The subscription_count event: the exact count after every subscribe and unsubscribe
 * (property over join/leave histories), never on presence channels, and a correct final value on
 * a channel busy enough to be throttled.
 * @module
 */
import fc from 'fast-check';
import { Event } from '../../../spec/src/events.ts';
import type { AnyFrame } from '../../../spec/src/frames/generic.ts';
import { SubscriptionCountFrameLenient } from '../../../spec/src/frames/events.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import { ChannelResponse } from '../../../spec/src/rest/schemas.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client } from '../harness/types.ts';
import { barrier, closeAll, decodeData, framesSince } from './helpers/channel-sync.ts';
import { limitOrPusher } from './helpers/limit-or-pusher.ts';

/** The throttle case opens threshold + a few connections; above this it reports unsupported. */
const MAX_THRESHOLD = 200;
const SLOTS = 6;
/** connections the throttle case opens at once while it fills the channel */
const FILL_BATCH = 16;

type Op = { readonly slot: number; readonly leaveBy: 'unsubscribe' | 'close' };
const opArb = fc.record({ slot: fc.integer({ min: 0, max: SLOTS - 1 }), leaveBy: fc.constantFrom<Op['leaveBy']>('unsubscribe', 'close') });

const countOf = (f: AnyFrame): unknown => (decodeData(f.data) as { subscription_count?: unknown } | null)?.subscription_count;

/** Wait until the server has handled everything `client` sent (its answer to a ping). */
async function roundTrip(client: Client): Promise<void> {
  client.send({ event: Event.Ping, data: {} });
  await client.waitFor({ event: Event.Pong, within: 3000 });
}

/** Wait until REST reports the channel unoccupied (a departure with nobody left to tell). */
async function untilVacated(ctx: CaseContext, channel: string): Promise<void> {
  const deadline = Date.now() + ctx.ms(3000);
  for (;;) {
    const res = await ctx.rest.channel(channel);
    const body = ChannelResponse.safeParse(res.json);
    if (body.success && !body.data.occupied) return;
    if (Date.now() > deadline) return;
    await ctx.sleep(20);
  }
}

export default defineArea('subscription-count', 'Subscription count', [
  defineCase({
    id: 'subscription-count/exact-after-each-change',
    clause: 'subscription-count.value',
    level: 'MUST',
    features: ['subscription-count'],
    action: 'For random histories of up to 6 connections joining and leaving (unsubscribe or close) a public channel, reads the subscription_count each subscriber gets after every change',
    requirement: `After each subscribe and unsubscribe the server MUST send every subscriber ${Event.SubscriptionCount} with the number of connections then subscribed`,
    numRuns: 8,
    timeoutMs: 20_000,
    async run(ctx) {
      // a few subscribers first (ops on slots 0..n-1 that join), then random joins and leaves
      const history = fc
        .tuple(fc.integer({ min: 2, max: SLOTS }), fc.array(opArb, { minLength: 2, maxLength: 10 }))
        .map(([n, rest]) => [...Array.from({ length: n }, (_, slot): Op => ({ slot, leaveBy: 'unsubscribe' })), ...rest]);
      await ctx.property(history, async (ops) => {
        const channel = ctx.channelName('');
        const clients: (Client | undefined)[] = Array.from({ length: SLOTS }, () => undefined);
        const subscribed = new Set<number>();
        try {
          for (const [step, op] of ops.entries()) {
            const what = `step ${step + 1}`;
            let told: number[];
            if (subscribed.has(op.slot)) {
              const c = clients[op.slot]!;
              if (op.leaveBy === 'unsubscribe') {
                c.unsubscribe(channel);
                await roundTrip(c);
              } else {
                await c.close();
                clients[op.slot] = undefined;
              }
              subscribed.delete(op.slot);
              told = [...subscribed];
              if (told.length === 0) await untilVacated(ctx, channel);
            } else {
              const c = clients[op.slot] ?? (clients[op.slot] = await ctx.connect());
              await c.subscribeOk(channel);
              subscribed.add(op.slot);
              told = [...subscribed];
            }
            const expected = subscribed.size;
            const desc = `${what} (${subscribed.has(op.slot) ? 'join' : op.leaveBy} of c${op.slot})`;
            for (const slot of told) {
              const f = await clients[slot]!.expectFrame(SubscriptionCountFrameLenient, {
                event: Event.SubscriptionCount,
                channel,
                within: 2000,
                description: `${desc}: subscription_count at c${slot}`,
              });
              check(f.data.subscription_count === expected, `${desc}: subscription_count ${expected} at c${slot}`, `subscription_count ${f.data.subscription_count}`);
            }
          }
        } finally {
          await closeAll(clients);
        }
      });
    },
  }),

  defineCase({
    id: 'subscription-count/not-on-presence',
    clause: 'subscription-count.not-presence',
    level: 'MUST',
    features: ['subscription-count', 'presence'],
    action: 'Three users subscribe to a presence channel and one unsubscribes',
    requirement: `The server MUST NOT send ${Event.SubscriptionCount} on presence channels`,
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const clients: Client[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await ctx.connect();
        clients.push(c);
        await c.subscribeOk(channel, { channelData: { user_id: ctx.userId(`p${i}`) } });
      }
      clients[2]!.unsubscribe(channel);
      await roundTrip(clients[2]!);
      await barrier(ctx, channel, clients.slice(0, 2));
      for (const c of clients) {
        const counts = framesSince(c, 0, channel, [Event.SubscriptionCount]);
        check(counts.length === 0, `no ${Event.SubscriptionCount} at ${c.label}`, () => JSON.stringify(counts[0]).slice(0, 200));
      }
      await closeAll(clients);
    },
  }),

  defineCase({
    id: 'subscription-count/above-threshold-final-value',
    clause: 'subscription-count.on-change',
    level: 'MUST',
    features: ['subscription-count'],
    // threshold + 5 connections: alone where a quota could refuse its neighbours', beside them on the embedded server
    exclusive: 'external',
    timeoutMs: 40_000,
    action:
      'Fills a public channel with one subscriber more than the profile\'s subscriptionCountThreshold, then quickly adds four subscribers and removes one, and watches the counts the first subscriber gets',
    requirement:
      'Even while throttling (at most one update per subscriptionCountIntervalSeconds), the server MUST bring every subscriber the correct final count within the interval plus a margin, and no stale value after it',
    async run(ctx) {
      const threshold = limitOrPusher(ctx, 'subscriptionCountThreshold').value;
      const interval = limitOrPusher(ctx, 'subscriptionCountIntervalSeconds').value;
      if (threshold + 5 > MAX_THRESHOLD) ctx.unsupported(`the throttle threshold ${threshold} needs more than the ${MAX_THRESHOLD} connections this case opens`);
      const channel = ctx.channelName('');
      const clients: Client[] = [];
      try {
        // the filling subscribers in batches (their order does not matter: the churn after them is judged)
        for (let i = 0; i <= threshold; i += FILL_BATCH) {
          await Promise.all(
            Array.from({ length: Math.min(FILL_BATCH, threshold + 1 - i) }, async () => {
              const c = await ctx.connect();
              clients.push(c);
              await c.subscribeOk(channel);
            }),
          );
        }
        const observer = clients[0]!;
        const from = observer.frames().length;
        const churnStart = Date.now();
        const added: Client[] = [];
        for (let i = 0; i < 4; i++) {
          const c = await ctx.connect();
          added.push(c);
          await c.subscribeOk(channel);
        }
        added[0]!.unsubscribe(channel);
        await roundTrip(added[0]!);
        clients.push(...added);
        const finalCount = threshold + 1 + 3;
        const churnMs = Date.now() - churnStart;
        // the final value: within one interval of the last change, plus a margin. A count equal to
        // the final one can also arrive mid-churn (the third subscriber in, before the fourth and
        // the leave), so the final value is one that nothing else follows within a quiet window.
        const bound = interval * 1000 + 2000;
        const until = Date.now() + ctx.ms(bound);
        let got: AnyFrame | undefined;
        let stale: unknown[] = [];
        while (got === undefined && Date.now() < until) {
          // waiting out the throttle interval: a protocol timer in the report's timing
          const candidate = await ctx.timed(
            'timer',
            observer.waitFor({
              event: Event.SubscriptionCount,
              channel,
              where: (f) => observer.frames().indexOf(f) >= from && countOf(f) === finalCount,
              within: Math.max(1, (until - Date.now()) / ctx.timeScale),
            }),
          );
          if (candidate === undefined) break;
          // nothing stale after it (a throttled update comes from the server's timer: no event orders it, so a window)
          await ctx.sleep(300, 'quiet');
          const after = framesSince(observer, observer.frames().indexOf(candidate) + 1, channel, [Event.SubscriptionCount]).map(countOf);
          if (after.every((n) => n === finalCount)) got = candidate;
          else stale = after;
        }
        const seen = framesSince(observer, from, channel, [Event.SubscriptionCount]).map(countOf);
        check(
          got !== undefined,
          `subscription_count ${finalCount} within ${bound} ms of the last change (interval ${interval} s + 2 s), and no count other than ${finalCount} after it`,
          `counts received since the churn began: [${seen.join(', ')}]${stale.length > 0 ? `; after the last ${finalCount}: [${stale.join(', ')}]` : ''}`,
        );
        const parsed = SubscriptionCountFrameLenient.safeParse(got);
        check(parsed.success, 'subscription_count frame shape', JSON.stringify(got).slice(0, 200));
        return `${seen.length} update(s) for 5 changes made in ${churnMs} ms above the threshold of ${threshold}: [${seen.join(', ')}]`;
      } finally {
        await closeAll(clients);
      }
    },
  }),
]);
