/**
 * Latency percentiles (nearest rank) for bench results.
 * @module
 */
import type { LatencySummary } from '../../../spec/src/bench.ts';

/** nearest-rank percentile of an ascending array; NaN when empty */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (n: number): number | null => (Number.isFinite(n) ? Math.round(n * 100) / 100 : null);

/** p50/p90/p99/max of the samples (any order; the array is sorted in place) */
export function summarize(samples: number[]): LatencySummary {
  samples.sort((a, b) => a - b);
  return {
    samples: samples.length,
    p50: round(percentile(samples, 50)),
    p90: round(percentile(samples, 90)),
    p99: round(percentile(samples, 99)),
    max: round(samples.length ? samples[samples.length - 1]! : Number.NaN),
  };
}
