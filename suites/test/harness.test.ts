import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { Event } from '../../spec/src/events.ts';
import { PongFrame } from '../../spec/src/frames/connection.ts';
import { verifyRestRequest } from '../../spec/src/crypto/rest-signing.ts';
import { Report } from '../../spec/src/report.ts';
import { startReferenceServer, type RunningServer } from '../../reference-server/src/index.ts';
import { defineArea, defineCase, type AreaDef } from '../src/model/case.ts';
import { ConformanceFailure, HarnessError, Unsupported } from '../src/model/outcome.ts';
import { HarnessClient, type ClientDeps } from '../src/harness/client.ts';
import { HarnessRest } from '../src/harness/rest.ts';
import { Transcript } from '../src/harness/transcript.ts';
import { CaseWebhooks, WebhookReceiver } from '../src/harness/webhooks.ts';
import { caseChannelToken, createCaseScope } from '../src/harness/context.ts';
import { runDoctor } from '../src/runner/doctor.ts';
import { globToRegExp, selectCase } from '../src/runner/select.ts';
import { buildTarget } from '../src/runner/target.ts';
import { applyBaseline, exitCodeFor, judge } from '../src/runner/verdict.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A tiny raw WebSocket server: `onConnection` scripts what it sends. */
async function rawServer(onConnection: (ws: WebSocket, req: IncomingMessage) => void): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', onConnection);
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; port: number; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, server };
}

function deps(url: string, transcript = new Transcript()): ClientDeps {
  return { label: 'c1', url, key: 'k', secret: 's', transcript, timeScale: 1, newUserId: () => 'u1' };
}

async function open(url: string, transcript?: Transcript): Promise<HarnessClient> {
  const c = await HarnessClient.open(deps(url, transcript));
  cleanups.push(() => c.terminate());
  return c;
}

