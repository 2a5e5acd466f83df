/**
 * Subscriptions: the confirmation for each channel type, delivery only while subscribed
 * (model-based), repeated subscribes, channel-name rules, and the shape and content of
 * delivered channel events.
 * @module
 */
import fc from 'fast-check';
import { Event, isClientEventName, isReservedEventName } from '../../../spec/src/events.ts';
import { ChannelEventFrame, ChannelEventFrameLenient } from '../../../spec/src/frames/events.ts';
import {
  PresenceSubscriptionSucceededFrameLenient,
  SubscriptionSucceededFrame,
  SubscriptionSucceededFrameLenient,
} from '../../../spec/src/frames/subscription.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client } from '../harness/types.ts';
import { asPublished, barrier, carriesToken, describeOutcome } from './helpers/channel-sync.ts';
import {
  CHANNEL_NAME_CHARS,
  NOT_CHANNEL_NAME_CHARS,
  TEST_EVENT,
  dataMatches,
  deliveries,
  expectNameRefused,
  publishOk,
  uniqueToken,
} from './helpers/first-areas.ts';

/**
 * Send pusher:subscribe with `data` and take the next subscription_succeeded, whatever channel it
 * names (the connection holds nothing else), so a confirmation without the right channel is seen.
 */
async function confirmationFor(client: Client, data: Record<string, unknown> & { channel: string }) {
  client.send({ event: Event.Subscribe, data });
  const frame = await client.expectFrame(SubscriptionSucceededFrameLenient, {
    event: Event.SubscriptionSucceeded,
    description: `pusher_internal:subscription_succeeded answering the subscribe to ${data.channel}`,
  });
  check(frame.channel === data.channel, `subscription_succeeded with channel ${data.channel}`, `channel ${JSON.stringify(frame.channel)}`);
  return frame;
}

/**
 * An in-band barrier on one connection: a server handles a connection's frames in order, so once a
 * later subscribe is confirmed, every frame sent before it (an unsubscribe) has been handled.
 */
async function handled(ctx: CaseContext, client: Client): Promise<void> {
  await client.subscribeOk(ctx.channelName(''));
}

// --- model of subscribe / unsubscribe / publish on one connection ----------------------------------

interface SubModel {
  readonly subscribed: Set<number>;
}
interface SubReal {
  readonly ctx: CaseContext;
  readonly client: Client;
  readonly channels: readonly string[];
  /** a channel the connection holds throughout: the publish barrier */
  readonly control: string;
}
type SubCommand = fc.AsyncCommand<SubModel, SubReal, boolean>;

const SUB_CHANNELS = 2;

/** Subscribe to channel i if the connection does not hold it, else unsubscribe from it. */
class ToggleCommand implements SubCommand {
  constructor(readonly i: number) {}
  check(): boolean {
    return true;
  }
  async run(m: SubModel, r: SubReal): Promise<void> {
    const channel = r.channels[this.i]!;
    if (m.subscribed.has(this.i)) {
      r.client.unsubscribe(channel);
      await handled(r.ctx, r.client);
      m.subscribed.delete(this.i);
    } else {
      await r.client.subscribeOk(channel);
      m.subscribed.add(this.i);
    }
  }
  toString(): string {
    return `toggle(ch${this.i})`;
  }
}

class PublishCommand implements SubCommand {
  constructor(readonly i: number) {}
  check(): boolean {
    return true;
  }
  async run(m: SubModel, r: SubReal): Promise<void> {
    const channel = r.channels[this.i]!;
    const data = uniqueToken('model');
    await publishOk(r.ctx, { name: TEST_EVENT, channel, data });
    await barrier(r.ctx, r.control, [r.client]);
    const got = deliveries(r.client, channel, TEST_EVENT, data).length;
    const expected = m.subscribed.has(this.i) ? 1 : 0;
    check(
      got === expected,
      expected === 1 ? `the event published on subscribed ch${this.i} delivered exactly once` : `nothing delivered on ch${this.i}, which the connection left`,
      `delivered ${got} time(s)`,
    );
  }
  toString(): string {
    return `publish(ch${this.i})`;
  }
}

