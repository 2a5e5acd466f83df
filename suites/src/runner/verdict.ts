/**
 * From what a case did to a verdict, from verdicts to an exit code, and the baseline file that
 * turns known failures into xfail (and fixed ones into xpass).
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { Verdict } from '../../../spec/src/report.ts';
import type { CaseDef } from '../model/case.ts';
import { ConformanceFailure, HarnessError, Unsupported, type PropertyDetails } from '../model/outcome.ts';

export type CaseOutcome =
  | { readonly kind: 'returned'; readonly value: void | string }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'timeout'; readonly ms: number };

/** A case's run raced against its time bound; the timer is cleared either way. */
export async function runWithin(run: () => Promise<void | string>, boundMs: number): Promise<CaseOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    run().then(
      (value): CaseOutcome => ({ kind: 'returned', value }),
      (error: unknown): CaseOutcome => ({ kind: 'threw', error }),
    ),
    new Promise<CaseOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout', ms: boundMs }), boundMs);
    }),
  ]);
  clearTimeout(timer);
  return outcome;
}

export interface Judged {
  readonly verdict: Verdict;
  readonly expected: string[];
  readonly actual: string;
  readonly message?: string;
  readonly property?: PropertyDetails;
}

const failureVerdict = { MUST: 'fail', SHOULD: 'warn', MAY: 'info' } as const;

export function judge(c: Pick<CaseDef, 'level' | 'requirement'>, outcome: CaseOutcome): Judged {
  const expected = [c.requirement];
  switch (outcome.kind) {
    case 'returned': {
      const observation = typeof outcome.value === 'string' ? outcome.value : undefined;
      if (observation !== undefined && c.level === 'MAY') return { verdict: 'info', expected, actual: observation };
      return { verdict: 'pass', expected, actual: observation ?? 'as required' };
    }
    case 'timeout':
      return { verdict: 'error', expected, actual: 'the case did not finish', message: `the case did not finish within ${outcome.ms} ms (its time limit × --time-scale); raise --time-scale for a slow target` };
    case 'threw': {
      const e = outcome.error;
      if (ConformanceFailure.is(e)) {
        return { verdict: failureVerdict[c.level], expected: [...e.expected], actual: e.actual, ...(e.property ? { property: e.property } : {}) };
      }
      if (Unsupported.is(e)) return { verdict: 'unsupported', expected, actual: 'not run', message: e.message };
      if (HarnessError.is(e)) return { verdict: 'error', expected, actual: `harness error: ${e.message}`, message: e.message };
      const message = e instanceof Error ? `${e.name}: ${e.message}` : `thrown: ${String(e)}`;
      return { verdict: 'error', expected, actual: `unexpected exception: ${message}`, message };
    }
  }
}

export const BASELINE_SCHEMA = 'pusher-conformance/baseline@1';

export const Baseline = z.object({
  schema: z.literal(BASELINE_SCHEMA),
  target: z.string(),
  /** the suite and fast-check versions it was recorded with: a seed replays the same inputs only under both */
  suite: z.object({ version: z.string(), fastCheck: z.string() }).optional(),
  cases: z.record(z.string(), Verdict),
});
export type Baseline = z.infer<typeof Baseline>;

const FAILING: ReadonlySet<Verdict> = new Set(['fail', 'warn', 'xfail']);

/** The verdict after the baseline: a known failure that fails again is xfail, one that passes is xpass. */
export function applyBaseline(verdict: Verdict, recorded: Verdict | undefined): Verdict {
  if (recorded === undefined || !FAILING.has(recorded)) return verdict;
  if (verdict === 'fail' || verdict === 'warn') return 'xfail';
  if (verdict === 'pass') return 'xpass';
  return verdict;
}

export async function readBaseline(path: string): Promise<Baseline | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw new HarnessError(`could not read the baseline ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HarnessError(`the baseline ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = Baseline.safeParse(value);
  if (!parsed.success) throw new HarnessError(`the baseline ${path} is not a ${BASELINE_SCHEMA} file: ${z.prettifyError(parsed.error).replace(/\s*\n\s*/g, '; ')}`);
  return parsed.data;
}

/** Record the raw (pre-baseline) verdict of every case that ran. */
export async function writeBaseline(path: string, target: string, verdicts: Record<string, Verdict>, suite?: Baseline['suite']): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(verdicts).sort(([a], [b]) => (a < b ? -1 : 1)));
  const body: Baseline = { schema: BASELINE_SCHEMA, target, ...(suite ? { suite } : {}), cases: sorted };
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
}

export type ExitCode = 0 | 1 | 2 | 3;

/**
 * 2 when the doctor blocked the run; 3 when incomplete; 2 for any `error`; 1 for fail or xpass
 * or a crash of the target (a finding of its own), and warn with --strict; else 0.
 */
export function exitCodeFor(verdicts: readonly Verdict[], opts: { strict: boolean; complete: boolean; doctorBlocked: boolean; crashes?: number }): ExitCode {
  if (opts.doctorBlocked) return 2;
  if (!opts.complete) return 3;
  if (verdicts.includes('error')) return 2;
  if (verdicts.includes('fail') || verdicts.includes('xpass') || (opts.crashes ?? 0) > 0) return 1;
  if (opts.strict && verdicts.includes('warn')) return 1;
  return 0;
}
