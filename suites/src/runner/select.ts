/**
 * Which cases run: --only / --exclude globs over case ids, --level, and the target's features.
 * @module
 */
import type { Feature } from '../../../spec/src/features.ts';
import type { CaseDef, Level } from '../model/case.ts';

export type LevelGate = 'must' | 'should' | 'may';

export interface SelectOptions {
  readonly only: readonly string[];
  readonly exclude: readonly string[];
  readonly level: LevelGate;
  readonly features: ReadonlySet<Feature>;
}

export type Selection =
  | { readonly run: true }
  | { readonly run: false; readonly verdict: 'skipped' | 'unsupported'; readonly message: string };

/**
 * `*` matches within one segment, `**` across segments, `?` one character; a pattern without a
 * slash and without wildcards names an area (`presence` = `presence/**`).
 */
export function globToRegExp(glob: string): RegExp {
  const g = !glob.includes('/') && !/[*?]/.test(glob) ? `${glob}/**` : glob;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const ch = g[i]!;
    if (ch === '*') {
      if (g[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function matchesAny(id: string, globs: readonly string[]): boolean {
  return globs.some((g) => g === id || globToRegExp(g).test(id));
}

const LEVELS: Record<LevelGate, readonly Level[]> = {
  must: ['MUST'],
  should: ['MUST', 'SHOULD'],
  may: ['MUST', 'SHOULD', 'MAY'],
};

export function levelIncluded(level: Level, gate: LevelGate): boolean {
  return LEVELS[gate].includes(level);
}

export function selectCase(c: CaseDef, opts: SelectOptions): Selection {
  if (opts.only.length > 0 && !matchesAny(c.id, opts.only)) return { run: false, verdict: 'skipped', message: `not selected by --only ${opts.only.join(',')}` };
  if (matchesAny(c.id, opts.exclude)) return { run: false, verdict: 'skipped', message: `excluded by --exclude ${opts.exclude.join(',')}` };
  if (!levelIncluded(c.level, opts.level)) return { run: false, verdict: 'skipped', message: `${c.level} case not included at --level ${opts.level}` };
  const missing = c.features.filter((f) => !opts.features.has(f));
  if (missing.length > 0) {
    return { run: false, verdict: 'unsupported', message: `the target lacks the feature${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (declare with --features, or see the profile)` };
  }
  return { run: true };
}
