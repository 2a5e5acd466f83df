/**
 * `--server-cmd`: the runner starts the target itself, waits (bounded) until it answers, restarts
 * it after a crash, and stops it on every way out (end of run, SIGINT, an error, process exit).
 * The command runs under `sh -c` as the leader of its own process group, so stopping it stops
 * whatever it spawned (a wrapper script, npm, the server), by the group's PID, never by name.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HarnessError } from '../model/outcome.ts';

/** default bound for the target to become ready after a start, before time-scale */
export const DEFAULT_READY_TIMEOUT_MS = 30_000;
/** after SIGTERM, how long the process group gets before SIGKILL */
export const STOP_GRACE_MS = 3_000;
/** bytes of the command's output kept for messages */
const OUTPUT_TAIL_BYTES = 4096;
/** pause between two readiness attempts */
const READY_POLL_MS = 150;
/** bound of one readiness HTTP request */
const READY_REQUEST_MS = 1_000;

/** The target command could not be started, did not become ready, or exited before it was. */
export class ServerCommandError extends HarnessError {}

export interface ServerCommandOptions {
  /** shell command line that starts the target in the foreground */
  readonly command: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** an http(s) URL that answers once the target is ready; absent: `isReady` */
  readonly readyUrl?: string;
  /** the default readiness check (the runner's WebSocket handshake probe) */
  readonly isReady: () => Promise<boolean>;
  /** bound for each start to become ready, ms (already time-scaled) */
  readonly readyTimeoutMs: number;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** performance.now() of the exit */
  readonly at: number;
}

export const describeExit = (e: Pick<ExitInfo, 'code' | 'signal'>): string => (e.signal ? `signal ${e.signal}` : `exit code ${e.code ?? '?'}`);

// unref: a live child keeps the loop running; a grace period must not keep a finished runner alive
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** any HTTP answer from `url` within the bound */
function answersHttp(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    let req;
    try {
      req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method: 'GET', timeout: READY_REQUEST_MS }, (res) => {
        res.resume();
        resolve(true);
      });
    } catch {
      resolve(false);
      return;
    }
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export class ManagedServer {
  readonly #opts: ServerCommandOptions;
  #child: ChildProcess | undefined;
  #exit: ExitInfo | undefined;
  #output = '';
  #starts = 0;
  /** set while the runner itself stops the process: that exit is no crash */
  #stopping = false;
  readonly #exitListeners = new Set<(e: ExitInfo) => void>();
  /** the last resort: a runner that exits for any reason takes its target's process group along */
  readonly #onProcessExit = () => this.#killGroup('SIGKILL');

  private constructor(opts: ServerCommandOptions) {
    this.#opts = opts;
  }

  /** Start the command and wait until the target is ready (a ServerCommandError otherwise). */
  static async start(opts: ServerCommandOptions): Promise<ManagedServer> {
    const server = new ManagedServer(opts);
    process.on('exit', server.#onProcessExit);
    try {
      await server.#startAndWait();
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }
  /** the process is running (it may still be starting) */
  get running(): boolean {
    return this.#child !== undefined && this.#exit === undefined;
  }
  get lastExit(): ExitInfo | undefined {
    return this.#exit;
  }
  /** how many times the command was started */
  get starts(): number {
    return this.#starts;
  }
  /** the end of what the command printed, for messages */
  outputTail(): string {
    return this.#output.trim();
  }

  /** called once per unexpected exit of the target's process */
  onExit(listener: (e: ExitInfo) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  #spawn(): void {
    this.#exit = undefined;
    this.#starts++;
    const child = spawn('/bin/sh', ['-c', this.#opts.command], {
      cwd: this.#opts.cwd,
      env: this.#opts.env ?? process.env,
      // its own process group: the whole tree is signalled through -pid
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (e) => keep(Buffer.from(`\n${e.message}\n`)));
    child.once('exit', (code, signal) => {
      if (this.#child !== child) return;
      const info: ExitInfo = { code, signal, at: performance.now() };
      this.#exit = info;
      if (!this.#stopping) for (const l of [...this.#exitListeners]) l(info);
    });
  }

  async #startAndWait(): Promise<void> {
    this.#spawn();
    const deadline = performance.now() + this.#opts.readyTimeoutMs;
    const cmd = this.#opts.command;
    for (;;) {
      if (this.#exit) {
        const tail = this.outputTail();
        throw new ServerCommandError(`the target command (--server-cmd '${cmd}') ended with ${describeExit(this.#exit)} before it was ready${tail ? `; its last output: ${tail.split('\n').slice(-3).join(' | ')}` : ''}`);
      }
      const ready = this.#opts.readyUrl !== undefined ? await answersHttp(this.#opts.readyUrl) : await this.#opts.isReady().catch(() => false);
      if (ready && !this.#exit) return;
      if (performance.now() >= deadline) {
        throw new ServerCommandError(
          `the target started by --server-cmd '${cmd}' was not ready within ${this.#opts.readyTimeoutMs} ms (${this.#opts.readyUrl ? `no HTTP answer from ${this.#opts.readyUrl}` : 'no WebSocket handshake at the target URL'}); raise --time-scale or check that the command serves the --ws URL`,
        );
      }
      await sleep(READY_POLL_MS);
    }
  }

  /** Stop what is left of the target and start it again; resolves once it is ready. */
  async restart(): Promise<void> {
    await this.#stopChild();
    await this.#startAndWait();
  }

  #killGroup(signal: NodeJS.Signals): void {
    const pid = this.#child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone already
    }
  }

  async #stopChild(): Promise<void> {
    const child = this.#child;
    if (!child || child.pid === undefined) return;
    // the shell may be gone while the server it started lives on: signal the group regardless
    const pid = child.pid;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // nothing left in the group
      }
    };
    const exited = this.#exit ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
    this.#stopping = true;
    try {
      signalGroup('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
      signalGroup('SIGKILL');
      if (!done) await Promise.race([exited, sleep(STOP_GRACE_MS)]);
    } finally {
      this.#stopping = false;
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  }

  /** Stop the target's process group (SIGTERM, then SIGKILL); idempotent. */
  async stop(): Promise<void> {
    this.#exitListeners.clear();
    try {
      await this.#stopChild();
    } finally {
      this.#child = undefined;
      process.off('exit', this.#onProcessExit);
    }
  }
}