/** fresh per run (fc.commands keeps the replay log of its run); `replayPath` replays a failure */
const subscriptionCommands = (replayPath: string | undefined) =>
  fc.commands(
    [
      fc.nat({ max: SUB_CHANNELS - 1 }).map((i): SubCommand => new ToggleCommand(i)),
      fc.nat({ max: SUB_CHANNELS - 1 }).map((i): SubCommand => new PublishCommand(i)),
    ],
    { maxCommands: 12, ...(replayPath !== undefined ? { replayPath } : {}) },
  );

// --- generators ------------------------------------------------------------------------------------

/** Event names made of safe characters, outside the client- and protocol namespaces. */
const eventNameArb = fc
  .string({ unit: fc.constantFrom(...CHANNEL_NAME_CHARS), minLength: 1, maxLength: 40 })
  .filter((s) => !isClientEventName(s) && !isReservedEventName(s));

/** Strings a naive server might rewrite: unicode, whitespace-laden JSON, big numbers, escapes. */
const dataArb = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.nat({ max: 3 })).map(([v, indent]) => JSON.stringify(v, null, indent)),
  fc.bigInt({ min: 10n ** 17n, max: 10n ** 30n }).map(String),
  fc.constantFrom('1.0', '1e2', '-0', '0.10', ' {"a" : 1} ', '{"\u00e9":"\\u00e9"}', '"quoted"', 'null', '[1,2.50]', '\u{1F600}\u4e2d'),
);

