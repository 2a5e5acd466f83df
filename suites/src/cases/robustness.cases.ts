/**
 * Robustness: generated malformed input (invalid JSON, JSON that is not an object, wrongly typed
 * fields, deep nesting, huge strings, unknown and internal events, binary and oversized frames)
 * and hostile REST bodies; cleanup after abrupt disconnects and subscribe floods.
 *
 * After every storm the case checks, on the same connection, that the target still answers
 * pusher:ping (or closed with a proper code where the clause allows a close), and that a healthy
 * client connected before the storm still receives REST publishes.
 * @module
 */
import fc from 'fast-check';
import { ErrorRange, errorRange } from '../../../spec/src/error-codes.ts';
import { Event, EventPrefix } from '../../../spec/src/events.ts';
import { ErrorFrameLenient } from '../../../spec/src/frames/connection.ts';
import { ChannelEventFrameLenient } from '../../../spec/src/frames/events.ts';
import type { AnyFrame } from '../../../spec/src/frames/generic.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import { RestStatus } from '../../../spec/src/rest/endpoints.ts';
import { ChannelResponse, ChannelsResponse, UsersResponse } from '../../../spec/src/rest/schemas.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check, ConformanceFailure, HarnessError } from '../model/outcome.ts';
import type { CaseContext, Client, HttpResult } from '../harness/types.ts';
import { asPublished, barrier, carriesToken, closeAll } from './helpers/channel-sync.ts';
import { dataMatches } from './helpers/first-areas.ts';
import { expectUsable } from './helpers/usable.ts';
import { isAccepted } from '../harness/rest.ts';
import { effectiveStatus } from './helpers/rest-refusal.ts';

/** RFC 6455: "no status received" and "abnormal closure" are never sent in a close frame. */
const CLOSE_NO_STATUS = 1005;
const CLOSE_ABNORMAL = 1006;
const CLOSE_MIN = 1000;
const CLOSE_MAX = 4999;
/** Bound for an answer on the storm connection, before time-scale. */
const ANSWER_MS = 3000;
/** Bound for the server to forget a dropped connection (plus the profile's grace), before time-scale. */
const CLEANUP_MS = 4000;
/** Upper bound for generated huge strings when the profile declares no payload limit. */
const HUGE_DEFAULT = 8 * 1024;
/** Oversized frames are at least this big and at most OVERSIZED_MAX. */
const OVERSIZED_MIN = 256 * 1024;
const OVERSIZED_MAX = 2 * 1024 * 1024;
/** A name for the events these cases publish and inject. */
const PROBE_EVENT = 'conformance-probe';

let tokenCounter = 0;
const token = (hint: string): string => `${hint}-${process.pid}-${(++tokenCounter).toString(36)}`;
const httpSummary = (res: HttpResult): string => `HTTP ${res.status}${res.text ? ` ${res.text.slice(0, 200)}` : ''}`;
const parses = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};
/** `data` carrying `marker` somewhere, whatever shape the generated value has. */
const marked = (data: unknown, marker: string): unknown => (typeof data === 'object' && data !== null && !Array.isArray(data) ? { ...data, marker } : { value: data, marker });
const properClose = (code: number): boolean => code >= CLOSE_MIN && code <= CLOSE_MAX && code !== CLOSE_NO_STATUS && code !== CLOSE_ABNORMAL;

// --- storms ---------------------------------------------------------------------------------------

interface Storm {
  /** public channel shared by the healthy client and every storm connection */
  readonly channel: string;
  /** connected and subscribed before the storm; must keep receiving */
  readonly healthy: Client;
}

async function stormSetup(ctx: CaseContext): Promise<Storm> {
  const channel = ctx.channelName('');
  const healthy = await ctx.connect();
  await healthy.subscribeOk(channel);
  return { channel, healthy };
}

/** A fresh connection subscribed to the storm channel. */
async function stormClient(ctx: CaseContext, st: Storm): Promise<Client> {
  const c = await ctx.connect();
  await c.subscribeOk(st.channel);
  return c;
}

/**
 * After a batch: the storm connection answers pusher:ping (or, where `mayClose`, closed with a
 * proper code), and a REST publish reaches the healthy client (and the storm connection if open).
 */
async function checkSurvived(ctx: CaseContext, st: Storm, storm: Client, what: string, opts: { mayClose: boolean; clause: string }): Promise<void> {
  const before = storm.frames().length;
  storm.send({ event: Event.Ping, data: {} });
  const pong = await storm.waitFor({ event: Event.Pong, where: (f) => storm.frames().indexOf(f) >= before, within: ANSWER_MS });
  if (storm.isOpen && pong === undefined) {
    // no pong is clause connection.ping-pong's: usable is then shown by a confirmed new subscription
    await expectUsable(ctx, storm, `${what} (clause ${opts.clause})`);
  } else if (!storm.isOpen) {
    const code = storm.closeInfo?.code ?? CLOSE_ABNORMAL;
    check(opts.mayClose, `${what}: the connection stays open and usable (clause ${opts.clause})`, `closed with ${code} ${storm.closeInfo?.reason ?? ''}`);
    check(properClose(code), `${what}: the connection open, or closed with a close frame carrying a code (clause ${opts.clause})`, `closed with ${code} (no close frame: the server dropped the connection)`);
  }
  await barrier(ctx, st.channel, [st.healthy, ...(storm.isOpen ? [storm] : [])]);
}

