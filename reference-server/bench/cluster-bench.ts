/**
 * `npm run bench:cluster`: the reference server scaled out on Redis. The same load (SUBSCRIBERS
 * subscribers of one channel, events published over REST through node 1) against 1 node (no
 * Redis), 2 nodes and 3 nodes (subscribers split round-robin over the nodes, every node a child
 * process joined through a throwaway redis-server on loopback): fan-out latency p50/p99, one event
 * at a time, and the highest publish rate sustained without loss or a p99 blow-up. Prints the
 * figures and the ratio of each cluster to 1 node.
 *
 * What it measures: the cost of crossing nodes (publish → Redis → other nodes) and whether
 * splitting subscribers lets more events through. On a machine with fewer cores than processes
 * (the bench client, the nodes and Redis all compete) it measures contention as much as scale:
 * the output states the CPU count and load average.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { signRestRequest } from '../../spec/src/crypto/rest-signing.ts';
import { Event } from '../../spec/src/events.ts';
import { PROTOCOL_VERSION, appPath } from '../../spec/src/protocol.ts';
import { RestPath, restPath } from '../../spec/src/rest/endpoints.ts';
import { redisAvailable, startRedis, type RunningRedis } from '../../test-support/redis.ts';
import type { NodeChildMessage, NodeParentMessage } from './cluster-node-process.ts';
import type { BenchApp } from './server-process.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 600);
const NODE_COUNTS = [1, 2, 3] as const;
const LATENCY_SAMPLES = 40;
/** publish rates tried in turn (events/s, each delivered to every subscriber) */
const RAMP_RATES = [5, 10, 25, 50, 100, 200, 400, 800, 1600];
const RAMP_STEP_MS = 2_000;
const DRAIN_TIMEOUT_MS = 3_000;
/** a p99 (last subscriber) above this, or 10× the one-at-a-time p99 if that is lower (at least 250 ms), counts as degraded (as bench.ts) */
const LATENCY_CEILING_MS = 1000;
const TICK_MS = 20;
const BATCH_MAX = 10;
const CONNECT_CONCURRENCY = 100;
const NODE_START_MS = 30_000;
const CHANNEL = 'bench-cluster-fanout';
const EVENT_NAME = 'bench';

const started = Date.now();
const log = (line: string): void => void process.stdout.write(`${line}\n`);

// ---- nodes --------------------------------------------------------------------------------

interface BenchNode {
  wsUrl: string;
  httpUrl: string;
  app: BenchApp;
  stop(): Promise<void>;
}