export default defineArea('subscription', 'Subscriptions', [
  defineCase({
    id: 'subscription/public-succeeded',
    clause: 'subscription.public-succeeded',
    level: 'MUST',
    features: [],
    action: 'Subscribes to a public channel with auth "" as pusher-js does',
    requirement: 'The server MUST answer with pusher_internal:subscription_succeeded naming the channel',
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName('');
      await confirmationFor(c, { channel, auth: '' });
    },
  }),

  defineCase({
    id: 'subscription/public-without-auth',
    clause: 'subscription.public-empty-auth',
    level: 'MUST',
    features: [],
    action: 'Subscribes to a public channel with no auth field at all',
    requirement: 'The server MUST confirm a public subscription that carries no auth',
    async run(ctx) {
      const c = await ctx.connect();
      await confirmationFor(c, { channel: ctx.channelName('') });
    },
  }),

  defineCase({
    id: 'subscription/private-succeeded',
    clause: 'channel-auth.private-valid',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Subscribes to a private- channel with a correct signature',
    requirement: 'The server MUST answer with pusher_internal:subscription_succeeded naming the channel',
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName(ChannelPrefix.Private);
      await confirmationFor(c, { channel, auth: ctx.sign.channel(c.socketId, channel) });
    },
  }),

  defineCase({
    id: 'subscription/encrypted-succeeded',
    clause: 'encrypted.auth-like-private',
    level: 'MUST',
    features: ['encrypted'],
    action: 'Subscribes to a private-encrypted- channel with a correct private signature',
    requirement: 'The server MUST answer with pusher_internal:subscription_succeeded naming the channel',
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName(ChannelPrefix.Encrypted);
      await confirmationFor(c, { channel, auth: ctx.sign.channel(c.socketId, channel) });
    },
  }),

  defineCase({
    id: 'subscription/presence-succeeded',
    clause: 'presence.succeeded-data',
    level: 'MUST',
    features: ['presence'],
    action: 'Subscribes to a presence- channel with signed channel_data',
    requirement: 'The server MUST answer with subscription_succeeded naming the channel, its data decoding to the member list with the subscriber in it',
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const userId = ctx.userId('p');
      const { auth, channel_data } = ctx.sign.presence(c.socketId, channel, { user_id: userId, user_info: { name: 'P' } });
      c.send({ event: Event.Subscribe, data: { channel, auth, channel_data } });
      const frame = await c.expectFrame(PresenceSubscriptionSucceededFrameLenient, { event: Event.SubscriptionSucceeded });
      check(frame.channel === channel, `subscription_succeeded with channel ${channel}`, `channel ${JSON.stringify(frame.channel)}`);
      const ids = frame.data.presence.ids.map(String);
      check(ids.includes(userId), `the member list includes the subscriber ${userId}`, `ids ${JSON.stringify(ids)}`);
    },
  }),

  defineCase({
    id: 'subscription/succeeded-data-empty-json',
    clause: 'subscription.succeeded-data',
    level: 'SHOULD',
    features: [],
    action: 'Subscribes to a public channel and reads the confirmation with the strict schema',
    requirement: 'For a non-presence channel the server SHOULD send subscription_succeeded with data the string "{}"',
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName('');
      c.send({ event: Event.Subscribe, data: { channel, auth: '' } });
      await c.expectFrame(SubscriptionSucceededFrame, { event: Event.SubscriptionSucceeded, channel });
    },
  }),

  defineCase({
    id: 'subscription/unsubscribe-stops-delivery',
    clause: 'subscription.unsubscribe-stops-delivery',
    level: 'MUST',
    features: [],
    action: 'Subscribes, receives an event, unsubscribes, then has an event published on the channel',
    requirement: 'After pusher:unsubscribe the server MUST NOT deliver further events of that channel to the connection',
    async run(ctx) {
      const c = await ctx.connect();
      const [channel, control] = [ctx.channelName(''), ctx.channelName('')];
      await c.subscribeOk(channel);
      await c.subscribeOk(control);
      const before = uniqueToken('before');
      await publishOk(ctx, { name: TEST_EVENT, channel, data: before });
      await c.expectFrame(ChannelEventFrameLenient, { event: TEST_EVENT, channel, where: (f) => carriesToken(f.data, before) });
      c.unsubscribe(channel);
      await handled(ctx, c);
      const after = uniqueToken('after');
      await publishOk(ctx, { name: TEST_EVENT, channel, data: after });
      await barrier(ctx, control, [c]);
      const got = deliveries(c, channel, TEST_EVENT, after);
      check(got.length === 0, `no event of ${channel} after the unsubscribe`, () => `received ${JSON.stringify(got[0])}`);
    },
  }),

  defineCase({
    id: 'subscription/delivery-follows-subscription-state',
    clause: 'subscription.unsubscribe-stops-delivery',
    level: 'MUST',
    features: [],
    action: 'Runs random interleavings of subscribe, unsubscribe and REST publish over 2 channels on one connection',
    requirement: 'The server MUST deliver each event exactly once on a channel the connection holds and MUST NOT deliver it on a channel the connection left or never joined',
    numRuns: 10,
    timeoutMs: 30_000,
    async run(ctx) {
      await ctx.modelRun<SubModel, SubReal>(
        subscriptionCommands,
        async () => {
          const client = await ctx.connect();
          const control = ctx.channelName('');
          await client.subscribeOk(control);
          const channels = Array.from({ length: SUB_CHANNELS }, () => ctx.channelName(''));
          return { model: { subscribed: new Set<number>() }, real: { ctx, client, channels, control } };
        },
        async (r) => {
          await r.client.close();
        },
      );
    },
  }),

  defineCase({
    id: 'subscription/resubscribe-no-duplicates',
    clause: 'subscription.resubscribe-idempotent',
    level: 'MUST',
    features: [],
    action: 'Subscribes twice to the same channel on one connection, then has one event published on it',
    requirement: 'The server MUST deliver the event once, not once per subscribe',
    async run(ctx) {
      const c = await ctx.connect();
      const [channel, control] = [ctx.channelName(''), ctx.channelName('')];
      await c.subscribeOk(control);
      await c.subscribeOk(channel);
      const again = await c.subscribe(channel);
      check(again.ok || (again.via !== 'close' && c.isOpen), 'the repeated subscribe leaves the connection open', () => describeOutcome(again));
      const data = uniqueToken('once');
      await publishOk(ctx, { name: TEST_EVENT, channel, data });
      await barrier(ctx, control, [c]);
      const n = deliveries(c, channel, TEST_EVENT, data).length;
      check(n === 1, 'the event delivered exactly once', `delivered ${n} time(s)`);
    },
  }),

  defineCase({
    id: 'subscription/resubscribe-confirmed',
    clause: 'subscription.resubscribe-confirmed',
    level: 'SHOULD',
    features: [],
    action: 'Subscribes twice to the same channel on one connection',
    requirement: 'The server SHOULD confirm the repeated subscribe with another subscription_succeeded',
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName('');
      await c.subscribeOk(channel);
      const again = await c.subscribe(channel);
      check(again.ok, `a second subscription_succeeded for ${channel}`, () => describeOutcome(again));
    },
  }),

  defineCase({
    id: 'subscription/resubscribe-after-unsubscribe',
    clause: 'subscription.subscribe-after-unsubscribe',
    level: 'MUST',
    features: [],
    action: 'Subscribes, unsubscribes and subscribes again to one channel, then has an event published on it',
    requirement: 'The server MUST confirm the new subscription and deliver the event exactly once',
    async run(ctx) {
      const c = await ctx.connect();
      const [channel, control] = [ctx.channelName(''), ctx.channelName('')];
      await c.subscribeOk(control);
      await c.subscribeOk(channel);
      c.unsubscribe(channel);
      await c.subscribeOk(channel);
      const data = uniqueToken('rejoin');
      await publishOk(ctx, { name: TEST_EVENT, channel, data });
      await barrier(ctx, control, [c]);
      const n = deliveries(c, channel, TEST_EVENT, data).length;
      check(n === 1, 'the event delivered exactly once after re-subscribing', `delivered ${n} time(s)`);
    },
  }),

  defineCase({
    id: 'subscription/channel-name-charset-accepted',
    clause: 'subscription.channel-name-charset',
    level: 'MUST',
    features: [],
    action: 'Subscribes to public channels whose names use random characters of A-Z a-z 0-9 _ - = @ , . ; up to the profile\'s length limit',
    requirement: 'The server MUST confirm subscriptions to names made only of the documented characters within the length limit',
    numRuns: 15,
    async run(ctx) {
      const c = await ctx.connect();
      const limit = ctx.limits.channelNameLength;
      await ctx.property(
        fc.record({ suffix: fc.string({ unit: fc.constantFrom(...CHANNEL_NAME_CHARS), minLength: 1, maxLength: 64 }), fill: fc.boolean() }),
        async ({ suffix, fill }) => {
          const base = ctx.channelName('');
          let name = `${base}${suffix}`;
          if (limit !== null) name = fill ? (name + suffix.repeat(limit)).slice(0, limit) : name.slice(0, limit);
          const outcome = await c.subscribe(name);
          check(outcome.ok, `subscription_succeeded for ${JSON.stringify(name)} (${name.length} characters)`, () => describeOutcome(outcome));
        },
      );
    },
  }),

  defineCase({
    id: 'subscription/channel-name-invalid-refused',
    clause: 'subscription.channel-name-invalid',
    level: 'SHOULD',
    features: [],
    action: 'Subscribes to generated invalid names: one character outside the alphabet, the empty name, or longer than the profile\'s limit',
    requirement: 'The server SHOULD refuse each without confirming it and without closing the connection',
    numRuns: 15,
    timeoutMs: 20_000,
    async run(ctx) {
      const limit = ctx.limits.channelNameLength;
      const variants = [
        fc.record({
          kind: fc.constant('bad-character' as const),
          ch: fc.constantFrom(...NOT_CHANNEL_NAME_CHARS),
          at: fc.nat(),
        }),
        fc.record({ kind: fc.constant('empty' as const) }),
        ...(limit === null ? [] : [fc.record({ kind: fc.constant('too-long' as const), over: fc.integer({ min: 1, max: 20 }) })]),
      ];
      await ctx.property(fc.oneof(...variants), async (v) => {
        const c = await ctx.connect();
        let name: string;
        if (v.kind === 'bad-character') {
          const base = ctx.channelName('');
          const at = 1 + (v.at % base.length);
          name = base.slice(0, at) + v.ch + base.slice(at);
        } else if (v.kind === 'empty') {
          name = '';
        } else {
          name = ctx.channelName('', { length: limit! + v.over });
        }
        const outcome = await c.subscribe(name);
        await expectNameRefused(c, name, outcome, ctx.channelName(''), `invalid name (${v.kind})`);
      });
    },
  }),

  defineCase({
    id: 'subscription/reserved-hash-names-refused',
    clause: 'subscription.reserved-hash-names',
    level: 'SHOULD',
    features: [],
    action: 'Subscribes, without signing in, to a #-prefixed name and to the #server-to-user- channel of some user',
    requirement: 'The server SHOULD refuse client subscriptions to #-prefixed names other than the connection\'s own #server-to-user channel',
    async run(ctx) {
      const c = await ctx.connect();
      for (const name of [`${ChannelPrefix.Reserved}${ctx.channelName('')}`, `${ChannelPrefix.ServerToUser}${ctx.userId('other')}`]) {
        const outcome = await c.subscribe(name);
        await expectNameRefused(c, name, outcome, ctx.channelName(''), 'reserved # name');
      }
    },
  }),

  defineCase({
    id: 'subscription/type-by-anchored-prefix',
    clause: 'subscription.type-by-anchored-prefix',
    level: 'MUST',
    features: [],
    action:
      'For every type prefix (private-, private-encrypted-, presence-, cache-, private-cache-, presence-cache-, private-encrypted-cache-, #server-to-user- without its #), publishes to and then subscribes without auth to a name holding the prefix after "x-", and to private, presence and cache followed by no hyphen',
    requirement: 'The server MUST treat each of these names as a public channel: the subscription succeeds without a signature or channel_data, and nothing published before it is replayed (no cached event, no pusher:cache_miss)',
    async run(ctx) {
      const typePrefixes = [
        ChannelPrefix.Private,
        ChannelPrefix.Encrypted,
        ChannelPrefix.Presence,
        ChannelPrefix.Cache,
        ChannelPrefix.PrivateCache,
        ChannelPrefix.PresenceCache,
        ChannelPrefix.EncryptedCache,
        ChannelPrefix.ServerToUser.slice(ChannelPrefix.Reserved.length),
      ];
      // a family's first word without its hyphen ("privatepc…"); compound prefixes would start with a shorter real one
      const hyphenless = [ChannelPrefix.Private, ChannelPrefix.Presence, ChannelPrefix.Cache].map((p) => p.slice(0, -1));
      const names = [...typePrefixes.map((p) => `x-${p}${ctx.channelName('')}`), ...hyphenless.map((p) => `${p}${ctx.channelName('')}`)];
      const c = await ctx.connect();
      for (const name of names) {
        const earlier = `earlier-${ctx.userId('anchored')}`;
        await publishOk(ctx, { name: earlier, channel: name, data: uniqueToken('before') });
        const outcome = await c.subscribe(name);
        check(outcome.ok, `${name}: a public channel, subscribed without a signature`, () => describeOutcome(outcome));
        await barrier(ctx, name, [c]);
        const replayed = c.frames().filter((f) => f.channel === name && (f.event === earlier || f.event === Event.CacheMiss));
        check(replayed.length === 0, `${name}: no cache replay (not a cache channel)`, () => `received ${JSON.stringify(replayed[0]).slice(0, 300)}`);
      }
    },
  }),

  defineCase({
    id: 'subscription/event-frame-shape',
    clause: 'subscription.event-frame-shape',
    level: 'MUST',
    features: [],
    action: 'Publishes events with random names on a subscribed channel',
    requirement: 'Each delivered frame MUST carry the published event name in event and the channel name in channel',
    numRuns: 15,
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName('');
      await c.subscribeOk(channel);
      await ctx.property(eventNameArb, async (name) => {
        const data = uniqueToken('shape');
        await publishOk(ctx, { name, channel, data });
        const frame = await c.expectFrame(ChannelEventFrameLenient, { where: (f) => carriesToken(f.data, data), description: `the event carrying ${data}` });
        check(frame.event === name, `event ${JSON.stringify(name)}`, `event ${JSON.stringify(frame.event)}`);
        check(frame.channel === channel, `channel ${channel}`, `channel ${JSON.stringify(frame.channel)}`);
      });
    },
  }),

  defineCase({
    id: 'subscription/event-data-string',
    clause: 'subscription.internal-data-string',
    level: 'SHOULD',
    features: [],
    action: 'Publishes data holding a JSON object and reads the delivered frame with the strict schema',
    requirement: 'The server SHOULD deliver channel-event data as the string published, not as a decoded object',
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName('');
      await c.subscribeOk(channel);
      const data = JSON.stringify({ token: uniqueToken('json'), n: 1 });
      await publishOk(ctx, { name: TEST_EVENT, channel, data });
      const frame = await c.expectFrame(ChannelEventFrame, { event: TEST_EVENT, channel });
      // a string is this clause; whether it is the string published is subscription.data-verbatim's
      check(asPublished(ctx, frame.data, data) === data, `data ${data}`, `data ${JSON.stringify(frame.data)}`);
    },
  }),

  defineCase({
    id: 'subscription/event-data-verbatim',
    clause: 'subscription.data-verbatim',
    level: 'MUST',
    features: [],
    action: 'Publishes random data strings (multi-byte text, indented JSON, long integers, escapes) on a subscribed channel',
    requirement: 'The server MUST deliver each data string exactly as published, character for character',
    numRuns: 20,
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName('');
      await c.subscribeOk(channel);
      let n = 0;
      await ctx.property(dataArb, async (data) => {
        const name = `${TEST_EVENT}-${++n}`;
        await publishOk(ctx, { name, channel, data });
        const frame = await c.expectFrame(ChannelEventFrameLenient, { event: name, channel });
        check(dataMatches(frame.data, data), `data ${JSON.stringify(data)} unchanged`, `data ${JSON.stringify(frame.data)}`);
      });
    },
  }),
  defineCase({
    id: 'subscription/several-channels-one-connection',
    clause: 'subscription.multiple-channels',
    level: 'MUST',
    features: [],
    action: 'Subscribes one connection to three public channels, then publishes a distinct event on each',
    requirement: 'The server MUST keep all three subscriptions and MUST deliver each event once, on its own channel only',
    async run(ctx) {
      const c = await ctx.connect();
      const channels = [ctx.channelName(''), ctx.channelName(''), ctx.channelName('')];
      for (const channel of channels) await c.subscribeOk(channel);
      const tokens = channels.map(() => uniqueToken('multi'));
      for (const [i, channel] of channels.entries()) await publishOk(ctx, { name: TEST_EVENT, channel, data: tokens[i] });
      for (const channel of channels) await barrier(ctx, channel, [c]);
      for (const [i, channel] of channels.entries()) {
        const carrying = c.frames().filter((f) => f.event === TEST_EVENT && carriesToken(f.data, tokens[i]!));
        const own = carrying.filter((f) => f.channel === channel).length;
        check(own === 1 && carrying.length === 1, `the event published on ${channel} delivered once, on ${channel}`, () => `delivered on ${JSON.stringify(carrying.map((f) => f.channel))}`);
      }
    },
  }),

  defineCase({
    id: 'subscription/missing-channel-refused',
    // malformed input: some servers crash on it, so it runs with the hostile cases, last and alone
    hostile: true,
    clause: 'subscription.missing-channel',
    level: 'MUST',
    features: [],
    action: 'Sends pusher:subscribe with data holding no channel, then one whose channel is a number, then subscribes to a valid channel',
    requirement: 'The server MUST NOT confirm the malformed subscribes and MUST keep the connection open and usable',
    async run(ctx) {
      const c = await ctx.connect();
      c.send({ event: Event.Subscribe, data: { auth: '' } });
      c.send({ event: Event.Subscribe, data: { channel: 42, auth: '' } });
      // frames are handled in order: once the ping is answered both subscribes were handled
      c.send({ event: Event.Ping, data: {} });
      await c.waitFor({ event: Event.Pong, within: 2000 });
      // their pusher:error answers (if any) name no channel: take them so the next subscribe's answer is its own
      while ((await c.waitFor({ event: Event.Error, within: 1 })) !== undefined);
      const valid = ctx.channelName('');
      const outcome = await c.subscribe(valid);
      check(c.isOpen && outcome.ok, `the connection stays open and confirms the later subscribe to ${valid}`, () => `${describeOutcome(outcome)}; close ${c.closeInfo?.code ?? 'none'}`);
      const stray = c.frames().filter((f) => f.event === Event.SubscriptionSucceeded && f.channel !== valid);
      check(stray.length === 0, 'no subscription_succeeded for the malformed subscribes', () => JSON.stringify(stray[0]).slice(0, 300));
    },
  }),

  defineCase({
    id: 'subscription/refusal-keeps-connection',
    clause: 'subscription.failure-keeps-connection',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Holds a public channel, then subscribes to a private- channel with another channel\'s signature and to another with an empty auth, then has an event published on the public channel',
    requirement: 'After refusing a subscription the server MUST keep the connection open and MUST keep delivering on its other subscriptions',
    async run(ctx) {
      const c = await ctx.connect();
      const held = ctx.channelName('');
      await c.subscribeOk(held);
      // refusals every conformant server makes (MUST clauses channel-auth.wrong-channel and
      // channel-auth.private-required); an invalid channel name is not used: refusing it is a
      // SHOULD (subscription.channel-name-invalid), judged by its own case
      const priv = ctx.channelName(ChannelPrefix.Private);
      const wrong = await c.subscribe(priv, { auth: ctx.sign.channel(c.socketId, ctx.channelName(ChannelPrefix.Private)) });
      const unsigned = ctx.channelName(ChannelPrefix.Private);
      const empty = c.isOpen ? await c.subscribe(unsigned, { auth: '' }) : wrong;
      if (wrong.ok && empty.ok) return ctx.unsupported(`the target confirmed both subscriptions meant to be refused (${describeOutcome(wrong)}); no refusal to observe: the channel-auth cases judge that`);
      check(c.isOpen, 'the connection stays open after the refusals', () => `closed ${c.closeInfo?.code ?? '?'} ${c.closeInfo?.reason ?? ''}`);
      const data = uniqueToken('kept');
      await publishOk(ctx, { name: TEST_EVENT, channel: held, data });
      await c.expectFrame(ChannelEventFrameLenient, { event: TEST_EVENT, channel: held, where: (f) => carriesToken(f.data, data), description: `the event on ${held}, still held` });
    },
  }),

  defineCase({
    id: 'subscription/no-confirmation-before-handshake',
    clause: 'subscription.after-handshake',
    level: 'MUST',
    features: [],
    action: 'Sends pusher:subscribe the moment the WebSocket upgrade completes, before connection_established has arrived',
    requirement: 'The server MUST NOT send subscription_succeeded before pusher:connection_established',
    async run(ctx) {
      const c = await ctx.open({});
      const channel = ctx.channelName('');
      c.send({ event: Event.Subscribe, data: { channel, auth: '' } });
      await c.waitFor({ event: Event.ConnectionEstablished, within: 2000 });
      await c.waitFor({ event: Event.SubscriptionSucceeded, channel, within: 1000 });
      const frames = c.frames();
      const hello = frames.findIndex((f) => f.event === Event.ConnectionEstablished);
      const confirmation = frames.findIndex((f) => f.event === Event.SubscriptionSucceeded);
      check(hello !== -1, 'pusher:connection_established', () => `frames ${JSON.stringify(frames.map((f) => f.event))}`);
      check(confirmation === -1 || confirmation > hello, 'no subscription_succeeded before connection_established', () => `frames in order: ${JSON.stringify(frames.map((f) => f.event))}`);
    },
  }),
]);
