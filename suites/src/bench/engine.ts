/**
 * `bench`'s engine: runs the asked phases against a target in order, within one time budget,
 * and returns a result valid against spec/src/bench.ts even when the target dies midway (the
 * phases done so far are kept, `aborted` says what happened).
 * @module
 */
import { connect as tcpConnect } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { BENCH_SCHEMA_VERSION, BenchResult, type BenchBounds } from '../../../spec/src/bench.ts';
import { suiteVersion, PACKAGE_NAME } from '../runner/package-info.ts';
import { BUDGET_REACHED, type BenchContext } from './context.ts';
import { runClientEvents } from './phases/client-events.ts';
import { runFanout } from './phases/fanout.ts';
import { runIdle } from './phases/idle.ts';
import { runPresence } from './phases/presence.ts';
import { ProcessGoneError, fdSoftLimit } from './proc.ts';
import { Publisher } from './rest.ts';
import { connectUrl } from './socket.ts';
import type { BenchTarget } from './target.ts';

export const benchPhases = ['idle', 'fanout', 'client-events', 'presence'] as const;
export type BenchPhase = (typeof benchPhases)[number];

export const defaultBounds: BenchBounds = {
  maxSeconds: 120,
  idleConnections: 10_000,
  subscriberCounts: [1000],
  // about ×1.4 a step: the sustained rate is known to within 40%
  rateSteps: [10, 15, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 640, 960, 1280, 1920, 2560, 3840],
  stepSeconds: 2,
  latencyCeilingMs: 1000,
  latencySamples: 50,
  presenceMembers: 200,
  clientEventSamples: 200,
};

export interface BenchOptions {
  readonly target: BenchTarget;
  readonly bounds: BenchBounds;
  readonly phases: readonly BenchPhase[];
  /** longest single wait: a handshake, a REST call, a drain (default 5 s) */
  readonly waitMs?: number;
  readonly connectConcurrency?: number;
  readonly log?: (line: string) => void;
}

/** fds kept free for the REST agent, stdio and anything else of this process */
const FD_RESERVE = 200;

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const publisher = new Publisher(opts.target, opts.waitMs ?? 5000);
  const ctx: BenchContext = {
    target: opts.target,
    url: connectUrl(opts.target),
    bounds: opts.bounds,
    deadline: started + opts.bounds.maxSeconds * 1000,
    publisher,
    connectConcurrency: opts.connectConcurrency ?? 200,
    waitMs: opts.waitMs ?? 5000,
    log,
  };
  const la = loadavg();
  const result: BenchResult = {
    schemaVersion: BENCH_SCHEMA_VERSION,
    tool: { name: PACKAGE_NAME, version: suiteVersion },
    target: { name: opts.target.name, ws: opts.target.ws, http: opts.target.http, ...(opts.target.pid !== undefined ? { pid: opts.target.pid } : {}) },
    startedAt: new Date(started).toISOString(),
    durationSeconds: 0,
    machine: { cpus: cpus().length, loadAverage: [round(la[0]!), round(la[1]!), round(la[2]!)], node: process.version, platform: process.platform },
    bounds: opts.bounds,
    complete: false,
    fanout: [],
  };
  const phase = async (name: string, run: () => Promise<void>): Promise<boolean> => {
    if (Date.now() >= ctx.deadline) {
      result.aborted ??= `time budget of ${opts.bounds.maxSeconds} s reached before ${name}`;
      return false;
    }
    try {
      await run();
      // a phase records its own shortfalls; a target gone meanwhile ends the run here
      if (await reachable(opts.target.http, 2000)) return true;
      result.aborted = `the target stopped answering during ${name}; the result holds the phases up to it`;
      return false;
    } catch (err) {
      const alive = await reachable(opts.target.http, 2000);
      const what = err instanceof ProcessGoneError ? err.message : err instanceof Error ? err.message : String(err);
      result.aborted = alive ? `${name} failed: ${what}` : `the target stopped answering during ${name} (${what}); the result holds the phases before it`;
      return false;
    }
  };
  try {
    let ok = true;
    if (opts.phases.includes('idle')) {
      let count = opts.bounds.idleConnections;
      const fds = fdSoftLimit();
      if (fds !== undefined && fds - FD_RESERVE < count) {
        count = Math.max(1, fds - FD_RESERVE);
        log(`note: ulimit -n is ${fds}: ${count} idle connections instead of ${opts.bounds.idleConnections}`);
      }
      ok = await phase('idle connections', async () => void (result.idle = await runIdle(ctx, count)));
    }
    if (ok && opts.phases.includes('fanout')) {
      for (const n of opts.bounds.subscriberCounts) {
        ok = await phase(`fan-out to ${n}`, async () => void result.fanout.push(await runFanout(ctx, n)));
        if (!ok) break;
      }
    }
    if (ok && opts.phases.includes('client-events')) ok = await phase('client events', async () => void (result.clientEvents = await runClientEvents(ctx, opts.bounds.clientEventSamples)));
    if (ok && opts.phases.includes('presence')) ok = await phase('presence', async () => void (result.presence = await runPresence(ctx, opts.bounds.presenceMembers)));
    // a phase cut short by the budget says so in its own `stopped`; the run is then incomplete
    const cut = [result.idle?.stopped, ...result.fanout.map((f) => f.stopped), result.clientEvents?.stopped, result.presence?.stopped].find((s) => s?.includes(BUDGET_REACHED));
    if (ok && cut !== undefined) result.aborted ??= `time budget of ${opts.bounds.maxSeconds} s reached${cut === BUDGET_REACHED ? '' : ` (${cut})`}`;
    result.complete = ok && result.aborted === undefined;
  } finally {
    publisher.close();
    result.durationSeconds = round((Date.now() - started) / 1000);
  }
  return BenchResult.parse(result);
}

/** whether something still accepts TCP connections at the URL's host and port */
function reachable(url: string, timeoutMs: number): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const s = tcpConnect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

const round = (n: number): number => Math.round(n * 100) / 100;
