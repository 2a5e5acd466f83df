/**
 * Is the target still there, and if it died, whose input killed it. Every running case's
 * transcript records the last frame (or request) it sent, with a timestamp; when the target stops
 * answering, or its process exits (--server-cmd), the crash is blamed on the case that sent the
 * last frame before the death, the crash becomes a finding of its own (report `crashes`), and the
 * run goes on once the target is back: restarted by the runner, or back on its own within a bound.
 * @module
 */
import type { TargetCrash } from '../../../spec/src/report.ts';
import { appPath, ConnectQuery, PROTOCOL_VERSION } from '../../../spec/src/protocol.ts';
import { HarnessClient } from '../harness/client.ts';
import { Transcript, type SentRecord } from '../harness/transcript.ts';
import type { Target } from '../harness/types.ts';
import { describeExit, type ExitInfo, type ManagedServer } from './lifecycle.ts';

/** bound of one liveness probe, before time-scale */
export const PROBE_MS = 2000;
/** without --server-cmd: how long a dead target gets to come back on its own, before time-scale */
export const COMEBACK_MS = 5000;
/** pause between two probes while waiting for a comeback */
const COMEBACK_POLL_MS = 250;
/** with --server-cmd: how long a target that failed the probe gets to show it exited */
const EXIT_GRACE_MS = 1000;
const EXIT_POLL_MS = 50;
/** frames a connection sent this close before its last one reach the target together (see Transcript.firstUnanswered) */
export const BURST_MS = 500;

