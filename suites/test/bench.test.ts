import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchResult } from '../../spec/src/bench.ts';
import { startReferenceServer, type RunningServer } from '../../reference-server/src/server.ts';
import { runBench, type BenchOptions } from '../src/bench/engine.ts';
import { benchFigures, renderBenchComparison } from '../src/bench/markdown.ts';
import { checkBenchTarget, isLoopbackUrl, type BenchTarget } from '../src/bench/target.ts';
import { Publisher } from '../src/bench/rest.ts';
import { connect, connectUrl } from '../src/bench/socket.ts';
import { Event } from '../../spec/src/events.ts';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { SLOW_CONSUMER_UNSENT_BYTES } from '../../spec/src/limits.ts';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/io.ts';

const APP = { id: 'bench-app', key: 'bench-key', secret: 'bench-secret' };
const tiny: BenchOptions['bounds'] = {
  maxSeconds: 20,
  idleConnections: 150,
  subscriberCounts: [20],
  rateSteps: [20, 40],
  stepSeconds: 0.5,
  latencyCeilingMs: 1000,
  latencySamples: 5,
  presenceMembers: 30,
  clientEventSamples: 20,
};

async function start(): Promise<{ server: RunningServer; target: BenchTarget }> {
  const server = await startReferenceServer({ host: '127.0.0.1', port: 0, apps: [{ ...APP }] });
  return { server, target: { name: 'reference', ws: server.wsUrl, http: server.httpUrl, appId: APP.id, key: APP.key, secret: APP.secret } };
}

function memoryIo(): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c) => (o += String(c)));
  stderr.on('data', (c) => (e += String(c)));
  return { stdout, stderr, env: {}, cwd: process.cwd(), out: () => o, err: () => e };
}

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'bench-test-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('bench engine against the reference server', () => {
  it('measures every phase within its bounds and returns a schema-valid result', { timeout: 30_000 }, async () => {
    const { server, target } = await start();
    try {
      // the server runs in this process: its RSS is this process's, which is enough to see /proc read
      const result = await runBench({ target: { ...target, pid: process.pid }, bounds: tiny, phases: ['idle', 'fanout', 'client-events', 'presence'] });
      expect(BenchResult.safeParse(result).success).toBe(true);
      expect(result.complete).toBe(true);
      expect(result.aborted).toBeUndefined();
      expect(result.durationSeconds).toBeLessThan(tiny.maxSeconds);
      expect(result.idle).toMatchObject({ requested: 150, connected: 150 });
      expect(result.idle!.rssAfterBytes).toBeGreaterThan(0);
      expect(result.idle!.cpuMsPerThousandConnections).toBeGreaterThanOrEqual(0);
      const f = result.fanout[0]!;
      expect(f.connected).toBe(20);
      expect(f.single.last.samples).toBe(5);
      expect(f.ramp.length).toBeGreaterThan(0);
      expect(f.ramp.every((s) => s.lost === 0 && s.restErrors === 0)).toBe(true);
      expect(f.maxSustainedRate).not.toBeNull();
      expect(result.clientEvents).toMatchObject({ sent: 20, lost: 0, errors: 0, senders: 10 });
      expect(result.clientEvents!.latency.samples).toBe(20 * 9);
      expect(result.presence).toMatchObject({ members: 30, joined: 30, leavesSeen: 30 });
    } finally {
      await server.close();
    }
  });

  it('keeps the phases done so far and says why when the target dies midway', { timeout: 30_000 }, async () => {
    const { server, target } = await start();
    let closing: Promise<void> | undefined;
    const result = await runBench({
      target,
      bounds: { ...tiny, idleConnections: 50 },
      phases: ['idle', 'fanout', 'presence'],
      waitMs: 2000,
      log: (line) => {
        if (line.startsWith('idle:')) closing = server.close();
      },
    });
    await closing;
    expect(BenchResult.safeParse(result).success).toBe(true);
    expect(result.complete).toBe(false);
    expect(result.idle?.connected).toBe(50);
    // the fan-out phase could not connect its subscribers: recorded in the phase, or as the abort reason
    const said = `${result.aborted ?? ''} ${result.fanout[0]?.stopped ?? ''}`;
    expect(said).toMatch(/stopped answering|subscribers connected|ECONNREFUSED/);
    expect(result.presence).toBeUndefined();
  });

  it('gives up within the time budget', { timeout: 30_000 }, async () => {
    const { server, target } = await start();
    try {
      const t0 = Date.now();
      const result = await runBench({ target, bounds: { ...tiny, maxSeconds: 2, rateSteps: [10, 20, 30, 40, 50], stepSeconds: 1 }, phases: ['fanout', 'presence'], waitMs: 1000 });
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(BenchResult.safeParse(result).success).toBe(true);
      expect(result.complete && result.fanout[0]!.stopped === 'every step held').toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('bench target and comparison', () => {
  it('refuses a host that is not this machine unless allowed', () => {
    expect(isLoopbackUrl('ws://127.0.0.1:6001')).toBe(true);
    expect(isLoopbackUrl('ws://[::1]:6001')).toBe(true);
    expect(isLoopbackUrl('http://localhost:6001')).toBe(true);
    expect(isLoopbackUrl('ws://10.1.2.3:6001')).toBe(false);
    expect(isLoopbackUrl('wss://ws.pusherapp.com')).toBe(false);
    const remote: BenchTarget = { name: 'x', ws: 'ws://192.0.2.1:6001', http: 'http://192.0.2.1:6001', appId: 'a', key: 'k', secret: 's' };
    expect(() => checkBenchTarget(remote, false)).toThrow(/--allow-remote/);
    expect(() => checkBenchTarget(remote, true)).not.toThrow();
  });

  it('prints ratios to the first result, per figure', async () => {
    const { server, target } = await start();
    let a: BenchResult;
    try {
      a = await runBench({ target: { ...target, pid: process.pid }, bounds: { ...tiny, idleConnections: 20 }, phases: ['idle'] });
    } finally {
      await server.close();
    }
    const b: BenchResult = { ...a, target: { ...a.target, name: 'other' }, idle: { ...a.idle!, rssPerConnectionBytes: (a.idle!.rssPerConnectionBytes ?? 0) * 2 || 2048 } };
    if (a.idle!.rssPerConnectionBytes === undefined || a.idle!.rssPerConnectionBytes <= 0) a = { ...a, idle: { ...a.idle!, rssPerConnectionBytes: 1024 } };
    const rss = benchFigures([a, b]).find((f) => f.name.startsWith('idle: RSS'))!;
    expect(rss.values[1]! / rss.values[0]!).toBe(2);
    expect(renderBenchComparison([a, b])).toContain('(2.00×)');

    const fa = join(dir, 'a.json');
    const fb = join(dir, 'b.json');
    await writeFile(fa, JSON.stringify(a));
    await writeFile(fb, JSON.stringify(b));
    const io = memoryIo();
    expect(await main(['node', 'pusher-conformance', 'bench', '--compare', fa, fb], io)).toBe(0);
    expect(io.out()).toMatch(/idle: RSS per connection.*\(2\.00×\)/);

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...a, schemaVersion: 99 }));
    const io2 = memoryIo();
    expect(await main(['node', 'pusher-conformance', 'bench', '--compare', fa, bad], io2)).toBe(2);
    expect(io2.err()).toMatch(/bad\.json is not a bench result: schemaVersion/);
    expect(io2.err()).not.toMatch(/\n\s+at /);
  });

  it('writes JSON and Markdown with --out and refuses bad bounds in one line', { timeout: 30_000 }, async () => {
    const { server, target } = await start();
    try {
      const out = join(dir, 'out');
      const flags = ['--ws', target.ws, '--http', target.http, '--app-id', APP.id, '--key', APP.key, '--secret', APP.secret, '--name', 'ref'];
      const io = memoryIo();
      const code = await main(['node', 'pusher-conformance', 'bench', ...flags, '--phases', 'fanout', '--subscribers', '5', '--rates', '10', '--step-seconds', '0.3', '--samples', '2', '--out', out], io);
      expect(code).toBe(0);
      const json = BenchResult.parse(JSON.parse(await readFile(join(out, 'bench.json'), 'utf8')));
      expect(json.target.name).toBe('ref');
      expect(await readFile(join(out, 'bench.md'), 'utf8')).toContain('## Fan-out to 5 subscribers');
      const io2 = memoryIo();
      expect(await main(['node', 'pusher-conformance', 'bench', ...flags, '--rates', '10,fast'], io2)).toBe(2);
      expect(io2.err()).toBe("pusher-conformance: --rates must be a positive number, got 'fast'\n");
    } finally {
      await server.close();
    }
  });
});

