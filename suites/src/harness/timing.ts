/**
 * The one clamp every timer of the harness and the runner goes through: a duration scaled by
 * --time-scale never leaves [1, MAX_TIMER_MS] (Node turns a delay above 2^31-1 ms into 1 ms, so
 * an unclamped huge time-scale would fire every wait at once).
 * @module
 */

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
