/**
 * Webhooks across a network boundary: the reference server runs as its own process (`serve`) and
 * POSTs to a host name (localhost, not the receiver's 127.0.0.1), while the suite's receiver
 * listens on 0.0.0.0 (--webhook-host) at the URL's port (--webhook-url). Without a webhook URL or
 * port, an external target's webhook cases are unsupported with a hint, not setup errors; with a
 * URL that nothing POSTs to, they stay setup errors. Nothing leaves loopback: the target and the
 * host name are this machine's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../../spec/src/report.ts';
import { CLI_BIN, runCli, SPAWN_TEST_MS, type CliResult } from './support/cli-process.ts';

/** a port nothing listens on right now (the receiver or the server binds it next) */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Served {
  readonly child: ChildProcess;
  readonly ws: string;
  readonly http: string;
}

/** `serve --port 0` as a child process, with extra environment; resolves once the banner names its port */
async function serve(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0'], { cwd: tmp, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 60 s; stderr: ${stderr}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /WebSocket\s+ws:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', () => reject(new Error(`serve exited before its banner; stderr: ${stderr}`)));
  });
  return { child, ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}` };
}

async function stop(s: Served | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const targetFlags = (s: Served) => ['--ws', s.ws, '--http', s.http, '--app-id', 'app-id', '--key', 'app-key'];
/** the secret comes from the environment, as a CI secret would */
const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, { cwd: tmp, timeout: 150_000, env: { PUSHER_SECRET: 'app-secret' } });
const readReport = async (dir: string) => Report.parse(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')));

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pc-webhook-net-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('a receiver on 0.0.0.0 reached through a host name', () => {
  let served: Served | undefined;
  let hookPort = 0;
  const HOST_NAME = 'localhost';
  beforeAll(async () => {
    // the target must POST to a name, not to the receiver's own address: /etc/hosts maps it to loopback
    const { address } = await lookup(HOST_NAME, { family: 4 });
    expect(address).toMatch(/^127\./);
    hookPort = await freePort();
    served = await serve({ PUSHER_WEBHOOK_URL: `http://${HOST_NAME}:${hookPort}/hooks/from-target` });
  }, SPAWN_TEST_MS);
  afterAll(() => stop(served), 20_000);

  it('doctor prints where the receiver listens and the URL to configure, and the webhook check passes', async () => {
    const url = `http://${HOST_NAME}:${hookPort}/hooks/from-target`;
    const r = await cli(['doctor', ...targetFlags(served!), '--webhook-host', '0.0.0.0', '--webhook-url', url]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout, r.stdout).toContain(`webhook receiver listening on 0.0.0.0:${hookPort}; the target must POST webhooks to ${url}`);
    expect(r.stdout, r.stdout).toMatch(new RegExp(`✓ webhooks: channel_occupied reached the suite's receiver at ${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  }, SPAWN_TEST_MS);

  it('the webhook cases pass, and the report records the webhook URL', async () => {
    const url = `http://${HOST_NAME}:${hookPort}/hooks/from-target`;
    const out = join(tmp, 'network');
    // no --webhook-port: the receiver binds the URL's port
    const r = await cli(['run', ...targetFlags(served!), '--webhook-host', '0.0.0.0', '--webhook-url', url, '--only', 'webhooks/*', '--out', out, '--seed', '3']);
    const report = await readReport(out);
    const hooks = report.cases.filter((c) => c.area === 'webhooks' && c.verdict !== 'skipped');
    expect(hooks.length).toBeGreaterThan(5);
    expect(hooks.filter((c) => c.verdict !== 'pass' && c.verdict !== 'unsupported').map((c) => `${c.id}: ${c.verdict} ${c.message ?? c.actual}`)).toEqual([]);
    expect(hooks.filter((c) => c.verdict === 'pass').length).toBeGreaterThan(5);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(report.target.webhookUrl).toBe(url);
    expect(report.doctor.find((d) => d.check === 'webhooks')).toMatchObject({ ok: true });
  }, SPAWN_TEST_MS);
});

describe('an external target with no webhook URL', () => {
  let served: Served | undefined;
  beforeAll(async () => {
    served = await serve({});
  }, SPAWN_TEST_MS);
  afterAll(() => stop(served), 20_000);

  it('has its webhook cases unsupported with the hint, exits 0, and reproduces with target.json and PUSHER_SECRET', async () => {
    const out = join(tmp, 'no-url');
    const r = await cli(['run', ...targetFlags(served!), '--only', 'webhooks/*', '--only', 'connection/established-fields', '--out', out, '--seed', '5']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const report = await readReport(out);
    const hooks = report.cases.filter((c) => c.area === 'webhooks' && c.verdict !== 'skipped');
    expect(hooks.length).toBeGreaterThan(5);
    for (const c of hooks) {
      expect(c.verdict, c.id).toBe('unsupported');
      expect(c.message).toMatch(/no --webhook-url or --webhook-port was given, so the target cannot know where to send webhooks/);
      expect(c.message).toMatch(/--webhook-host 0\.0\.0\.0 --webhook-url http:\/\/HOST:9000\/webhooks/);
    }
    expect(report.doctor.find((d) => d.check === 'webhooks')).toMatchObject({ ok: false, blocks: [] });
    expect(report.target.webhookUrl).toBeUndefined();

    // the settings file holds the target but no secret; the short reproduce command works with PUSHER_SECRET
    const settings = await readFile(join(out, 'target.json'), 'utf8');
    expect(JSON.parse(settings)).toMatchObject({ target: { ws: served!.ws, http: served!.http, appId: 'app-id', key: 'app-key' } });
    expect(settings).not.toContain('app-secret');
    const passed = report.cases.find((c) => c.id === 'connection/established-fields')!;
    expect(passed.verdict).toBe('pass');
    expect(passed.reproduce).toBe("npx pusher-conformance run --config no-url/target.json --only 'connection/established-fields' --seed 5");
    const again = await cli(['run', '--config', join(out, 'target.json'), '--only', 'connection/established-fields', '--seed', '5', '--out', join(tmp, 'no-url-again')]);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect((await readReport(join(tmp, 'no-url-again'))).target.ws).toBe(served!.ws);
  }, SPAWN_TEST_MS * 2);

  it('with a webhook URL that nothing POSTs to, the webhook cases stay setup errors (exit 2) and the doctor says what to configure', async () => {
    const url = `http://localhost:${await freePort()}/webhooks`;
    const out = join(tmp, 'silent-url');
    const r = await cli(['run', ...targetFlags(served!), '--webhook-url', url, '--only', 'webhooks/*', '--out', out, '--seed', '5']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(2);
    const report = await readReport(out);
    const check = report.doctor.find((d) => d.check === 'webhooks')!;
    expect(check).toMatchObject({ ok: false, blocks: ['webhooks'] });
    expect(check.message).toContain(`set the target app's webhook URL to ${url} with every event type (channel_occupied, channel_vacated, member_added, member_removed, client_event, cache_miss`);
    expect(report.cases.filter((c) => c.area === 'webhooks' && c.verdict === 'error').length).toBeGreaterThan(5);
  }, SPAWN_TEST_MS);
});