describe('back-pressure (robustness.isolation)', () => {
  it('a subscriber that stops reading is closed with 4100 while the others get every event', { timeout: 30_000 }, async () => {
    const { server, target } = await start();
    const publisher = new Publisher(target, 5000);
    try {
      const channel = 'bench-slow';
      let fastGot = 0;
      let subscribed = 0;
      const onText = (counts: boolean) => (text: string): void => {
        if (text.includes(Event.SubscriptionSucceeded)) subscribed += 1;
        else if (counts && text.includes('"slow-test"')) fastGot += 1;
      };
      const fast = await connect(connectUrl(target), 5000, onText(true));
      const slow = await connect(connectUrl(target), 5000, onText(false));
      for (const c of [fast, slow]) c.send({ event: Event.Subscribe, data: { channel } });
      const t0 = Date.now();
      while (subscribed < 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
      expect(subscribed).toBe(2);
      const closed = new Promise<number>((resolve) => slow.ws.once('close', (code) => resolve(code)));
      // the slow reader: its socket is no longer read, so the server's queue for it grows
      (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
      const data = 'x'.repeat(9000);
      // far more than the bound plus what loopback socket buffers absorb
      const events = Math.ceil((SLOW_CONSUMER_UNSENT_BYTES * 12) / data.length / 10) * 10;
      for (let i = 0; i < events; i += 10) {
        const status = await publisher.publish(Array.from({ length: 10 }, () => ({ name: 'slow-test', channel, data })));
        expect(status).toBe(200);
      }
      const t1 = Date.now();
      while (fastGot < events && Date.now() - t1 < 10_000) await new Promise((r) => setTimeout(r, 10));
      expect(fastGot).toBe(events);
      (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
      expect(code).toBe(ErrorCode.OverCapacity);
      fast.ws.close();
    } finally {
      publisher.close();
      await server.close();
    }
  });
});