async function startNode(cluster: string | undefined): Promise<BenchNode> {
  const script = fileURLToPath(new URL('./cluster-node-process.ts', import.meta.url));
  const proc: ChildProcess = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_CLUSTER: cluster ?? '' },
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ready = await new Promise<NodeChildMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a node did not start within ${NODE_START_MS} ms`)), NODE_START_MS);
    proc.once('message', (m: NodeChildMessage) => {
      clearTimeout(timer);
      resolve(m);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`a node exited with ${code} before it was ready`));
    });
  }).catch(async (e: unknown) => {
    proc.kill('SIGKILL');
    await exited;
    throw e;
  });
  if (ready.type !== 'ready') {
    proc.kill('SIGKILL');
    throw new Error(`a node failed: ${ready.message}`);
  }
  return {
    wsUrl: ready.wsUrl,
    httpUrl: ready.httpUrl,
    app: ready.app,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.send({ cmd: 'stop' } satisfies NodeParentMessage);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---- clients and publisher ----------------------------------------------------------------

function connect(url: string, onMessage: (text: string) => void): Promise<WebSocket> {
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
    ws.once('message', () => {
      clearTimeout(timer);
      ws.on('error', () => {});
      ws.on('message', (data) => onMessage(String(data)));
      resolve(ws);
    });
  });
}

async function closeAll(clients: WebSocket[]): Promise<void> {
  await Promise.all(
    clients.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 2_000);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close();
        }),
    ),
  );
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(httpUrl: string, app: BenchApp, path: string, body: unknown): Promise<number> {
  const raw = JSON.stringify(body);
  const { query } = signRestRequest({ key: app.key, secret: app.secret, method: 'POST', path, body: raw });
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(`${httpUrl}${path}?${query}`),
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

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const fmt = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : 'n/a');
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

// ---- one configuration --------------------------------------------------------------------

interface Result {
  nodes: number;
  eachP50: number;
  eachP99: number;
  lastP50: number;
  lastP99: number;
  sustained: number | undefined;
  stopReason: string;
}

async function measure(nodeCount: number, redis: RunningRedis | undefined): Promise<Result> {
  const nodes: BenchNode[] = [];
  const clients: WebSocket[] = [];
  try {
    // one after the other: each node catches up with the ones already running
    for (let i = 0; i < nodeCount; i++) nodes.push(await startNode(nodeCount > 1 ? redis!.url : undefined));
    const sentAt = new Map<number, number>();
    const received = new Map<number, number>();
    const lastAt = new Map<number, number>();
    const sampled: number[] = [];
    let subscribed = 0;
    let closes = 0;
    const seqPattern = /seq\\":(\d+)/;
    const handler = (i: number) => (text: string) => {
      if (text.includes(Event.SubscriptionSucceeded)) {
        subscribed += 1;
        return;
      }
      const m = seqPattern.exec(text);
      if (m === null) return;
      const seq = Number(m[1]);
      const now = performance.now();
      received.set(seq, (received.get(seq) ?? 0) + 1);
      lastAt.set(seq, now);
      // every 10th subscriber's receipts, spread evenly over the nodes
      if (i % 10 === 0) {
        const sent = sentAt.get(seq);
        if (sent !== undefined) sampled.push(now - sent);
      }
    };
    // subscribers round-robin over the nodes (i → node i mod N)
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < SUBSCRIBERS) {
        const i = next++;
        const node = nodes[i % nodes.length]!;
        const ws = await connect(`${node.wsUrl}${appPath(node.app.key)}?protocol=${PROTOCOL_VERSION}&client=bench&version=0`, handler(i));
        ws.on('close', () => (closes += 1));
        clients.push(ws);
        ws.send(JSON.stringify({ event: Event.Subscribe, data: { channel: CHANNEL } }));
      }
    };
    await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
    const deadline = Date.now() + 15_000;
    while (subscribed < SUBSCRIBERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (subscribed < SUBSCRIBERS) throw new Error(`only ${subscribed} of ${SUBSCRIBERS} subscriptions confirmed`);
    // the other nodes learn of each subscription over Redis: let the last ones arrive
    await new Promise((r) => setTimeout(r, 500));

    const publisher = nodes[0]!;
    const eventsPath = restPath(RestPath.Events, { app: publisher.app.id });
    const batchPath = restPath(RestPath.BatchEvents, { app: publisher.app.id });
    let seq = 0;
    const publishOne = async (): Promise<void> => {
      const s = seq++;
      sentAt.set(s, performance.now());
      const status = await post(publisher.httpUrl, publisher.app, eventsPath, { name: EVENT_NAME, channel: CHANNEL, data: JSON.stringify({ seq: s }) });
      if (status !== 200) throw new Error(`publish answered ${status}`);
    };
    const publishBatch = async (count: number): Promise<void> => {
      const batch = Array.from({ length: count }, () => {
        const s = seq++;
        sentAt.set(s, performance.now());
        return { name: EVENT_NAME, channel: CHANNEL, data: JSON.stringify({ seq: s }) };
      });
      const status = await post(publisher.httpUrl, publisher.app, batchPath, { batch });
      if (status !== 200) throw new Error(`batch publish answered ${status}`);
    };
    const waitDelivered = async (from: number, to: number): Promise<void> => {
      const until = Date.now() + DRAIN_TIMEOUT_MS;
      for (;;) {
        let done = true;
        for (let s = from; s < to; s++) {
          if ((received.get(s) ?? 0) < SUBSCRIBERS) {
            done = false;
            break;
          }
        }
        if (done || Date.now() > until) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const stats = (from: number, to: number) => {
      const last: number[] = [];
      let lost = 0;
      for (let s = from; s < to; s++) {
        const got = received.get(s) ?? 0;
        lost += SUBSCRIBERS - got;
        const sent = sentAt.get(s);
        const at = lastAt.get(s);
        if (got === SUBSCRIBERS && sent !== undefined && at !== undefined) last.push(at - sent);
      }
      return { last: last.sort((a, b) => a - b), each: sampled.splice(0).sort((a, b) => a - b), lost };
    };

    // latency, one event at a time
    sampled.length = 0;
    const latFrom = seq;
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      await publishOne();
      await waitDelivered(seq - 1, seq);
    }
    const lat = stats(latFrom, seq);
    if (lat.lost > 0) throw new Error(`${lat.lost} deliveries lost one event at a time on ${nodeCount} node(s)`);
    const ceiling = Math.min(LATENCY_CEILING_MS, Math.max(250, percentile(lat.last, 99) * 10));

    // ramp
    let sustained: number | undefined;
    let stopReason = 'every rate held';
    for (const rate of RAMP_RATES) {
      const from = seq;
      const stepStart = performance.now();
      const inflight: Promise<void>[] = [];
      let sent = 0;
      let errors = 0;
      while (performance.now() - stepStart < RAMP_STEP_MS) {
        const due = Math.floor(((performance.now() - stepStart) / 1000) * rate) - sent;
        for (let left = due; left > 0; ) {
          const n = Math.min(BATCH_MAX, left);
          left -= n;
          sent += n;
          inflight.push((n === 1 ? publishOne() : publishBatch(n)).catch(() => void (errors += 1)));
        }
        await new Promise((r) => setTimeout(r, TICK_MS));
      }
      const publishMs = performance.now() - stepStart;
      await Promise.all(inflight);
      await waitDelivered(from, seq);
      const st = stats(from, seq);
      const p99 = percentile(st.last, 99);
      const actual = (seq - from) / (publishMs / 1000);
      const degraded = st.lost > 0 || errors > 0 || !(p99 <= ceiling) || closes > 0;
      if (degraded) {
        stopReason = `${st.lost > 0 ? `${st.lost} deliveries lost` : errors > 0 ? 'REST errors' : closes > 0 ? 'connections closed' : `p99 ${fmt(p99)} > ${ceiling.toFixed(0)} ms`} at ${rate} events/s`;
        break;
      }
      sustained = rate;
      if (actual < rate * 0.8) {
        stopReason = `the publisher reached only ${actual.toFixed(0)} of ${rate} events/s (the bench is the limit)`;
        break;
      }
    }
    return {
      nodes: nodeCount,
      eachP50: percentile(lat.each, 50),
      eachP99: percentile(lat.each, 99),
      lastP50: percentile(lat.last, 50),
      lastP99: percentile(lat.last, 99),
      sustained,
      stopReason,
    };
  } finally {
    await closeAll(clients);
    await Promise.all(nodes.map((n) => n.stop()));
  }
}

async function main(): Promise<number> {
  if (!redisAvailable()) {
    process.stderr.write('bench:cluster: redis-server not found: apt-get install -y --no-install-recommends redis-server\n');
    return 2;
  }
  log(`reference-server cluster bench: ${SUBSCRIBERS} subscribers of one channel, publishes over REST through node 1 (loopback; ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  const redis = await startRedis();
  const results: Result[] = [];
  try {
    for (const n of NODE_COUNTS) {
      log(`… ${n} node(s)${n > 1 ? ` on redis 127.0.0.1:${redis.port}` : ' (no Redis)'}`);
      results.push(await measure(n, redis));
    }
  } finally {
    agent.destroy();
    await redis.stop();
  }
  const one = results[0]!;
  log('');
  log(`fan-out latency, ${LATENCY_SAMPLES} events one at a time (publish → receipt); max sustained rate (${RAMP_STEP_MS / 1000} s steps, no loss, p99 last ≤ min(${LATENCY_CEILING_MS} ms, max(250 ms, 10× the one-at-a-time p99)))`);
  log(
    table([
      ['nodes', 'p50 each', 'p99 each', 'p50 last', 'p99 last', 'p99 last vs 1', 'max events/s', 'vs 1 node', 'stopped'],
      ...results.map((r) => [
        String(r.nodes),
        fmt(r.eachP50),
        fmt(r.eachP99),
        fmt(r.lastP50),
        fmt(r.lastP99),
        ratio(r.lastP99, one.lastP99),
        r.sustained !== undefined ? String(r.sustained) : `< ${RAMP_RATES[0]}`,
        ratio(r.sustained ?? NaN, one.sustained ?? NaN),
        r.stopReason,
      ]),
    ]),
  );
  log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:cluster failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
