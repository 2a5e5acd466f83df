/**
 * Client events: where they are allowed, who receives them, the presence user_id, the rate
 * limit, the per-app switch, and that data is relayed intact.
 * @module
 */
import fc from 'fast-check';
import { signChannel } from '../../../spec/src/crypto/index.ts';
import { ErrorCode } from '../../../spec/src/error-codes.ts';
import { Event, EventPrefix } from '../../../spec/src/events.ts';
import { ChannelEventFrameLenient } from '../../../spec/src/frames/events.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client } from '../harness/types.ts';
import { isValidErrorFrame } from '../harness/client.ts';
import { barrier, closeAll, decodeData, describeOutcome, framesSince, requireLimit } from './helpers/channel-sync.ts';

const clientEvent = (name: string): string => `${EventPrefix.Client}${name}`;

/** JSON equality, key order ignored. */
function sameJson(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

/** Connect `n` clients and subscribe each to `channel` (presence: as the given users). */
async function subscribed(ctx: CaseContext, channel: string, users: readonly (string | undefined)[]): Promise<Client[]> {
  const out: Client[] = [];
  for (const user of users) {
    const c = await ctx.connect();
    out.push(c);
    await c.subscribeOk(channel, user === undefined ? {} : { channelData: { user_id: user } });
  }
  return out;
}

/** Client events named `event` on `channel` received by `client` so far (consumed or not). */
const received = (client: Client, channel: string, event: string) => framesSince(client, 0, channel, [event]);

const errorCode = (frame: { data?: unknown }): number | null => {
  const d = decodeData(frame.data);
  const code = typeof d === 'object' && d !== null ? (d as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : null;
};

/**
 * Send a client event from `sender` on `channel` and check that none of `receivers` gets it:
 * a publish barrier on the channel proves the server handled the client event first.
 */
async function expectNotRelayed(ctx: CaseContext, sender: Client, receivers: Client[], channel: string, what: string, event = clientEvent('refused')): Promise<void> {
  sender.trigger(channel, event, { probe: what });
  // the sender's own frames are handled in order: a ping answered means the event was processed
  sender.send({ event: Event.Ping, data: {} });
  await sender.waitFor({ event: Event.Pong, within: 2000 });
  await barrier(ctx, channel, receivers);
  for (const r of receivers) {
    const got = received(r, channel, event);
    check(got.length === 0, `${what}: the client event is not relayed to ${r.label}`, () => `relayed: ${JSON.stringify(got[0]).slice(0, 300)}`);
  }
}

export default defineArea('client-events', 'Client events', [
  defineCase({
    id: 'client-events/no-echo',
    clause: 'client-events.no-echo',
    level: 'MUST',
    features: ['client-events'],
    action: 'Two connections subscribe to a private channel; the first sends a client event',
    requirement: 'The server MUST deliver the client event to the other connection and MUST NOT send it back to the sender',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
      const event = clientEvent('echo-probe');
      a!.trigger(channel, event, { n: 1 });
      await b!.expectFrame(ChannelEventFrameLenient, { event, channel, description: `${event} at the other subscriber` });
      await barrier(ctx, channel, [a!]);
      const echoed = received(a!, channel, event);
      check(echoed.length === 0, 'no copy of the client event at the sender', () => `echoed: ${JSON.stringify(echoed[0])}`);
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/delivered-to-other-connections-of-sender',
    clause: 'client-events.delivered-to-others',
    level: 'MUST',
    features: ['client-events', 'presence'],
    action: 'User U subscribes to a presence channel on two connections and user V on one; U\'s first connection sends a client event',
    requirement: 'The server MUST deliver the client event to V and to U\'s second connection, and not to the sending connection',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      const [u1, u2, v1] = await subscribed(ctx, channel, [u, u, v]);
      const event = clientEvent('tabs');
      u1!.trigger(channel, event, { from: 'u1' });
      await u2!.expectFrame(ChannelEventFrameLenient, { event, channel, description: `${event} at the sender's other connection` });
      await v1!.expectFrame(ChannelEventFrameLenient, { event, channel, description: `${event} at the other user` });
      await barrier(ctx, channel, [u1!]);
      check(received(u1!, channel, event).length === 0, 'no copy at the sending connection', 'echoed to the sender');
      await closeAll([u1, u2, v1]);
    },
  }),

  defineCase({
    id: 'client-events/presence-user-id',
    clause: 'client-events.presence-user-id',
    level: 'MUST',
    features: ['client-events', 'presence'],
    action: 'Users U and V subscribe to a presence channel; U sends a client event carrying a forged top-level user_id of V',
    requirement: 'The relayed event MUST carry a top-level user_id equal to U\'s channel_data user_id, set by the server, whatever the sender wrote',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      const [cu, cv] = await subscribed(ctx, channel, [u, v]);
      const event = clientEvent('who');
      cu!.send({ event, channel, data: { text: 'hi' }, user_id: v });
      const f = await cv!.expectFrame(ChannelEventFrameLenient, { event, channel, description: `${event} at V` });
      check(f.user_id !== undefined && String(f.user_id) === u, `user_id "${u}" (the sender's)`, `user_id ${JSON.stringify(f.user_id)}`);
      check(typeof f.user_id === 'string', 'user_id as a string (the wire form pusher-js documents)', `user_id ${JSON.stringify(f.user_id)}`);
      await closeAll([cu, cv]);
    },
  }),

  defineCase({
    id: 'client-events/public-channel-refused',
    clause: 'client-events.private-presence-only',
    level: 'MUST',
    features: ['client-events'],
    action: 'Two connections subscribe to a public channel (and a public cache channel when the target has cache channels); the first sends a client event on each',
    requirement: 'The server MUST NOT relay client events on public channels, cache- channels included',
    async run(ctx) {
      const prefixes = ['', ...(ctx.target.features.has('cache') ? [ChannelPrefix.Cache] : [])];
      for (const prefix of prefixes) {
        const channel = ctx.channelName(prefix);
        const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
        await expectNotRelayed(ctx, a!, [b!], channel, `client event on public channel ${channel}`);
        await closeAll([a, b]);
      }
    },
  }),

  defineCase({
    id: 'client-events/encrypted-channel-refused',
    clause: 'client-events.encrypted-not-relayed',
    level: 'SHOULD',
    features: ['client-events', 'encrypted'],
    action: 'Two connections subscribe to a private-encrypted- channel; the first sends a client event',
    requirement: 'The server SHOULD NOT relay client events on encrypted channels (they would travel in plaintext)',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Encrypted);
      const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
      await expectNotRelayed(ctx, a!, [b!], channel, 'client event on an encrypted channel');
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/sender-not-subscribed-refused',
    clause: 'client-events.sender-subscribed',
    level: 'MUST',
    features: ['client-events'],
    action: 'One connection subscribes to a private channel; a second, never subscribed, and a third, whose subscription was refused (bad signature), send client events on it',
    requirement: 'The server MUST NOT relay a client event from a connection that is not subscribed to the channel',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [member] = await subscribed(ctx, channel, [undefined]);
      const stranger = await ctx.connect();
      await expectNotRelayed(ctx, stranger, [member!], channel, 'client event from a connection that never subscribed');
      const refused = await ctx.connect();
      const outcome = await refused.subscribe(channel, { auth: `${ctx.target.key}:${'0'.repeat(64)}` });
      check(!outcome.ok, 'suite: the badly signed subscription is refused (channel-auth cases judge this)', () => describeOutcome(outcome));
      await expectNotRelayed(ctx, refused, [member!], channel, 'client event from a connection whose subscription was refused');
      await closeAll([member, stranger, refused]);
    },
  }),

  defineCase({
    id: 'client-events/rejection-signalled',
    clause: 'client-events.not-subscribed-signalled',
    level: 'SHOULD',
    features: ['client-events'],
    action:
      'Sends client events that must be refused: from a connection not subscribed to an occupied private channel, on a public channel it is subscribed to, and (with encrypted channels) on a private-encrypted- channel',
    requirement: `The server SHOULD answer each refused client event with ${Event.Error} (code null or ${ErrorCode.ClientEventRejected}) and keep the connection open`,
    async run(ctx) {
      const privateChannel = ctx.channelName(ChannelPrefix.Private);
      const [member] = await subscribed(ctx, privateChannel, [undefined]);
      const stranger = await ctx.connect();
      const scenarios: [string, Client, string][] = [['not subscribed', stranger, privateChannel]];
      const publicChannel = ctx.channelName('');
      const [onPublic] = await subscribed(ctx, publicChannel, [undefined]);
      scenarios.push(['public channel', onPublic!, publicChannel]);
      if (ctx.target.features.has('encrypted')) {
        const encryptedChannel = ctx.channelName(ChannelPrefix.Encrypted);
        const [onEncrypted] = await subscribed(ctx, encryptedChannel, [undefined]);
        scenarios.push(['encrypted channel', onEncrypted!, encryptedChannel]);
      }
      for (const [what, client, channel] of scenarios) {
        client.trigger(channel, clientEvent('refused'), {});
        const err = await client.waitFor({ where: isValidErrorFrame, within: 2000 });
        // ambiguity client-event-rejection-signal: code null or ClientEventRejected pass; Unauthorized and silence warn
        check(err !== undefined, `${what}: ${Event.Error} for the refused client event`, 'no error frame (silently dropped, or relayed)');
        const code = errorCode(err);
        check(code === null || code === ErrorCode.ClientEventRejected, `${what}: code null or ${ErrorCode.ClientEventRejected}`, `code ${code}`);
        check(client.isOpen, `${what}: the connection stays open`, `closed ${JSON.stringify(client.closeInfo)}`);
      }
      await closeAll([member, ...scenarios.map((x) => x[1])]);
    },
  }),

  defineCase({
    id: 'client-events/rate-limit-boundary',
    clause: 'limits.client-event-rate',
    level: 'SHOULD',
    features: ['client-events', 'client-event-rate-limit'],
    action: 'Sends, in one burst well inside one second, as many client events as the profile\'s per-second limit plus one',
    requirement: 'The server SHOULD relay exactly the first N client events of the second (N = the declared limit) and refuse the one beyond it',
    async run(ctx) {
      const n = requireLimit(ctx, 'clientEventsPerSecond', 'client event rate limit');
      const indexOf = (f: { data?: unknown }): unknown => (decodeData(f.data) as { i?: unknown } | null)?.i;
      // A server counting per wall-clock second could see a burst split by a second boundary and
      // rightly accept all of it; a second attempt on a fresh connection rules that out.
      for (let attempt = 1; ; attempt++) {
        const channel = ctx.channelName(ChannelPrefix.Private);
        const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
        const event = clientEvent('burst');
        for (let i = 0; i <= n; i++) a!.trigger(channel, event, { i });
        for (let i = 0; i < n; i++) {
          await b!.expectFrame(ChannelEventFrameLenient, { event, channel, where: (f) => indexOf(f) === i, description: `client event ${i + 1} of ${n} (within the limit)` });
        }
        await barrier(ctx, channel, [b!]);
        const extra = received(b!, channel, event).filter((f) => indexOf(f) === n);
        await closeAll([a, b]);
        if (extra.length === 0) return;
        check(attempt < 2, `client event ${n + 1} (one over the limit of ${n} per second) is not relayed`, 'it was relayed, in two bursts on fresh connections');
      }
    },
  }),

  defineCase({
    id: 'client-events/rate-limit-error-code',
    clause: 'client-events.rate-limit-4301',
    level: 'SHOULD',
    features: ['client-events', 'client-event-rate-limit'],
    action: 'Sends one client event more than the profile\'s per-second limit in one burst',
    requirement: `The server SHOULD answer the excess client event with ${Event.Error} carrying code ${ErrorCode.ClientEventRejected}`,
    async run(ctx) {
      const n = requireLimit(ctx, 'clientEventsPerSecond', 'client event rate limit');
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
      for (let i = 0; i <= n; i++) a!.trigger(channel, clientEvent('burst'), { i });
      const err = await a!.waitFor({ where: isValidErrorFrame, within: 2000 });
      check(err !== undefined, `${Event.Error} ${ErrorCode.ClientEventRejected} for event ${n + 1}`, `no ${Event.Error}; frames: ${JSON.stringify(a!.frames().slice(-3)).slice(0, 300)}`);
      check(errorCode(err) === ErrorCode.ClientEventRejected, `code ${ErrorCode.ClientEventRejected}`, `code ${errorCode(err)}: ${JSON.stringify(err).slice(0, 300)}`);
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/rate-limit-keeps-connection',
    clause: 'client-events.rate-limit-keeps-connection',
    level: 'MUST',
    features: ['client-events', 'client-event-rate-limit'],
    action: 'Exceeds the client-event rate limit by a burst of twice the limit, waits for the window to pass, then sends one more client event',
    requirement: 'The server MUST reject the excess without closing the connection; after the window the connection MUST be able to send client events again',
    timeoutMs: 15_000,
    async run(ctx) {
      const n = requireLimit(ctx, 'clientEventsPerSecond', 'client event rate limit');
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
      const burst = clientEvent('burst');
      for (let i = 0; i < 2 * n; i++) a!.trigger(channel, burst, { i });
      await barrier(ctx, channel, [a!, b!]);
      check(a!.isOpen, 'the connection stays open after exceeding the rate limit', () => `closed with ${JSON.stringify(a!.closeInfo)}`);
      const got = received(b!, channel, burst).length;
      // ambiguity client-event-rate-limit: no limit at all is a warn, judged by rate-limit-boundary
      if (got >= 2 * n) ctx.unsupported(`no client event was rejected (all ${got} of a burst of ${2 * n} relayed): the declared limit of ${n}/s is not enforced`);
      // wait out the one-second window (real time: the limit is per wall-clock second)
      await ctx.sleep(1100, 'timer');
      const after = clientEvent('after');
      a!.trigger(channel, after, { ok: true });
      await b!.expectFrame(ChannelEventFrameLenient, { event: after, channel, description: 'a client event sent after the window is relayed' });
      check(a!.isOpen, 'the connection is still open', () => `closed with ${JSON.stringify(a!.closeInfo)}`);
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/disabled-app-refused',
    clause: 'client-events.enabled-flag',
    level: 'MUST',
    features: [],
    action: 'On the target\'s app with client events disabled, two connections subscribe to a private channel and the first sends a client event',
    requirement: 'The server MUST NOT relay client events for an app that has not enabled them',
    async run(ctx) {
      const [a, b, event, channel] = await disabledAppSetup(ctx);
      a.trigger(channel, event, { text: 'hello' });
      await b.expectNoFrame({ event, channel, description: `${event} relayed on an app with client events disabled` });
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/disabled-app-signalled',
    clause: 'client-events.disabled-signalled',
    level: 'SHOULD',
    features: [],
    action: 'On the target\'s app with client events disabled, a subscribed connection sends a client event',
    requirement: `The server SHOULD answer with ${Event.Error} (code null or ${ErrorCode.ClientEventRejected}) and keep the connection open`,
    async run(ctx) {
      const [a, b, event, channel] = await disabledAppSetup(ctx);
      a.trigger(channel, event, { text: 'hello' });
      const err = await a.waitFor({ where: isValidErrorFrame, within: 2000 });
      check(err !== undefined, `${Event.Error} for the refused client event`, 'no error frame');
      const code = errorCode(err);
      check(code === null || code === ErrorCode.ClientEventRejected, `code null or ${ErrorCode.ClientEventRejected}`, `code ${code}`);
      check(a.isOpen, 'the connection stays open', `closed ${JSON.stringify(a.closeInfo)}`);
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/data-relayed-intact',
    clause: 'client-events.frame-shape',
    level: 'MUST',
    features: ['client-events'],
    action: 'For arbitrary JSON values (unicode strings, numbers, nested objects and arrays), sends a client event with that data on a private channel',
    requirement: 'The relayed frame MUST carry the sender\'s event name, the channel and a data value equal to the one sent (a JSON string form of it is tolerated)',
    numRuns: 25,
    timeoutMs: 20_000,
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [receiver] = await subscribed(ctx, channel, [undefined]);
      const event = clientEvent('data');
      let k = 0;
      const arb = fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }).filter((v) => JSON.stringify(v).length <= 2000);
      await ctx.property(arb, async (data) => {
        // a fresh sender per run keeps each one far below the client-event rate limit
        const sender = await ctx.connect();
        try {
          await sender.subscribeOk(channel);
          const name = `${event}-${++k}`;
          sender.trigger(channel, name, data);
          const f = await receiver!.expectFrame(ChannelEventFrameLenient, { event: name, channel, description: `${name} at the receiver` });
          const intact = sameJson(f.data, data) || (typeof data !== 'string' && typeof f.data === 'string' && sameJson(decodeData(f.data), data));
          check(intact, `data ${JSON.stringify(data).slice(0, 300)}`, `data ${JSON.stringify(f.data).slice(0, 300)}`);
        } finally {
          await sender.close();
        }
      });
      await closeAll([receiver]);
    },
  }),
  defineCase({
    id: 'client-events/unprefixed-event-not-relayed',
    clause: 'client-events.name-prefix',
    level: 'MUST',
    features: ['client-events', 'private-channels'],
    action: 'Two connections subscribe to a private- channel; the first sends, with that channel, an event whose name lacks the client- prefix',
    requirement: 'The server MUST NOT relay an event without the client- prefix to the other subscriber',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
      await expectNotRelayed(ctx, a!, [b!], channel, 'event without the client- prefix', `conformance-${ctx.userId('plain')}`);
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/name-prefix-anchored',
    clause: 'client-events.name-prefix',
    level: 'MUST',
    features: ['client-events', 'private-channels'],
    action: `Two connections subscribe to a private- channel; the first sends, with that channel, events named with ${EventPrefix.Client} after a leading space, in the middle of the name, and without its hyphen`,
    requirement: `The server MUST NOT relay any of them: only a name that starts with ${EventPrefix.Client} is a client event`,
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
      const tail = ctx.userId('anchored');
      const names = [` ${EventPrefix.Client}${tail}`, `x-${EventPrefix.Client}${tail}`, `${EventPrefix.Client.slice(0, -1)}${tail}`];
      for (const name of names) await expectNotRelayed(ctx, a!, [b!], channel, `event ${JSON.stringify(name)}`, name);
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/reserved-prefix-inside-name-relayed',
    clause: 'client-events.delivered-to-others',
    level: 'MUST',
    features: ['client-events', 'private-channels'],
    action: `Two connections subscribe to a private- channel; the first sends client events whose names hold ${EventPrefix.Pusher} and ${EventPrefix.Internal} after the ${EventPrefix.Client} prefix`,
    requirement: `The server MUST relay both to the other subscriber: the reserved namespaces are prefixes, and these names start with ${EventPrefix.Client}`,
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
      for (const reserved of [EventPrefix.Pusher, EventPrefix.Internal]) {
        const event = clientEvent(`x-${reserved}${ctx.userId('inside')}`);
        a!.trigger(channel, event, { inside: reserved });
        await b!.expectFrame(ChannelEventFrameLenient, { event, channel, description: `${event} at the other subscriber` });
      }
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/reserved-names-not-relayed',
    clause: 'client-events.reserved-names-refused',
    level: 'MUST',
    features: ['client-events', 'private-channels'],
    action: `Two connections subscribe to a private- channel; the first sends, with that channel, events named ${EventPrefix.Pusher}… and ${EventPrefix.Internal}…`,
    requirement: `The server MUST NOT relay a client's ${EventPrefix.Pusher} or ${EventPrefix.Internal} event to other subscribers`,
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
      for (const prefix of [EventPrefix.Pusher, EventPrefix.Internal]) {
        await expectNotRelayed(ctx, a!, [b!], channel, `event in the ${prefix} namespace`, `${prefix}conformance-${ctx.userId('sys')}`);
      }
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'client-events/user-id-dropped-outside-presence',
    clause: 'client-events.user-id-not-spoofable',
    level: 'MUST',
    features: ['client-events', 'private-channels'],
    action: 'Two connections subscribe to a private- channel; the first sends a client event carrying a top-level user_id it made up',
    requirement: 'Outside presence channels the server MUST drop a sender-supplied user_id: the relayed event carries none',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = await subscribed(ctx, channel, [undefined, undefined]);
      const event = clientEvent('forged');
      a!.send({ event, channel, data: { text: 'hi' }, user_id: ctx.userId('forged') });
      const f = await b!.expectFrame(ChannelEventFrameLenient, { event, channel, description: `${event} at the other subscriber` });
      check(f.user_id === undefined, 'no user_id on the relayed event', `user_id ${JSON.stringify(f.user_id)}`);
      await closeAll([a, b]);
    },
  }),

  // mutation survivor reference-server/src/client-events.ts (the refusal of a client event without a channel): no case sent one
  defineCase({
    hostile: true,
    id: 'client-events/no-channel-signalled',
    clause: 'client-events.not-subscribed-signalled',
    level: 'SHOULD',
    features: ['client-events', 'private-channels'],
    action: 'A connection subscribed to a private- channel sends client events that name no channel: one without a channel field, one whose channel is a number',
    requirement: `The server SHOULD answer each with ${Event.Error} (code null or ${ErrorCode.ClientEventRejected}), relay neither, and keep the connection open`,
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [sender, other] = await subscribed(ctx, channel, [undefined, undefined]);
      const event = clientEvent('nochannel');
      for (const [what, frame] of [['no channel field', { event, data: { probe: 1 } }], ['a numeric channel', { event, channel: 42, data: { probe: 2 } }]] as const) {
        sender!.send(frame);
        const err = await sender!.waitFor({ where: isValidErrorFrame, within: 2000 });
        check(err !== undefined, `${what}: ${Event.Error} for the client event`, 'no error frame (silently dropped)');
        const code = errorCode(err);
        check(code === null || code === ErrorCode.ClientEventRejected, `${what}: code null or ${ErrorCode.ClientEventRejected}`, `code ${code}`);
        check(sender!.isOpen, `${what}: the connection stays open`, `closed ${JSON.stringify(sender!.closeInfo)}`);
      }
      await barrier(ctx, channel, [other!]);
      const got = received(other!, channel, event);
      check(got.length === 0, 'neither client event is relayed to the other subscriber', () => `relayed: ${JSON.stringify(got[0]).slice(0, 300)}`);
      await closeAll([sender, other]);
    },
  }),
]);

/** Two connections on a private channel of the app that has client events disabled. */
async function disabledAppSetup(ctx: CaseContext): Promise<[Client, Client, string, string]> {
  const app = ctx.target.extraApps?.clientEventsOff;
  if (!app) return ctx.unsupported('the target declares no app with client events disabled (extraApps.clientEventsOff)');
  const channel = ctx.channelName(ChannelPrefix.Private);
  const clients: Client[] = [];
  for (let i = 0; i < 2; i++) {
    const c = await ctx.connect({ key: app.key });
    clients.push(c);
    const o = await c.subscribe(channel, { auth: signChannel({ key: app.key, secret: app.secret, socketId: c.socketId, channel }) });
    check(o.ok, `subscription on the client-events-off app (signed with its secret)`, () => describeOutcome(o));
  }
  return [clients[0]!, clients[1]!, clientEvent('off'), channel];
}
