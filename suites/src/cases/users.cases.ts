/**
 * Users: sign-in (`pusher:signin`), server-to-user events (through /events and the Vask
 * users/{id}/events endpoint), watchlists and terminate_connections.
 *
 * "Signed in" is observed the only way a client can: events published to the user's
 * #server-to-user channel reach the connection. Absence is checked with a marker published on a
 * public channel every connection of the case subscribes to (barrier), never with a sleep.
 * @module
 */
import fc from 'fast-check';
import { hmacSha256Hex, signUser } from '../../../spec/src/crypto/index.ts';
import { ERROR_CODE_MAX, ERROR_CODE_MIN, ErrorCode, ErrorRange, errorRange } from '../../../spec/src/error-codes.ts';
import { Event, WatchlistEventName } from '../../../spec/src/events.ts';
import { ErrorFrameLenient } from '../../../spec/src/frames/connection.ts';
import { ChannelEventFrameLenient } from '../../../spec/src/frames/events.ts';
import type { AnyFrame } from '../../../spec/src/frames/generic.ts';
import { MemberRemovedFrameLenient } from '../../../spec/src/frames/presence.ts';
import { SigninSuccessFrameLenient, WatchlistEventsData, WatchlistEventsFrameLenient } from '../../../spec/src/frames/signin.ts';
import { ChannelPrefix, serverToUserChannel, USER_ID_PATTERN } from '../../../spec/src/identifiers.ts';
import { userStringToSign } from '../../../spec/src/crypto/user-auth.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check, ConformanceFailure } from '../model/outcome.ts';
import type { CaseContext, Client, HttpResult } from '../harness/types.ts';
import { barrier, carriesToken, closeAll, decodeData } from './helpers/channel-sync.ts';
import { limitOrPusher } from './helpers/limit-or-pusher.ts';
import { expectUsable } from './helpers/usable.ts';
import { isAccepted } from '../harness/rest.ts';

/** Name of the events these cases publish to users; any name without a protocol prefix would do. */
const USER_EVENT = 'conformance-user-event';
/** Bound for a close or a watchlist notification that follows an action, before time-scale. */
const NOTICE_MS = 3000;

let tokenCounter = 0;
const token = (hint: string): string => `${hint}-${process.pid}-${(++tokenCounter).toString(36)}`;

/** The no-reconnect range of close codes, for messages. */
const FATAL = `${ErrorRange.fatal.min}-${ErrorRange.fatal.max}`;

const httpSummary = (res: HttpResult): string => `HTTP ${res.status}${res.text ? ` ${res.text.slice(0, 300)}` : ''}`;

// --- sign-in ---------------------------------------------------------------------------------

type SigninAnswer =
  | { readonly kind: 'success'; readonly frame: AnyFrame }
  | { readonly kind: 'error'; readonly frame: AnyFrame }
  | { readonly kind: 'closed'; readonly code: number; readonly reason: string }
  | { readonly kind: 'none' };

/**
 * Send pusher:signin exactly as given and wait for signin_success, pusher:error or a close.
 * (Client.signin waits a further second for a close after an error; properties cannot afford it.)
 */
async function sendSignin(client: Client, data: { auth: string; user_data: string }, within = NOTICE_MS): Promise<SigninAnswer> {
  client.send({ event: Event.Signin, data });
  const frame = await client.waitFor({ where: (f) => f.event === Event.SigninSuccess || f.event === Event.Error, within });
  if (frame === undefined) return client.isOpen ? { kind: 'none' } : { kind: 'closed', code: client.closeInfo?.code ?? 1006, reason: client.closeInfo?.reason ?? '' };
  return frame.event === Event.SigninSuccess ? { kind: 'success', frame } : { kind: 'error', frame };
}

function describeAnswer(a: SigninAnswer): string {
  switch (a.kind) {
    case 'success':
      return `${Event.SigninSuccess}: ${JSON.stringify(a.frame).slice(0, 300)}`;
    case 'error':
      return `${Event.Error}: ${JSON.stringify(a.frame).slice(0, 300)}`;
    case 'closed':
      return `the connection closed with ${a.code}${a.reason ? ` "${a.reason}"` : ''}`;
    case 'none':
      return 'no answer';
  }
}

/**
 * A refused sign-in: pusher:error (any code the frame schema allows, possibly followed by a close:
 * ambiguity signin-failure-close) or a bare close in the fatal range (ambiguity error-signalling).
 */
function checkRefused(a: SigninAnswer, what: string, clause: string): void {
  const expected = `${what}: refused with ${Event.Error} (or a close with a ${FATAL} code) (clause ${clause})`;
  check(a.kind === 'error' || a.kind === 'closed', expected, () => describeAnswer(a));
  if (a.kind === 'closed') {
    check(errorRange(a.code) === 'fatal', expected, () => describeAnswer(a));
    return;
  }
  const parsed = ErrorFrameLenient.safeParse(a.frame);
  check(parsed.success, `${what}: the ${Event.Error} frame has data {message, code?} with a code of ${ERROR_CODE_MIN}-${ERROR_CODE_MAX} or null`, () => JSON.stringify(a.frame).slice(0, 300));
}

/** A valid sign-in as `userData` (signed for `raw` when given); requires signin_success echoing user_data. */
async function signIn(client: Client, userData: Record<string, unknown>, what: string, raw?: string): Promise<void> {
  const res = await client.signin(userData, raw === undefined ? {} : { userDataRaw: raw });
  const sent = raw ?? JSON.stringify(userData);
  if (!res.ok) {
    const s = res.signal;
    const actual = s === undefined ? 'no answer' : s.via === 'close' ? `close ${s.code}` : `${Event.Error} code ${s.code ?? 'null'}: ${JSON.stringify(s.frame.data).slice(0, 200)}`;
    throw new ConformanceFailure([`${what}: ${Event.SigninSuccess} for a correctly signed sign-in (clause signin.valid-signature)`], actual);
  }
  const parsed = SigninSuccessFrameLenient.safeParse(res.frame);
  check(parsed.success, `${what}: ${Event.SigninSuccess} with data {user_data: string}`, () => JSON.stringify(res.frame).slice(0, 300));
  check(parsed.data.data.user_data === sent, `${what}: user_data echoed as the exact string sent (clause signin.success-user-data)`, () => `sent ${JSON.stringify(sent).slice(0, 200)}, got ${JSON.stringify(parsed.data.data.user_data).slice(0, 200)}`);
}

