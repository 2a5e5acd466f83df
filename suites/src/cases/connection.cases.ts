/**
 * Connection: the handshake, socket ids, ping/pong, refusals (unknown key, disabled app, bad
 * path, quota) and protocol-version handling.
 * @module
 */
import fc from 'fast-check';
import { ErrorCode, ErrorRange, errorRange } from '../../../spec/src/error-codes.ts';
import { Event, EventPrefix } from '../../../spec/src/events.ts';
import { ConnectionEstablishedData, ConnectionEstablishedFrame, ConnectionEstablishedFrameLenient, ErrorFrame, PongFrame } from '../../../spec/src/frames/connection.ts';
import { ChannelPrefix, SOCKET_ID_PATTERN } from '../../../spec/src/identifiers.ts';
import type { AnyFrame } from '../../../spec/src/frames/generic.ts';
import { parseJson } from '../../../spec/src/codec.ts';
import { APP_PATH_PREFIX, ConnectQuery, MIN_SUPPORTED_PROTOCOL, PROTOCOL_VERSION } from '../../../spec/src/protocol.ts';
import { RestStatus } from '../../../spec/src/rest/endpoints.ts';
import { ChannelResponse } from '../../../spec/src/rest/schemas.ts';
import { ChannelEventFrameLenient } from '../../../spec/src/frames/events.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check, ConformanceFailure } from '../model/outcome.ts';
import type { CaseContext, Client, ErrorSignal } from '../harness/types.ts';
import { publishOk, TEST_EVENT, uniqueToken } from './helpers/first-areas.ts';
import { carriesToken } from './helpers/channel-sync.ts';
import { expectUsable } from './helpers/usable.ts';

/** What pusher-js 8 puts in the query string of its ws transport. */
/** How long a closed connection's channels may stay occupied over REST (before time-scale). */
const RELEASE_MS = 2000;

const PUSHER_JS_QUERY = { [ConnectQuery.Protocol]: String(PROTOCOL_VERSION), [ConnectQuery.Client]: 'js', [ConnectQuery.Version]: '8.6.0', flash: 'false' };

/** The code a refusal carries, whichever way it came. */
const signalCode = (s: ErrorSignal): number | null => (s.via === 'close' ? s.code : (s.code ?? s.thenClosed ?? null));

function describeSignal(s: ErrorSignal): string {
  if (s.via === 'close') return `close ${s.code}${s.reason ? ` "${s.reason}"` : ''}`;
  return `${Event.Error} code ${s.code ?? 'null'}${s.thenClosed === undefined ? ', connection left open' : `, then close ${s.thenClosed}`}`;
}