/** Connect and complete a handshake within the bound; false if the target does not answer. */
export async function probeTarget(target: Pick<Target, 'ws' | 'key' | 'secret'>, timeScale: number): Promise<boolean> {
  const url = `${target.ws}${appPath(target.key)}?${new URLSearchParams({ [ConnectQuery.Protocol]: String(PROTOCOL_VERSION) }).toString()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const c = await HarnessClient.connect({ label: 'probe', url, key: target.key, secret: target.secret, transcript: new Transcript(), timeScale, newUserId: () => 'probe' }, PROBE_MS);
      await c.close();
      return true;
    } catch {
      // try once more: one slow answer is not a dead target
    }
  }
  return false;
}

export interface GuardOptions {
  /** one liveness probe */
  readonly probe: () => Promise<boolean>;
  /** the target's process, when the runner started it (or a cluster's node processes, runner/nodes.ts) */
  readonly server?: Pick<ManagedServer, 'onExit' | 'restart'>;
  /** without a server: how long to wait for the target to come back, ms (already scaled) */
  readonly comebackMs: number;
}

/**
 * A case's last send, and the frame to name for it: the first its connection sent, in the burst
 * that ended with the last send, that the target never answered (the frame it died on).
 */
function named(t: Transcript): { last: SentRecord; named: SentRecord } | undefined {
  const last = t.lastSent();
  if (!last) return undefined;
  const first = last.who === undefined ? undefined : t.firstUnanswered(last.who, BURST_MS);
  return { last, named: first ?? last };
}

// not unref: while the runner waits for the target, nothing else may keep the process alive
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class TargetGuard {
  readonly #opts: GuardOptions;
  /** increments at every crash: a case that saw another epoch end than it started in was disturbed */
  #epoch = 0;
  readonly #crashes: TargetCrash[] = [];
  #down: TargetCrash | undefined;
  readonly #running = new Map<string, Transcript>();
  /** last sends of the cases that finished since the target last answered, with the frame to name */
  readonly #finished = new Map<string, { last: SentRecord; named: SentRecord }>();
  #checking: Promise<void> | undefined;
  #exit: ExitInfo | undefined;
  readonly #offExit: (() => void) | undefined;

  constructor(opts: GuardOptions) {
    this.#opts = opts;
    this.#offExit = opts.server?.onExit((e) => {
      this.#exit = e;
      void this.check();
    });
  }

  get epoch(): number {
    return this.#epoch;
  }
  get crashes(): readonly TargetCrash[] {
    return this.#crashes;
  }
  /** the crash the target did not come back from */
  get down(): TargetCrash | undefined {
    return this.#down;
  }
  /** crashes blamed on `caseId` */
  blamedOn(caseId: string): TargetCrash | undefined {
    return this.#crashes.find((c) => c.afterCase === caseId);
  }

  caseStarted(id: string, transcript: Transcript): void {
    this.#running.set(id, transcript);
  }

  caseFinished(id: string): void {
    const t = this.#running.get(id);
    this.#running.delete(id);
    const sent = t && named(t);
    if (sent) this.#finished.set(id, sent);
  }

  /** resolves once no crash is being handled (cases wait here before they start) */
  async settled(): Promise<void> {
    while (this.#checking) await this.#checking;
  }

  /**
   * Probe the target (single flight); on death, blame, record and recover. `suspect` is blamed
   * when no case sent anything before the death (the case whose outcome prompted the check).
   */
  check(suspect?: string): Promise<void> {
    if (this.#down) return Promise.resolve();
    this.#checking ??= this.#check(suspect).finally(() => {
      this.#checking = undefined;
      // the process exited again while the last crash was being handled
      if (this.#exit && !this.#down) void this.check();
    });
    return this.#checking;
  }

  async #check(suspect: string | undefined): Promise<void> {
    const exit = this.#exit;
    const alive = exit === undefined && (await this.#opts.probe());
    if (alive && this.#exit === undefined) {
      this.#finished.clear();
      return;
    }
    // a process that stopped answering is often still exiting: its exit code is the better evidence
    if (this.#exit === undefined && this.#opts.server) await this.#exitWithin(EXIT_GRACE_MS);
    const died = this.#exit ?? exit;
    const handled = this.#exit;
    const deathAt = died?.at ?? performance.now();
    const blamed = this.#lastSenderBefore(deathAt);
    const crash: TargetCrash = {
      afterCase: blamed?.caseId ?? suspect ?? '(none: no case had sent anything)',
      ...(blamed ? { frame: blamed.sent.text, ...(blamed.sent.who !== undefined ? { who: blamed.sent.who } : {}) } : {}),
      at: new Date().toISOString(),
      detectedBy: died ? 'exit' : 'probe',
      ...(died ? { exit: describeExit(died) } : {}),
      recovered: false,
    };
    this.#epoch++;
    const recovered = await this.#recover();
    if (this.#exit === handled) this.#exit = undefined;
    this.#finished.clear();
    const recorded = { ...crash, recovered };
    this.#crashes.push(recorded);
    if (!recovered) this.#down = recorded;
  }

  /** the case whose send was the last before the death, and the frame of it to name */
  #lastSenderBefore(at: number): { caseId: string; sent: SentRecord } | undefined {
    let best: { caseId: string; last: SentRecord; named: SentRecord } | undefined;
    const consider = (caseId: string, sent: { last: SentRecord; named: SentRecord } | undefined) => {
      if (sent && sent.last.at <= at && (!best || sent.last.at > best.last.at)) best = { caseId, ...sent };
    };
    for (const [id, sent] of this.#finished) consider(id, sent);
    for (const [id, t] of this.#running) consider(id, named(t));
    return best ? { caseId: best.caseId, sent: best.named } : undefined;
  }

  async #exitWithin(ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (this.#exit === undefined && performance.now() < deadline) await sleep(EXIT_POLL_MS);
  }

  async #recover(): Promise<boolean> {
    const server = this.#opts.server;
    if (server) {
      try {
        await server.restart();
        return true;
      } catch {
        return false;
      }
    }
    const deadline = performance.now() + this.#opts.comebackMs;
    while (performance.now() < deadline) {
      await sleep(COMEBACK_POLL_MS);
      if (await this.#opts.probe()) return true;
    }
    return false;
  }

  dispose(): void {
    this.#offExit?.();
  }
}
