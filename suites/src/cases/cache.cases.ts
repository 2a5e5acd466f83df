/**
 * Cache channels: the last server event replayed right after subscription_succeeded, on every
 * cache prefix; cache_miss when empty; client events never cached; the TTL; and the
 * REST `info=cache` attribute.
 * @module
 */
import fc from 'fast-check';
import { decryptPayload } from '../../../spec/src/crypto/index.ts';
import { Event, EventPrefix } from '../../../spec/src/events.ts';
import type { AnyFrame } from '../../../spec/src/frames/generic.ts';
import { CacheMissFrameLenient, ChannelEventFrameLenient } from '../../../spec/src/frames/events.ts';
import { EncryptedData } from '../../../spec/src/frames/encrypted.ts';
import { ChannelPrefix, channelKind } from '../../../spec/src/identifiers.ts';
import type { Feature } from '../../../spec/src/features.ts';
import { ChannelResponse } from '../../../spec/src/rest/schemas.ts';
import { InfoAttribute } from '../../../spec/src/rest/endpoints.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check, HarnessError } from '../model/outcome.ts';
import type { CaseContext, Client } from '../harness/types.ts';
import { asPublished, barrier, closeAll, dataText } from './helpers/channel-sync.ts';
import { dataMatches } from './helpers/first-areas.ts';
import { limitOrPusher } from './helpers/limit-or-pusher.ts';
import { isAccepted } from '../harness/rest.ts';

/** Longest cache TTL the TTL case waits for (before --time-scale). */
const MAX_TTL_WAIT_MS = 15_000;

interface Published {
  /** Date.now() just before the publish was sent: the cached event is at most this old */
  readonly sentAt: number;
  readonly event: string;
  /** the data string as published (ciphertext JSON on encrypted channels) */
  readonly data: string;
  /** the plaintext, on encrypted channels */
  readonly plaintext?: string;
}

/** Cache prefixes other than `cache-`, with the feature each one needs besides `cache`. */
const VARIANTS: readonly { prefix: string; feature?: Feature }[] = [
  { prefix: ChannelPrefix.PrivateCache },
  { prefix: ChannelPrefix.EncryptedCache, feature: 'encrypted' },
  { prefix: ChannelPrefix.PresenceCache, feature: 'presence' },
];

const isCount = (f: AnyFrame): boolean => f.event === Event.SubscriptionCount;

/** Publish through REST and require a 2xx. */
async function publish(ctx: CaseContext, channel: string, event: string, data: string): Promise<void> {
  const res = await ctx.rest.trigger({ name: event, channel, data });
  check(isAccepted(res), `POST /events to ${channel} accepted (2xx, no error body)`, `HTTP ${res.status} ${res.text.slice(0, 200)}`);
}

/** Publish `plaintexts` in order (encrypted on encrypted channels); returns what was sent. */
async function publishAll(ctx: CaseContext, channel: string, plaintexts: readonly string[]): Promise<Published[]> {
  const encrypted = channelKind(channel).type === 'encrypted';
  const out: Published[] = [];
  for (const [i, plaintext] of plaintexts.entries()) {
    const event = `state-${i}`;
    const data = encrypted ? ctx.sign.encrypt(channel, JSON.stringify(plaintext)) : plaintext;
    const sentAt = Date.now();
    await publish(ctx, channel, event, data);
    out.push(encrypted ? { sentAt, event, data, plaintext: JSON.stringify(plaintext) } : { sentAt, event, data });
  }
  return out;
}

/**
 * Subscribe and return the first frame on the channel after subscription_succeeded (ignoring
 * subscription_count), with the index of the confirmation in frames().
 */
async function subscribeAndFirst(client: Client, channel: string, what: string): Promise<{ first: AnyFrame; succeededAt: number }> {
  const start = client.frames().length;
  const ok = await client.subscribeOk(channel);
  const succeededAt = client.frames().indexOf(ok);
  const first = await client.waitFor({ channel, where: (f) => !isCount(f) && client.frames().indexOf(f) > succeededAt, within: 3000 });
  const before = client
    .frames()
    .slice(start, Math.max(start, succeededAt))
    .filter((f) => f.channel === channel && (f.event === Event.CacheMiss || (!f.event.startsWith(EventPrefix.Pusher) && !f.event.startsWith(EventPrefix.Internal))));
  check(before.length === 0, `${what}: nothing replayed before subscription_succeeded (clause cache.replay-after-succeeded)`, () => JSON.stringify(before[0]).slice(0, 300));
  check(first !== undefined, `${what}: a frame on ${channel} right after subscription_succeeded (the cached event or ${Event.CacheMiss})`, 'nothing arrived');
  const firstAfter = client.frames().slice(succeededAt + 1).find((f) => f.channel === channel && !isCount(f));
  return { first: firstAfter ?? first, succeededAt };
}