/** Frames of `client` after `from` that carry `channel` and satisfy `where`. */
const since = (client: Client, from: number, where: (f: AnyFrame) => boolean): AnyFrame[] => client.frames().slice(from).filter(where);

/** Bytes allowed for generated huge strings: the profile's payload limit. */
const hugeMax = (ctx: CaseContext): number => Math.max(1024, ctx.limits.eventDataBytes ?? HUGE_DEFAULT);

// --- arbitraries ----------------------------------------------------------------------------------

const nestedObject = (depth: number, leaf: string): string => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
const nestedArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const depthArb = fc.constantFrom(100, 500, 2000);

/**
 * Random text: ASCII (controls included), JSON punctuation and a few multi-byte characters.
 * (fast-check's full-Unicode 'binary' unit costs seconds to initialise.)
 */
const textUnit = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\') },
  { weight: 1, arbitrary: fc.constantFrom('\u00e9', '\u4e2d', '\u{1F600}', '\ufffd', '\ufeff', '\u2028') },
);
const randomText = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: textUnit, maxLength });

/** Text that is not JSON: random text, near-JSON, truncated frames, huge unterminated strings. */
function notJsonArb(max: number): fc.Arbitrary<string> {
  return fc.oneof(
    randomText(64).filter((s) => !parses(s)),
    fc.constantFrom(
      '',
      ' ',
      '{',
      '}',
      '{"event":',
      `{"event":"${Event.Ping}",}`,
      `{'event':'${Event.Ping}'}`,
      `{"event":"${Event.Ping}"}garbage`,
      `\ufeff{"event":"${Event.Ping}"}`,
      '[1,2',
      'undefined',
      'NaN',
      '\u0000',
      `{"event":"${Event.Subscribe}","data":{"channel":"x"}`,
    ),
    fc.integer({ min: 1, max: 40 }).map((cut) => JSON.stringify({ event: Event.Subscribe, data: { channel: 'truncated', auth: '' } }).slice(0, -cut)),
    fc.integer({ min: 1024, max: max - 16 }).map((n) => `{"event":"${'x'.repeat(n)}`),
    depthArb.map((d) => nestedObject(d, '').slice(0, -1)),
  );
}

const nonString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }), fc.double({ noNaN: true }));
const nonObject = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 12 }), fc.array(fc.integer(), { maxLength: 3 }));
const junk = fc.oneof(nonString, fc.string({ maxLength: 12 }));

/**
 * A wrongly typed frame, described so that it can be built per connection: `auth` frames name an
 * authenticated channel (created per run) that must not be joined.
 */
type WrongFrame =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'frame'; readonly frame: Record<string, unknown> }
  | { readonly kind: 'auth'; readonly prefix: string; readonly data: (channel: string) => Record<string, unknown>; readonly label: string };

function wrongFrameArb(max: number): fc.Arbitrary<WrongFrame> {
  const frame = (f: Record<string, unknown>): WrongFrame => ({ kind: 'frame', frame: f });
  return fc.oneof(
    // JSON that is not an object
    nonObject.map((v) => ({ kind: 'text', text: JSON.stringify(v) }) as WrongFrame),
    // event missing or not a string
    fc.record({ channel: fc.string({ maxLength: 8 }), data: junk }).map((f) => frame(f)),
    nonString.map((event) => frame({ event, channel: 'x', data: 'y' })),
    // known events with wrongly typed data and fields
    nonObject.map((data) => frame({ event: Event.Subscribe, data })),
    nonString.map((channel) => frame({ event: Event.Subscribe, data: { channel, auth: '' } })),
    nonObject.map((data) => frame({ event: Event.Unsubscribe, data })),
    nonString.map((channel) => frame({ event: Event.Unsubscribe, data: { channel } })),
    nonObject.map((data) => frame({ event: Event.Signin, data })),
    fc.record({ auth: nonString, user_data: fc.oneof(nonString, fc.constant({ id: 'u' })) }).map((data) => frame({ event: Event.Signin, data })),
    nonString.map((channel) => frame({ event: `${EventPrefix.Client}wrong`, channel, data: {} })),
    junk.map((data) => frame({ event: Event.Ping, data })),
    // authenticated channels with wrongly typed auth or channel_data: must not be joined
    nonString.map((auth) => ({ kind: 'auth', prefix: ChannelPrefix.Private, label: `auth ${JSON.stringify(auth)}`, data: (channel: string) => ({ channel, auth }) }) as WrongFrame),
    nonString.map((channel_data) => ({ kind: 'auth', prefix: ChannelPrefix.Presence, label: `channel_data ${JSON.stringify(channel_data)}`, data: (channel: string) => ({ channel, auth: 'x:y', channel_data }) }) as WrongFrame),
    // deep nesting, in the data and as the whole frame
    depthArb.map((d) => ({ kind: 'text', text: `{"event":"${Event.Subscribe}","data":${nestedObject(d, '{}')}}` }) as WrongFrame),
    depthArb.map((d) => ({ kind: 'auth', prefix: ChannelPrefix.Private, label: `auth nested ${d} deep`, data: (channel: string) => ({ channel, auth: JSON.parse(nestedArray(d)) as unknown }) }) as WrongFrame),
    depthArb.map((d) => ({ kind: 'text', text: nestedArray(d) }) as WrongFrame),
    // a huge string where a short one is expected
    fc.integer({ min: 1024, max: max - 128 }).map((n) => frame({ event: Event.Unsubscribe, data: { channel: 'y'.repeat(n) } })),
  );
}

