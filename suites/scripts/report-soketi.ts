/**
 * npm run report:soketi — runs the whole suite against real soketi 1.6.1 and rewrites
 * reports/soketi/ (JSON, JUnit, Markdown, HTML, and FINDINGS.md generated from the JSON). Extra
 * arguments go to `pusher-conformance run` (e.g. `-- --only 'robustness/*' --out /tmp/soketi`).
 *
 * soketi is installed from the npm registry and started ONLY through ../shared/peers/soketi/
 * start.sh (it pins every socket, UDP discovery included, to 127.0.0.1), configured the way an
 * operator would for a test run: webhooks to the suite's receiver, a short cache TTL, the client
 * event rate limit, user authentication with a long timeout. The runner starts it itself
 * (`--server-cmd`), waits until it answers and restarts it after a crash, so a frame that kills
 * soketi is one finding and every case still gets a verdict. The runner stops it by its process
 * group; this script stops only the processes it started, by PID.
 *
 * Not configurable through start.sh: a second app. Its config holds one app and soketi maps
 * environment variables to that app alone, so the disabled-app and quota cases stay unsupported
 * (the profile says app-management: false).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveProfile, webhookEventNames, type Feature } from '../../spec/src/index.ts';
import { writeFindingsFile } from '../src/reports/findings.ts';
import { shq } from '../src/runner/repro.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PEER_SCRIPT = resolve(ROOT, '..', 'shared', 'peers', 'soketi', 'start.sh');
const INSTALL_DIR = join(ROOT, '.peers', 'soketi');
const OUT = join(ROOT, 'reports', 'soketi');
const CACHE_TTL_SECONDS = 3;
const CLIENT_EVENTS_PER_SECOND = 10;
/** the first start installs soketi from the npm registry (~30 s, more on a busy machine) */
const INSTALL_TIMEOUT_MS = 300_000;
/** after SIGTERM, soketi's graceful stop takes ~3 s */
const STOP_GRACE_MS = 10_000;
/** the marker start.sh leaves once its variant is installed */
const installedMarker = (): string => join(INSTALL_DIR, `.installed-${process.env.SOKETI_VARIANT ?? 'node18'}`);

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

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      res();
    });
    child.kill(signal);
  });
}

/** First use: start.sh installs soketi, then serves; once it answers it is stopped again. */
async function install(env: NodeJS.ProcessEnv, port: number): Promise<void> {
  process.stdout.write(`installing soketi into ${INSTALL_DIR} (first use) …\n`);
  const soketi = spawn(PEER_SCRIPT, [INSTALL_DIR, String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  soketi.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, soketi, INSTALL_TIMEOUT_MS);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${log}`);
  } finally {
    await stop(soketi);
  }
}

/** where the reports go: reports/soketi, or the last `--out` passed through to the CLI */
function outDir(extra: readonly string[]): string {
  const at = extra.lastIndexOf('--out');
  return at >= 0 && extra[at + 1] !== undefined ? resolve(extra[at + 1]!) : OUT;
}

async function main(): Promise<number> {
  const extra = process.argv.slice(2);
  const out = outDir(extra);
  if (!existsSync(PEER_SCRIPT)) {
    process.stderr.write(`report:soketi: ${PEER_SCRIPT} not found (../shared must sit beside this repository)\n`);
    return 2;
  }
  // soketi also binds PORT+3600 (metrics) and PORT+5001 (UDP discovery): keep them in range
  let port = await freePort();
  while (port > 60_000) port = await freePort();
  const webhookPort = await freePort();
  const webhookUrl = `http://127.0.0.1:${webhookPort}/`;

  // soketi reads these SOKETI_* variables; they are part of the server command, so the settings
  // file the run writes beside the reports (target.json) starts soketi the same way again
  const soketiEnv: Record<string, string> = {
    SOKETI_USER_AUTH: 'true',
    SOKETI_USER_AUTHENTICATION_TIMEOUT: String(10 * 60 * 1000),
    SOKETI_CHANNEL_CACHE_TTL: String(CACHE_TTL_SECONDS),
    SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC: String(CLIENT_EVENTS_PER_SECOND),
    SOKETI_DEFAULT_APP_WEBHOOKS: JSON.stringify([{ url: webhookUrl, event_types: webhookEventNames }]),
  };
  const env = { ...process.env, ...soketiEnv };

  try {
    if (!existsSync(installedMarker())) await install(env, port);
  } catch (e) {
    process.stderr.write(`report:soketi: ${(e as Error).message}\n`);
    return 2;
  }

  const profile = resolveProfile('soketi');
  const features = [...new Set([...Object.entries(profile.features).filter(([, on]) => on).map(([f]) => f), ...CONFIGURED])];
  // paths relative to the repository root, where the CLI runs (and a reproduction is run from)
  const serverCmd = ['env', ...Object.entries(soketiEnv).map(([k, v]) => `${k}=${shq(v)}`), shq(relative(ROOT, PEER_SCRIPT)), shq(relative(ROOT, INSTALL_DIR)), String(port)].join(' ');
  const args = [
    join(ROOT, 'bin', 'pusher-conformance.js'), 'run',
    '--ws', `ws://127.0.0.1:${port}`, '--http', `http://127.0.0.1:${port}`,
    '--app-id', 'app-id', '--key', 'app-key', '--secret', 'app-secret',
    '--server-cmd', serverCmd,
    '--profile', 'soketi', '--features', features.join(','),
    '--limit', `cacheTtlSeconds=${CACHE_TTL_SECONDS}`, '--limit', `clientEventsPerSecond=${CLIENT_EVENTS_PER_SECOND}`,
    '--webhook-port', String(webhookPort), '--name', 'soketi 1.6.1', '--seed', '1', '--level', 'may',
    '--out', relative(ROOT, OUT), '--report', 'json,junit,md,html',
    ...extra,
  ];
  process.stdout.write(`running: pusher-conformance ${args.slice(2).join(' ')}\n`);
  const run = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  // the CLI stops soketi (its --server-cmd) before it exits; pass an interrupt on to it
  const onSignal = (signal: NodeJS.Signals) => void stop(run, signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const code = await new Promise<number>((res) => run.once('exit', (c) => res(c ?? 2)));
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.stdout.write(`reports written to ${out} (exit ${code}: 0 conformant, 1 failures, 2 setup error, 3 incomplete)\n`);
  if (code === 2) return 2;
  try {
    process.stdout.write(`findings written to ${await writeFindingsFile(out)}\n`);
  } catch (e) {
    process.stderr.write(`report:soketi: FINDINGS.md not written: ${(e as Error).message}\n`);
    return 2;
  }
  // a non-conformant soketi is the expected finding, not a failure of this script
  return code === 3 ? 3 : 0;
}

process.exitCode = await main();
