/**
 * Errors the CLI reports as one plain line and exit 2, never as a stack trace.
 * @module
 */

/** A mistake in the command line or the config file: the message is the whole story. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Closest candidates to `input` by edit distance (case-insensitive), best first. */
export function closest(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  const scored = candidates.map((c) => {
    const hay = c.toLowerCase();
    let d = distance(needle, hay);
    if (hay.includes(needle) || needle.includes(hay)) d = Math.min(d, Math.abs(hay.length - needle.length) / 4);
    // Matching the part after the area prefix (`connection/x` vs `x`) counts as close.
    const tail = hay.slice(hay.search(/[/.]/) + 1);
    if (tail && tail !== hay) d = Math.min(d, distance(needle, tail) + 0.5);
    return { c, d };
  });
  const limit = Math.max(3, Math.ceil(needle.length / 2));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((s) => s.c);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** " (did you mean a, b?)" or "" */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const near = closest(input, candidates);
  return near.length ? ` (did you mean ${near.join(', ')}?)` : '';
}