/** `pusher:` events a client never sends (server-to-client or invented). */
const CLIENT_SENT = new Set<string>([Event.Ping, Event.Pong, Event.Subscribe, Event.Unsubscribe, Event.Signin]);
const unknownPusherEventArb = fc.oneof(
  fc.constantFrom(...Object.values(Event).filter((e) => e.startsWith(EventPrefix.Pusher) && !CLIENT_SENT.has(e))),
  fc.stringMatching(/^[a-z_]{1,16}$/).map((s) => `${EventPrefix.Pusher}${s}`).filter((e) => !CLIENT_SENT.has(e)),
);
const internalEventArb = fc.oneof(
  fc.constantFrom(...Object.values(Event).filter((e) => e.startsWith(EventPrefix.Internal))),
  fc.stringMatching(/^[a-z_]{1,16}$/).map((s) => `${EventPrefix.Internal}${s}`),
);

/** Text whose bytes must survive: graphemes of every width, escapes, separators, combining marks. */
const utf8TextArb = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.constantFrom('h\u00e9llo w\u00f6rld', '\u4e2d\u6587\u6d4b\u8bd5', '\u{1F600}\u{1F469}\u200d\u{1F4BB}', 'e\u0301', '\u2028\u2029', 'tab\tnl\nquote"back\\', '\u0000\u001f', '\ufeffbom', '\u{10FFFF}'),
);

// --- REST -----------------------------------------------------------------------------------------

interface HostileBody {
  readonly label: string;
  readonly body: string;
  readonly contentType?: string;
  /** a 2xx is acceptable (the body is valid or only loosely typed); otherwise only 4xx */
  readonly mayAccept: boolean;
  readonly endpoint: 'events' | 'batch_events';
}

function hostileBodyArb(channel: string): fc.Arbitrary<HostileBody> {
  const valid = JSON.stringify({ name: PROBE_EVENT, channel, data: 'ok' });
  const h = (label: string, body: string, endpoint: HostileBody['endpoint'] = 'events', mayAccept = false, contentType?: string): HostileBody => ({ label, body, endpoint, mayAccept, ...(contentType ? { contentType } : {}) });
  return fc.oneof(
    randomText(64).filter((s) => !parses(s)).map((s) => h('text that is not JSON', s)),
    fc.integer({ min: 1, max: valid.length - 1 }).map((cut) => h('a truncated body', valid.slice(0, cut))),
    nonObject.map((v) => h('JSON that is not an object', JSON.stringify(v))),
    nonObject.map((v) => h('batch_events with JSON that is not an object', JSON.stringify(v), 'batch_events')),
    nonString.map((name) => h('name not a string', JSON.stringify({ name, channel, data: 'x' }))),
    nonString.filter((c) => !Array.isArray(c)).map((channels) => h('channels not an array', JSON.stringify({ name: PROBE_EVENT, channels, data: 'x' }))),
    fc.constant(h('name missing', JSON.stringify({ channel, data: 'x' }))),
    nonString.map((data) => h('data not a string', JSON.stringify({ name: PROBE_EVENT, channel, data }), 'events', true)),
    fc.integer({ min: 1000, max: 5000 }).map((n) => h(`channels with ${n} entries`, JSON.stringify({ name: PROBE_EVENT, channels: Array.from({ length: n }, (_, i) => `${channel}-${i}`), data: 'x' }))),
    fc.integer({ min: 200, max: 1000 }).map((n) => h(`batch with ${n} events`, JSON.stringify({ batch: Array.from({ length: n }, () => ({ name: PROBE_EVENT, channel, data: 'x' })) }), 'batch_events')),
    nonObject.map((item) => h('batch entry not an object', JSON.stringify({ batch: [item] }), 'batch_events')),
    fc.constantFrom(500, 5000).map((d) => h(`an object nested ${d} deep`, nestedObject(d, '1'))),
    fc.constantFrom(500, 5000).map((d) => h(`an array nested ${d} deep`, nestedArray(d))),
    fc.constantFrom(500, 5000).map((d) => h(`batch nested ${d} deep`, `{"batch":${nestedArray(d)}}`, 'batch_events')),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x').map((type) => h(`a valid body sent as ${type}`, valid, 'events', true, type)),
    fc.constantFrom('text/plain', 'application/xml').map((type) => h(`invalid JSON sent as ${type}`, '<event/>', 'events', false, type)),
  );
}