// --- connections --------------------------------------------------------------------------------

interface Setup {
  /** public channel every connection of the case joins, for barriers */
  readonly sync: string;
}

const newSetup = (ctx: CaseContext): Setup => ({ sync: ctx.channelName('') });

/** A connection subscribed to the sync channel, not signed in. */
async function plain(ctx: CaseContext, s: Setup): Promise<Client> {
  const c = await ctx.connect();
  await c.subscribeOk(s.sync);
  return c;
}

/**
 * A connection signed in as `userId`; `own` also subscribes to its #server-to-user channel with an
 * empty auth, as pusher-js does after signin_success (the outcome is not required here).
 */
async function signedIn(ctx: CaseContext, s: Setup, userId: string, opts: { own?: boolean; watchlist?: string[] } = {}): Promise<Client> {
  const c = await plain(ctx, s);
  await signIn(c, { id: userId, ...(opts.watchlist ? { watchlist: opts.watchlist } : {}) }, `sign-in as ${userId} on ${c.label}`);
  if (opts.own) await c.subscribe(serverToUserChannel(userId));
  return c;
}

/** POST /events to #server-to-user-{userId}, requiring 2xx; returns the data token. */
async function publishToUser(ctx: CaseContext, userId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const data = token('to-user');
  const res = await ctx.rest.trigger({ name: USER_EVENT, channel: serverToUserChannel(userId), data, ...extra });
  check(isAccepted(res), `POST /events to ${serverToUserChannel(userId)} accepted (2xx, no error body)`, () => httpSummary(res));
  return data;
}

/** Copies of the user event carrying `data` that `client` has received so far. */
// by the token the case published, in any encoding (a double encoding is clause subscription.data-verbatim's finding)
const copies = (client: Client, data: string): AnyFrame[] => client.frames().filter((f) => f.event === USER_EVENT && carriesToken(f.data, data));

/** After `publish`, a marker on the sync channel; then the number of copies each client holds. */
async function deliveryCounts(ctx: CaseContext, s: Setup, clients: readonly Client[], publish: () => Promise<string>): Promise<{ data: string; counts: number[] }> {
  const data = await publish();
  await barrier(ctx, s.sync, clients.filter((c) => c.isOpen));
  return { data, counts: clients.map((c) => copies(c, data).length) };
}

/** The delivered frame names the user channel and carries the published event and data. */
function checkUserFrame(client: Client, userId: string, data: string, what: string): void {
  const frame = copies(client, data)[0];
  check(frame !== undefined, `${what}: the user event at ${client.label}`, 'not received');
  const parsed = ChannelEventFrameLenient.safeParse(frame);
  check(parsed.success && parsed.data.channel === serverToUserChannel(userId), `${what}: the frame carries channel ${serverToUserChannel(userId)} (clause server-to-user.frame-shape)`, () => JSON.stringify(frame).slice(0, 300));
}

/** Not signed in as `userId`: an event to that user does not reach `client` (skipped without server-to-user). */
async function expectNotSignedIn(ctx: CaseContext, s: Setup, client: Client, userId: string, what: string): Promise<void> {
  if (!client.isOpen || !ctx.target.features.has('server-to-user')) return;
  const { counts } = await deliveryCounts(ctx, s, [client], () => publishToUser(ctx, userId));
  check(counts[0] === 0, `${what}: ${client.label} is not signed in as ${userId} (an event to ${serverToUserChannel(userId)} does not reach it)`, `${counts[0]} cop${counts[0] === 1 ? 'y' : 'ies'} received`);
}


// --- watchlist ------------------------------------------------------------------------------------

/** Does a watchlist_events frame report `name` for `userId`? (data as a string or an object) */
function watchlistReports(frame: AnyFrame, name: WatchlistEventName, userId: string): boolean {
  if (frame.event !== Event.WatchlistEvents) return false;
  const data = WatchlistEventsData.safeParse(decodeData(frame.data));
  return data.success && data.data.events.some((e) => e.name === name && e.user_ids.includes(userId));
}

async function expectWatchlist(client: Client, name: WatchlistEventName, userId: string, within: number, clause: string): Promise<void> {
  await client.expectFrame(WatchlistEventsFrameLenient, {
    event: Event.WatchlistEvents,
    where: (f) => watchlistReports(f, name, userId),
    within,
    description: `${Event.WatchlistEvents} with {name: "${name}", user_ids: [${userId}]} at ${client.label} (clause ${clause}, wire shape clause watchlist.wire-shape)`,
  });
}

/** Every watchlist frame about `userId` named `name` that `client` has received. */
const watchlistNotices = (client: Client, name: WatchlistEventName, userId: string): AnyFrame[] => client.frames().filter((f) => watchlistReports(f, name, userId));

/** The longest the server may plausibly delay an offline notice: its webhook grace plus a margin. */
const offlineBound = (ctx: CaseContext): number => Math.max(NOTICE_MS, (ctx.limits.webhookGraceSeconds ?? 0) * 1000 + 2000);

// --- arbitraries --------------------------------------------------------------------------------

/** user_info values that survive JSON and exercise escaping: graphemes, numbers, booleans, nesting. */
const userInfoArb = fc.option(
  fc.dictionary(
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }),
    fc.oneof(fc.string({ unit: 'grapheme', maxLength: 16 }), fc.integer(), fc.boolean(), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 })),
    { maxKeys: 4 },
  ),
  { nil: undefined },
);

/** How the user_data JSON is written: the server must echo the bytes, not a re-serialisation. */
type Layout = 'compact' | 'indented' | 'id-last' | 'ascii-escaped';
const layoutArb = fc.constantFrom<Layout>('compact', 'indented', 'id-last', 'ascii-escaped');

