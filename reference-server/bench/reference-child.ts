/**
 * Starts the reference server for a bench in its own process (server-process.ts), optionally
 * pinned to given CPUs, so that its RSS and CPU can be read from /proc by pid.
 * Shared by `npm run bench:server` and suites/scripts/bench-peers.ts.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchTarget } from '../../suites/src/bench/target.ts';
import type { ChildMessage, ParentMessage } from './server-process.ts';

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export interface ReferenceChild {
  readonly target: BenchTarget;
  stop(): Promise<void>;
}

/** `taskset -c LIST` when taskset exists and the CPUs are there; else nothing (unpinned) */
export function pinPrefix(cpuList: string | undefined): string[] {
  if (cpuList === undefined) return [];
  const probe = spawnSync('taskset', ['-c', cpuList, 'true'], { stdio: 'ignore' });
  return probe.status === 0 ? ['taskset', '-c', cpuList] : [];
}

/** pins this process (the load generator) to the CPUs; false if it cannot */
export function pinSelf(cpuList: string): boolean {
  return spawnSync('taskset', ['-cp', cpuList, String(process.pid)], { stdio: 'ignore' }).status === 0;
}

export async function startReferenceChild(opts: { cpus?: string; name?: string } = {}): Promise<ReferenceChild> {
  const script = fileURLToPath(new URL('./server-process.ts', import.meta.url));
  const tsx = import.meta.resolve('tsx');
  const pin = pinPrefix(opts.cpus);
  // the child's soft fd limit raised to the hard one where the shell allows it
  const proc = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', ...pin, process.execPath, '--import', tsx, script], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ready = await new Promise<ChildMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the reference server process did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    proc.once('message', (m: ChildMessage) => {
      clearTimeout(timer);
      resolve(m);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the reference server process exited with ${code} before it was ready`));
    });
  }).catch((err: unknown) => {
    proc.kill('SIGKILL');
    throw err;
  });
  if (ready.type !== 'ready') {
    proc.kill('SIGKILL');
    throw new Error(`the reference server process failed: ${ready.message}`);
  }
  const pid = proc.pid!;
  return {
    target: { name: opts.name ?? 'reference', ws: ready.wsUrl, http: ready.httpUrl, appId: ready.app.id, key: ready.app.key, secret: ready.app.secret, pid },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      if (proc.connected) proc.send({ cmd: 'stop' } satisfies ParentMessage);
      else proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