/** One REST request that must be answered (a hang is a failure here, not a harness error). */
async function answered(ctx: CaseContext, req: Parameters<CaseContext['rest']['request']>[0], what: string): Promise<HttpResult> {
  try {
    return await ctx.rest.request(req);
  } catch (e) {
    if (HarnessError.is(e) && !ctx.signal.aborted) throw new ConformanceFailure([`${what}: an HTTP answer`], e.message);
    throw e;
  }
}

// --- cleanup --------------------------------------------------------------------------------------

/** Poll GET /channels/{name} until `occupied` is false, or fail after the bound. */
async function expectVacated(ctx: CaseContext, channels: readonly string[], what: string): Promise<void> {
  const bound = ctx.ms(CLEANUP_MS + (ctx.limits.webhookGraceSeconds ?? 0) * 1000);
  const deadline = Date.now() + bound;
  let left = [...channels];
  let last = '';
  while (left.length > 0) {
    const still: string[] = [];
    for (const name of left) {
      const res = await ctx.rest.channel(name);
      const parsed = ChannelResponse.safeParse(res.json);
      check(res.status === RestStatus.Ok && parsed.success, `GET /channels/${name} answered 200 with {occupied}`, () => httpSummary(res));
      if (parsed.data.occupied) still.push(name);
      if (name.startsWith(ChannelPrefix.Presence)) {
        const users = await ctx.rest.users(name);
        const u = UsersResponse.safeParse(users.json);
        if (users.status === RestStatus.Ok && u.success && u.data.users.length > 0) {
          still.push(name);
          last = `${name} still lists users ${u.data.users.map((x) => x.id).join(', ')}`;
        }
      }
    }
    left = [...new Set(still)];
    if (left.length === 0) return;
    if (Date.now() > deadline) break;
    // a poll, not a window: the loop ends as soon as REST says every channel is gone
    await ctx.sleep(40);
  }
  throw new ConformanceFailure([`${what}: every channel unoccupied (and presence rosters empty) within ${bound} ms (clause robustness.abrupt-disconnect)`], `still occupied: ${left.slice(0, 5).join(', ')}${left.length > 5 ? ` (+${left.length - 5})` : ''}${last ? `; ${last}` : ''}`);
}

/** GET /channels filtered by `prefix`: the listed channel names. */
async function listed(ctx: CaseContext, prefix: string): Promise<string[]> {
  const res = await ctx.rest.channels({ filter_by_prefix: prefix });
  const parsed = ChannelsResponse.safeParse(res.json);
  check(res.status === RestStatus.Ok && parsed.success, 'GET /channels answered 200 with {channels}', () => httpSummary(res));
  return Object.keys(parsed.data.channels);
}

type Op = { readonly ch: number; readonly sub: boolean };