/**
 * Whether the last event must still be cached now: a server may expire it sooner than its
 * declared TTL only in the sense that the TTL is an upper bound, so the suite requires the replay
 * only while the event is younger than the declared TTL (less a margin for the subscribe to land).
 * A slow run (the embedded server's TTL is 2 s) then skips a check rather than failing it.
 */
function mustStillBeCached(ctx: CaseContext, last: Published): boolean {
  const ttl = ctx.limits.cacheTtlSeconds;
  return ttl === null || Date.now() + ctx.ms(300) < last.sentAt + ttl * 1000;
}

/**
 * Subscribe and check the replay of `last`; a cache_miss is accepted only once the event may
 * have expired. Returns whether the event was replayed.
 */
async function expectReplay(ctx: CaseContext, client: Client, channel: string, last: Published, what: string): Promise<{ replayed: boolean; succeededAt: number }> {
  const fresh = mustStillBeCached(ctx, last);
  const got = await subscribeAndFirst(client, channel, what);
  if (got.first.event === Event.CacheMiss && !fresh) {
    ctx.note(`${what}: ${Event.CacheMiss}, but the event was older than the declared TTL less a margin by then; replay not judged`);
    return { replayed: false, succeededAt: got.succeededAt };
  }
  checkReplay(ctx, channel, got.first, last, what);
  return { replayed: true, succeededAt: got.succeededAt };
}

/** Unsubscribe and wait until the server has handled it (its answer to a later ping). */
async function leave(client: Client, channel: string): Promise<void> {
  client.unsubscribe(channel);
  client.send({ event: Event.Ping, data: {} });
  await client.waitFor({ event: Event.Pong, within: 3000 });
}

/** The replayed frame must be exactly the last published event. */
function checkReplay(ctx: CaseContext, channel: string, frame: AnyFrame, last: Published, what: string): void {
  check(frame.event === last.event, `${what}: the first event after subscription_succeeded is the last one published, ${last.event} (clauses cache.last-event-replayed, cache.latest-only)`, `${frame.event}: ${JSON.stringify(frame).slice(0, 300)}`);
  const parsed = ChannelEventFrameLenient.safeParse(frame);
  check(parsed.success && parsed.data.channel === channel, `${what}: the replay names the channel`, JSON.stringify(frame).slice(0, 300));
  // a recognised double encoding of every publish is clause subscription.data-verbatim's finding
  // (and an object equal to the decoded string is the form pusher-js tolerates, judged there too)
  const data = asPublished(ctx, parsed.data.data, last.data);
  check(dataMatches(data, last.data), `${what}: the replay carries the published data string unchanged (clause cache.replay-unchanged)`, `data ${JSON.stringify(parsed.data.data).slice(0, 300)}`);
  if (last.plaintext !== undefined) {
    const payload = EncryptedData.safeParse(dataText(data));
    check(payload.success, `${what}: encrypted data {nonce, ciphertext}`, String(data).slice(0, 200));
    const opened = decryptPayload({ sharedSecret: ctx.sign.sharedSecret(channel), ...payload.data });
    check(opened.ok && opened.plaintext === last.plaintext, `${what}: the replayed ciphertext decrypts to the published payload`, opened.ok ? opened.plaintext.slice(0, 200) : opened.reason);
  }
}

/**
 * One history: an empty channel gives cache_miss; after publishing `plaintexts`, a subscription
 * and a re-subscription each get exactly the last event, once, right after the confirmation.
 */
async function replayHistory(ctx: CaseContext, prefix: string, plaintexts: readonly string[]): Promise<void> {
  const channel = ctx.channelName(prefix);
  const label = prefix || 'public';
  const c = await ctx.connect();
  try {
    const empty = await subscribeAndFirst(c, channel, `${label} empty channel`);
    check(empty.first.event === Event.CacheMiss, `${label}: ${Event.CacheMiss} right after subscription_succeeded on an empty cache channel (clause cache.miss-event)`, `${empty.first.event}: ${JSON.stringify(empty.first).slice(0, 200)}`);
    check(CacheMissFrameLenient.safeParse(empty.first).success, `${label}: ${Event.CacheMiss} frame shape`, JSON.stringify(empty.first).slice(0, 200));
    await leave(c, channel);
    const sent = await publishAll(ctx, channel, plaintexts);
    const last = sent[sent.length - 1]!;
    const first = await expectReplay(ctx, c, channel, last, `${label} subscription after ${sent.length} publishes`);
    await leave(c, channel);
    const again = await expectReplay(ctx, c, channel, last, `${label} re-subscription (clause cache.every-subscription)`);
    const replays = Number(first.replayed) + Number(again.replayed);
    // the marker goes after every check: publishing it replaces the cached event
    const [end] = await barrier(ctx, channel, [c]);
    const events = c
      .frames()
      .slice(first.succeededAt + 1, end! - 1)
      .filter((f) => f.channel === channel && sent.some((s) => s.event === f.event));
    check(events.length === replays, `${label}: exactly one replay per subscription, of the last event only (clause cache.latest-only)`, () => `${events.length} replayed for ${replays} subscription(s): ${events.map((f) => f.event).join(', ')}`);
  } finally {
    await c.close();
  }
}

