/**
 * `npm run bench:server`: memory per idle connection, fan-out latency and the sustained publish
 * rate of the reference server, on loopback, in well under two minutes.
 *
 * The server runs in a child process (its memory is measured alone, after a forced GC); the
 * clients and the REST publisher run here.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { signRestRequest } from '../../spec/src/crypto/rest-signing.ts';
import { Event } from '../../spec/src/events.ts';
import { PROTOCOL_VERSION, appPath } from '../../spec/src/protocol.ts';
import { RestPath, restPath } from '../../spec/src/rest/endpoints.ts';
import type { BenchApp, ChildMessage, ParentMessage } from './server-process.ts';

const TARGET_IDLE_CONNECTIONS = 10_000;
const FANOUT_SUBSCRIBERS = 1_000;
const LATENCY_SAMPLES = 50;
/** publish rates tried in turn (events/s, each delivered to every subscriber) */
const RAMP_RATES = [10, 25, 50, 100, 200, 400, 800, 1600, 3200];
/** a p99 above this (or 10× the one-at-a-time p99, if that is lower) counts as degraded */
const LATENCY_CEILING_MS = 1000;
const RAMP_STEP_MS = 2_000;
const DRAIN_TIMEOUT_MS = 3_000;
const TICK_MS = 20;
const BATCH_MAX = 10;
/** fds kept free for the server's listener, IPC, stdio and the HTTP client */
const FD_RESERVE = 200;
const CONNECT_CONCURRENCY = 250;
const TOTAL_BUDGET_MS = 110_000;
const FANOUT_CHANNEL = 'bench-fanout';
const EVENT_NAME = 'bench';

const started = Date.now();
const elapsed = (): number => Date.now() - started;
const log = (line: string): void => void process.stdout.write(`${line}\n`);

// ---- child process ------------------------------------------------------------------------

interface Child {
  proc: ChildProcess;
  wsUrl: string;
  httpUrl: string;
  app: BenchApp;
  mem(): Promise<{ rss: number; heapUsed: number }>;
  stop(): Promise<void>;
}

async function startChild(): Promise<Child> {
  const script = fileURLToPath(new URL('./server-process.ts', import.meta.url));
  const tsx = import.meta.resolve('tsx');
  // raise the child's soft fd limit to the hard one where the shell allows it
  const proc = spawn(
    '/bin/sh',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', process.execPath, '--expose-gc', '--import', tsx, script],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const waiters: Array<(m: ChildMessage) => void> = [];
  proc.on('message', (m: ChildMessage) => waiters.shift()?.(m));
  const nextMessage = (timeoutMs: number): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server process did not answer')), timeoutMs);
      waiters.push((m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  const ready = await nextMessage(20_000);
  if (ready.type !== 'ready') throw new Error(`server process failed: ${ready.type === 'error' ? ready.message : ready.type}`);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    wsUrl: ready.wsUrl,
    httpUrl: ready.httpUrl,
    app: ready.app,
    async mem() {
      proc.send({ cmd: 'mem' } satisfies ParentMessage);
      const m = await nextMessage(10_000);
      if (m.type !== 'mem') throw new Error('unexpected answer to mem');
      return m;
    },
    async stop() {
      if (proc.exitCode !== null) return;
      proc.send({ cmd: 'stop' } satisfies ParentMessage);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function fdSoftLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

// ---- clients ------------------------------------------------------------------------------

interface BenchClient {
  ws: WebSocket;
  socketId: string;
}

function connect(url: string, onMessage?: (text: string) => void): Promise<BenchClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('handshake timeout'));
    }, 15_000);
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`closed with ${code}`));
    });
    ws.once('message', (raw) => {
      clearTimeout(timer);
      const text = String(raw);
      const m = /socket_id\\?":\\?"([\d.]+)/.exec(text);
      ws.removeAllListeners('close');
      ws.on('error', () => {});
      if (onMessage !== undefined) ws.on('message', (data) => onMessage(String(data)));
      resolve({ ws, socketId: m?.[1] ?? '' });
    });
  });
}

async function connectMany(url: string, count: number, onMessage?: (i: number) => (text: string) => void): Promise<{ clients: BenchClient[]; failures: Map<string, number> }> {
  const clients: BenchClient[] = [];
  const failures = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      try {
        clients.push(await connect(url, onMessage?.(i)));
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, count) }, worker));
  return { clients, failures };
}

async function closeAll(clients: BenchClient[]): Promise<void> {
  await Promise.all(
    clients.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            c.ws.terminate();
            resolve();
          }, 2_000);
          c.ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          c.ws.close();
        }),
    ),
  );
}

// ---- REST publisher -----------------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

async function post(httpUrl: string, app: BenchApp, path: string, body: unknown): Promise<number> {
  const raw = JSON.stringify(body);
  const { query } = signRestRequest({ key: app.key, secret: app.secret, method: 'POST', path, body: raw });
  const url = new URL(`${httpUrl}${path}?${query}`);
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(raw) }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('REST timeout')));
    req.end(raw);
  });
}

// ---- statistics ---------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : 'n/a');
const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const kib = (n: number): string => `${(n / 1024).toFixed(2)} KiB`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