export default defineArea('robustness', 'Robustness', [
  defineCase({
    hostile: true,
    id: 'robustness/invalid-json',
    clause: 'robustness.invalid-json',
    level: 'MUST',
    features: [],
    action: 'Sends batches of 1-5 generated text frames that are not JSON (random text, near-JSON, truncated frames, huge unterminated strings up to the payload limit, unclosed deep nesting) on a subscribed connection',
    requirement: 'The server MUST keep the connection open, answering pusher:ping, with its subscription delivering, and MUST keep serving other clients',
    numRuns: 10,
    timeoutMs: 30_000,
    async run(ctx) {
      const st = await stormSetup(ctx);
      await ctx.property(fc.array(notJsonArb(hugeMax(ctx)), { minLength: 1, maxLength: 5 }), async (texts) => {
        const c = await stormClient(ctx, st);
        for (const t of texts) c.sendRaw(t);
        await checkSurvived(ctx, st, c, `after ${texts.length} frame(s) that are not JSON`, { mayClose: false, clause: 'robustness.invalid-json' });
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/invalid-json-reported',
    clause: 'robustness.invalid-json-reported',
    level: 'SHOULD',
    features: [],
    action: 'Sends one text frame that is not JSON',
    requirement: 'The server SHOULD answer with a pusher:error whose code is null or 4300-4399 and keep the connection open',
    numRuns: 4,
    timeoutMs: 20_000,
    async run(ctx) {
      const st = await stormSetup(ctx);
      await ctx.property(notJsonArb(hugeMax(ctx)), async (text) => {
        const c = await stormClient(ctx, st);
        c.sendRaw(text);
        const frame = await c.waitFor({ event: Event.Error, within: ANSWER_MS });
        check(frame !== undefined, `a ${Event.Error} answering the frame`, c.isOpen ? 'no answer (silently ignored: ambiguity invalid-message-handling)' : `the connection closed with ${c.closeInfo?.code ?? '?'}`);
        const parsed = ErrorFrameLenient.safeParse(frame);
        check(parsed.success, `a ${Event.Error} with data {message, code?}`, () => JSON.stringify(frame).slice(0, 300));
        const code = parsed.data.data.code ?? null;
        check(code === null || errorRange(code) === 'other', `code null or ${ErrorRange.other.min}-${ErrorRange.other.max} (a lower code tells clients to reconnect or give up)`, `code ${code}`);
        await checkSurvived(ctx, st, c, 'after the reported frame', { mayClose: false, clause: 'robustness.invalid-json-reported' });
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/wrong-types',
    clause: 'robustness.wrong-types',
    level: 'MUST',
    features: [],
    action:
      'Sends batches of generated frames with wrong types: JSON that is not an object, event missing or not a string, subscribe/unsubscribe/signin with non-object data or non-string fields, private and presence subscriptions with non-string auth or channel_data, nesting 100-2000 deep, huge strings',
    requirement: 'The server MUST refuse them without closing the connection: it keeps answering pusher:ping, keeps its subscription delivering, joins none of the authenticated channels named, and keeps serving other clients',
    numRuns: 12,
    timeoutMs: 40_000,
    async run(ctx) {
      const st = await stormSetup(ctx);
      await ctx.property(fc.array(wrongFrameArb(hugeMax(ctx)), { minLength: 1, maxLength: 6 }), async (frames) => {
        const c = await stormClient(ctx, st);
        const guarded: { channel: string; label: string }[] = [];
        for (const f of frames) {
          if (f.kind === 'text') c.sendRaw(f.text);
          else if (f.kind === 'frame') c.send(f.frame);
          else {
            const channel = ctx.channelName(f.prefix);
            guarded.push({ channel, label: f.label });
            c.send({ event: Event.Subscribe, data: f.data(channel) });
          }
        }
        await checkSurvived(ctx, st, c, `after ${frames.length} wrongly typed frame(s)`, { mayClose: false, clause: 'robustness.wrong-types' });
        for (const g of guarded) {
          const joined = c.frames().some((f) => f.event === Event.SubscriptionSucceeded && f.channel === g.channel);
          check(!joined, `no subscription to ${g.channel} with ${g.label}`, `${Event.SubscriptionSucceeded} for ${g.channel}`);
        }
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/unknown-pusher-event',
    clause: 'robustness.unknown-pusher-event',
    level: 'MUST',
    features: [],
    action: 'Sends batches of pusher: events a client never sends (server-to-client names and invented ones) with random data, some naming the subscribed channel',
    requirement: 'The server MUST keep the connection and its subscription working, MUST keep serving other clients, and MUST NOT relay the events to the channel\'s other subscribers',
    numRuns: 8,
    timeoutMs: 30_000,
    async run(ctx) {
      const st = await stormSetup(ctx);
      const arb = fc.array(fc.record({ event: unknownPusherEventArb, data: junk, onChannel: fc.boolean() }), { minLength: 1, maxLength: 5 });
      await ctx.property(arb, async (events) => {
        const c = await stormClient(ctx, st);
        const from = st.healthy.frames().length;
        const marker = token('injected');
        for (const e of events) c.send({ event: e.event, data: marked(e.data, marker), ...(e.onChannel ? { channel: st.channel } : {}) });
        await checkSurvived(ctx, st, c, `after ${events.map((e) => e.event).join(', ')}`, { mayClose: false, clause: 'robustness.unknown-pusher-event' });
        const relayed = since(st.healthy, from, (f) => JSON.stringify(f).includes(marker));
        check(relayed.length === 0, 'none of the events relayed to the other subscriber', () => JSON.stringify(relayed[0]).slice(0, 300));
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/pusher-internal-not-relayed',
    clause: 'robustness.pusher-internal-from-client',
    level: 'MUST',
    features: [],
    action: 'Two connections subscribe to a public and a private channel; the first sends pusher_internal: events (member_added, subscription_succeeded, subscription_count, invented names) naming those channels',
    requirement: 'The server MUST NOT relay them to the second connection nor act on them, and MUST keep both connections working',
    numRuns: 8,
    timeoutMs: 30_000,
    async run(ctx) {
      const st = await stormSetup(ctx);
      const priv = ctx.channelName(ChannelPrefix.Private);
      await st.healthy.subscribeOk(priv);
      const payloadArb = fc.constantFrom<(m: string) => unknown>(
        (m) => JSON.stringify({ user_id: m, user_info: { name: m } }),
        (m) => JSON.stringify({ presence: { ids: [m], hash: { [m]: {} }, count: 1 } }),
        (m) => JSON.stringify({ subscription_count: 999, marker: m }),
        (m) => ({ user_id: m }),
        (m) => m,
      );
      const arb = fc.array(fc.record({ event: internalEventArb, payload: payloadArb, priv: fc.boolean() }), { minLength: 1, maxLength: 4 });
      await ctx.property(arb, async (events) => {
        const c = await stormClient(ctx, st);
        await c.subscribeOk(priv);
        const from = st.healthy.frames().length;
        const marker = token('intruder');
        for (const e of events) c.send({ event: e.event, channel: e.priv ? priv : st.channel, data: e.payload(marker) });
        await checkSurvived(ctx, st, c, 'after the injected events', { mayClose: false, clause: 'robustness.pusher-internal-from-client' });
        await barrier(ctx, priv, [st.healthy]);
        const relayed = since(st.healthy, from, (f) => JSON.stringify(f).includes(marker));
        check(relayed.length === 0, 'no injected pusher_internal: event reaches the other subscriber', () => JSON.stringify(relayed[0]).slice(0, 300));
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/unknown-event-not-relayed',
    clause: 'robustness.unknown-event-not-relayed',
    level: 'MUST',
    features: [],
    action: 'Two connections subscribe to a private channel; the first sends events that are neither pusher: nor client- events (plain names, Client- in capitals, channel-like names) naming it',
    requirement: 'The server MUST NOT relay them and MUST keep both connections working',
    numRuns: 6,
    timeoutMs: 30_000,
    async run(ctx) {
      const st = await stormSetup(ctx);
      const priv = ctx.channelName(ChannelPrefix.Private);
      await st.healthy.subscribeOk(priv);
      const nameArb = fc.oneof(
        fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/).filter((n) => !n.startsWith(EventPrefix.Client)),
        fc.constantFrom(`C${EventPrefix.Client.slice(1)}upper`, `${EventPrefix.Client.toUpperCase()}x`, EventPrefix.Pusher.slice(0, -1), EventPrefix.Internal.slice(0, -1), `${ChannelPrefix.Private}x`, 'server-event', ` ${EventPrefix.Client}space`),
      );
      await ctx.property(fc.array(nameArb, { minLength: 1, maxLength: 4 }), async (names) => {
        const c = await stormClient(ctx, st);
        await c.subscribeOk(priv);
        const from = st.healthy.frames().length;
        for (const event of names) c.send({ event, channel: priv, data: { injected: true } });
        await checkSurvived(ctx, st, c, 'after the events', { mayClose: false, clause: 'robustness.unknown-event-not-relayed' });
        await barrier(ctx, priv, [st.healthy]);
        const relayed = since(st.healthy, from, (f) => names.includes(f.event));
        check(relayed.length === 0, 'none relayed to the other subscriber', () => JSON.stringify(relayed[0]).slice(0, 300));
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/binary-frames',
    clause: 'robustness.binary-frames',
    level: 'MUST',
    features: [],
    action: 'Sends binary WebSocket frames: random bytes, and valid pusher:ping and pusher:subscribe JSON as binary',
    requirement: 'The server MUST ignore them, answer with pusher:error, parse them as JSON, or close with a code; it MUST NOT crash or drop the connection without a close frame, and MUST keep serving other clients',
    numRuns: 6,
    timeoutMs: 30_000,
    async run(ctx) {
      const st = await stormSetup(ctx);
      const arb = fc.array(
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 256 }).map((b) => Buffer.from(b)),
          fc.constant(Buffer.from(JSON.stringify({ event: Event.Ping, data: {} }))),
          fc.constant(Buffer.from(JSON.stringify({ event: Event.Subscribe, data: { channel: 'binary-subscribe', auth: '' } }))),
        ),
        { minLength: 1, maxLength: 4 },
      );
      await ctx.property(arb, async (frames) => {
        const c = await stormClient(ctx, st);
        for (const b of frames) c.sendRaw(b, { binary: true });
        await checkSurvived(ctx, st, c, `after ${frames.length} binary frame(s)`, { mayClose: true, clause: 'robustness.binary-frames' });
        const fresh = await ctx.connect();
        await fresh.close();
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/oversized-frame',
    clause: 'robustness.oversized-frame',
    level: 'MUST',
    features: [],
    action: 'On a private channel another connection is subscribed to: sends a client event whose data is one byte over the payload limit, then (on a new connection) a frame of 4 × the limit (at least 256 KiB)',
    requirement: 'The server MUST refuse each with pusher:error or close with a code, MUST NOT relay either, MUST NOT crash, and MUST keep serving other clients',
    timeoutMs: 20_000,
    async run(ctx) {
      const limit = ctx.limits.eventDataBytes;
      if (limit === null) return ctx.unsupported('the target declares no payload limit (limit eventDataBytes)');
      const st = await stormSetup(ctx);
      const priv = ctx.channelName(ChannelPrefix.Private);
      await st.healthy.subscribeOk(priv);
      const event = `${EventPrefix.Client}oversized`;
      const sizes = [limit + 1, Math.min(OVERSIZED_MAX, Math.max(OVERSIZED_MIN, 4 * limit))];
      for (const size of sizes) {
        const c = await stormClient(ctx, st);
        await c.subscribeOk(priv);
        const from = st.healthy.frames().length;
        c.send({ event, channel: priv, data: 'z'.repeat(size) });
        const answer = await c.waitFor({ event: Event.Error, within: ANSWER_MS });
        if (c.isOpen) check(answer !== undefined, `a ${Event.Error} refusing the ${size}-byte client event (or a close)`, 'no answer');
        await checkSurvived(ctx, st, c, `after a ${size}-byte client event`, { mayClose: true, clause: 'robustness.oversized-frame' });
        await barrier(ctx, priv, [st.healthy]);
        const relayed = since(st.healthy, from, (f) => f.event === event);
        check(relayed.length === 0, `the ${size}-byte client event (limit ${limit}) not relayed`, `relayed, ${JSON.stringify(relayed[0]?.data ?? '').length} characters of data`);
        await closeAll([c]);
      }
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/abrupt-disconnect',
    clause: 'robustness.abrupt-disconnect',
    level: 'MUST',
    features: [],
    action: 'Connections subscribe to public (and presence) channels, some finishing the subscriptions and some dropping mid-subscribe (frames sent, TCP destroyed at once), all without a close frame',
    requirement: 'The server MUST clean up like a normal close: every channel reported unoccupied over REST (and presence rosters empty) within a bound',
    numRuns: 4,
    timeoutMs: 30_000,
    async run(ctx) {
      const withPresence = ctx.target.features.has('presence');
      const arb = fc.record({ clients: fc.integer({ min: 1, max: 3 }), channels: fc.integer({ min: 1, max: 3 }), midSubscribe: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }) });
      await ctx.property(arb, async ({ clients, channels, midSubscribe }) => {
        const names = [
          ...Array.from({ length: channels }, () => ctx.channelName('')),
          ...(withPresence ? [ctx.channelName(ChannelPrefix.Presence)] : []),
        ];
        const conns: Client[] = [];
        for (let i = 0; i < clients; i++) {
          const c = await ctx.connect();
          conns.push(c);
          if (midSubscribe[i]) {
            for (const name of names) {
              const channelData = JSON.stringify({ user_id: ctx.userId('mid') });
              c.send({ event: Event.Subscribe, data: name.startsWith(ChannelPrefix.Presence) ? { channel: name, auth: ctx.sign.channel(c.socketId, name, channelData), channel_data: channelData } : { channel: name, auth: '' } });
            }
          } else {
            for (const name of names) await c.subscribeOk(name, name.startsWith(ChannelPrefix.Presence) ? { channelData: { user_id: ctx.userId('done') } } : {});
          }
        }
        for (const c of conns) c.terminate();
        await expectVacated(ctx, names, `after ${clients} connection(s) dropped`);
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/subscribe-flood-no-leaks',
    clause: 'robustness.no-leaks',
    level: 'MUST',
    features: [],
    action: 'One connection subscribes to 200 distinct channels and closes; another sends 100 subscribes and drops its TCP connection at once; then lists GET /channels under their common prefix',
    requirement: 'Once the connections are gone the server MUST list none of those channels',
    timeoutMs: 30_000,
    async run(ctx) {
      const base = ctx.channelName('');
      const prefix = `${base}-`;
      const names = (n: number, tag: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${tag}${i}`);
      const a = await ctx.connect();
      const flood = names(200, 'a');
      for (const name of flood) a.send({ event: Event.Subscribe, data: { channel: name, auth: '' } });
      const deadline = Date.now() + ctx.ms(10_000);
      while (a.frames().filter((f) => f.event === Event.SubscriptionSucceeded).length < flood.length && Date.now() < deadline && a.isOpen) await ctx.sleep(50);
      const confirmed = a.frames().filter((f) => f.event === Event.SubscriptionSucceeded).length;
      ctx.note(`${confirmed} of ${flood.length} subscriptions confirmed`);
      const during = await listed(ctx, prefix);
      check(during.length > 0, `the flooded channels listed under ${prefix} while subscribed (a precondition for the leak check)`, 'none listed');
      const b = await ctx.connect();
      for (const name of names(100, 'b')) b.send({ event: Event.Subscribe, data: { channel: name, auth: '' } });
      b.terminate();
      await a.close();
      const bound = ctx.ms(CLEANUP_MS + (ctx.limits.webhookGraceSeconds ?? 0) * 1000);
      const end = Date.now() + bound;
      let left = await listed(ctx, prefix);
      while (left.length > 0 && Date.now() < end) {
        await ctx.sleep(40);
        left = await listed(ctx, prefix);
      }
      check(left.length === 0, `no channel under ${prefix} listed within ${bound} ms of the last connection leaving`, `${left.length} still listed, e.g. ${left.slice(0, 3).join(', ')}`);
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/rapid-subscribe-unsubscribe',
    clause: 'robustness.rapid-subscribe-unsubscribe',
    level: 'MUST',
    features: [],
    action: 'Sends random interleavings of up to 12 subscribe and unsubscribe frames over three public channels without waiting for answers, then publishes to each',
    requirement: 'The final state MUST match the last request per channel: events delivered exactly on the channels last subscribed, and REST occupancy agreeing',
    numRuns: 10,
    timeoutMs: 40_000,
    async run(ctx) {
      const arb = fc.array(fc.record({ ch: fc.integer({ min: 0, max: 2 }), sub: fc.boolean() }), { minLength: 1, maxLength: 12 });
      await ctx.property(arb, async (ops: Op[]) => {
        const sync = ctx.channelName('');
        const chans = [ctx.channelName(''), ctx.channelName(''), ctx.channelName('')];
        const c = await ctx.connect();
        await c.subscribeOk(sync);
        for (const op of ops) {
          if (op.sub) c.send({ event: Event.Subscribe, data: { channel: chans[op.ch], auth: '' } });
          else c.unsubscribe(chans[op.ch]!);
        }
        const before = c.frames().length;
        c.send({ event: Event.Ping, data: {} });
        await c.waitFor({ event: Event.Pong, where: (f) => c.frames().indexOf(f) >= before, within: ANSWER_MS });
        await barrier(ctx, sync, [c]);
        const expected = chans.map((_, i) => ops.filter((o) => o.ch === i).at(-1)?.sub ?? false);
        const tokens = chans.map(() => token('rs'));
        for (const [i, name] of chans.entries()) {
          const res = await ctx.rest.channel(name);
          const parsed = ChannelResponse.safeParse(res.json);
          check(parsed.success && parsed.data.occupied === expected[i], `GET /channels/${name}: occupied ${expected[i]} (last request: ${expected[i] ? 'subscribe' : 'unsubscribe or none'})`, () => httpSummary(res));
          const pub = await ctx.rest.trigger({ name: PROBE_EVENT, channel: name, data: tokens[i] });
          check(isAccepted(pub), `POST /events to ${name} accepted (2xx, no error body)`, () => httpSummary(pub));
        }
        await barrier(ctx, sync, [c]);
        for (const [i, name] of chans.entries()) {
          const got = c.frames().filter((f) => f.event === PROBE_EVENT && f.channel === name && carriesToken(f.data, tokens[i]!)).length;
          check(got === (expected[i] ? 1 : 0), `${name}: ${expected[i] ? 'the event once' : 'no event'} (ops ${ops.map((o) => `${o.sub ? '+' : '-'}${o.ch}`).join(' ')})`, `${got} cop${got === 1 ? 'y' : 'ies'}`);
        }
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/utf8-preserved',
    clause: 'robustness.utf8-preserved',
    level: 'MUST',
    features: [],
    action: 'Publishes event data with multi-byte UTF-8 (accents, CJK, emoji and ZWJ sequences, combining marks, U+2028/2029, escaped controls), both as plain text and inside JSON, over REST (and as client events when the target has them)',
    requirement: 'The server MUST deliver the data string unchanged',
    numRuns: 10,
    timeoutMs: 30_000,
    async run(ctx) {
      const channel = ctx.channelName('');
      const priv = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = [await ctx.connect(), await ctx.connect()];
      await a.subscribeOk(channel);
      const clientEvents = ctx.target.features.has('client-events');
      if (clientEvents) {
        await a.subscribeOk(priv);
        await b.subscribeOk(priv);
      }
      await ctx.property(fc.tuple(utf8TextArb, fc.boolean()), async ([text, asJson]) => {
        const data = asJson ? JSON.stringify({ text }) : text;
        const res = await ctx.rest.trigger({ name: PROBE_EVENT, channel, data });
        check(isAccepted(res), 'POST /events accepted (2xx, no error body)', () => httpSummary(res));
        const f = await a.expectFrame(ChannelEventFrameLenient, { event: PROBE_EVENT, channel, description: `the published event on ${channel}` });
        const delivered = asPublished(ctx, f.data, data);
        // an object equal to the decoded string is the form pusher-js tolerates (clause subscription.data-verbatim judges it)
        check(dataMatches(delivered, data), `data delivered unchanged: ${JSON.stringify(data).slice(0, 120)}`, `${JSON.stringify(f.data).slice(0, 200)}`);
        if (clientEvents) {
          const event = `${EventPrefix.Client}utf8`;
          b.trigger(priv, event, data);
          const g = await a.expectFrame(ChannelEventFrameLenient, { event, channel: priv, description: `the client event on ${priv}` });
          check(g.data === data, `client event data relayed unchanged: ${JSON.stringify(data).slice(0, 120)}`, `${JSON.stringify(g.data).slice(0, 200)}`);
        }
      });
    },
  }),

  defineCase({
    hostile: true,
    id: 'robustness/rest-hostile-bodies',
    clause: 'robustness.rest-malformed-body',
    level: 'SHOULD',
    features: [],
    action:
      'Sends correctly signed POST /events and /batch_events with generated hostile bodies: not JSON, truncated, not an object, wrongly typed fields, 1000-5000 channels, 200-1000 batch entries, nesting 500-5000 deep, and wrong content types; then publishes normally',
    requirement: 'The server SHOULD answer each within the REST bound with 4xx (2xx only where the body is usable), never 5xx, and MUST go on serving: the normal publish is delivered',
    numRuns: 15,
    timeoutMs: 30_000,
    async run(ctx) {
      const channel = ctx.channelName('');
      const c = await ctx.connect();
      await c.subscribeOk(channel);
      await ctx.property(hostileBodyArb(channel), async (h) => {
        const res = await answered(ctx, { method: 'POST', path: ctx.rest.path(h.endpoint), body: h.body, ...(h.contentType ? { contentType: h.contentType } : {}) }, h.label);
        // a refusal answered 200 with an error body is judged by its code (the status is rest.bad-request's finding)
        const status = effectiveStatus(ctx, res);
        const ok = status >= 400 && status < 500;
        check(ok || (h.mayAccept && isAccepted(res)), `${h.label}: 4xx${h.mayAccept ? ' or 2xx' : ''}, never 5xx`, () => httpSummary(res));
      });
      await barrier(ctx, channel, [c]);
    },
  }),
]);
