import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI_BIN = join(fileURLToPath(new URL('../../..', import.meta.url)), 'bin', 'pusher-conformance.js');
/** Each spawn loads tsx and the sources: seconds on a busy machine. */
export const SPAWN_TEST_MS = 120_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** peak resident set of the CLI process, kB (VmHWM), when sampled */
  peakRssKb?: number;
}

export interface CliOptions {
  /** working directory (paths resolve from the bin, not the cwd) */
  readonly cwd: string;
  readonly timeout?: number;
  readonly env?: Record<string, string>;
  /** node flags before the bin, e.g. --max-old-space-size=256 */
  readonly nodeFlags?: readonly string[];
  /** sample the child's peak RSS from /proc every 100 ms */
  readonly sampleRss?: boolean;
}

/** Run `node bin/pusher-conformance.js ARGS` as a child: exit code, output, wall time. */
export function runCli(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  const started = Date.now();
  let peak = 0;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...(opts.nodeFlags ?? []), CLI_BIN, ...args],
      { cwd: opts.cwd, timeout: opts.timeout ?? 60_000, env: { ...process.env, NO_COLOR: '1', PUSHER_SECRET: '', ...opts.env }, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        clearInterval(sampler);
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - started, ...(peak > 0 ? { peakRssKb: peak } : {}) });
      },
    );
    const sampler = setInterval(() => {
      if (!opts.sampleRss || child.pid === undefined) return;
      readFile(`/proc/${child.pid}/status`, 'utf8').then(
        (s) => {
          const m = /VmHWM:\s+(\d+) kB/.exec(s);
          if (m) peak = Math.max(peak, Number(m[1]));
        },
        () => {},
      );
    }, 100);
  });
}
