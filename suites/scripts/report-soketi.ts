/**
 * npm run report:soketi — runs the whole suite against real soketi 1.6.1 and rewrites
 * reports/soketi/ (JSON, JUnit, Markdown, HTML).
 *
 * soketi is installed from the npm registry and started ONLY through ../shared/peers/soketi/
 * start.sh (it pins every socket, UDP discovery included, to 127.0.0.1), configured the way an
 * operator would for a test run: webhooks to the suite's receiver, a short cache TTL, the client
 * event rate limit, user authentication with a long timeout. It is stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveProfile, webhookEventNames, type Feature } from '../../spec/src/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PEER_SCRIPT = resolve(ROOT, '..', 'shared', 'peers', 'soketi', 'start.sh');
const INSTALL_DIR = join(ROOT, '.peers', 'soketi');
const OUT = join(ROOT, 'reports', 'soketi');
const CACHE_TTL_SECONDS = 3;
const CLIENT_EVENTS_PER_SECOND = 10;
const START_TIMEOUT_MS = 180_000; // includes the first npm install

/** features the operator switches on above soketi's defaults with the variables below */
const CONFIGURED: readonly Feature[] = ['user-auth', 'server-to-user', 'terminate', 'webhooks', 'cache-ttl', 'client-event-rate-limit'];

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`soketi exited with code ${child.exitCode} before answering`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`soketi did not answer on ${url} within ${ms / 1000} s`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      res();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<number> {
  if (!existsSync(PEER_SCRIPT)) {
    process.stderr.write(`report:soketi: ${PEER_SCRIPT} not found (../shared must sit beside this repository)\n`);
    return 2;
  }
  // soketi also binds PORT+3600 (metrics) and PORT+5001 (UDP discovery): keep them in range
  let port = await freePort();
  while (port > 60_000) port = await freePort();
  const webhookPort = await freePort();
  const webhookUrl = `http://127.0.0.1:${webhookPort}/`;

  const env = {
    ...process.env,
    SOKETI_USER_AUTH: 'true',
    SOKETI_USER_AUTHENTICATION_TIMEOUT: String(10 * 60 * 1000),
    SOKETI_CHANNEL_CACHE_TTL: String(CACHE_TTL_SECONDS),
    SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC: String(CLIENT_EVENTS_PER_SECOND),
    SOKETI_DEFAULT_APP_WEBHOOKS: JSON.stringify([{ url: webhookUrl, event_types: webhookEventNames }]),
  };
  process.stdout.write(`starting soketi on 127.0.0.1:${port} (install dir ${INSTALL_DIR}) …\n`);
  const soketi = spawn(PEER_SCRIPT, [INSTALL_DIR, String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  soketi.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const onSignal = () => void stop(soketi).then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, soketi, START_TIMEOUT_MS);
    const profile = resolveProfile('soketi');
    const features = [...new Set([...Object.entries(profile.features).filter(([, on]) => on).map(([f]) => f), ...CONFIGURED])];
    const args = [
      join(ROOT, 'bin', 'pusher-conformance.js'), 'run',
      '--ws', `ws://127.0.0.1:${port}`, '--http', `http://127.0.0.1:${port}`,
      '--app-id', 'app-id', '--key', 'app-key', '--secret', 'app-secret',
      '--profile', 'soketi', '--features', features.join(','),
      '--limit', `cacheTtlSeconds=${CACHE_TTL_SECONDS}`, '--limit', `clientEventsPerSecond=${CLIENT_EVENTS_PER_SECOND}`,
      '--webhook-port', String(webhookPort), '--name', 'soketi 1.6.1', '--seed', '1', '--level', 'may',
      '--out', OUT, '--report', 'json,junit,md,html',
      ...process.argv.slice(2),
    ];
    process.stdout.write(`running: pusher-conformance ${args.slice(2).join(' ')}\n`);
    const code = await new Promise<number>((res) => {
      const run = spawn(process.execPath, args, { stdio: 'inherit' });
      run.once('exit', (c) => res(c ?? 2));
    });
    process.stdout.write(`reports written to ${OUT} (exit ${code}: 0 conformant, 1 failures, 2 setup error, 3 incomplete)\n`);
    // a non-conformant soketi is the expected finding, not a failure of this script
    return code === 2 || code === 3 ? code : 0;
  } catch (e) {
    process.stderr.write(`report:soketi: ${(e as Error).message}\n${log}\n`);
    return 2;
  } finally {
    await stop(soketi);
  }
}

process.exitCode = await main();
