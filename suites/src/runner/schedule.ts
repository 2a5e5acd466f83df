/**
 * The order cases run in, so that a run lasts about as long as its total work divided by the
 * concurrency, and no longer than its slowest case: the cases that must run alone first (each a
 * segment of its own, so they never split the pool of concurrent cases), then the rest longest
 * first (longest-processing-time scheduling: the short cases fill the gaps the long ones leave),
 * and the hostile cases last, each alone, in registry order (they may bring the target down).
 *
 * How long a case takes is measured, never declared: suites/generated/durations.json holds each
 * case's duration from the last reference run (`npm run durations:update` refreshes it from a
 * report.json). A case the table does not know yet (just added) counts as the table's median, so
 * it neither delays the start of the long cases nor comes last.
 * @module
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { z } from 'zod';
import type { CaseDef } from '../model/case.ts';

/** case id → duration in ms (time-scale 1), as measured against the embedded reference server */
export const DurationTable = z.record(z.string(), z.number().nonnegative());
export type DurationTable = z.infer<typeof DurationTable>;

/** the committed table, beside the source (generated; see module doc) */
export const DURATIONS_URL = new URL('../../generated/durations.json', import.meta.url);
/** where the table is from the built JavaScript (dist/suites/src/runner/), which ships suites/generated/ at the package root */
const BUILT_DURATIONS_URL = new URL('../../../../suites/generated/durations.json', import.meta.url);

/** When a case runs: alone (before the pool), in the pool of concurrent cases, or alone at the end. */
export type Placement = 'solo' | 'pool' | 'hostile';

/**
 * Where `def` runs against this target. `exclusive: 'external'` is a case that runs alone only
 * against a target whose capacity the suite does not know (it opens many connections: a hosted
 * plan's quota could refuse its neighbours'); the embedded server's capacity is known to fit it.
 */
export function placementOf(def: Pick<CaseDef, 'exclusive' | 'hostile'>, target: { readonly embedded: boolean }): Placement {
  if (def.hostile) return 'hostile';
  if (def.exclusive === true) return 'solo';
  if (def.exclusive === 'external' && !target.embedded) return 'solo';
  return 'pool';
}

/** The table in `url` (default: the committed one); a missing or malformed table is an empty one (the run still orders solo cases first). */
export function loadDurations(url?: URL): DurationTable {
  for (const candidate of url ? [url] : [DURATIONS_URL, BUILT_DURATIONS_URL]) {
    try {
      const parsed = DurationTable.safeParse(JSON.parse(readFileSync(candidate, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // absent here: the next candidate
    }
  }
  return {};
}

/** the median of the table's durations (0 for an empty table) */
export function medianDuration(table: DurationTable): number {
  const values = Object.values(table).sort((a, b) => a - b);
  if (values.length === 0) return 0;
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** How long the case is expected to take: its measured duration, else the table's median. */
export function expectedDuration(id: string, table: DurationTable, median = medianDuration(table)): number {
  return table[id] ?? median;
}

export interface ScheduleItem {
  readonly def: CaseDef;
}

/**
 * The cases in the order to start them: solo (longest first), pool (longest first), hostile
 * (registry order). Ties keep registry order, so a run's order is stable for a given table.
 */
export function schedule<T extends ScheduleItem>(items: readonly T[], opts: { readonly table: DurationTable; readonly embedded: boolean }): T[] {
  const median = medianDuration(opts.table);
  const expected = new Map(items.map((item) => [item, expectedDuration(item.def.id, opts.table, median)]));
  const longestFirst = (list: T[]): T[] => list.map((item, i) => ({ item, i })).sort((a, b) => expected.get(b.item)! - expected.get(a.item)! || a.i - b.i).map(({ item }) => item);
  const byPlacement = (p: Placement) => items.filter((item) => placementOf(item.def, opts) === p);
  return [...longestFirst(byPlacement('solo')), ...longestFirst(byPlacement('pool')), ...byPlacement('hostile')];
}

/** Cases at once when the run does not say: the embedded server has room for many; an external target gets the conservative 4. */
export const DEFAULT_CONCURRENCY = { embedded: 16, external: 4 } as const;

/**
 * The table a report measures: every case that ran (neither skipped nor unsupported) with its
 * duration rounded to 10 ms, merged over `previous`, restricted to `knownIds` (cases removed from
 * the registry drop out), keys sorted so that the committed file diffs well.
 */
export function durationsFromReport(report: { readonly cases: readonly { readonly id: string; readonly verdict: string; readonly durationMs: number }[] }, previous: DurationTable, knownIds: ReadonlySet<string>): DurationTable {
  const merged: DurationTable = { ...previous };
  for (const c of report.cases) {
    if (c.verdict === 'skipped' || c.verdict === 'unsupported' || c.durationMs <= 0) continue;
    merged[c.id] = Math.round(c.durationMs / 10) * 10;
  }
  return Object.fromEntries(Object.keys(merged).filter((id) => knownIds.has(id)).sort().map((id) => [id, merged[id]!]));
}

/** the concurrency of a run: the one asked for (at least 1), else the target kind's default */
export function concurrencyFor(requested: number | undefined, embedded: boolean): number {
  if (requested !== undefined && Number.isFinite(requested) && requested >= 1) return Math.floor(requested);
  return embedded ? DEFAULT_CONCURRENCY.embedded : DEFAULT_CONCURRENCY.external;
}

/** the event loop's sampling interval and the median lag beyond it that counts as saturated */
const LOOP_RESOLUTION_MS = 10;
export const LOOP_BUSY_LAG_MS = 20;
const LOOP_WINDOW_MS = 250;
/** how soon the runner looks again at a saturated thread, ms */
export const PRESSURE_RECHECK_MS = 50;

/**
 * Is this process's one JavaScript thread saturated? The embedded target runs on it beside the
 * suite, so past a point more cases at once only slow each other down until their bounds run
 * out (a loaded machine: the cache TTL passing before a subscription, a property interrupted).
 * The runner starts cases beyond the external default only while the event loop keeps up:
 * its median lag over the last window stays under LOOP_BUSY_LAG_MS.
 */
export class LoopPressure {
  readonly #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  readonly #timer: NodeJS.Timeout;
  #lagMs = 0;

  constructor() {
    this.#histogram.enable();
    this.#timer = setInterval(() => {
      // nanoseconds, including the sampling interval itself
      this.#lagMs = this.#histogram.count > 0 ? Math.max(0, this.#histogram.percentile(50) / 1e6 - LOOP_RESOLUTION_MS) : 0;
      this.#histogram.reset();
    }, LOOP_WINDOW_MS);
    this.#timer.unref();
  }

  /** the median lag of the last window, ms */
  get lagMs(): number {
    return this.#lagMs;
  }

  get busy(): boolean {
    return this.#lagMs > LOOP_BUSY_LAG_MS;
  }

  dispose(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }
}

/**
 * May the runner start one more pool case with `active` running? Always below `floor` (the
 * external default, or the whole concurrency when the run asked for one), never at `cap`, and
 * in between only while the thread keeps up.
 */
export function mayStart(active: number, limits: { readonly cap: number; readonly floor: number }, pressure: { readonly busy: boolean } | undefined): boolean {
  if (active >= limits.cap) return false;
  if (active < limits.floor || pressure === undefined) return true;
  return !pressure.busy;
}