function writeUserData(id: string, info: Record<string, unknown> | undefined, layout: Layout): string {
  const base: Record<string, unknown> = info === undefined ? { id } : { id, user_info: info };
  switch (layout) {
    case 'compact':
      return JSON.stringify(base);
    case 'indented':
      return JSON.stringify(base, null, 2);
    case 'id-last':
      return JSON.stringify(info === undefined ? { id } : { user_info: info, id });
    case 'ascii-escaped':
      return JSON.stringify(base).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
}

/** Ways to make a sign-in wrong, each with the parameters it needs. */
type Tamper =
  | { readonly kind: 'signature-char'; readonly pos: number; readonly delta: number }
  | { readonly kind: 'truncated'; readonly keep: number }
  | { readonly kind: 'other-socket' }
  | { readonly kind: 'made-up-socket'; readonly a: number; readonly b: number }
  | { readonly kind: 'user-data-changed'; readonly how: 'other-id' | 'added-field' | 'trailing-space' }
  | { readonly kind: 'other-secret'; readonly suffix: string }
  | { readonly kind: 'other-key' };

const SIGNATURE_HEX_LENGTH = 64;
const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('signature-char' as const), pos: fc.integer({ min: 0, max: SIGNATURE_HEX_LENGTH - 1 }), delta: fc.integer({ min: 1, max: 15 }) }) },
  fc.record({ kind: fc.constant('truncated' as const), keep: fc.integer({ min: 0, max: SIGNATURE_HEX_LENGTH - 1 }) }),
  fc.constant({ kind: 'other-socket' as const }),
  fc.record({ kind: fc.constant('made-up-socket' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('user-data-changed' as const), how: fc.constantFrom('other-id' as const, 'added-field' as const, 'trailing-space' as const) }),
  fc.record({ kind: fc.constant('other-secret' as const), suffix: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 6 }) }),
  fc.constant({ kind: 'other-key' as const }),
);

const HEX = '0123456789abcdef';

/** The pusher:signin data for `tamper`, and the user id a lenient server would sign the connection in as. */
function tampered(ctx: CaseContext, t: Tamper, socketId: string, otherSocketId: string, userId: string): { auth: string; user_data: string; asUser: string } {
  const { key, secret } = ctx.target;
  const user_data = JSON.stringify({ id: userId });
  const good = signUser({ key, secret, socketId, userData: user_data });
  const sig = good.slice(key.length + 1);
  switch (t.kind) {
    case 'signature-char': {
      const i = HEX.indexOf(sig[t.pos]!);
      const swapped = HEX[(i + t.delta) % HEX.length]!;
      return { auth: `${key}:${sig.slice(0, t.pos)}${swapped}${sig.slice(t.pos + 1)}`, user_data, asUser: userId };
    }
    case 'truncated':
      return { auth: `${key}:${sig.slice(0, t.keep)}`, user_data, asUser: userId };
    case 'other-socket':
      return { auth: signUser({ key, secret, socketId: otherSocketId, userData: user_data }), user_data, asUser: userId };
    case 'made-up-socket': {
      const made = `${t.a}.${t.b}`;
      const id = made === socketId ? `${t.a}.${t.b + 1}` : made;
      return { auth: signUser({ key, secret, socketId: id, userData: user_data }), user_data, asUser: userId };
    }
    case 'user-data-changed': {
      const other = t.how === 'other-id' ? JSON.stringify({ id: `${userId}x` }) : t.how === 'added-field' ? JSON.stringify({ id: userId, user_info: { admin: true } }) : `${user_data} `;
      return { auth: good, user_data: other, asUser: t.how === 'other-id' ? `${userId}x` : userId };
    }
    case 'other-secret':
      return { auth: `${key}:${hmacSha256Hex(`${secret}${t.suffix}`, userStringToSign({ socketId, userData: user_data }))}`, user_data, asUser: userId };
    case 'other-key':
      return { auth: `${key}x:${sig}`, user_data, asUser: userId };
  }
}

/** user_data without a usable id: absent, empty, or not a string; or not a JSON object at all. */
const badIdArb: fc.Arbitrary<{ text: string; asUser?: string }> = fc.oneof(
  fc.constantFrom(
    { text: '{}' },
    { text: JSON.stringify({ id: '' }) },
    { text: JSON.stringify({ id: null }) },
    { text: JSON.stringify({ id: ['a'] }) },
    { text: JSON.stringify({ id: {} }) },
    { text: '[]' },
    { text: 'null' },
    { text: '""' },
    { text: 'not json' },
    { text: '' },
  ),
  fc.integer({ min: 1_000_000, max: 2_000_000_000 }).map((n) => ({ text: JSON.stringify({ id: n }), asUser: String(n) })),
  fc.constant({ text: JSON.stringify({ id: true }), asUser: 'true' }),
  fc.dictionary(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 6 }).filter((k) => k !== 'id'), fc.string({ maxLength: 6 }), { minKeys: 1, maxKeys: 3 }).map((d) => ({ text: JSON.stringify({ user_info: d }) })),
);

/** Characters outside the user-id alphabet. */
const BAD_ID_CHARS = [' ', '#', '/', '?', '%', ':', '+', '!', '*', '\'', '"', '<', '\\', '\t', '\u00e9', '\u4e2d', '\u{1F600}'].filter((ch) => !USER_ID_PATTERN.test(ch));

