/**
 * Attribution self-test (issue 9 §1, "a case fails only its own clause"): for each named fault,
 * run the suite against the reference server with that fault switched on and check every case
 * that fails (fail or warn) against the fault's clause. A failing case is attributed when its
 * clause is the fault's, when it declares `dependsOn` that clause, or when ATTRIBUTION_ALLOWED
 * names the pair with a reason; any other failing case is a violation.
 *
 *   npm run attribution                                   every single-node fault (long; not in CI)
 *   npm run attribution -- --faults a,b --pool 2          a subset
 *   npm run attribution -- --out now.json --compare before.json
 *                                                         save the result; print before/after counts
 *
 * suites/test/attribution.test.ts runs a fixed subset of this in CI.
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Report } from '../../spec/src/report.ts';
import { faults, isFaultName, singleNodeFaultNames, type FaultName } from '../../reference-server/src/faults.ts';
import { FAST_CHECK_SEED } from '../../test-support/seed.ts';
import { allCases } from '../src/cases/index.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';

/** verdicts that blame the case's clause */
const BLAMING = new Set(['fail', 'warn']);

/**
 * Failing cases whose clause is not the fault's, kept on purpose. Each one is a case whose own
 * requirement is broken by the fault too (the fault's bug shows through the case's own clause),
 * not a harness mechanic leaning on another clause.
 */
export const ATTRIBUTION_ALLOWED: readonly { fault: FaultName; cases: readonly string[]; reason: string }[] = [
  {
    fault: 'data-as-object',
    cases: ['subscription/event-data-string'],
    reason: 'data delivered as a decoded object is exactly what clause subscription.internal-data-string forbids; one bug, two clauses',
  },
  {
    fault: 'channel-name-unchecked',
    cases: ['limits/channel-name-length-subscribe-enforced'],
    reason: 'the fault accepts channel names over the length limit as well as invalid characters, which is what clause limits.channel-name-length forbids',
  },
  {
    fault: 'crash-on-malformed-subscribe',
    cases: ['robustness/wrong-types', 'channel-auth/malformed-auth-refused'],
    reason: 'the fault drops the connection on every pusher:subscribe whose data does not parse (an auth that is not a string too), which these hostile cases send on purpose; keeping the connection is their own requirement',
  },
  {
    fault: 'no-pong',
    cases: ['connection/client-pong-accepted', 'connection/recoverable-error-keeps-connection'],
    reason: 'their own requirements name pings answered (keep answering pings after a client pong; after a recoverable error, pings answered)',
  },
  {
    fault: 'auth-refusal-closes',
    cases: ['connection/recoverable-error-keeps-connection', 'subscription/refusal-keeps-connection', 'channel-auth/failure-signalled'],
    reason: 'closing the connection on a refused signature breaks the same requirement stated for a recoverable error and for any refused subscription (keep the connection), and a close is not the pusher:error or subscription_error clause channel-auth.failure-signalled asks for',
  },
  {
    fault: 'data-astral-replaced',
    cases: ['subscription/event-data-verbatim', 'cache/last-event-replayed', 'cache/variants-replay', 'limits/event-data-size-boundary'],
    reason: 'these cases require published data (with characters outside the BMP among their inputs) to arrive unchanged, which their own clauses say too; the fault changes those characters',
  },
];

export interface Violation {
  readonly fault: FaultName;
  readonly faultClause: string;
  readonly caseId: string;
  readonly clause: string;
  readonly verdict: string;
  readonly actual: string;
}

export interface FaultAttribution {
  readonly fault: FaultName;
  readonly clause: string;
  /** failing cases attributed to the fault (own clause, dependsOn, allow-list) */
  readonly attributed: readonly string[];
  readonly violations: readonly Violation[];
  /** cases the fault left as `error` (not judged): listed, not counted as violations */
  readonly errors: readonly string[];
  /** the doctor stopped the run: nothing was judged */
  readonly doctorBlocked?: string;
}

const dependsOnOf = new Map(allCases().map(({ case: c }) => [c.id, new Set<string>(c.dependsOn ?? [])]));