// ---- phases -------------------------------------------------------------------------------

interface Fanout {
  /** seq → publish time */
  sentAt: Map<number, number>;
  /** seq → receipts so far */
  received: Map<number, number>;
  /** seq → time of the last receipt */
  lastAt: Map<number, number>;
  /** latencies of every receipt by the sampled subscribers */
  sampled: number[];
  closes: number;
}

async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  log(`reference-server bench (loopback; server in a child process; ${cpus().length} CPUs, load average ${load})`);
  const child = await startChild();
  const cleanup: BenchClient[][] = [];
  try {
    const url = `${child.wsUrl}${appPath(child.app.key)}?protocol=${PROTOCOL_VERSION}&client=bench&version=0`;

    // 1. idle connections and memory
    const parentLimit = fdSoftLimit();
    let idleTarget = TARGET_IDLE_CONNECTIONS;
    if (parentLimit !== undefined && parentLimit - FD_RESERVE < idleTarget) {
      idleTarget = Math.max(100, parentLimit - FD_RESERVE);
      log(`note: the fd limit (ulimit -n = ${parentLimit}) is below ${TARGET_IDLE_CONNECTIONS} + ${FD_RESERVE}; using ${idleTarget} connections (raise it with 'ulimit -n 20000')`);
    }
    const before = await child.mem();
    const t0 = Date.now();
    const idle = await connectMany(url, idleTarget);
    cleanup.push(idle.clients);
    const connectMs = Date.now() - t0;
    const after = await child.mem();
    const n = idle.clients.length;
    const failureText = [...idle.failures].map(([r, c]) => `${c}× ${r}`).join(', ');
    if (failureText) log(`note: ${failureText} failed to connect`);
    const memRows = [
      ['idle connections', 'connected', 'connect time', 'RSS before', 'RSS after', 'RSS/conn', 'heap/conn'],
      [
        String(idleTarget),
        String(n),
        `${(connectMs / 1000).toFixed(1)} s`,
        mib(before.rss),
        mib(after.rss),
        n > 0 ? kib((after.rss - before.rss) / n) : 'n/a',
        n > 0 ? kib((after.heapUsed - before.heapUsed) / n) : 'n/a',
      ],
    ];
    log('');
    log(table(memRows));
    await closeAll(idle.clients);
    cleanup.pop();

    // 2. fan-out: 1,000 subscribers on one channel
    const f: Fanout = { sentAt: new Map(), received: new Map(), lastAt: new Map(), sampled: [], closes: 0 };
    const SAMPLED = 50;
    let subscribed = 0;
    const onSubscribed: Array<() => void> = [];
    const seqPattern = /seq\\":(\d+)/;
    const handler = (i: number) => (text: string) => {
      if (text.includes(Event.SubscriptionSucceeded)) {
        subscribed += 1;
        if (subscribed === FANOUT_SUBSCRIBERS) onSubscribed.splice(0).forEach((r) => r());
        return;
      }
      const m = seqPattern.exec(text);
      if (m === null) return;
      const seq = Number(m[1]);
      const now = performance.now();
      f.received.set(seq, (f.received.get(seq) ?? 0) + 1);
      f.lastAt.set(seq, now);
      if (i < SAMPLED) {
        const sent = f.sentAt.get(seq);
        if (sent !== undefined) f.sampled.push(now - sent);
      }
    };
    const subs = await connectMany(url, FANOUT_SUBSCRIBERS, handler);
    cleanup.push(subs.clients);
    if (subs.clients.length < FANOUT_SUBSCRIBERS) throw new Error(`only ${subs.clients.length} of ${FANOUT_SUBSCRIBERS} subscribers connected`);
    for (const c of subs.clients) c.ws.on('close', () => (f.closes += 1));
    const allSubscribed = new Promise<void>((resolve) => onSubscribed.push(resolve));
    for (const c of subs.clients) c.ws.send(JSON.stringify({ event: Event.Subscribe, data: { channel: FANOUT_CHANNEL } }));
    await Promise.race([allSubscribed, new Promise((_, reject) => setTimeout(() => reject(new Error('subscriptions timed out')), 15_000))]);

    const eventsPath = restPath(RestPath.Events, { app: child.app.id });
    const batchPath = restPath(RestPath.BatchEvents, { app: child.app.id });
    let seq = 0;
    const publishOne = async (): Promise<void> => {
      const s = seq++;
      f.sentAt.set(s, performance.now());
      const status = await post(child.httpUrl, child.app, eventsPath, { name: EVENT_NAME, channel: FANOUT_CHANNEL, data: JSON.stringify({ seq: s }) });
      if (status !== 200) throw new Error(`publish answered ${status}`);
    };
    const publishBatch = async (count: number): Promise<void> => {
      const batch = Array.from({ length: count }, () => {
        const s = seq++;
        f.sentAt.set(s, performance.now());
        return { name: EVENT_NAME, channel: FANOUT_CHANNEL, data: JSON.stringify({ seq: s }) };
      });
      const status = await post(child.httpUrl, child.app, batchPath, { batch });
      if (status !== 200) throw new Error(`batch publish answered ${status}`);
    };
    const waitDelivered = async (from: number, to: number, timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let done = true;
        for (let s = from; s < to; s += 1) {
          if ((f.received.get(s) ?? 0) < FANOUT_SUBSCRIBERS) {
            done = false;
            break;
          }
        }
        if (done || Date.now() > deadline) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const stepStats = (from: number, to: number) => {
      const last: number[] = [];
      let lost = 0;
      for (let s = from; s < to; s += 1) {
        const got = f.received.get(s) ?? 0;
        lost += FANOUT_SUBSCRIBERS - got;
        const sent = f.sentAt.get(s);
        const at = f.lastAt.get(s);
        if (got === FANOUT_SUBSCRIBERS && sent !== undefined && at !== undefined) last.push(at - sent);
      }
      last.sort((a, b) => a - b);
      const each = f.sampled.splice(0).sort((a, b) => a - b);
      return { last, each, lost };
    };

    // 2a. latency, one event at a time
    f.sampled.length = 0;
    const latFrom = seq;
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      await publishOne();
      await waitDelivered(seq - 1, seq, DRAIN_TIMEOUT_MS);
    }
    const lat = stepStats(latFrom, seq);
    log('');
    log(`fan-out to ${FANOUT_SUBSCRIBERS} subscribers, ${LATENCY_SAMPLES} events one at a time (publish → receipt)`);
    log(
      table([
        ['', 'p50', 'p99'],
        ['each subscriber', ms(percentile(lat.each, 50)), ms(percentile(lat.each, 99))],
        ['last subscriber', ms(percentile(lat.last, 50)), ms(percentile(lat.last, 99))],
      ]),
    );
    const baselineP99 = percentile(lat.last, 99);
    const latencyCeiling = Math.min(LATENCY_CEILING_MS, Math.max(250, baselineP99 * 10));

    // 2b. ramp the publish rate until latency degrades or events are lost
    const rampRows = [['events/s', 'published', 'deliveries/s', 'p50 last', 'p99 last', 'p99 each', 'lost', 'verdict']];
    let sustained: number | undefined;
    let stopReason = 'every rate held';
    for (const rate of RAMP_RATES) {
      if (elapsed() + RAMP_STEP_MS + DRAIN_TIMEOUT_MS > TOTAL_BUDGET_MS) {
        stopReason = 'time budget reached';
        break;
      }
      const from = seq;
      const stepStart = performance.now();
      const inflight: Promise<void>[] = [];
      let sent = 0;
      let publishErrors = 0;
      // pace by elapsed time, not by timer ticks, so a late timer is caught up with a burst
      while (performance.now() - stepStart < RAMP_STEP_MS) {
        const due = Math.floor(((performance.now() - stepStart) / 1000) * rate) - sent;
        for (let left = due; left > 0; ) {
          const n = Math.min(BATCH_MAX, left);
          left -= n;
          sent += n;
          inflight.push((n === 1 ? publishOne() : publishBatch(n)).catch(() => void (publishErrors += 1)));
        }
        await new Promise((r) => setTimeout(r, TICK_MS));
      }
      const publishMs = performance.now() - stepStart;
      await Promise.all(inflight);
      await waitDelivered(from, seq, DRAIN_TIMEOUT_MS);
      const published = seq - from;
      const st = stepStats(from, seq);
      const actualRate = published / (publishMs / 1000);
      const p99 = percentile(st.last, 99);
      const degraded = st.lost > 0 || publishErrors > 0 || !(p99 <= latencyCeiling) || f.closes > 0;
      const publisherBound = actualRate < rate * 0.8;
      const verdict = degraded ? (st.lost > 0 ? 'loss' : publishErrors > 0 ? 'REST errors' : 'slow') : publisherBound ? 'publisher-bound' : 'ok';
      rampRows.push([
        String(rate),
        String(published),
        String(Math.round((published * FANOUT_SUBSCRIBERS) / (publishMs / 1000))),
        ms(percentile(st.last, 50)),
        ms(p99),
        ms(percentile(st.each, 99)),
        String(st.lost),
        verdict,
      ]);
      if (degraded) {
        stopReason = `${verdict} at ${rate} events/s (p99 ceiling ${latencyCeiling.toFixed(0)} ms)`;
        break;
      }
      sustained = rate;
      if (publisherBound) {
        stopReason = 'the publisher could not keep up (the bench, not the server, is the limit)';
        break;
      }
    }
    log('');
    log(`publish-rate ramp (${RAMP_STEP_MS / 1000} s per step, ${FANOUT_SUBSCRIBERS} subscribers)`);
    log(table(rampRows));
    log('');
    log(
      `max sustained: ${sustained !== undefined ? `${sustained} events/s = ${sustained * FANOUT_SUBSCRIBERS} deliveries/s` : 'below the first step'} (stopped: ${stopReason})`,
    );
  } finally {
    for (const group of cleanup) await closeAll(group);
    agent.destroy();
    await child.stop();
    log(`total ${(elapsed() / 1000).toFixed(1)} s`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