// at least two publishes, so that "the last one" differs from "the first one" in every run
// non-empty: whether empty data is accepted is a REST question, not a cache one
const historyArb = fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), { minLength: 2, maxLength: 4 });

export default defineArea('cache', 'Cache channels', [
  defineCase({
    id: 'cache/last-event-replayed',
    clause: 'cache.last-event-replayed',
    level: 'MUST',
    features: ['cache'],
    action: 'For random sequences of 2 to 4 REST publishes to a cache- channel, subscribes (after checking the empty channel gives cache_miss), unsubscribes and subscribes again',
    requirement: 'On every subscription the server MUST send exactly the last published event, unchanged, as the first event after subscription_succeeded',
    numRuns: 10,
    timeoutMs: 20_000,
    async run(ctx) {
      await ctx.property(historyArb, (texts) => replayHistory(ctx, ChannelPrefix.Cache, texts));
    },
  }),

  defineCase({
    id: 'cache/variants-replay',
    clause: 'cache.variants',
    level: 'SHOULD',
    features: ['cache'],
    action: 'Repeats the replay history on private-cache-, private-encrypted-cache- (encrypted data, when the target has encrypted channels) and presence-cache- (when it has presence) channels',
    requirement: 'The server SHOULD give every cache prefix the cache behaviour: cache_miss when empty, the last event replayed on every subscription',
    numRuns: 5,
    timeoutMs: 20_000,
    async run(ctx) {
      const prefixes = VARIANTS.filter((v) => v.feature === undefined || ctx.target.features.has(v.feature)).map((v) => v.prefix);
      const skipped = VARIANTS.filter((v) => !prefixes.includes(v.prefix)).map((v) => v.prefix);
      if (skipped.length > 0) ctx.note(`not checked (feature absent): ${skipped.join(', ')}`);
      await ctx.property(historyArb, async (texts) => {
        for (const prefix of prefixes) await replayHistory(ctx, prefix, texts);
      });
    },
  }),

  defineCase({
    id: 'cache/miss-event',
    clause: 'cache.miss-event',
    level: 'MUST',
    features: ['cache'],
    action: 'Subscribes two connections, one after the other, to a cache- channel nothing was published to',
    requirement: `The server MUST send each of them ${Event.CacheMiss} with the channel name right after ${Event.SubscriptionSucceeded}`,
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Cache);
      const clients = [await ctx.connect(), await ctx.connect()];
      for (const c of clients) {
        const { first } = await subscribeAndFirst(c, channel, c.label);
        check(first.event === Event.CacheMiss, `${Event.CacheMiss} right after subscription_succeeded`, `${first.event}: ${JSON.stringify(first).slice(0, 200)}`);
        const parsed = CacheMissFrameLenient.safeParse(first);
        check(parsed.success && parsed.data.channel === channel, `${Event.CacheMiss} names ${channel}`, JSON.stringify(first));
      }
      await closeAll(clients);
    },
  }),

  defineCase({
    id: 'cache/client-events-not-cached',
    clause: 'cache.client-events-not-cached',
    level: 'MUST',
    features: ['cache', 'client-events'],
    action: 'Publishes an event to a private-cache- channel, then a subscriber sends a client event on it (seen by another subscriber), then a third connection subscribes',
    requirement: 'The server MUST NOT cache client events: the third connection gets the published event, not the client event',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.PrivateCache);
      const [published] = await publishAll(ctx, channel, ['server state']);
      const a = await ctx.connect();
      const b = await ctx.connect();
      await a.subscribeOk(channel);
      await b.subscribeOk(channel);
      const client = `${EventPrefix.Client}overwrite`;
      a.trigger(channel, client, { by: 'client' });
      await b.expectFrame(ChannelEventFrameLenient, { event: client, channel, description: `${client} relayed (so the server has handled it)` });
      const c = await ctx.connect();
      await expectReplay(ctx, c, channel, published!, 'third subscriber');
      await closeAll([a, b, c]);
    },
  }),

  defineCase({
    id: 'cache/ttl-expiry',
    clause: 'cache.ttl',
    level: 'MUST',
    features: ['cache', 'cache-ttl'],
    timeoutMs: 25_000,
    action: 'Publishes an event to a cache- channel, checks it is replayed, waits the target\'s declared cache TTL plus a margin, and subscribes again',
    requirement: `The server MUST NOT replay a cached event older than its declared TTL: the late subscriber gets ${Event.CacheMiss}`,
    async run(ctx) {
      const { value: ttl, declared } = limitOrPusher(ctx, 'cacheTtlSeconds');
      const bound = ctx.ms(MAX_TTL_WAIT_MS);
      if (ttl * 1000 > bound) ctx.unsupported(`the ${declared ? 'declared' : 'documented (Pusher\'s; the target declares none)'} cache TTL of ${ttl} s is longer than the ${Math.round(bound / 1000)} s this case waits (raise --time-scale to wait longer)`);
      const channel = ctx.channelName(ChannelPrefix.Cache);
      const [published] = await publishAll(ctx, channel, ['soon stale']);
      const early = await ctx.connect();
      const before = await expectReplay(ctx, early, channel, published!, 'subscriber before the TTL');
      if (!before.replayed) throw new HarnessError('the run is too slow to observe the cache TTL (the event had nearly expired before the first subscription); raise --time-scale');
      await early.close();
      // the TTL is wall-clock time on the server; only the margin scales (a protocol timer in the report's timing)
      await ctx.timed(
        'timer',
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ttl * 1000 + ctx.ms(1000));
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(t);
            resolve();
          }, { once: true });
        }),
      );
      const late = await ctx.connect();
      const after = await subscribeAndFirst(late, channel, 'subscriber after the TTL');
      check(after.first.event === Event.CacheMiss, `${Event.CacheMiss} after the declared TTL of ${ttl} s`, `${after.first.event}: ${JSON.stringify(after.first).slice(0, 200)}`);
      await late.close();
    },
  }),

  defineCase({
    id: 'cache/info-cache',
    clause: 'rest.channel-info-cache',
    level: 'SHOULD',
    features: ['cache', 'cache-info'],
    action: 'Reads GET /channels/{name}?info=cache for an empty cache- channel, then after two publishes',
    requirement: 'The server SHOULD answer cache: null when nothing is cached, and cache: {data, ttl} with the last event\'s data and the remaining seconds (0 < ttl ≤ the declared TTL) otherwise',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Cache);
      const before = await ctx.rest.channel(channel, { info: InfoAttribute.Cache });
      const b = ChannelResponse.safeParse(before.json);
      check(before.status === 200 && b.success, 'HTTP 200 with {occupied, cache}', `HTTP ${before.status} ${before.text.slice(0, 200)}`);
      check(b.data.cache === null, 'cache: null for an empty cache channel', `cache ${JSON.stringify(b.data.cache)}`);
      const sent = await publishAll(ctx, channel, ['first', 'second']);
      const res = await ctx.rest.channel(channel, { info: InfoAttribute.Cache });
      const r = ChannelResponse.safeParse(res.json);
      check(res.status === 200 && r.success, 'HTTP 200 with {occupied, cache: {data, ttl}}', `HTTP ${res.status} ${res.text.slice(0, 200)}`);
      const cache = r.data.cache;
      check(cache !== null && cache !== undefined, 'cache: {data, ttl}', `cache ${JSON.stringify(cache)}`);
      check(cache.data === sent[1]!.data, `cache.data is the last published data ${JSON.stringify(sent[1]!.data)}`, `cache.data ${JSON.stringify(cache.data)}`);
      const declared = ctx.limits.cacheTtlSeconds;
      check(cache.ttl > 0 && (declared === null || cache.ttl <= declared), `0 < ttl ≤ ${declared ?? '∞'} (the declared TTL)`, `ttl ${cache.ttl}`);
    },
  }),
  defineCase({
    id: 'cache/plain-channel-no-replay',
    clause: 'cache.plain-channels-no-replay',
    level: 'MUST',
    features: [],
    action: 'Publishes an event on an occupied public channel without a cache prefix, then subscribes a second connection to it',
    requirement: `The server MUST NOT replay the earlier event nor send ${Event.CacheMiss} to the new subscriber`,
    async run(ctx) {
      const channel = ctx.channelName('');
      const holder = await ctx.connect();
      await holder.subscribeOk(channel);
      const event = `earlier-${ctx.userId('plain')}`;
      const res = await ctx.rest.trigger({ name: event, channel, data: '{}' });
      check(isAccepted(res), 'the publish accepted (2xx, no error body)', `HTTP ${res.status} ${res.text.slice(0, 200)}`);
      await holder.expectFrame(ChannelEventFrameLenient, { event, channel, description: `${event} at the first subscriber` });
      const late = await ctx.connect();
      await late.subscribeOk(channel);
      await barrier(ctx, channel, [late]);
      const replayed = late.frames().filter((f) => f.channel === channel && (f.event === event || f.event === Event.CacheMiss));
      check(replayed.length === 0, 'nothing replayed to the new subscriber', () => `received ${JSON.stringify(replayed[0]).slice(0, 300)}`);
      await closeAll([holder, late]);
    },
  }),
]);
