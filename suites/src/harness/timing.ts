/**
 * Time in the harness. The one clamp every timer of the harness and the runner goes through: a
 * duration scaled by --time-scale never leaves [1, MAX_TIMER_MS] (Node turns a delay above
 * 2^31-1 ms into 1 ms, so an unclamped huge time-scale would fire every wait at once). And the
 * record of where a case's time goes (WaitLog): the report's per-case timing and timeline.
 * @module
 */
import type { CaseTiming, WaitKind } from '../../../spec/src/report.ts';

/** the largest delay setTimeout honours (2^31-1 ms, about 24.8 days) */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** the largest --time-scale accepted: every bound of the suite times this stays far below MAX_TIMER_MS */
export const MAX_TIME_SCALE = 1000;

/** `ms` times `timeScale`, rounded, at least `min` (1 by default) and at most MAX_TIMER_MS */
export function scaleMs(ms: number, timeScale: number, min = 1): number {
  const scaled = Math.round(ms * timeScale);
  if (!Number.isFinite(scaled)) return MAX_TIMER_MS;
  return Math.min(MAX_TIMER_MS, Math.max(min, scaled));
}

/** a time-scale the runner can use: positive and finite, at most MAX_TIME_SCALE; anything else is 1 */
export function usableTimeScale(timeScale: number): number {
  if (!Number.isFinite(timeScale) || timeScale <= 0) return 1;
  return Math.min(MAX_TIME_SCALE, timeScale);
}

// --- Where a case's time goes ---------------------------------------------------------------------

/** One wait: its kind, when it began (ms since the case started) and how long it lasted. */
export interface WaitSpan {
  readonly kind: WaitKind;
  readonly at: number;
  readonly ms: number;
}

/**
 * Which kind a stretch of time counts as when waits of several kinds overlap (a quiet window
 * inside a protocol-timer wait, two clients' quiet windows at once): the most specific one.
 */
const PRIORITY: Readonly<Record<WaitKind, number>> = { timer: 3, quiet: 2, timeout: 1, pause: 0 };

/** spans kept per case: a property case waits many times; past this the rest count in the totals only */
export const MAX_RECORDED_SPANS = 4096;
/** spans a report keeps per case (the longest) */
export const MAX_REPORTED_SPANS = 48;

/**
 * The waits of one case, as the harness's wait primitives record them: `expectNoFrame` and
 * `expectNone` (quiet), a bound that ran out (timeout), `sleep` (pause, unless the case says
 * quiet or timer) and `ctx.timed` (whatever the case names: a protocol timer it waits out).
 */
export class WaitLog {
  readonly #t0: number;
  readonly #spans: WaitSpan[] = [];
  /** ms of spans past MAX_RECORDED_SPANS, per kind (not deduplicated against overlaps) */
  readonly #overflow: Record<WaitKind, number> = { quiet: 0, timer: 0, timeout: 0, pause: 0 };

  constructor(t0: number = performance.now()) {
    this.#t0 = t0;
  }

  /** a wait of `kind` from `startedAt` to `endedAt` (performance.now() values; default now) */
  record(kind: WaitKind, startedAt: number, endedAt: number = performance.now()): void {
    const ms = endedAt - startedAt;
    if (!(ms > 0)) return;
    if (this.#spans.length >= MAX_RECORDED_SPANS) {
      this.#overflow[kind] += ms;
      return;
    }
    this.#spans.push({ kind, at: Math.max(0, startedAt - this.#t0), ms });
  }

  /** the time until `wait` settles counts as a wait of `kind` */
  async time<T>(kind: WaitKind, wait: Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await wait;
    } finally {
      this.record(kind, started);
    }
  }

  spans(): readonly WaitSpan[] {
    return [...this.#spans];
  }

  /** totals per kind and the longest spans, for the report (startMs: the case's start in the run) */
  timing(startMs: number): CaseTiming {
    const waits = attribute(this.#spans);
    for (const k of Object.keys(waits) as WaitKind[]) waits[k] = Math.round(waits[k] + this.#overflow[k]);
    const merged = mergeSameKind(this.#spans);
    const kept = [...merged].sort((a, b) => b.ms - a.ms).slice(0, MAX_REPORTED_SPANS).sort((a, b) => a.at - b.at);
    return { startMs: Math.max(0, Math.round(startMs)), waits, spans: kept.map((s) => ({ kind: s.kind, at: Math.round(s.at), ms: Math.round(s.ms) })) };
  }
}

/** ms per kind covered by `spans`; time covered by several kinds counts once, for the most specific */
export function attribute(spans: readonly WaitSpan[]): Record<WaitKind, number> {
  const totals: Record<WaitKind, number> = { quiet: 0, timer: 0, timeout: 0, pause: 0 };
  const edges = spans.flatMap((s) => [
    { t: s.at, kind: s.kind, d: 1 },
    { t: s.at + s.ms, kind: s.kind, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  const open: Record<WaitKind, number> = { quiet: 0, timer: 0, timeout: 0, pause: 0 };
  let last = 0;
  for (const e of edges) {
    const top = topKind(open);
    if (top !== undefined) totals[top] += e.t - last;
    open[e.kind] += e.d;
    last = e.t;
  }
  return totals;
}

function topKind(open: Record<WaitKind, number>): WaitKind | undefined {
  let best: WaitKind | undefined;
  for (const k of Object.keys(open) as WaitKind[]) if (open[k] > 0 && (best === undefined || PRIORITY[k] > PRIORITY[best])) best = k;
  return best;
}

/** overlapping or touching spans of one kind as one span (two clients' quiet windows at once are one window) */
export function mergeSameKind(spans: readonly WaitSpan[]): WaitSpan[] {
  const out: WaitSpan[] = [];
  const byKind = new Map<WaitKind, WaitSpan[]>();
  for (const s of spans) {
    const list = byKind.get(s.kind);
    if (list) list.push(s);
    else byKind.set(s.kind, [s]);
  }
  for (const [kind, list] of byKind) {
    list.sort((a, b) => a.at - b.at);
    let cur: { at: number; end: number } | undefined;
    for (const s of list) {
      if (cur && s.at <= cur.end) cur.end = Math.max(cur.end, s.at + s.ms);
      else {
        if (cur) out.push({ kind, at: cur.at, ms: cur.end - cur.at });
        cur = { at: s.at, end: s.at + s.ms };
      }
    }
    if (cur) out.push({ kind, at: cur.at, ms: cur.end - cur.at });
  }
  return out.sort((a, b) => a.at - b.at);
}