/** `code` of a pusher:error frame, data as an object or a JSON string */
function errorCode(frame: AnyFrame): number | null {
  let data: unknown = frame.data;
  if (typeof data === 'string') {
    const parsed = parseJson(data);
    data = parsed.ok ? parsed.value : undefined;
  }
  const code = typeof data === 'object' && data !== null ? (data as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : null;
}

/**
 * Open with `opts` and expect a refusal carrying `code`: a close with it, or pusher:error with it
 * (then a close). A handshake fails at once; so does a socket left open without one.
 */
async function expectRefusal(ctx: CaseContext, opts: Parameters<CaseContext['open']>[0], code: number, what: string): Promise<ErrorSignal> {
  const expected = [`${what} refused with ${code} (close code, or ${Event.Error} carrying it), without ${Event.ConnectionEstablished}`];
  const client = await ctx.open(opts);
  if (client.httpRefusal !== undefined) throw new ConformanceFailure(expected, `the WebSocket upgrade was refused with HTTP ${client.httpRefusal.status}: no code reaches the client`);
  const first = await client.waitFor({ where: (f) => f.event === Event.ConnectionEstablished || f.event === Event.Error });
  if (first?.event === Event.ConnectionEstablished) throw new ConformanceFailure(expected, `${Event.ConnectionEstablished} arrived: ${JSON.stringify(first)}`);
  let signal: ErrorSignal;
  if (first !== undefined) {
    const closed = await client.expectClose({ within: 2000 }).catch(() => undefined);
    signal = closed ? { via: 'error-frame', code: errorCode(first), frame: first, thenClosed: closed.code } : { via: 'error-frame', code: errorCode(first), frame: first };
    check(closed !== undefined, expected, `${Event.Error} ${JSON.stringify(first.data)}, then the socket stayed open without a handshake`);
  } else if (client.closeInfo !== undefined) {
    signal = { via: 'close', code: client.closeInfo.code, reason: client.closeInfo.reason };
  } else {
    throw new ConformanceFailure(expected, 'nothing arrived and the connection stayed open');
  }
  check(signalCode(signal) === code, expected, describeSignal(signal));
  return signal;
}

/** A handshake that satisfies the decoded-data schema (either data encoding). */
async function expectValidHandshake(client: Client, what: string): Promise<void> {
  const frame = await client.expectFrame(ConnectionEstablishedFrameLenient, { event: Event.ConnectionEstablished, description: `${Event.ConnectionEstablished} (${what})` });
  check(SOCKET_ID_PATTERN.test(frame.data.socket_id), 'a digits.digits socket_id', frame.data.socket_id);
}

/** pusher:ping → pusher:pong: the connection is alive and usable. */
async function expectPong(client: Client): Promise<void> {
  client.send({ event: Event.Ping, data: {} });
  await client.expectFrame(PongFrame, { event: Event.Pong, description: `${Event.Pong} answering ${Event.Ping}` });
}

export default defineArea('connection', 'Connection', [
  defineCase({
    id: 'connection/established-fields',
    clause: 'connection.established-fields',
    level: 'MUST',
    features: [],
    action: 'Opens a connection to /app/{key} and reads the first frame',
    requirement: `The first frame MUST be ${Event.ConnectionEstablished} whose data decodes to a digits.digits socket_id and a positive activity_timeout`,
    async run(ctx) {
      const client = await ctx.open({});
      const frame = await client.expectFrame(ConnectionEstablishedFrameLenient, { description: `${Event.ConnectionEstablished} as the first frame` });
      const first = client.frames()[0];
      check(first?.event === Event.ConnectionEstablished, `${Event.ConnectionEstablished} as the first frame`, () => JSON.stringify(first));
      return `socket_id ${frame.data.socket_id}, activity_timeout ${frame.data.activity_timeout} s`;
    },
  }),

  defineCase({
    id: 'connection/established-data-json-string',
    clause: 'connection.established-data-string',
    level: 'SHOULD',
    features: [],
    action: `Opens a connection and validates ${Event.ConnectionEstablished} with the strict schema`,
    requirement: `The data of ${Event.ConnectionEstablished} SHOULD be a string holding JSON, not an object`,
    async run(ctx) {
      const client = await ctx.open({});
      await client.expectFrame(ConnectionEstablishedFrame, { event: Event.ConnectionEstablished, description: `${Event.ConnectionEstablished} with data as a JSON string` });
    },
  }),

  defineCase({
    id: 'connection/error-data-object',
    clause: 'errors.error-data-object',
    level: 'SHOULD',
    features: ['private-channels'],
    action: `Provokes every well-formed error the profiles record as answered with ${Event.Error} (a private subscription with a bad signature, an unknown ${EventPrefix.Pusher} event, a client event on a channel the connection does not hold, a connection with an unknown app key) and validates every ${Event.Error} received with the strict schema`,
    requirement: `The data of ${Event.Error} SHOULD be a JSON object {message, code}, not a string holding JSON`,
    async run(ctx) {
      const client = await ctx.connect();
      // well-formed frames only: malformed input belongs to the hostile (robustness) cases
      client.send({ event: Event.Subscribe, data: { channel: ctx.channelName(ChannelPrefix.Private), auth: `${ctx.target.key}:${'0'.repeat(64)}` } });
      client.send({ event: `${EventPrefix.Pusher}conformance_unknown`, data: {} });
      client.trigger(ctx.channelName(ChannelPrefix.Private), `${EventPrefix.Client}not-held`, { probe: 'error-data-object' });
      await client.waitFor({ event: Event.Error, within: 2000 });
      // the sender's frames are handled in order: once the ping is answered, every error is in
      client.send({ event: Event.Ping, data: {} });
      await client.waitFor({ event: Event.Pong, within: 2000 });
      // fatal refusals: servers that signal them with a frame (error-signalling: error-frame-*) send one here
      const stranger = await ctx.open({ key: `${ctx.target.key}-unknown-${uniqueToken('k').replace(/\W/g, '')}` });
      await stranger.waitFor({ event: Event.Error, within: 2000 });
      const errors = [client, stranger].flatMap((c) => c.frames().filter((f) => f.event === Event.Error));
      if (errors.length === 0) {
        ctx.unsupported(`none of the provocations (bad channel signature, unknown ${EventPrefix.Pusher} event, client event on a channel not held, unknown app key) produced a ${Event.Error} frame (profile error-signalling: ${ctx.profile.dialect.errorSignalling}), so its encoding cannot be judged`);
      }
      for (const frame of errors) {
        check(ErrorFrame.safeParse(frame).success, `${Event.Error} with data as an object {message, code}`, () => JSON.stringify(frame));
      }
      return `${errors.length} ${Event.Error} frame(s) judged`;
    },
  }),

  defineCase({
    id: 'connection/activity-timeout-positive',
    clause: 'connection.activity-timeout-positive',
    level: 'MUST',
    features: [],
    action: 'Connects and reads activity_timeout from the handshake',
    requirement: 'activity_timeout MUST be a positive integer number of seconds',
    async run(ctx) {
      const client = await ctx.connect();
      const timeout = client.established?.activity_timeout;
      check(typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0, 'a positive integer activity_timeout (seconds)', () => JSON.stringify(client.frames()[0]));
      // a value in milliseconds makes pusher-js ping every few days
      check(timeout <= 24 * 3600, 'activity_timeout in seconds (at most a day)', `${timeout} (milliseconds?)`);
      return `activity_timeout ${timeout} s`;
    },
  }),

  defineCase({
    id: 'connection/socket-id-format',
    clause: 'connection.socket-id-format',
    level: 'MUST',
    features: [],
    numRuns: 5,
    action: 'Opens several connections and checks each socket_id',
    requirement: 'Every socket_id MUST match ^\\d+\\.\\d+$',
    async run(ctx) {
      await ctx.property(fc.constant(null), async () => {
        const client = await ctx.connect();
        check(SOCKET_ID_PATTERN.test(client.socketId), 'socket_id matching ^\\d+\\.\\d+$', JSON.stringify(client.socketId));
      });
    },
  }),

  defineCase({
    id: 'connection/socket-id-unique',
    clause: 'connection.socket-id-unique',
    level: 'MUST',
    features: [],
    numRuns: 5,
    action: 'Opens N connections at once (N generated) and compares their socket_ids',
    requirement: 'Every live connection MUST get a socket_id no other live connection has, in the digits.digits format',
    async run(ctx) {
      await ctx.property(fc.integer({ min: 2, max: 8 }), async (n) => {
        const clients = await Promise.all(Array.from({ length: n }, () => ctx.connect()));
        const ids = clients.map((c) => c.socketId);
        for (const client of clients) {
          const parsed = ConnectionEstablishedData.safeParse({ socket_id: client.socketId, activity_timeout: client.established?.activity_timeout });
          check(parsed.success, 'a connection_established with a digits.digits socket_id and a positive activity_timeout', () => JSON.stringify(client.established));
        }
        check(new Set(ids).size === ids.length, `${n} distinct socket_ids`, ids.join(', '));
      });
    },
  }),

  defineCase({
    id: 'connection/pusher-ping-answered',
    clause: 'connection.ping-pong',
    level: 'MUST',
    features: [],
    numRuns: 4,
    action: `Sends ${Event.Ping} with each form of empty data (none, {}, "{}") and waits for ${Event.Pong}`,
    requirement: `The server MUST answer every ${Event.Ping} with ${Event.Pong}`,
    async run(ctx) {
      const client = await ctx.connect();
      await ctx.property(fc.constantFrom<[string, Record<string, unknown>]>(['no data', {}], ['data {}', { data: {} }], ['data "{}"', { data: '{}' }]), async ([, extra]) => {
        client.send({ event: Event.Ping, ...extra });
        await client.expectFrame(PongFrame, { event: Event.Pong, description: `${Event.Pong} answering ${Event.Ping}` });
      });
    },
  }),

  defineCase({
    id: 'connection/protocol-ping-answered',
    clause: 'connection.protocol-ping',
    level: 'MUST',
    features: [],
    action: `Sends an RFC 6455 ping control frame, then a ${Event.Ping}`,
    requirement: 'The server MUST answer a WebSocket ping with a pong carrying the same payload, and the connection MUST stay usable',
    async run(ctx) {
      const client = await ctx.connect();
      const ponged = await client.wsPing();
      check(ponged, 'a pong control frame with the ping\'s payload', 'no pong control frame arrived');
      await expectUsable(ctx, client, 'after the WebSocket ping');
    },
  }),

  defineCase({
    id: 'connection/client-pong-accepted',
    clause: 'connection.client-pong-accepted',
    level: 'MUST',
    features: [],
    action: `Sends an unsolicited ${Event.Pong}, then a ${Event.Ping}`,
    requirement: `The server MUST accept ${Event.Pong} from a client without an error or a close, and keep answering pings`,
    async run(ctx) {
      const client = await ctx.connect();
      const from = client.frames().length;
      client.send({ event: Event.Pong, data: {} });
      // barrier, not a window: a server answers one connection's frames in order, so an error
      // for the pong comes before the pong that answers the ping sent after it
      client.send({ event: Event.Ping, data: {} });
      const answered = await client.waitFor({ event: Event.Pong });
      const error = client.frames().slice(from).find((f) => f.event === Event.Error);
      check(error === undefined, `no ${Event.Error} after a client ${Event.Pong}`, () => JSON.stringify(error).slice(0, 300));
      check(client.isOpen, `the connection stays open after a client ${Event.Pong}`, () => `closed ${JSON.stringify(client.closeInfo)}`);
      check(answered !== undefined && PongFrame.safeParse(answered).success, `${Event.Pong} answering the ${Event.Ping} sent after the client ${Event.Pong}`, () => (answered ? JSON.stringify(answered).slice(0, 300) : `nothing; then ${JSON.stringify(client.frames().slice(from)).slice(0, 300)}`));
    },
  }),

  defineCase({
    id: 'connection/unknown-app-key-refused',
    clause: 'connection.unknown-app-key',
    level: 'MUST',
    features: [],
    numRuns: 4,
    action: 'Connects to /app/{key} with generated keys no app has',
    requirement: `The server MUST refuse an unknown app key with code ${ErrorCode.AppNotFound} (close code, or ${Event.Error} ${ErrorCode.AppNotFound} then close) and MUST NOT send ${Event.ConnectionEstablished}`,
    async run(ctx) {
      await ctx.property(fc.stringMatching(/^[a-z0-9]{6,24}$/), async (suffix) => {
        const key = `no-such-app-${suffix}`;
        await expectRefusal(ctx, { key }, ErrorCode.AppNotFound, `unknown key ${key}`);
      });
    },
  }),

  defineCase({
    id: 'connection/disabled-app-refused',
    clause: 'connection.app-disabled',
    level: 'MUST',
    features: ['app-management'],
    action: 'Connects with the key of an app that is disabled on the target',
    requirement: `The server MUST refuse a disabled app with code ${ErrorCode.AppDisabled}`,
    async run(ctx) {
      const disabled = ctx.target.extraApps?.disabled;
      if (!disabled) return ctx.unsupported('the target declares no disabled app (extraApps.disabled)');
      const signal = await expectRefusal(ctx, { key: disabled.key }, ErrorCode.AppDisabled, 'the disabled app');
      return describeSignal(signal);
    },
  }),

  defineCase({
    id: 'connection/bad-path-refused',
    clause: 'connection.path-not-found',
    level: 'SHOULD',
    features: [],
    numRuns: 6,
    action: 'Opens WebSockets on generated paths other than /app/{key}',
    requirement: `The server SHOULD refuse a path other than /app/{key} with close code ${ErrorCode.PathNotFound} or an HTTP 404 upgrade response, never with a handshake`,
    async run(ctx) {
      const segment = fc.stringMatching(/^[a-z0-9]{1,12}$/);
      const path = fc.oneof(
        fc.constant('/'),
        fc.constant(APP_PATH_PREFIX),
        segment.map((s) => `/${s}`),
        fc.constant(`/apps/${encodeURIComponent(ctx.target.key)}`),
        segment.map((s) => `/application/${s}`),
        segment.map((s) => `${APP_PATH_PREFIX}${encodeURIComponent(ctx.target.key)}/${s}`),
      );
      await ctx.property(path, async (p) => {
        const client = await ctx.open({ path: p });
        if (client.httpRefusal !== undefined) {
          check(client.httpRefusal.status === RestStatus.NotFound, `path ${p}: close ${ErrorCode.PathNotFound} or HTTP 404`, `HTTP ${client.httpRefusal.status}`);
          return;
        }
        const first = await client.waitFor({ event: Event.ConnectionEstablished, within: 1000 });
        check(first === undefined, `path ${p}: close ${ErrorCode.PathNotFound} or HTTP 404, no ${Event.ConnectionEstablished}`, () => `a handshake on ${p}: ${JSON.stringify(first)}`);
        const signal = await client.expectErrorOrClose();
        check(signalCode(signal) === ErrorCode.PathNotFound, `path ${p}: close ${ErrorCode.PathNotFound} or HTTP 404`, describeSignal(signal));
      });
    },
  }),

  defineCase({
    id: 'connection/over-quota-refused',
    clause: 'connection.over-quota',
    level: 'MUST',
    features: ['app-management'],
    exclusive: true,
    action: 'Fills an app\'s connection quota, then opens one more connection',
    requirement: `The server MUST refuse a connection over the app's quota with the over-quota code (${ErrorCode.OverConnectionQuota}; the profile may name ${ErrorCode.OverCapacity}) and MUST NOT leave it open without a handshake`,
    async run(ctx) {
      const limited = ctx.target.extraApps?.limitedConnections;
      if (!limited) return ctx.unsupported('the target declares no app with a connection quota (extraApps.limitedConnections)');
      const code = ctx.profile.dialect.overQuotaCode;
      const held: Client[] = [];
      for (let i = 0; i < limited.max; i++) held.push(await ctx.connect({ key: limited.key }));
      const signal = await expectRefusal(ctx, { key: limited.key }, code, `connection ${limited.max + 1} of an app with a quota of ${limited.max}`);
      // the quota frees up when a connection leaves
      await held[0]!.close();
      await ctx.sleep(200);
      const again = await ctx.connect({ key: limited.key });
      check(again.socketId !== '', 'a connection is accepted again once one left', 'refused');
      return describeSignal(signal);
    },
  }),

  defineCase({
    id: 'connection/protocol-7-accepted',
    clause: 'connection.protocol-7-accepted',
    level: 'MUST',
    features: [],
    action: 'Connects with the query string pusher-js 8 sends (protocol=7&client=js&version=8.6.0&flash=false)',
    requirement: `The server MUST accept protocol 7 and answer with a valid ${Event.ConnectionEstablished}`,
    async run(ctx) {
      const client = await ctx.open({ query: PUSHER_JS_QUERY });
      await expectValidHandshake(client, 'protocol=7');
      await expectUsable(ctx, client, 'protocol=7');
    },
  }),

  defineCase({
    id: 'connection/unknown-query-params-ignored',
    clause: 'connection.query-params-tolerated',
    level: 'MUST',
    features: [],
    numRuns: 5,
    action: 'Connects with protocol=7 plus generated client, version and unknown query parameters',
    requirement: 'The server MUST accept client, version and flash, and MUST ignore query parameters it does not know',
    async run(ctx) {
      const known = new Set<string>(Object.values(ConnectQuery));
      const extra = fc
        .dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), fc.stringMatching(/^[A-Za-z0-9._-]{0,16}$/), { maxKeys: 4 })
        .map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => !known.has(k) && k !== '__proto__')));
      const client = fc.stringMatching(/^[a-z]{1,8}(-[a-z]{1,8})?$/);
      const version = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map((v) => v.join('.'));
      await ctx.property(fc.record({ extra, client, version }), async ({ extra, client, version }) => {
        const query = { ...extra, [ConnectQuery.Protocol]: String(PROTOCOL_VERSION), [ConnectQuery.Client]: client, [ConnectQuery.Version]: version, flash: 'false' };
        const c = await ctx.open({ query });
        await expectValidHandshake(c, new URLSearchParams(query).toString());
      });
    },
  }),

  defineCase({
    id: 'connection/protocol-missing',
    clause: `connection.protocol-missing-${ErrorCode.NoProtocolVersion}`,
    level: 'MAY',
    features: [],
    action: 'Connects with no protocol parameter at all',
    requirement: `The server MAY refuse a connection without a protocol version with ${ErrorCode.NoProtocolVersion}; otherwise it MUST answer with a valid ${Event.ConnectionEstablished}`,
    async run(ctx) {
      const client = await ctx.open({ query: { [ConnectQuery.Client]: 'js' } });
      const first = await client.waitFor({ where: (f) => f.event === Event.ConnectionEstablished || f.event === Event.Error });
      if (first === undefined && client.closeInfo?.code === ErrorCode.NoProtocolVersion) {
        ctx.note(`refused with ${ErrorCode.NoProtocolVersion}`);
        return;
      }
      if (first?.event === Event.Error) {
        const signal = await client.expectErrorOrClose({ within: 1000 }).catch(() => undefined);
        ctx.note(`${Event.Error} ${JSON.stringify(first.data)}${signal ? `; ${describeSignal(signal)}` : ''}`);
        check(errorCode(first) === ErrorCode.NoProtocolVersion, `${Event.ConnectionEstablished}, or a refusal with ${ErrorCode.NoProtocolVersion}`, JSON.stringify(first));
        return;
      }
      check(first !== undefined, `${Event.ConnectionEstablished}, or a refusal with ${ErrorCode.NoProtocolVersion}`, () => (client.closeInfo ? `closed with ${client.closeInfo.code}` : 'nothing arrived'));
      const parsed = ConnectionEstablishedFrameLenient.safeParse(first);
      check(parsed.success && SOCKET_ID_PATTERN.test(parsed.data.data.socket_id), `a valid ${Event.ConnectionEstablished} (accepted as the current protocol)`, JSON.stringify(first));
      ctx.note('accepted without a protocol parameter');
    },
  }),

  defineCase({
    id: 'connection/old-protocol-no-dialect-switch',
    clause: 'connection.protocol-no-dialect-switch',
    level: 'SHOULD',
    features: [],
    action: `Connects announcing each protocol version from 1 to ${PROTOCOL_VERSION}`,
    requirement: `For any protocol number the server SHOULD either speak the Pusher protocol (a valid ${Event.ConnectionEstablished}) or refuse with a ${ErrorRange.fatal.min}-${ErrorRange.fatal.max} code (${ErrorCode.UnsupportedProtocol} for retired versions), never switch to another wire format`,
    async run(ctx) {
      const seen: string[] = [];
      for (let version = 1; version <= PROTOCOL_VERSION; version++) {
        const client = await ctx.open({ query: { [ConnectQuery.Protocol]: String(version) } });
        const first = await client.waitFor({ where: () => true });
        if (first?.event === Event.ConnectionEstablished) {
          const parsed = ConnectionEstablishedFrameLenient.safeParse(first);
          check(parsed.success, `protocol=${version}: a valid ${Event.ConnectionEstablished}`, JSON.stringify(first));
          seen.push(`${version}: accepted`);
        } else if (first === undefined || first.event === Event.Error) {
          const closed = client.closeInfo ?? (await client.expectClose({ within: 1000 }).catch(() => undefined));
          const code = first !== undefined ? (errorCode(first) ?? closed?.code ?? null) : (closed?.code ?? null);
          const shown = `${first ? `${Event.Error} ${JSON.stringify(first.data)}; ` : ''}${closed ? `close ${closed.code}` : 'no close'}`;
          check(code !== null && errorRange(code) === 'fatal', `protocol=${version}: a valid handshake or a refusal with a ${ErrorRange.fatal.min}-${ErrorRange.fatal.max} code`, shown);
          check(version < MIN_SUPPORTED_PROTOCOL || code === ErrorCode.UnsupportedProtocol, `protocol=${version} (supported since ${MIN_SUPPORTED_PROTOCOL}): accepted, or refused with ${ErrorCode.UnsupportedProtocol}`, shown);
          seen.push(`${version}: refused ${code}`);
        } else {
          throw new ConformanceFailure([`protocol=${version}: ${Event.ConnectionEstablished} or a refusal`], `first frame ${JSON.stringify(first)} (another wire format?)`);
        }
        await client.close();
      }
      ctx.note(seen.join('; '));
    },
  }),

  defineCase({
    id: 'connection/fatal-error-signalling',
    clause: 'errors.error-frame-before-close',
    level: 'MAY',
    features: [],
    action: 'Connects with an unknown app key and observes how the refusal is signalled',
    requirement: `The server MAY send ${Event.Error} with the code before closing with it; either way the code MUST be ${ErrorCode.AppNotFound}`,
    async run(ctx) {
      const signal = await expectRefusal(ctx, { key: `no-such-app-${ctx.userId('k')}` }, ErrorCode.AppNotFound, 'an unknown key');
      return signal.via === 'close' ? `close code only (${describeSignal(signal)})` : `${Event.Error} before the close (${describeSignal(signal)})`;
    },
  }),
  defineCase({
    id: 'connection/established-before-any-answer',
    clause: 'connection.established-first',
    level: 'MUST',
    features: [],
    action: `Sends ${Event.Ping} the moment the WebSocket upgrade completes, before any frame has arrived`,
    requirement: `The server MUST send ${Event.ConnectionEstablished} before any other frame, the ${Event.Pong} included`,
    async run(ctx) {
      const c = await ctx.open({});
      c.send({ event: Event.Ping, data: {} });
      await c.waitFor({ event: Event.ConnectionEstablished, within: 2000 });
      await c.waitFor({ event: Event.Pong, within: 1000 });
      const events = c.frames().map((f) => f.event);
      check(events[0] === Event.ConnectionEstablished, `${Event.ConnectionEstablished} as the first frame`, `frames in order: ${JSON.stringify(events)}`);
    },
  }),

  defineCase({
    id: 'connection/recoverable-error-keeps-connection',
    clause: 'errors.recoverable-keeps-connection',
    level: 'MUST',
    features: ['private-channels'],
    // sends a frame whose event is not a string: malformed input runs last, alone, liveness-checked
    hostile: true,
    action: 'Holds a public channel; sends a frame whose event is not a string, then subscribes to a private- channel with a wrong signature, pinging after each',
    requirement: 'After a pusher:error about a single message the server MUST keep the connection open: pings answered, events on held channels delivered',
    async run(ctx) {
      const c = await ctx.connect();
      const held = ctx.channelName('');
      await c.subscribeOk(held);
      c.send({ event: 42, data: {} });
      await expectPong(c);
      const priv = ctx.channelName(ChannelPrefix.Private);
      const refused = await c.subscribe(priv, { auth: ctx.sign.channel(c.socketId, ctx.channelName(ChannelPrefix.Private)) });
      check(!refused.ok, `the subscription to ${priv} with another channel's signature is refused`, JSON.stringify(refused).slice(0, 300));
      check(c.isOpen, 'the connection open after the refusal', () => `closed ${c.closeInfo?.code ?? '?'} ${c.closeInfo?.reason ?? ''}`);
      await expectPong(c);
      const token = uniqueToken('kept');
      await publishOk(ctx, { name: TEST_EVENT, channel: held, data: token });
      await c.expectFrame(ChannelEventFrameLenient, { event: TEST_EVENT, channel: held, where: (f) => carriesToken(f.data, token), description: `the event on ${held}, still held` });
    },
  }),

  defineCase({
    id: 'connection/close-releases-channels',
    clause: 'connection.close-releases-state',
    level: 'MUST',
    features: [],
    action: 'Subscribes one connection to two public channels, closes it with a close frame, then asks REST about each channel',
    requirement: 'The server MUST remove a closed connection from every channel it held: both report occupied false',
    async run(ctx) {
      const c = await ctx.connect();
      const channels = [ctx.channelName(''), ctx.channelName('')];
      for (const channel of channels) await c.subscribeOk(channel);
      await c.close();
      const deadline = Date.now() + ctx.ms(RELEASE_MS);
      let occupied = [...channels];
      while (occupied.length > 0) {
        const still: string[] = [];
        for (const name of occupied) {
          const res = await ctx.rest.channel(name);
          const parsed = ChannelResponse.safeParse(res.json);
          check(res.status === RestStatus.Ok && parsed.success, `GET /channels/${name} answered 200 with {occupied}`, () => `HTTP ${res.status} ${res.text.slice(0, 200)}`);
          if (parsed.data.occupied) still.push(name);
        }
        occupied = still;
        if (occupied.length === 0 || Date.now() > deadline) break;
        await ctx.sleep(50);
      }
      check(occupied.length === 0, `every channel unoccupied within ${ctx.ms(RELEASE_MS)} ms of the close`, `still occupied: ${occupied.join(', ')}`);
    },
  }),
]);