/** Check one fault's report: which failing cases are attributed, which violate. */
export function attribute(fault: FaultName, report: Report): FaultAttribution {
  const clause = faults[fault].clause;
  const allowed = new Set(ATTRIBUTION_ALLOWED.filter((a) => a.fault === fault).flatMap((a) => a.cases));
  const attributed: string[] = [];
  const violations: Violation[] = [];
  for (const c of report.cases) {
    if (!BLAMING.has(c.verdict)) continue;
    if (c.clause === clause || dependsOnOf.get(c.id)?.has(clause) || allowed.has(c.id)) attributed.push(c.id);
    else violations.push({ fault, faultClause: clause, caseId: c.id, clause: c.clause, verdict: c.verdict, actual: c.actual.slice(0, 200) });
  }
  const errors = report.cases.filter((c) => c.verdict === 'error').map((c) => c.id);
  const blocked = report.doctor.find((d) => !d.ok && (d.blocks ?? []).length > 0);
  return { fault, clause, attributed, violations, errors, ...(blocked ? { doctorBlocked: `${blocked.check}: ${blocked.message}` } : {}) };
}

export const attributionRunOptions = (fault: FaultName): RunOptions => ({
  profile: 'pusher',
  only: [],
  // cluster cases need several nodes (suites/test/cluster.test.ts)
  exclude: ['cluster/*'],
  level: 'may',
  strict: false,
  seed: FAST_CHECK_SEED,
  timeScale: 1,
  concurrency: 4,
  handleSigint: false,
  faults: [fault],
});

/** Run the suite once per fault, `pool` faults at once. */
export async function attributeFaults(names: readonly FaultName[], opts: { pool: number; only?: readonly string[]; onDone?: (a: FaultAttribution) => void }): Promise<FaultAttribution[]> {
  const queue = [...names];
  const out = new Map<FaultName, FaultAttribution>();
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(opts.pool, queue.length)) }, async () => {
      for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
        const report = await runConformance({ ...attributionRunOptions(f), ...(opts.only ? { only: opts.only } : {}) });
        const a = attribute(f, report);
        out.set(f, a);
        opts.onDone?.(a);
      }
    }),
  );
  return names.map((n) => out.get(n)!);
}

export const violationCount = (results: readonly FaultAttribution[]): number => results.reduce((n, r) => n + r.violations.length, 0);

function parseArgs(argv: readonly string[]): { faults: FaultName[]; pool: number; out?: string; compare?: string } {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const listed = get('--faults')?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = (listed ?? []).filter((f) => !isFaultName(f));
  if (unknown.length > 0) throw new Error(`unknown fault(s): ${unknown.join(', ')}`);
  const pool = Number(get('--pool') ?? 2);
  if (!Number.isInteger(pool) || pool < 1 || pool > 8) throw new Error('--pool takes an integer from 1 to 8');
  const out = get('--out');
  const compare = get('--compare');
  return { faults: (listed as FaultName[] | undefined) ?? [...singleNodeFaultNames], pool, ...(out ? { out } : {}), ...(compare ? { compare } : {}) };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  process.stderr.write(`attribution: ${args.faults.length} fault(s), ${args.pool} at once\n`);
  const results = await attributeFaults(args.faults, {
    pool: args.pool,
    onDone: (a) => process.stderr.write(`  ${a.fault}: ${a.attributed.length} attributed, ${a.violations.length} violation(s)${a.doctorBlocked ? ` (doctor blocked: ${a.doctorBlocked})` : ''}\n`),
  });
  for (const r of results) for (const v of r.violations) process.stdout.write(`VIOLATION ${v.fault} (${v.faultClause}): ${v.caseId} [${v.clause}] ${v.verdict}: ${v.actual}\n`);
  const now = violationCount(results);
  process.stdout.write(`\n${now} violation(s) over ${results.length} fault(s), ${results.filter((r) => r.violations.length > 0).length} fault(s) with violations, ${Math.round((Date.now() - t0) / 1000)} s\n`);
  if (args.compare) {
    const before = JSON.parse(await readFile(args.compare, 'utf8')) as FaultAttribution[];
    const byFault = new Map(before.map((b) => [b.fault, b.violations.length]));
    const same = results.filter((r) => byFault.has(r.fault));
    const was = same.reduce((n, r) => n + byFault.get(r.fault)!, 0);
    process.stdout.write(`before (${args.compare}, same ${same.length} fault(s)): ${was} violation(s); after: ${violationCount(same)}\n`);
    for (const r of same) if (byFault.get(r.fault) !== r.violations.length) process.stdout.write(`  ${r.fault}: ${byFault.get(r.fault)} → ${r.violations.length}\n`);
  }
  if (args.out) await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
  return now === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`attribution: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