const established = JSON.stringify({ event: Event.ConnectionEstablished, data: JSON.stringify({ socket_id: '1.2', activity_timeout: 120 }) });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('client', () => {
  it('expectFrame consumes the matching frame and validates it', async () => {
    const url = await rawServer((ws) => {
      ws.send(established);
      ws.send(JSON.stringify({ event: 'a', channel: 'x', data: '1' }));
      ws.send(JSON.stringify({ event: 'a', channel: 'y', data: '2' }));
    });
    const c = await open(url);
    const f = await c.expectFrame(z.looseObject({ event: z.literal('a'), data: z.string() }), { event: 'a', channel: 'y' });
    expect(f.data).toBe('2');
    // the first 'a' is still there; the one on y is consumed
    const again = await c.waitFor({ event: 'a', within: 200 });
    expect(again?.channel).toBe('x');
    expect(await c.waitFor({ event: 'a', within: 100 })).toBeUndefined();
  });

  it('expectFrame fails within its bound, showing expected and the frames that arrived', async () => {
    const url = await rawServer((ws) => {
      ws.send(established);
      ws.send(JSON.stringify({ event: 'other', data: 'x' }));
    });
    const c = await open(url);
    const t0 = Date.now();
    const e = await rejection(c.expectFrame(PongFrame, { event: Event.Pong, within: 250 }));
    const took = Date.now() - t0;
    expect(ConformanceFailure.is(e)).toBe(true);
    const f = e as ConformanceFailure;
    expect(f.expected[0]).toContain(`${Event.Pong} within 250 ms`);
    expect(f.actual).toContain('"event":"other"');
    expect(took).toBeGreaterThanOrEqual(240);
    expect(took).toBeLessThan(1500);
  });

  it('scales bounds by the time scale', async () => {
    const url = await rawServer((ws) => ws.send(established));
    const c = await HarnessClient.open({ ...deps(url), timeScale: 2 });
    cleanups.push(() => c.terminate());
    const t0 = Date.now();
    await rejection(c.expectFrame(PongFrame, { event: Event.Pong, within: 150 }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('expectFrame names the schema and the issue when a matching frame is invalid', async () => {
    const url = await rawServer((ws) => ws.send(JSON.stringify({ event: Event.Pong, data: 42 })));
    const c = await open(url);
    const e = (await rejection(c.expectFrame(PongFrame, { event: Event.Pong }))) as ConformanceFailure;
    expect(ConformanceFailure.is(e)).toBe(true);
    expect(e.expected[0]).toContain('PongFrame');
    expect(e.actual).toContain('"data":42');
  });

  it('expectFrame fails at once when the connection closes', async () => {
    const url = await rawServer((ws) => setTimeout(() => ws.close(4200, 'bye'), 50));
    const c = await open(url);
    const t0 = Date.now();
    const e = (await rejection(c.expectFrame(PongFrame, { event: Event.Pong, within: 5000 }))) as ConformanceFailure;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(e.actual).toContain('closed with 4200');
  });

  it('expectNoFrame passes on silence and fails on a matching frame', async () => {
    const url = await rawServer((ws) => {
      ws.send(established);
      ws.on('message', () => ws.send(JSON.stringify({ event: 'echo', data: 'x' })));
    });
    const c = await open(url);
    await c.expectNoFrame({ event: 'echo', within: 150 });
    c.send({ event: 'ping-me' });
    const e = (await rejection(c.expectNoFrame({ event: 'echo', within: 1000 }))) as ConformanceFailure;
    expect(ConformanceFailure.is(e)).toBe(true);
    expect(e.expected[0]).toContain('no echo within 1000 ms');
    expect(e.actual).toContain('"event":"echo"');
  });

  it('records unparsable and binary messages in the transcript, outside frames()', async () => {
    const url = await rawServer((ws) => {
      ws.send('not json');
      ws.send(JSON.stringify({ no: 'event' }));
      ws.send(Buffer.from('{"event":"bin"}'), { binary: true });
      ws.send(established);
    });
    const t = new Transcript();
    const c = await open(url, t);
    await c.expectFrame(z.any(), { event: Event.ConnectionEstablished });
    expect(c.frames().map((f) => f.event)).toEqual([Event.ConnectionEstablished]);
    expect(c.inbound().filter((i) => i.error).map((i) => i.binary)).toEqual([false, false, true]);
    const texts = t.entries().map((e) => e.text);
    expect(texts.some((x) => x.startsWith('(unparsable: not JSON)'))).toBe(true);
    expect(texts.some((x) => x.startsWith('(unparsable: not a Pusher frame)'))).toBe(true);
    expect(texts.some((x) => x.startsWith('(binary frame'))).toBe(true);
  });

  it('expectErrorOrClose reports a close code', async () => {
    const url = await rawServer((ws) => ws.close(ErrorCode.AppNotFound, 'nope'));
    const c = await open(url);
    expect(await c.expectErrorOrClose()).toEqual({ via: 'close', code: ErrorCode.AppNotFound, reason: 'nope' });
  });

  it('expectErrorOrClose reports a pusher:error with its code and the close that followed', async () => {
    const url = await rawServer((ws) => {
      ws.send(JSON.stringify({ event: Event.Error, data: { code: ErrorCode.AppNotFound, message: 'x' } }));
      setTimeout(() => ws.close(ErrorCode.AppNotFound), 30);
    });
    const c = await open(url);
    const s = await c.expectErrorOrClose();
    expect(s.via).toBe('error-frame');
    expect(s.code).toBe(ErrorCode.AppNotFound);
    expect(s.via === 'error-frame' && s.thenClosed).toBe(ErrorCode.AppNotFound);
  });

  it('expectErrorOrClose fails when nothing happens', async () => {
    const url = await rawServer((ws) => ws.send(established));
    const c = await open(url);
    const e = (await rejection(c.expectErrorOrClose({ within: 200 }))) as ConformanceFailure;
    expect(e.actual).toContain('still open');
  });

  it('connect() is a HarnessError with the precise reason on refusal, closed port and HTTP answer', async () => {
    const refused = await rawServer((ws) => ws.close(ErrorCode.AppNotFound, 'unknown'));
    const e1 = (await rejection(HarnessClient.connect(deps(refused)))) as HarnessError;
    expect(HarnessError.is(e1)).toBe(true);
    expect(e1.message).toMatch(/^could not connect: .*4001.*unknown app key/);

    const { port, server } = await httpServer((_, res) => res.end());
    await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
    const e2 = (await rejection(HarnessClient.connect(deps(`ws://127.0.0.1:${port}/app/k`)))) as HarnessError;
    expect(e2.message).toMatch(/could not connect .*connection refused/);

    const html = await httpServer((_, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>nginx</body></html>'));
    const e3 = (await rejection(HarnessClient.connect(deps(`ws://127.0.0.1:${html.port}/app/k`)))) as HarnessError;
    expect(e3.message).toMatch(/HTTP 404 with an HTML page/);

    const silent = await rawServer(() => {});
    const e4 = (await rejection(HarnessClient.connect(deps(silent), 200))) as HarnessError;
    expect(e4.message).toMatch(/no pusher:connection_established within 200 ms/);
  });

  it('subscribe signs private channels and reports each way a refusal arrives', async () => {
    const seen: unknown[] = [];
    const url = await rawServer((ws) => {
      ws.send(established);
      ws.on('message', (d) => {
        const f = JSON.parse(String(d)) as { data: { channel: string; auth: string } };
        seen.push(f.data);
        if (f.data.channel === 'private-ok') ws.send(JSON.stringify({ event: Event.SubscriptionSucceeded, channel: 'private-ok', data: '{}' }));
        if (f.data.channel === 'private-no') ws.send(JSON.stringify({ event: Event.Error, channel: 'private-no', data: { code: ErrorCode.Unauthorized, message: 'x' } }));
      });
    });
    const c = await HarnessClient.connect(deps(url));
    cleanups.push(() => c.terminate());
    expect((await c.subscribe('private-ok')).ok).toBe(true);
    expect(await c.subscribe('private-no')).toMatchObject({ ok: false, via: 'error-frame', code: ErrorCode.Unauthorized });
    expect(await c.subscribe('public', { within: 100 })).toEqual({ ok: false, via: 'timeout' });
    expect(seen[0]).toMatchObject({ channel: 'private-ok', auth: expect.stringMatching(/^k:[0-9a-f]{64}$/) });
    expect(seen[2]).toEqual({ channel: 'public', auth: '' });
    expect(await c.wsPing()).toBe(true);
  });
});

describe('rest', () => {
  it('signs requests the spec verifier accepts, and applies SignOptions', async () => {
    const got: { method: string; url: string; body: string }[] = [];
    const srv = await httpServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ method: req.method!, url: req.url!, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const t = new Transcript();
    const rest = new HarnessRest({ http: srv.url, app: '42', key: 'key', secret: 'secret', transcript: t, timeScale: 1 });
    const verify = (i: number) => {
      const u = new URL(got[i]!.url, srv.url);
      return verifyRestRequest({ method: got[i]!.method, path: u.pathname, query: u.searchParams, body: got[i]!.body, lookupSecret: (k) => (k === 'key' ? 'secret' : undefined), now: Math.floor(Date.now() / 1000), windowSeconds: 600 });
    };
    const r = await rest.trigger({ name: 'e', channel: 'c', data: 'd' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    expect(new URL(got[0]!.url, srv.url).pathname).toBe('/apps/42/events');
    expect(verify(0).ok).toBe(true);

    await rest.channels({ info: 'user_count' });
    expect(verify(1).ok).toBe(true);
    await rest.trigger({ name: 'e' }, { override: { body_md5: '0'.repeat(32) } });
    expect(verify(2)).toMatchObject({ ok: false, reason: 'body-md5-mismatch' });
    await rest.channels(undefined, { omit: ['auth_signature'] });
    expect(verify(3)).toMatchObject({ ok: false, reason: 'missing-param' });
    await rest.channels(undefined, { signature: 'f'.repeat(64) });
    expect(verify(4)).toMatchObject({ ok: false, reason: 'bad-signature' });
    await rest.channels(undefined, { timestamp: 1000 });
    expect(verify(5)).toMatchObject({ ok: false, reason: 'stale-timestamp' });
    await rest.channels(undefined, { unsigned: true });
    expect(new URL(got[6]!.url, srv.url).search).toBe('');
    expect(rest.path('channels', 'presence-x')).toBe('/apps/42/channels/presence-x');
    expect(t.entries().filter((e) => e.kind === 'http-out')).toHaveLength(7);
    expect(t.entries().filter((e) => e.kind === 'http-in')[0]!.text).toBe('200 {}');
  });

  it('turns an unreachable REST URL into a HarnessError', async () => {
    const { port, server } = await httpServer((_, res) => res.end());
    await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
    const rest = new HarnessRest({ http: `http://127.0.0.1:${port}`, app: '1', key: 'k', secret: 's', timeScale: 1 });
    const e = (await rejection(rest.channels())) as HarnessError;
    expect(HarnessError.is(e)).toBe(true);
    expect(e.message).toContain('connection refused');
  });
});

describe('webhook receiver', () => {
  it('routes each event to the case whose token its channel carries, answering 200', async () => {
    const receiver = await WebhookReceiver.start();
    cleanups.push(() => receiver.close());
    const t1 = new Transcript();
    const t2 = new Transcript();
    const a = new CaseWebhooks(receiver, caseChannelToken('r1', '1'), { transcript: t1, timeScale: 1 });
    const b = new CaseWebhooks(receiver, caseChannelToken('r1', '11'), { transcript: t2, timeScale: 1 });
    const body = JSON.stringify({
      time_ms: Date.now(),
      events: [
        { name: 'channel_occupied', channel: `${caseChannelToken('r1', '1')}1` },
        { name: 'channel_occupied', channel: `private-${caseChannelToken('r1', '11')}2` },
        { name: 'channel_vacated', channel: 'unrelated' },
      ],
    });
    const res = await fetch(receiver.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-pusher-key': 'k' } });
    expect(res.status).toBe(200);
    const got = await a.expect((e) => e.name === 'channel_occupied', { within: 1000 });
    expect(got.raw).toBe(body);
    expect(got.headers['x-pusher-key']).toBe('k');
    expect(a.received()).toHaveLength(1);
    expect(b.received().map((r) => r.event.channel)).toEqual([`private-${caseChannelToken('r1', '11')}2`]);
    await a.expectNone((e) => e.name === 'channel_vacated', { within: 100 });
    const e = (await rejection(b.expect((e) => e.name === 'member_added', { within: 100, description: 'member_added' }))) as ConformanceFailure;
    expect(e.expected[0]).toContain('member_added');
    expect(e.actual).toContain('channel_occupied');
    expect(receiver.all()).toHaveLength(1);
    expect(t1.entries().some((x) => x.kind === 'webhook')).toBe(true);
    a.dispose();
    b.dispose();
  });
});

describe('verdicts', () => {
  const must = { level: 'MUST' as const, requirement: 'MUST x' };
  const should = { level: 'SHOULD' as const, requirement: 'SHOULD x' };
  const may = { level: 'MAY' as const, requirement: 'MAY x' };
  const failure = new ConformanceFailure(['a'], 'b');

  it('maps outcomes to verdicts by level', () => {
    expect(judge(must, { kind: 'threw', error: failure }).verdict).toBe('fail');
    expect(judge(should, { kind: 'threw', error: failure }).verdict).toBe('warn');
    expect(judge(may, { kind: 'threw', error: failure }).verdict).toBe('info');
    expect(judge(must, { kind: 'threw', error: failure })).toMatchObject({ expected: ['a'], actual: 'b' });
    expect(judge(must, { kind: 'threw', error: new Unsupported('no presence') })).toMatchObject({ verdict: 'unsupported', message: 'no presence' });
    expect(judge(must, { kind: 'threw', error: new HarnessError('could not connect: x') })).toMatchObject({ verdict: 'error', message: 'could not connect: x' });
    expect(judge(must, { kind: 'threw', error: new TypeError('boom') })).toMatchObject({ verdict: 'error', message: 'TypeError: boom' });
    expect(judge(must, { kind: 'timeout', ms: 10 }).verdict).toBe('error');
    expect(judge(must, { kind: 'returned', value: 'seen' })).toMatchObject({ verdict: 'pass', actual: 'seen' });
    expect(judge(should, { kind: 'returned', value: undefined }).verdict).toBe('pass');
    expect(judge(may, { kind: 'returned', value: 'seen' })).toMatchObject({ verdict: 'info', actual: 'seen' });
    expect(judge(may, { kind: 'returned', value: undefined }).verdict).toBe('pass');
  });

  it('applies a baseline: known failures are xfail, their passes xpass', () => {
    expect(applyBaseline('fail', 'fail')).toBe('xfail');
    expect(applyBaseline('warn', 'warn')).toBe('xfail');
    expect(applyBaseline('pass', 'fail')).toBe('xpass');
    expect(applyBaseline('fail', 'pass')).toBe('fail');
    expect(applyBaseline('fail', undefined)).toBe('fail');
    expect(applyBaseline('error', 'fail')).toBe('error');
  });

  it('computes exit codes', () => {
    const o = { strict: false, complete: true, doctorBlocked: false };
    expect(exitCodeFor(['pass', 'info', 'unsupported', 'skipped', 'xfail'], o)).toBe(0);
    expect(exitCodeFor(['pass', 'warn'], o)).toBe(0);
    expect(exitCodeFor(['pass', 'warn'], { ...o, strict: true })).toBe(1);
    expect(exitCodeFor(['fail'], o)).toBe(1);
    expect(exitCodeFor(['xpass'], o)).toBe(1);
    expect(exitCodeFor(['fail', 'error'], o)).toBe(2);
    expect(exitCodeFor(['pass'], { ...o, complete: false })).toBe(3);
    expect(exitCodeFor(['error'], { ...o, complete: false, doctorBlocked: true })).toBe(2);
  });
});

describe('selection', () => {
  const c = (id: string, level: 'MUST' | 'SHOULD' | 'MAY' = 'MUST', features: ('presence' | 'webhooks')[] = []) =>
    defineCase({ id, clause: 'connection.ping-pong', level, features, action: 'a', requirement: 'r', run: async () => {} });

  it('matches globs over case ids', () => {
    expect(globToRegExp('presence/*').test('presence/member-added')).toBe(true);
    expect(globToRegExp('presence/*').test('presence/a/b')).toBe(false);
    expect(globToRegExp('rest/**').test('rest/a/b')).toBe(true);
    expect(globToRegExp('presence').test('presence/x')).toBe(true);
    expect(globToRegExp('*/socket-id-?ormat').test('connection/socket-id-format')).toBe(true);
    expect(globToRegExp('connection/x.y').test('connection/xzy')).toBe(false);
  });

  it('skips by selection and level, and marks missing features unsupported', () => {
    const opts = { only: [], exclude: [], level: 'should' as const, features: new Set<never>() };
    expect(selectCase(c('a/x'), opts)).toEqual({ run: true });
    expect(selectCase(c('a/x', 'MAY'), opts)).toMatchObject({ run: false, verdict: 'skipped' });
    expect(selectCase(c('a/x', 'SHOULD'), { ...opts, level: 'must' })).toMatchObject({ run: false, verdict: 'skipped' });
    expect(selectCase(c('a/x', 'MAY'), { ...opts, level: 'may' })).toEqual({ run: true });
    expect(selectCase(c('a/x'), { ...opts, only: ['b/*'] })).toMatchObject({ verdict: 'skipped' });
    expect(selectCase(c('a/x'), { ...opts, exclude: ['a/**'] })).toMatchObject({ verdict: 'skipped' });
    expect(selectCase(c('a/x', 'MUST', ['presence', 'webhooks']), opts)).toMatchObject({ verdict: 'unsupported', message: expect.stringContaining('presence, webhooks') });
  });
});

describe('case context', () => {
  it('hands out short unique channel names with the case token, padded on request', () => {
    const built = buildTarget({ input: { ws: 'ws://127.0.0.1:1', http: 'http://127.0.0.1:1', appId: '1', key: 'k', secret: 's' }, embedded: false, profile: 'pusher' });
    const caseDef = defineCase({ id: 'x/y', clause: 'connection.ping-pong', level: 'MUST', features: [], action: 'a', requirement: 'r', run: async () => {} });
    const scope = createCaseScope({ target: built.target, limits: built.limits, restApp: built.restApp, caseDef, seed: 1, timeScale: 1, runToken: 'ab12', caseToken: '7', suiteVersion: '0' });
    const a = scope.ctx.channelName('presence-');
    const b = scope.ctx.channelName('presence-');
    expect(a).not.toBe(b);
    expect(a).toContain(caseChannelToken('ab12', '7'));
    expect(a.length).toBeLessThan(40);
    expect(scope.ctx.channelName('', { length: 164 })).toHaveLength(164);
    expect(scope.ctx.userId('a b')).toMatch(/^a_b-/);
    expect(scope.ctx.ms(100)).toBe(100);
  });

  it('reports a failing property with seed, path and the shrunk counterexample', async () => {
    const areas: AreaDef[] = [
      defineArea('p', 'P', [
        defineCase({
          id: 'p/prop',
          clause: 'connection.ping-pong',
          level: 'MUST',
          features: [],
          numRuns: 50,
          action: 'a',
          requirement: 'r',
          run: (ctx) =>
            ctx.property(fc.integer({ min: 0, max: 1000 }), async (n) => {
              if (n >= 10) throw new ConformanceFailure(['n < 10'], `n = ${n}`);
            }),
        }),
      ]),
    ];
    const report = await runConformance({ ...baseOptions, areas });
    const r = report.cases[0]!;
    expect(r.verdict).toBe('fail');
    expect(r.property).toMatchObject({ seed: 7, numRuns: 50, counterexample: '[10]' });
    expect(r.property?.path).toBeTruthy();
    expect(r.reproduce).toBe(`npx pusher-conformance run --only 'p/prop' --seed 7 --path ${r.property!.path}`);
  });
});

const baseOptions: RunOptions = { profile: 'pusher', only: [], exclude: [], level: 'may', strict: false, seed: 7, timeScale: 1, concurrency: 4, handleSigint: false };

describe('runner', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pc-runner-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const mk = (id: string, level: 'MUST' | 'SHOULD' | 'MAY', run: () => Promise<void | string>, extra: { timeoutMs?: number; exclusive?: boolean; features?: 'presence'[] } = {}) =>
    defineCase({ id, clause: 'connection.ping-pong', level, features: extra.features ?? [], action: 'a', requirement: `${level} r`, run, ...extra });

  it('produces a valid report with verdicts, summary, baseline xfail/xpass and exit codes', async () => {
    const areas: AreaDef[] = [
      defineArea('t', 'T', [
        mk('t/pass', 'MUST', async () => {}),
        mk('t/fail', 'MUST', async () => {
          throw new ConformanceFailure(['x'], 'y');
        }),
        mk('t/warn', 'SHOULD', async () => {
          throw new ConformanceFailure(['x'], 'y');
        }),
        mk('t/info', 'MAY', async () => 'observed'),
        mk('t/fixed', 'MUST', async () => {}),
        mk('t/exclusive', 'MUST', async () => {}, { exclusive: true }),
        mk('t/unsupported', 'MUST', async () => {}, { features: ['presence'] }),
      ]),
    ];
    const baseline = join(dir, 'baseline.json');
    await writeFile(baseline, JSON.stringify({ schema: 'pusher-conformance/baseline@1', target: 'reference', cases: { 't/fail': 'fail', 't/fixed': 'fail' } }));
    const report = await runConformance({ ...baseOptions, areas, features: ['private-channels'], baseline });
    expect(Report.safeParse(report).success).toBe(true);
    const v = Object.fromEntries(report.cases.map((c) => [c.id, c.verdict]));
    expect(v).toEqual({ 't/pass': 'pass', 't/fail': 'xfail', 't/warn': 'warn', 't/info': 'info', 't/fixed': 'xpass', 't/exclusive': 'pass', 't/unsupported': 'unsupported' });
    expect(report.exitCode).toBe(1); // the xpass
    expect(report.summary).toMatchObject({ total: 7, selected: 7, executed: 6 });
    expect(report.summary.byVerdict.xfail).toBe(1);
    expect(report.target.embedded).toBe(true);
    expect(JSON.stringify(report)).not.toContain('app-secret');
    // a baseline without recorded versions is only warned about (a check that blocks nothing)
    expect(report.doctor.filter((d) => !d.ok).map((d) => [d.check, d.blocks ?? []])).toEqual([['replay-versions', []]]);

    await runConformance({ ...baseOptions, areas, features: ['private-channels'], baseline, updateBaseline: true, only: ['t/pass', 't/fail'] });
    const written = JSON.parse(await readFile(baseline, 'utf8')) as { cases: Record<string, string> };
    expect(written.cases).toEqual({ 't/fail': 'fail', 't/pass': 'pass' });
  });

  it('turns harness errors and time-outs into error (exit 2), and an empty selection into exit 2 (a usage error)', async () => {
    const areas: AreaDef[] = [
      defineArea('t', 'T', [
        mk('t/harness', 'MUST', async () => {
          throw new HarnessError('could not connect: x');
        }),
        mk('t/slow', 'MUST', () => new Promise(() => {}), { timeoutMs: 100 }),
      ]),
    ];
    const report = await runConformance({ ...baseOptions, areas });
    expect(report.cases.map((c) => c.verdict)).toEqual(['error', 'error']);
    expect(report.cases[1]!.message).toContain('did not finish within 100 ms');
    expect(report.exitCode).toBe(2);
    const none = await runConformance({ ...baseOptions, areas, only: ['nothing/*'] });
    expect(none).toMatchObject({ complete: false, exitCode: 2 });
  });

  it('writes an incomplete report (exit 3) when interrupted', async () => {
    const ac = new AbortController();
    const areas: AreaDef[] = [
      defineArea('t', 'T', [
        mk('t/interrupting', 'MUST', async () => {
          ac.abort();
        }),
        mk('t/never', 'MUST', async () => {}),
      ]),
    ];
    const report = await runConformance({ ...baseOptions, concurrency: 1, areas, signal: ac.signal });
    expect(report.cases.map((c) => c.verdict)).toEqual(['pass', 'skipped']);
    expect(report).toMatchObject({ complete: false, exitCode: 3, incompleteReason: expect.stringContaining('interrupted') });
  });

  it('marks the rest of the run error when the target stops answering', async () => {
    // the first case brings the target down (here: by stopping it)
    const server = await startReferenceServer({ port: 0 });
    cleanups.push(() => server.close());
    const killerAreas: AreaDef[] = [
      defineArea('t', 'T', [
        mk('t/killer', 'MUST', async () => {
          await server.close();
          throw new ConformanceFailure(['x'], 'y');
        }),
        mk('t/after', 'MUST', async () => {}),
      ]),
    ];
    const report = await runConformance({
      ...baseOptions,
      concurrency: 1,
      areas: killerAreas,
      target: { ws: server.wsUrl, http: server.httpUrl, appId: 'app-id', key: 'app-key', secret: 'app-secret' },
      features: ['private-channels'],
    });
    expect(report.cases.map((c) => c.verdict)).toEqual(['fail', 'error']);
    expect(report.cases[1]!.message).toContain('target stopped answering after case t/killer');
    expect(report).toMatchObject({ complete: false, exitCode: 3 });
    expect(report.cases[0]!.reproduce).toContain(`--ws ${server.wsUrl} --http ${server.httpUrl} --app-id app-id --key app-key --secret "$PUSHER_SECRET" --profile pusher --features private-channels --only 't/killer' --seed 7`);
  });
});

describe('doctor', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  const target = (over: Partial<{ ws: string; http: string; key: string; secret: string }>) =>
    buildTarget({ input: { ws: server.wsUrl, http: server.httpUrl, appId: 'app-id', key: 'app-key', secret: 'app-secret', ...over }, embedded: false, profile: 'pusher', features: ['private-channels'] });

  const doctor = (t: ReturnType<typeof target>) => runDoctor({ target: t.target, restApp: t.restApp, timeScale: 1 });

  it('passes against a correctly configured server', async () => {
    const checks = await doctor(target({}));
    expect(checks.map((c) => [c.check, c.ok])).toEqual([
      ['tcp', true],
      ['websocket', true],
      ['app-key', true],
      ['rest', true],
      ['rest-signature', true],
      ['rest-publish', true],
      ['clock', true],
    ]);
  });

  it('says when nothing listens on the port', async () => {
    const { port, server: s } = await httpServer((_, res) => res.end());
    await new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));
    const checks = await doctor(target({ ws: `ws://127.0.0.1:${port}` }));
    expect(checks.at(-1)).toMatchObject({ check: 'tcp', ok: false, blocks: ['*'], message: expect.stringContaining('connection refused') });
  });

  it('says when a plain web server answers with HTML', async () => {
    const html = await httpServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>hello</body></html>'));
    const checks = await doctor(target({ ws: `ws://127.0.0.1:${html.port}` }));
    expect(checks.at(-1)).toMatchObject({ check: 'websocket', ok: false, message: expect.stringMatching(/HTTP 200 and an HTML page/) });
  });

  it('says when the key is unknown', async () => {
    const checks = await doctor(target({ key: 'wrong-key' }));
    expect(checks.at(-1)).toMatchObject({ check: 'app-key', ok: false, message: expect.stringContaining('unknown app key "wrong-key"') });
  });

  it('says when the secret does not sign', async () => {
    const checks = await doctor(target({ secret: 'wrong-secret' }));
    expect(checks.at(-1)).toMatchObject({ check: 'rest', ok: false, message: expect.stringContaining('401: the secret does not sign') });
  });

  it('makes every case error with the doctor\'s explanation when it blocks everything', async () => {
    const areas: AreaDef[] = [defineArea('t', 'T', [defineCase({ id: 't/x', clause: 'connection.ping-pong', level: 'MUST', features: [], action: 'a', requirement: 'r', run: async () => {} })])];
    const report = await runConformance({ ...baseOptions, areas, target: { ws: server.wsUrl, http: server.httpUrl, appId: 'app-id', key: 'app-key', secret: 'nope' }, features: [] });
    expect(report.cases[0]).toMatchObject({ verdict: 'error', message: expect.stringContaining('the secret does not sign') });
    expect(report.exitCode).toBe(2);
  });
});
