/**
 * npm run bench:peers — the reference server and soketi 1.6.1 measured side by side in one run
 * by the bench engine of `pusher-conformance bench`, with the same bounds, one after the other;
 * writes reports/bench/{reference,soketi}.{json,md} and comparison.md (ratios soketi/reference).
 *
 * Method: each server runs pinned to the last CPU (taskset), this process (clients and REST
 * publisher) on the others; RSS and CPU per connection come from the server's /proc entry.
 * soketi is started only through ../shared/peers/soketi/start.sh (loopback only) and stopped
 * by its PID with SIGTERM. The machine load (uptime) is recorded in every result.
 *
 *     npm run bench:peers [-- --out DIR] [-- --max-seconds N]
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchResult } from '../../spec/src/bench.ts';
import { pinPrefix, pinSelf, startReferenceChild } from '../../reference-server/bench/reference-child.ts';
import { benchPhases, defaultBounds, runBench } from '../src/bench/engine.ts';
import { renderBenchComparison, renderBenchMarkdown } from '../src/bench/markdown.ts';
import { connect, connectUrl } from '../src/bench/socket.ts';
import type { BenchTarget } from '../src/bench/target.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PEER_SCRIPT = resolve(ROOT, '..', 'shared', 'peers', 'soketi', 'start.sh');
const SOKETI_DIR = process.env.SOKETI_DIR ?? join(ROOT, '.peers', 'soketi');
/** soketi's default app (start.sh) */
const SOKETI_APP = { appId: 'app-id', key: 'app-key', secret: 'app-secret' };
/** the first start installs soketi from the npm registry */
const READY_TIMEOUT_MS = 300_000;
/** soketi's graceful stop takes ~3 s */
const STOP_GRACE_MS = 10_000;
/** start.sh also binds PORT+3600 (metrics) and PORT+5001 (UDP discovery) */
const SOKETI_EXTRA_PORTS = [3600, 5001];

const { values } = parseArgs({ options: { out: { type: 'string' }, 'max-seconds': { type: 'string' } } });
const OUT = resolve(values.out ?? join(ROOT, 'reports', 'bench'));
/** two subscriber counts and the finer ramp take longer than the CLI's default budget */
const PEERS_MAX_SECONDS = 240;
const maxSeconds = values['max-seconds'] !== undefined ? Number(values['max-seconds']) : PEERS_MAX_SECONDS;
if (!(maxSeconds > 0)) {
  process.stderr.write(`bench-peers: --max-seconds must be a positive number, got '${values['max-seconds']}'\n`);
  process.exit(2);
}
const bounds = { ...defaultBounds, maxSeconds, subscriberCounts: [100, 1000] };
const log = (line: string): void => void process.stderr.write(`bench-peers: ${line}\n`);

function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

/** a port whose soketi companions (metrics, discovery) are free as well */
async function soketiPort(): Promise<number> {
  for (let i = 0; i < 50; i += 1) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if ((await portFree(port)) && (await Promise.all(SOKETI_EXTRA_PORTS.map((d) => portFree(port + d)))).every(Boolean)) return port;
  }
  throw new Error('no free port for soketi');
}

async function startSoketi(serverCpu: string | undefined): Promise<{ target: BenchTarget; proc: ChildProcess }> {
  const port = await soketiPort();
  // taskset execs start.sh, which execs node: the PID stays soketi's
  const pin = pinPrefix(serverCpu);
  const [cmd, ...args] = [...pin, PEER_SCRIPT, SOKETI_DIR, String(port)];
  const proc = spawn(cmd!, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const target: BenchTarget = { name: 'soketi 1.6.1', ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}`, ...SOKETI_APP, pid: proc.pid! };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`soketi exited with ${proc.exitCode} before it answered`);
    try {
      const s = await connect(connectUrl(target), 1000);
      s.ws.close();
      return { target, proc };
    } catch {
      if (Date.now() > deadline) {
        await stopByPid(proc);
        throw new Error(`soketi did not answer within ${READY_TIMEOUT_MS / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function stopByPid(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function write(name: string, result: BenchResult): Promise<void> {
  await writeFile(join(OUT, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(OUT, `${name}.md`), renderBenchMarkdown(result));
}

async function main(): Promise<number> {
  await mkdir(OUT, { recursive: true });
  const uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  log(`machine: ${cpus().length} CPUs; ${uptime}`);
  const split = cpus().length >= 2;
  const serverCpu = split ? String(cpus().length - 1) : undefined;
  const pinned = split && pinSelf(`0-${cpus().length - 2}`);
  log(pinned ? `servers pinned to CPU ${serverCpu}, load to CPUs 0-${cpus().length - 2}` : 'servers and load share the CPUs');
  const cpu = pinned ? serverCpu : undefined;

  const results: BenchResult[] = [];
  const ref = await startReferenceChild({ ...(cpu !== undefined ? { cpus: cpu } : {}), name: 'reference' });
  try {
    log(`reference server: pid ${ref.target.pid}`);
    const r = await runBench({ target: ref.target, bounds, phases: benchPhases, log: (l) => log(`reference: ${l}`) });
    await write('reference', r);
    results.push(r);
  } finally {
    await ref.stop();
  }
  const soketi = await startSoketi(cpu);
  try {
    log(`soketi: pid ${soketi.target.pid}`);
    const r = await runBench({ target: soketi.target, bounds, phases: benchPhases, log: (l) => log(`soketi: ${l}`) });
    await write('soketi', r);
    results.push(r);
  } finally {
    await stopByPid(soketi.proc);
  }
  const after = execFileSync('uptime', { encoding: 'utf8' }).trim();
  const header = [
    '<!-- written by npm run bench:peers (suites/scripts/bench-peers.ts) -->',
    '',
    `Machine: ${cpus().length} CPUs, shared; before: \`${uptime}\`; after: \`${after}\`.`,
    pinned ? `Each server pinned to CPU ${serverCpu} (taskset), the load generator to the other CPUs.` : 'Servers and load generator share the CPUs.',
    '',
  ].join('\n');
  await writeFile(join(OUT, 'comparison.md'), `${header}\n${renderBenchComparison(results)}`);
  process.stdout.write(renderBenchComparison(results));
  log(`wrote ${OUT}/{reference,soketi}.{json,md}, comparison.md`);
  return results.every((r) => r.complete) ? 0 : 3;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench-peers failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