export default defineArea('users', 'User authentication, server-to-user events, watchlists and terminate', [
  // --- sign-in --------------------------------------------------------------------------------
  defineCase({
    id: 'users/signin-echoes-user-data',
    clause: 'signin.success-user-data',
    level: 'MUST',
    features: ['user-auth'],
    action: 'Signs in with correctly signed user_data written in random layouts (compact, indented, id last, non-ASCII escaped as \\uXXXX) with random user_info or none',
    requirement: 'The server MUST answer pusher:signin_success whose data.user_data is exactly the string sent, byte for byte',
    numRuns: 15,
    timeoutMs: 30_000,
    async run(ctx) {
      await ctx.property(fc.tuple(userInfoArb, layoutArb), async ([info, layout]) => {
        const c = await ctx.connect();
        const id = ctx.userId('echo');
        await signIn(c, { id }, `sign-in in layout ${layout}`, writeUserData(id, info, layout));
      });
    },
  }),

  defineCase({
    id: 'users/signin-tampered-refused',
    clause: 'signin.invalid-signature',
    level: 'MUST',
    features: ['user-auth'],
    action: 'Sends pusher:signin with one change to a correct sign-in: one hex digit of the signature altered, the signature truncated, signed for another connection\'s or a made-up socket_id, user_data changed after signing, signed with another secret, or another key before ":"',
    requirement: 'The server MUST refuse each with pusher:error (a close with a 4000-4099 code is accepted too) and MUST NOT sign the connection in: events to that user do not reach it',
    numRuns: 25,
    timeoutMs: 40_000,
    async run(ctx) {
      const s = newSetup(ctx);
      const other = await ctx.connect();
      await ctx.property(tamperArb, async (t) => {
        const c = await plain(ctx, s);
        const userId = ctx.userId('tamper');
        const { auth, user_data, asUser } = tampered(ctx, t, c.socketId, other.socketId, userId);
        const answer = await sendSignin(c, { auth, user_data });
        checkRefused(answer, `sign-in tampered (${t.kind})`, 'signin.invalid-signature');
        await expectNotSignedIn(ctx, s, c, asUser, `after the refused sign-in (${t.kind})`);
      });
    },
  }),

  defineCase({
    id: 'users/signin-failure-keeps-connection',
    clause: 'signin.failure-keeps-connection',
    level: 'SHOULD',
    features: ['user-auth'],
    action: 'Subscribes to a public channel, sends a pusher:signin with a wrong signature, then a correct one',
    requirement: 'The server SHOULD refuse the first with pusher:error and keep the connection open with its subscription delivering, so that the second sign-in succeeds',
    async run(ctx) {
      const s = newSetup(ctx);
      const c = await plain(ctx, s);
      const userId = ctx.userId('keep');
      const user_data = JSON.stringify({ id: userId });
      const wrong = `${ctx.target.key}:${'0'.repeat(SIGNATURE_HEX_LENGTH)}`;
      const answer = await sendSignin(c, { auth: wrong, user_data });
      check(answer.kind === 'error', `${Event.Error} for the wrong signature, without a close (ambiguity signin-failure-close)`, () => describeAnswer(answer));
      await c.expectClose({ within: 1000 }).then(
        (closed) => {
          throw new ConformanceFailure(['the connection stays open after the refused sign-in'], `closed with ${closed.code} ${closed.reason}`);
        },
        () => undefined,
      );
      await expectUsable(ctx, c, 'after the refused sign-in');
      await barrier(ctx, s.sync, [c]);
      await signIn(c, { id: userId }, 'the correct sign-in after the refused one');
    },
  }),

  defineCase({
    id: 'users/signin-user-data-id-required',
    clause: 'signin.user-data-id',
    level: 'MUST',
    features: ['user-auth'],
    // sends user_data that is not JSON: malformed input runs last, alone, liveness-checked
    hostile: true,
    action: 'Signs in, correctly signed, with user_data lacking a usable id: no id, an empty id, an id that is a number, boolean, null, array or object, or user_data that is not a JSON object',
    requirement: 'The server MUST refuse each with pusher:error and MUST NOT sign the connection in',
    numRuns: 15,
    timeoutMs: 30_000,
    async run(ctx) {
      const s = newSetup(ctx);
      await ctx.property(badIdArb, async ({ text, asUser }) => {
        const c = await plain(ctx, s);
        const answer = await sendSignin(c, { auth: signUser({ key: ctx.target.key, secret: ctx.target.secret, socketId: c.socketId, userData: text }), user_data: text });
        checkRefused(answer, `sign-in with user_data ${JSON.stringify(text).slice(0, 80)}`, 'signin.user-data-id');
        if (asUser !== undefined) await expectNotSignedIn(ctx, s, c, asUser, `after user_data ${text}`);
      });
    },
  }),

  defineCase({
    id: 'users/signin-user-id-charset',
    clause: 'signin.user-id-charset',
    level: 'SHOULD',
    features: ['user-auth'],
    action: 'Signs in, correctly signed, with ids holding one character outside A-Za-z0-9 _ - = @ , . ; (space, #, /, ?, %, :, quotes, tab, accented, CJK, emoji…)',
    requirement: 'The server SHOULD refuse each with pusher:error',
    numRuns: 12,
    timeoutMs: 30_000,
    async run(ctx) {
      const arb = fc.record({ ch: fc.constantFrom(...BAD_ID_CHARS), at: fc.nat() });
      await ctx.property(arb, async ({ ch, at }) => {
        const c = await ctx.connect();
        const base = ctx.userId('cs');
        const i = at % (base.length + 1);
        const id = `${base.slice(0, i)}${ch}${base.slice(i)}`;
        const user_data = JSON.stringify({ id });
        const answer = await sendSignin(c, { auth: signUser({ key: ctx.target.key, secret: ctx.target.secret, socketId: c.socketId, userData: user_data }), user_data });
        checkRefused(answer, `sign-in as ${JSON.stringify(id)}`, 'signin.user-id-charset');
      });
    },
  }),

  defineCase({
    id: 'users/signin-different-user-refused',
    clause: 'signin.different-user-refused',
    level: 'MUST',
    features: ['user-auth'],
    action: 'Signs a connection in as U, then sends a correctly signed pusher:signin as V on the same connection',
    requirement: 'The server MUST refuse the second sign-in with pusher:error (or a 4000-4099 close) and MUST NOT deliver V\'s events to the connection',
    async run(ctx) {
      const s = newSetup(ctx);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      const c = await signedIn(ctx, s, u);
      const user_data = JSON.stringify({ id: v });
      const answer = await sendSignin(c, { auth: signUser({ key: ctx.target.key, secret: ctx.target.secret, socketId: c.socketId, userData: user_data }), user_data });
      checkRefused(answer, `a second sign-in as ${v}`, 'signin.different-user-refused');
      await expectNotSignedIn(ctx, s, c, v, 'after the second sign-in');
    },
  }),

  defineCase({
    id: 'users/signin-same-user-again',
    clause: 'signin.same-user-again',
    level: 'SHOULD',
    features: ['user-auth', 'server-to-user'],
    action: 'Signs a connection in as U, then again as U with new user_info, and publishes to #server-to-user-U',
    requirement: 'The server SHOULD accept the second sign-in with pusher:signin_success, and the connection SHOULD receive U\'s event exactly once',
    async run(ctx) {
      const s = newSetup(ctx);
      const u = ctx.userId('again');
      const c = await signedIn(ctx, s, u);
      await signIn(c, { id: u, user_info: { tab: 'refreshed' } }, `the second sign-in as ${u}`);
      const { counts } = await deliveryCounts(ctx, s, [c], () => publishToUser(ctx, u));
      check(counts[0] === 1, `exactly one copy of the event to ${u}`, `${counts[0]} copies`);
    },
  }),

  // --- server-to-user ---------------------------------------------------------------------------
  defineCase({
    id: 'users/server-to-user-delivery',
    clause: 'server-to-user.delivery',
    level: 'MUST',
    features: ['user-auth', 'server-to-user'],
    action: 'Signs user U in on three connections, each then subscribing to #server-to-user-U as pusher-js does, and publishes an event to #server-to-user-U through POST /events',
    requirement: 'The event MUST reach every connection signed in as U, carrying the event name, channel #server-to-user-U and the data',
    async run(ctx) {
      const s = newSetup(ctx);
      const u = ctx.userId('u');
      const conns = [await signedIn(ctx, s, u, { own: true }), await signedIn(ctx, s, u, { own: true }), await signedIn(ctx, s, u, { own: true })];
      const { data, counts } = await deliveryCounts(ctx, s, conns, () => publishToUser(ctx, u));
      check(counts.every((n) => n >= 1), `the event at each of ${conns.map((c) => c.label).join(', ')}`, `copies per connection: ${counts.join(', ')}`);
      for (const c of conns) checkUserFrame(c, u, data, 'delivery');
    },
  }),

  defineCase({
    id: 'users/server-to-user-without-subscription',
    clause: 'server-to-user.without-subscription',
    level: 'SHOULD',
    features: ['user-auth', 'server-to-user'],
    action: 'Signs user U in on two connections that never subscribe to #server-to-user-U, and publishes to #server-to-user-U',
    requirement: 'The server SHOULD deliver the event exactly once to each connection signed in as U',
    async run(ctx) {
      const s = newSetup(ctx);
      const u = ctx.userId('u');
      const conns = [await signedIn(ctx, s, u), await signedIn(ctx, s, u)];
      const { data, counts } = await deliveryCounts(ctx, s, conns, () => publishToUser(ctx, u));
      check(counts.every((n) => n === 1), 'exactly one copy at each connection', `copies per connection: ${counts.join(', ')}`);
      for (const c of conns) checkUserFrame(c, u, data, 'delivery without subscription');
    },
  }),

  defineCase({
    id: 'users/server-to-user-own-subscription',
    clause: 'server-to-user.own-subscription-accepted',
    level: 'SHOULD',
    features: ['user-auth', 'server-to-user'],
    action: 'Signs user U in, subscribes to #server-to-user-U with an empty auth (as pusher-js does) and publishes to #server-to-user-U',
    requirement: 'The server SHOULD confirm the subscription and SHOULD deliver the event once, not once per route',
    async run(ctx) {
      const s = newSetup(ctx);
      const u = ctx.userId('u');
      const c = await signedIn(ctx, s, u);
      await c.subscribeOk(serverToUserChannel(u));
      const { counts } = await deliveryCounts(ctx, s, [c], () => publishToUser(ctx, u));
      check(counts[0] === 1, 'exactly one copy of the event', `${counts[0]} copies`);
    },
  }),

  defineCase({
    id: 'users/server-to-user-only-that-user',
    clause: 'server-to-user.only-that-user',
    level: 'MUST',
    features: ['user-auth', 'server-to-user'],
    action: 'Signs in user U and user V (both subscribing to their own #server-to-user channel), opens a connection that does not sign in, and publishes to #server-to-user-U',
    requirement: 'The event MUST reach U\'s connection and MUST NOT reach V\'s or the unsigned connection',
    async run(ctx) {
      const s = newSetup(ctx);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      const cu = await signedIn(ctx, s, u, { own: true });
      const cv = await signedIn(ctx, s, v, { own: true });
      const anon = await plain(ctx, s);
      const { counts } = await deliveryCounts(ctx, s, [cu, cv, anon], () => publishToUser(ctx, u));
      check(counts[0]! >= 1, `the event at ${u}'s connection`, 'not received');
      check(counts[1] === 0, `nothing at ${v}'s connection`, `${counts[1]} copies`);
      check(counts[2] === 0, 'nothing at the connection that did not sign in', `${counts[2]} copies`);
    },
  }),

  defineCase({
    id: 'users/server-to-user-foreign-subscription-refused',
    clause: 'server-to-user.foreign-subscription-refused',
    level: 'MUST',
    features: ['user-auth', 'server-to-user'],
    action: 'A connection that did not sign in and a connection signed in as V each subscribe to #server-to-user-U (empty auth, then a forged channel signature); U publishes an event',
    requirement: 'The server MUST refuse those subscriptions and MUST NOT deliver U\'s events to them',
    async run(ctx) {
      const s = newSetup(ctx);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      const cu = await signedIn(ctx, s, u, { own: true });
      const anon = await plain(ctx, s);
      const cv = await signedIn(ctx, s, v);
      const channel = serverToUserChannel(u);
      for (const c of [anon, cv]) {
        for (const auth of ['', ctx.sign.channel(c.socketId, channel)]) {
          const outcome = await c.subscribe(channel, { auth });
          check(!outcome.ok, `${c.label}'s subscription to ${channel} (auth ${auth === '' ? 'empty' : 'signed with the app secret'}) refused`, `${Event.SubscriptionSucceeded}: ${JSON.stringify(outcome.ok ? outcome.frame : '').slice(0, 200)}`);
        }
      }
      const { counts } = await deliveryCounts(ctx, s, [cu, anon, cv], () => publishToUser(ctx, u));
      check(counts[0]! >= 1, `the event at ${u}'s own connection`, 'not received');
      check(counts[1] === 0 && counts[2] === 0, `nothing at the connections that tried to subscribe to ${channel}`, `copies: ${counts[1]} (not signed in), ${counts[2]} (${v})`);
    },
  }),

  defineCase({
    id: 'users/server-to-user-socket-exclusion',
    clause: 'server-to-user.socket-exclusion',
    level: 'SHOULD',
    features: ['user-auth', 'server-to-user'],
    action: 'Signs user U in on two connections and publishes to #server-to-user-U with socket_id set to the first connection',
    requirement: 'The server SHOULD deliver the event to the second connection and not to the excluded one',
    async run(ctx) {
      const s = newSetup(ctx);
      const u = ctx.userId('u');
      const [c1, c2] = [await signedIn(ctx, s, u, { own: true }), await signedIn(ctx, s, u, { own: true })];
      const { counts } = await deliveryCounts(ctx, s, [c1, c2], () => publishToUser(ctx, u, { socket_id: c1.socketId }));
      check(counts[1]! >= 1, 'the event at the connection that was not excluded', 'not received');
      check(counts[0] === 0, 'nothing at the excluded connection (socket_id)', `${counts[0]} copies`);
    },
  }),

  defineCase({
    id: 'users/user-events-endpoint',
    clause: 'server-to-user.user-endpoint',
    level: 'MAY',
    features: ['user-auth', 'user-events-endpoint'],
    action: 'Signs user U in on two connections and user V on one, and sends POST /apps/{app}/users/U/events with {name, data}',
    requirement: 'Where the server offers the endpoint, it MUST answer 2xx and deliver the event exactly once to each of U\'s connections and to no other',
    async run(ctx) {
      const s = newSetup(ctx);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      const conns = [await signedIn(ctx, s, u, { own: true }), await signedIn(ctx, s, u), await signedIn(ctx, s, v, { own: true })];
      const { data, counts } = await deliveryCounts(ctx, s, conns, async () => {
        const data = token('endpoint');
        const res = await ctx.rest.userEvent(u, { name: USER_EVENT, data });
        check(isAccepted(res), `POST users/${u}/events accepted (2xx, no error body)`, () => httpSummary(res));
        return data;
      });
      check(counts[0] === 1 && counts[1] === 1, `exactly one copy at each of ${u}'s connections`, `copies: ${counts[0]}, ${counts[1]}`);
      check(counts[2] === 0, `nothing at ${v}'s connection`, `${counts[2]} copies`);
      checkUserFrame(conns[0]!, u, data, 'user events endpoint');
    },
  }),

  // --- watchlist --------------------------------------------------------------------------------
  defineCase({
    id: 'users/watchlist-online',
    clause: 'watchlist.online',
    level: 'MUST',
    features: ['user-auth', 'watchlist'],
    action: 'Signs A in with watchlist [B] while B is offline, then signs B in',
    requirement: 'The server MUST send A pusher_internal:watchlist_events with an online event listing B',
    async run(ctx) {
      const s = newSetup(ctx);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const ca = await signedIn(ctx, s, a, { watchlist: [b] });
      await signedIn(ctx, s, b);
      await expectWatchlist(ca, WatchlistEventName.Online, b, NOTICE_MS, 'watchlist.online');
    },
  }),

  defineCase({
    id: 'users/watchlist-offline',
    clause: 'watchlist.offline',
    level: 'MUST',
    features: ['user-auth', 'watchlist'],
    action: 'A watches B; B signs in on two connections; B closes one, then the other',
    requirement: 'The server MUST NOT report B offline while one of B\'s connections remains, and MUST send A an offline event listing B once the last one has closed',
    timeoutMs: 20_000,
    async run(ctx) {
      const s = newSetup(ctx);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const ca = await signedIn(ctx, s, a, { watchlist: [b] });
      const b1 = await signedIn(ctx, s, b);
      const b2 = await signedIn(ctx, s, b);
      await expectWatchlist(ca, WatchlistEventName.Online, b, NOTICE_MS, 'watchlist.online');
      await b1.close();
      await ctx.sleep((ctx.limits.webhookGraceSeconds ?? 0) * 1000 + 500, 'timer');
      await barrier(ctx, s.sync, [ca]);
      check(watchlistNotices(ca, WatchlistEventName.Offline, b).length === 0, `no offline event for ${b} while ${b2.label} is signed in`, () => JSON.stringify(watchlistNotices(ca, WatchlistEventName.Offline, b)[0]).slice(0, 300));
      await b2.close();
      await expectWatchlist(ca, WatchlistEventName.Offline, b, offlineBound(ctx), 'watchlist.offline');
    },
  }),

  defineCase({
    id: 'users/watchlist-only-watchers',
    clause: 'watchlist.only-watchers',
    level: 'MUST',
    features: ['user-auth', 'watchlist'],
    action: 'A watches B, C signs in watching someone else, D does not sign in; B signs in',
    requirement: 'The server MUST tell A that B is online and MUST NOT send C or D any watchlist event about B',
    async run(ctx) {
      const s = newSetup(ctx);
      const [a, b, c, x] = [ctx.userId('a'), ctx.userId('b'), ctx.userId('c'), ctx.userId('x')];
      const ca = await signedIn(ctx, s, a, { watchlist: [b] });
      const cc = await signedIn(ctx, s, c, { watchlist: [x] });
      const cd = await plain(ctx, s);
      await signedIn(ctx, s, b);
      await expectWatchlist(ca, WatchlistEventName.Online, b, NOTICE_MS, 'watchlist.online');
      await barrier(ctx, s.sync, [cc, cd]);
      for (const other of [cc, cd]) {
        const leaked = other.frames().filter((f) => f.event === Event.WatchlistEvents && JSON.stringify(decodeData(f.data)).includes(b));
        check(leaked.length === 0, `no watchlist event about ${b} at ${other.label} (${other === cc ? 'watching someone else' : 'not signed in'})`, () => JSON.stringify(leaked[0]).slice(0, 300));
      }
    },
  }),

  defineCase({
    id: 'users/watchlist-initial-state',
    clause: 'watchlist.initial-state',
    level: 'SHOULD',
    features: ['user-auth', 'watchlist'],
    action: 'Signs B in first, then signs A in with watchlist [B, C] (C offline)',
    requirement: 'After A\'s sign-in the server SHOULD send A an online event listing B, and SHOULD NOT list C as online',
    async run(ctx) {
      const s = newSetup(ctx);
      const [a, b, c] = [ctx.userId('a'), ctx.userId('b'), ctx.userId('c')];
      await signedIn(ctx, s, b);
      const ca = await signedIn(ctx, s, a, { watchlist: [b, c] });
      await expectWatchlist(ca, WatchlistEventName.Online, b, NOTICE_MS, 'watchlist.initial-state');
      await barrier(ctx, s.sync, [ca]);
      check(watchlistNotices(ca, WatchlistEventName.Online, c).length === 0, `${c}, who never signed in, not reported online`, 'reported online');
    },
  }),

  defineCase({
    id: 'users/watchlist-over-limit-signin-succeeds',
    clause: 'watchlist.over-limit-signin-succeeds',
    level: 'MUST',
    features: ['user-auth', 'watchlist'],
    action: 'Signs in with a watchlist one id longer than the target\'s watchlist limit',
    requirement: 'The server MUST still answer pusher:signin_success (it may also send pusher:error 4302) and keep the connection open',
    async run(ctx) {
      const limit = limitOrPusher(ctx, 'watchlistSize').value;
      const s = newSetup(ctx);
      const c = await plain(ctx, s);
      const id = ctx.userId('big');
      const watchlist = Array.from({ length: limit + 1 }, (_, i) => `${id}-w${i}`);
      await signIn(c, { id, watchlist }, `sign-in with ${watchlist.length} watched ids`);
      await barrier(ctx, s.sync, [c]);
    },
  }),

  // --- terminate --------------------------------------------------------------------------------
  defineCase({
    id: 'users/terminate-closes-every-connection',
    clause: 'terminate.closes-signed-in',
    level: 'MUST',
    features: ['user-auth', 'terminate'],
    action: 'Signs user U in on three connections (one also subscribed to its #server-to-user channel) and sends POST /users/U/terminate_connections',
    requirement: 'The server MUST close every one of U\'s connections',
    async run(ctx) {
      const s = newSetup(ctx);
      const u = ctx.userId('u');
      const conns = [await signedIn(ctx, s, u, { own: true }), await signedIn(ctx, s, u), await signedIn(ctx, s, u)];
      const res = await ctx.rest.terminate(u);
      ctx.note(`terminate answered ${httpSummary(res)}`);
      for (const c of conns) {
        await c.expectClose({ within: NOTICE_MS }).catch((e: unknown) => {
          throw ConformanceFailure.is(e) ? new ConformanceFailure([`${c.label} (signed in as ${u}) closed after terminate_connections`], e.actual) : e;
        });
      }
    },
  }),

  defineCase({
    id: 'users/terminate-other-users-untouched',
    clause: 'terminate.only-that-user',
    level: 'MUST',
    features: ['user-auth', 'terminate'],
    action: 'Signs U in on one connection and V on two, opens one connection that does not sign in, and terminates U',
    requirement: 'The server MUST close U\'s connection and MUST leave V\'s and the unsigned connection open and delivering',
    async run(ctx) {
      const s = newSetup(ctx);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      const cu = await signedIn(ctx, s, u);
      const others = [await signedIn(ctx, s, v), await signedIn(ctx, s, v), await plain(ctx, s)];
      await ctx.rest.terminate(u);
      await cu.expectClose({ within: NOTICE_MS });
      await ctx.sleep(200);
      for (const c of others) check(c.isOpen, `${c.label} (${c === others[2] ? 'not signed in' : `signed in as ${v}`}) left open`, () => `closed with ${c.closeInfo?.code ?? '?'}`);
      await barrier(ctx, s.sync, others);
    },
  }),

  defineCase({
    id: 'users/terminate-presence-only-untouched',
    clause: 'terminate.presence-only-untouched',
    level: 'MUST',
    features: ['user-auth', 'terminate', 'presence'],
    action: 'On one presence channel: U joins signed in as U; one connection joins as user_id U without signing in; one signed in as W joins as user_id U. Terminates U',
    requirement: 'The server MUST close only the connection signed in as U; presence membership under the same user_id MUST NOT be a reason to close',
    async run(ctx) {
      const s = newSetup(ctx);
      const [u, w] = [ctx.userId('u'), ctx.userId('w')];
      const presence = ctx.channelName(ChannelPrefix.Presence);
      const cu = await signedIn(ctx, s, u);
      await cu.subscribeOk(presence, { channelData: { user_id: u } });
      const anon = await plain(ctx, s);
      await anon.subscribeOk(presence, { channelData: { user_id: u } });
      const cw = await signedIn(ctx, s, w);
      await cw.subscribeOk(presence, { channelData: { user_id: u } });
      await ctx.rest.terminate(u);
      await cu.expectClose({ within: NOTICE_MS });
      await ctx.sleep(200);
      check(anon.isOpen, 'the presence member with user_id U that never signed in left open', () => `closed with ${anon.closeInfo?.code ?? '?'}`);
      check(cw.isOpen, `the presence member with user_id U signed in as ${w} left open`, () => `closed with ${cw.closeInfo?.code ?? '?'}`);
      await barrier(ctx, s.sync, [anon, cw]);
    },
  }),

  defineCase({
    id: 'users/terminate-close-code',
    clause: 'terminate.fatal-close-code',
    level: 'SHOULD',
    features: ['user-auth', 'terminate'],
    action: 'Signs U in on two connections and terminates U',
    requirement: 'The server SHOULD close them with a code from 4000 to 4099 (4009 in use), so that clients do not reconnect by themselves',
    async run(ctx) {
      const s = newSetup(ctx);
      const u = ctx.userId('u');
      const conns = [await signedIn(ctx, s, u), await signedIn(ctx, s, u)];
      await ctx.rest.terminate(u);
      for (const c of conns) {
        const closed = await c.expectClose({ within: NOTICE_MS });
        check(errorRange(closed.code) === 'fatal', `${c.label} closed with a ${FATAL} code`, `close ${closed.code}${closed.reason ? ` "${closed.reason}"` : ''}`);
      }
    },
  }),

  defineCase({
    id: 'users/terminate-response',
    clause: 'terminate.response',
    level: 'MUST',
    features: ['user-auth', 'terminate'],
    action: 'Signs U in and sends POST /users/U/terminate_connections (body {} as pusher-http-node does)',
    requirement: 'The server MUST answer 200 with a JSON object ({} or {"ok":true}: ambiguity terminate-response-body)',
    async run(ctx) {
      const s = newSetup(ctx);
      const u = ctx.userId('u');
      await signedIn(ctx, s, u);
      const res = await ctx.rest.terminate(u);
      check(res.status === 200, 'HTTP 200', () => httpSummary(res));
      check(typeof res.json === 'object' && res.json !== null && !Array.isArray(res.json), 'a JSON object body', () => httpSummary(res));
    },
  }),

  defineCase({
    id: 'users/terminate-unknown-user',
    clause: 'terminate.unknown-user',
    level: 'SHOULD',
    features: ['terminate'],
    action: 'Sends POST /users/X/terminate_connections for a user id that has no connection',
    requirement: 'The server SHOULD answer 200',
    async run(ctx) {
      const res = await ctx.rest.terminate(ctx.userId('nobody'));
      check(res.status === 200, 'HTTP 200', () => httpSummary(res));
    },
  }),

  defineCase({
    id: 'users/terminate-presence-cleanup',
    clause: 'terminate.presence-cleanup',
    level: 'MUST',
    features: ['user-auth', 'terminate', 'presence'],
    action: 'U signs in and joins a presence channel as U; Y joins the same channel; U is terminated',
    requirement: 'The server MUST treat U\'s connection as closed: Y MUST receive member_removed for U',
    async run(ctx) {
      const s = newSetup(ctx);
      const [u, y] = [ctx.userId('u'), ctx.userId('y')];
      const presence = ctx.channelName(ChannelPrefix.Presence);
      const cu = await signedIn(ctx, s, u);
      await cu.subscribeOk(presence, { channelData: { user_id: u } });
      const cy = await plain(ctx, s);
      await cy.subscribeOk(presence, { channelData: { user_id: y } });
      await ctx.rest.terminate(u);
      await cu.expectClose({ within: NOTICE_MS });
      await cy.expectFrame(MemberRemovedFrameLenient, {
        event: Event.MemberRemoved,
        channel: presence,
        where: (f) => {
          const d = decodeData(f.data);
          return typeof d === 'object' && d !== null && String((d as { user_id?: unknown }).user_id) === u;
        },
        within: NOTICE_MS,
        description: `member_removed for ${u} at ${cy.label}`,
      });
      await closeAll([cy]);
    },
  }),

  // mutation survivor reference-server/src/users.ts (the user id length check of pusher:signin): only presence channel_data was checked
  defineCase({
    id: 'users/signin-user-id-length-boundary',
    clause: 'limits.presence-user-id-length',
    level: 'SHOULD',
    features: ['user-auth'],
    action: 'Signs in, correctly signed, with a user id of exactly the profile\'s userIdLength characters, then on another connection with one character more',
    requirement: 'The server SHOULD accept the sign-in of a user id of exactly the declared length and refuse a longer one with pusher:error, as it does for presence members',
    async run(ctx) {
      const limit = limitOrPusher(ctx, 'userIdLength').value;
      const base = ctx.userId('len').replace(/[^A-Za-z0-9_\-=@,.;]/g, '');
      const ofLength = (n: number): string => (base.length >= n ? base.slice(base.length - n) : base + '0'.repeat(n - base.length));
      const atId = ofLength(limit);
      check(atId.length === limit && USER_ID_PATTERN.test(atId), 'suite: id of the right length', atId);
      const at = await ctx.connect();
      await signIn(at, { id: atId }, `sign-in as a user id of exactly ${limit} characters`);
      const over = await ctx.connect();
      const overId = ofLength(limit + 1);
      const user_data = JSON.stringify({ id: overId });
      const answer = await sendSignin(over, { auth: signUser({ key: ctx.target.key, secret: ctx.target.secret, socketId: over.socketId, userData: user_data }), user_data });
      checkRefused(answer, `sign-in as a user id of ${limit + 1} characters`, 'limits.presence-user-id-length');
      await closeAll([at, over]);
    },
  }),

  // mutation survivors reference-server/src/users.ts (the truncation and its 4302): no case looked for the error, nor for its absence at the limit
  defineCase({
    id: 'users/watchlist-over-limit-4302',
    clause: 'watchlist.over-limit-4302',
    level: 'SHOULD',
    features: ['user-auth', 'watchlist'],
    action: 'Signs in with a watchlist of exactly the profile\'s watchlistSize ids, then on another connection with one id more',
    requirement: `The server SHOULD send no ${Event.Error} for the watchlist at the limit, and SHOULD answer the one over it with ${Event.Error} code ${ErrorCode.WatchlistTooLarge}, keeping the connection open`,
    async run(ctx) {
      const limit = limitOrPusher(ctx, 'watchlistSize').value;
      const s = newSetup(ctx);
      const id = ctx.userId('wl');
      const ids = Array.from({ length: limit + 1 }, (_, i) => `${id}-w${i}`);
      const errors = (c: Client) => c.frames().filter((f) => f.event === Event.Error);
      const at = await plain(ctx, s);
      await signIn(at, { id, watchlist: ids.slice(0, limit) }, `sign-in with ${limit} watched ids`);
      await barrier(ctx, s.sync, [at]);
      check(errors(at).length === 0, `no ${Event.Error} for a watchlist of exactly ${limit} ids`, () => JSON.stringify(errors(at)[0]).slice(0, 300));
      const over = await plain(ctx, s);
      await signIn(over, { id, watchlist: ids }, `sign-in with ${ids.length} watched ids`);
      const err = await over.waitFor({ event: Event.Error, within: NOTICE_MS });
      const code = err === undefined ? undefined : (decodeData(err.data) as { code?: unknown } | null)?.code;
      check(code === ErrorCode.WatchlistTooLarge, `${Event.Error} code ${ErrorCode.WatchlistTooLarge} for a watchlist of ${ids.length} ids`, () => (err === undefined ? 'no error frame' : JSON.stringify(err).slice(0, 300)));
      check(over.isOpen, 'the connection stays open after the 4302', () => `closed ${JSON.stringify(over.closeInfo)}`);
      await closeAll([at, over]);
    },
  }),

  // mutation survivors reference-server/src/users.ts (first-connection tracking of sign-ins): no case signed a watched user in twice
  defineCase({
    id: 'users/watchlist-repeat-signin-silent',
    clause: 'watchlist.second-connection-silent',
    level: 'SHOULD',
    features: ['user-auth', 'watchlist'],
    action: 'A watches B; B signs in on a connection, signs in again as B on the same connection, then signs in on a second connection',
    requirement: 'The server SHOULD send A exactly one online event about B (for B\'s first sign-in) and no offline event, since B never went offline',
    timeoutMs: 20_000,
    async run(ctx) {
      const s = newSetup(ctx);
      const [a, b] = [ctx.userId('a'), ctx.userId('b')];
      const ca = await signedIn(ctx, s, a, { watchlist: [b] });
      const cb1 = await signedIn(ctx, s, b);
      await expectWatchlist(ca, WatchlistEventName.Online, b, NOTICE_MS, 'watchlist.online');
      await signIn(cb1, { id: b }, `sign-in again as ${b} on ${cb1.label}`);
      const cb2 = await signedIn(ctx, s, b);
      await barrier(ctx, s.sync, [ca, cb1, cb2]);
      const online = watchlistNotices(ca, WatchlistEventName.Online, b).length;
      const offline = watchlistNotices(ca, WatchlistEventName.Offline, b).length;
      check(online === 1 && offline === 0, `one online and no offline event about ${b} at ${ca.label}`, `${online} online, ${offline} offline`);
      await closeAll([ca, cb1, cb2]);
    },
  }),
]);
