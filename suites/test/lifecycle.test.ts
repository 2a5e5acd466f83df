// Target lifecycle and crash blame (issue 9 §2): `run --server-cmd` starts the reference server
// itself, restarts it after the crash, every case still gets a verdict, and the crash is a
// finding of its own blaming the case, and the frame, that killed it. Without a server command, a
// target that dies and comes back on its own is blamed the same way and the run goes on.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Event } from '../../spec/src/events.ts';
import type { AreaDef } from '../src/model/case.ts';
import { areas as registry } from '../src/cases/index.ts';
import { ManagedServer, ServerCommandError } from '../src/runner/lifecycle.ts';
import { probeTarget } from '../src/runner/liveness.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';
import { FAST_CHECK_SEED } from '../../test-support/seed.ts';
import { CLI_BIN } from './support/cli-process.ts';

/** the reference server's default app (serve without a config file) */
const APP = { appId: 'app-id', key: 'app-key', secret: 'app-secret' } as const;
const ROOT = new URL('../..', import.meta.url).pathname;
/** tsx loads the sources at every start: seconds on a busy machine */
const TEST_MS = 120_000;

/** the crashing case, then a hostile case and plain cases that must still be judged */
const KILLER = 'subscription/missing-channel-refused';
const AFTER = 'connection/recoverable-error-keeps-connection';
const PLAIN = ['subscription/public-succeeded', 'connection/socket-id-format'];

/** the areas in an order that runs the killer before the other hostile case (hostile cases run last, in area order) */
function areasKillerFirst(): AreaDef[] {
  const pick = (area: string) => registry.find((a) => a.area === area)!;
  return [pick('subscription'), pick('connection')];
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const serveArgs = (port: number) => [CLI_BIN, 'serve', '--port', String(port), '--fault', 'crash-on-malformed-subscribe'];
const serveCommand = (port: number) => [process.execPath, ...serveArgs(port)].map((a) => `'${a}'`).join(' ');
const targetOf = (port: number) => ({ ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}`, ...APP });

function options(port: number, extra: Partial<RunOptions> = {}): RunOptions {
  return {
    target: targetOf(port),
    profile: 'pusher',
    features: ['private-channels'],
    only: [KILLER, AFTER, ...PLAIN],
    exclude: [],
    level: 'may',
    strict: false,
    seed: FAST_CHECK_SEED,
    timeScale: 2,
    concurrency: 2,
    handleSigint: false,
    areas: areasKillerFirst(),
    ...extra,
  };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
});

describe('run --server-cmd', () => {
  it('starts the target, restarts it after the crash, judges every case and blames the killing frame', async () => {
    const port = await freePort();
    const report = await runConformance(options(port, { serverCommand: { command: serveCommand(port), cwd: ROOT } }));
    const selected = report.cases.filter((c) => c.verdict !== 'skipped');
    expect(selected.map((c) => c.id).sort()).toEqual([KILLER, AFTER, ...PLAIN].sort());
    // every case judged: nothing left as error or unrun after the crash
    expect(selected.filter((c) => c.verdict === 'error')).toEqual([]);
    expect(report.complete).toBe(true);
    expect(report.crashes).toHaveLength(1);
    const crash = report.crashes![0]!;
    expect(crash).toMatchObject({ afterCase: KILLER, detectedBy: 'exit', exit: 'exit code 1', recovered: true });
    // the frame it died on (the subscribe without a channel), not the ping the case wrote after it
    expect(crash.frame).toContain(Event.Subscribe);
    expect(crash.frame).not.toContain('"channel"');
    const killer = selected.find((c) => c.id === KILLER)!;
    expect(killer.verdict).toBe('fail');
    expect(killer.actual).toMatch(/the target exited \(exit code 1\) after this case's frame/);
    // the hostile case after the crash ran on the restarted target
    expect(selected.find((c) => c.id === AFTER)!.verdict).toBe('pass');
    for (const id of PLAIN) expect(selected.find((c) => c.id === id)!.verdict).toBe('pass');
    // a crash fails the run even though every other case passed
    expect(report.exitCode).not.toBe(0);
  }, TEST_MS);

  it('says plainly when the command exits before it is ready', async () => {
    const port = await freePort();
    const started = ManagedServer.start({ command: `'${process.execPath}' -e 'process.exit(7)'`, isReady: () => probeTarget(targetOf(port), 1), readyTimeoutMs: 20_000 });
    await expect(started).rejects.toBeInstanceOf(ServerCommandError);
    await expect(started).rejects.toThrow(/ended with exit code 7 before it was ready/);
  }, TEST_MS);
});

describe('a target that dies without a server command', () => {
  it('blames the case that sent the last frame, waits for it to come back, and keeps going', async () => {
    const port = await freePort();
    let restarts = 0;
    let stopped = false;
    // a supervisor outside the runner (e.g. a container restart policy) brings it back
    const start = () => {
      const child = spawn(process.execPath, serveArgs(port), { cwd: ROOT, stdio: 'ignore' });
      children.push(child);
      child.once('exit', () => {
        if (stopped) return;
        restarts++;
        setTimeout(start, 200);
      });
    };
    start();
    const deadline = Date.now() + 60_000;
    while (!(await probeTarget(targetOf(port), 1))) {
      if (Date.now() > deadline) throw new Error('the reference server did not start');
    }
    try {
      // time-scale 4: the comeback bound (5 s) must cover a tsx start on a busy machine
      const report = await runConformance(options(port, { timeScale: 4 }));
      expect(restarts).toBe(1);
      expect(report.crashes).toHaveLength(1);
      expect(report.crashes![0]).toMatchObject({ afterCase: KILLER, detectedBy: 'probe', recovered: true });
      expect(report.crashes![0]!.frame).toContain(Event.Subscribe);
      expect(report.complete).toBe(true);
      const selected = report.cases.filter((c) => c.verdict !== 'skipped');
      expect(selected.filter((c) => c.verdict === 'error')).toEqual([]);
      expect(selected.find((c) => c.id === KILLER)!.verdict).toBe('fail');
      expect(selected.find((c) => c.id === AFTER)!.verdict).toBe('pass');
    } finally {
      stopped = true;
    }
  }, TEST_MS);
});
