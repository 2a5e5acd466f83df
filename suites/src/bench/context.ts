/**
 * What every bench phase gets: the target, the bounds, the run's deadline and a progress log.
 * @module
 */
import type { BenchBounds } from '../../../spec/src/bench.ts';
import type { Publisher } from './rest.ts';
import type { BenchTarget } from './target.ts';

export interface BenchContext {
  readonly target: BenchTarget;
  /** the WebSocket URL a client connects to */
  readonly url: string;
  readonly bounds: BenchBounds;
  /** epoch ms by which the whole run ends */
  readonly deadline: number;
  readonly publisher: Publisher;
  /** handshakes in flight at once */
  readonly connectConcurrency: number;
  /** one handshake, one REST request, one drain: the longest single wait */
  readonly waitMs: number;
  log(line: string): void;
}

/** the `stopped` reason of a phase (or step) the run's time budget cut short */
export const BUDGET_REACHED = 'time budget reached';

export const remainingMs = (ctx: BenchContext): number => ctx.deadline - Date.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Polls `done` every few ms until it holds or `timeoutMs` (capped by the run's deadline) passes. */
export async function waitUntil(ctx: BenchContext, done: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Math.min(Date.now() + timeoutMs, ctx.deadline);
  for (;;) {
    if (done()) return true;
    if (Date.now() >= until) return false;
    await sleep(5);
  }
}

/** a unique suffix for this run's channel names, so that two runs on one target do not mix */
export const runTag = (): string => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
