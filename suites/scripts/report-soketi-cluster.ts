/**
 * npm run report:soketi-cluster — runs the whole suite, spread over two soketi 1.6.1 nodes joined
 * through Redis (the cluster area included), and rewrites reports/soketi-cluster/ (JSON, JUnit,
 * Markdown, HTML, and FINDINGS.md generated from the JSON), beside the single-node reports/soketi/.
 *
 * A throwaway redis-server (Debian's, 127.0.0.1, a free port, no persistence: test-support/redis.ts)
 * joins the nodes. The nodes are started ONLY through ../shared/peers/soketi/start.sh with
 * SOKETI_REDIS_PORT, configured as the single-node report configures soketi; the runner starts them
 * (--node-cmd: one process group each), restarts a node that crashed (as --server-cmd does), kills
 * one for the node-death case (SIGKILL, as a crash would) and restarts it, and stops them by PID at
 * the end. Redis is stopped by its PID.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveProfile, webhookEventNames, type Feature } from '../../spec/src/index.ts';
import { writeFindingsFile } from '../src/reports/findings.ts';
import { freePort, redisAvailable, startRedis, type RunningRedis } from '../../test-support/redis.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PEER_SCRIPT = resolve(ROOT, '..', 'shared', 'peers', 'soketi', 'start.sh');
const INSTALL_DIR = join(ROOT, '.peers', 'soketi');
const OUT = join(ROOT, 'reports', 'soketi-cluster');
const NODES = 2;
const CACHE_TTL_SECONDS = 3;
const CLIENT_EVENTS_PER_SECOND = 10;
/** bound of the whole run (the first start may include soketi's npm install) */
const RUN_TIMEOUT_MS = 40 * 60 * 1000;

/** features the operator switches on above soketi's defaults with the variables below */
const CONFIGURED: readonly Feature[] = ['user-auth', 'server-to-user', 'terminate', 'webhooks', 'cache-ttl', 'client-event-rate-limit'];

/** soketi also binds PORT+3600 (metrics) and PORT+5001 (UDP discovery): keep them in range and apart */
async function nodePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < n) {
    const p = await freePort();
    if (p > 60_000 || ports.some((q) => Math.abs(q - p) < 10)) continue;
    ports.push(p);
  }
  return ports;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

async function main(): Promise<number> {
  if (!existsSync(PEER_SCRIPT)) {
    process.stderr.write(`report:soketi-cluster: ${PEER_SCRIPT} not found (../shared must sit beside this repository)\n`);
    return 2;
  }
  if (!redisAvailable()) {
    process.stderr.write('report:soketi-cluster: redis-server not found: apt-get install -y --no-install-recommends redis-server\n');
    return 2;
  }
  let redis: RunningRedis | undefined;
  let interrupted = false;
  let run: ReturnType<typeof spawn> | undefined;
  const onSignal = (): void => {
    interrupted = true;
    // the runner stops the nodes it started (their process groups) on its way out
    if (run?.pid !== undefined) run.kill('SIGINT');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    redis = await startRedis();
    process.stdout.write(`redis-server on 127.0.0.1:${redis.port} (pid ${redis.pid})\n`);
    const ports = await nodePorts(NODES);
    const webhookPort = await freePort();
    const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
    // every node gets the same settings: what an operator deploys behind a load balancer
    const soketiEnv: Record<string, string> = {
      SOKETI_REDIS_PORT: String(redis.port),
      SOKETI_USER_AUTH: 'true',
      SOKETI_USER_AUTHENTICATION_TIMEOUT: String(10 * 60 * 1000),
      SOKETI_CHANNEL_CACHE_TTL: String(CACHE_TTL_SECONDS),
      SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC: String(CLIENT_EVENTS_PER_SECOND),
      SOKETI_DEFAULT_APP_WEBHOOKS: JSON.stringify([{ url: webhookUrl, event_types: webhookEventNames }]),
    };
    const profile = resolveProfile('soketi');
    const features = [...new Set([...Object.entries(profile.features).filter(([, on]) => on).map(([f]) => f), ...CONFIGURED])];
    // paths relative to the repository root, where the CLI runs; the settings in the command, so
    // that target.json (written beside the reports) restarts the same nodes (with Redis on the same port)
    const nodeCommand = (p: number): string => ['exec', 'env', ...Object.entries(soketiEnv).map(([k, v]) => `${k}=${shellQuote(v)}`), shellQuote(relative(ROOT, PEER_SCRIPT)), shellQuote(relative(ROOT, INSTALL_DIR)), String(p)].join(' ');
    const nodeArgs = ports.flatMap((p) => ['--node', `ws=ws://127.0.0.1:${p},http=http://127.0.0.1:${p}`, '--node-cmd', nodeCommand(p)]);
    const args = [
      join(ROOT, 'bin', 'pusher-conformance.js'), 'run',
      ...nodeArgs,
      '--app-id', 'app-id', '--key', 'app-key', '--secret', 'app-secret',
      '--profile', 'soketi', '--features', features.join(','),
      '--limit', `cacheTtlSeconds=${CACHE_TTL_SECONDS}`, '--limit', `clientEventsPerSecond=${CLIENT_EVENTS_PER_SECOND}`,
      '--webhook-port', String(webhookPort), '--name', `soketi 1.6.1 (${NODES} nodes, Redis)`, '--seed', '1', '--level', 'may',
      '--out', relative(ROOT, OUT), '--report', 'json,junit,md,html',
      ...process.argv.slice(2),
    ];
    process.stdout.write(`running: pusher-conformance ${args.slice(2).join(' ')}\n`);
    const code = await new Promise<number>((res) => {
      run = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
      const timer = setTimeout(() => run?.kill('SIGINT'), RUN_TIMEOUT_MS);
      run.once('exit', (c) => {
        clearTimeout(timer);
        res(c ?? 2);
      });
    });
    const out = resolve(ROOT, args[args.lastIndexOf('--out') + 1] ?? OUT);
    process.stdout.write(`reports written to ${out} (exit ${code}: 0 conformant, 1 failures, 2 setup error, 3 incomplete)\n`);
    if (interrupted) return 130;
    if (code === 2) return 2;
    process.stdout.write(`findings written to ${await writeFindingsFile(out)}\n`);
    // a non-conformant cluster is the expected finding, not a failure of this script
    return code === 3 ? 3 : 0;
  } catch (e) {
    process.stderr.write(`report:soketi-cluster: ${(e as Error).message}\n`);
    return 2;
  } finally {
    await redis?.stop();
  }
}

process.exitCode = await main();
