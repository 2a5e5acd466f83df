// The suite's teeth: every case passes against the reference server, and fails against each
// named fault its teeth table (suites/test/teeth/*.ts) says should catch it.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult, Report } from '../../spec/src/report.ts';
import { isFaultName } from '../../reference-server/src/faults.ts';
import { allCases } from '../src/cases/index.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';
import { FAST_CHECK_SEED } from '../../test-support/seed.ts';

const TEETH_DIR = fileURLToPath(new URL('./teeth/', import.meta.url));
/** fault runs at once */
const POOL = 4;

// each case's own numRuns: its author sized them to reach the faults (model runs need several steps)
// cluster/* cases need several nodes: suites/test/cluster.test.ts runs them and their teeth
const options: RunOptions = { profile: 'pusher', only: [], exclude: ['cluster/*'], level: 'may', strict: false, seed: FAST_CHECK_SEED, timeScale: 1, concurrency: 4, handleSigint: false };

async function loadTeeth(): Promise<Map<string, { faults: readonly string[]; file: string }>> {
  const merged = new Map<string, { faults: readonly string[]; file: string }>();
  const files = (await readdir(TEETH_DIR)).filter((f) => f.endsWith('.ts')).sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(TEETH_DIR, file)).href)) as { default: Record<string, readonly string[]> };
    for (const [id, faults] of Object.entries(mod.default)) {
      const prev = merged.get(id);
      merged.set(id, { faults: [...(prev?.faults ?? []), ...faults], file: prev ? `${prev.file}, ${file}` : file });
    }
  }
  return merged;
}

/** A MAY case may report an observation (info) on a clean run; a fault must then change what it expected. */
function isCleanOutcome(r: CaseResult): boolean {
  return r.verdict === 'pass' || (r.level === 'MAY' && r.verdict === 'info' && r.expected.length === 1 && r.expected[0] === r.requirement);
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(size, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

const registered = allCases().map((c) => c.case.id);

describe('teeth tables', () => {
  it('give every registered case at least one killing fault', async () => {
    const teeth = await loadTeeth();
    const missing = registered.filter((id) => (teeth.get(id)?.faults.length ?? 0) === 0);
    expect(missing, 'cases without an entry in suites/test/teeth/*.ts (a case no fault can fail is a defect)').toEqual([]);
  });

  it('name only known faults and registered cases', async () => {
    const teeth = await loadTeeth();
    const problems: string[] = [];
    for (const [id, { faults, file }] of teeth) {
      if (!registered.includes(id)) problems.push(`${file}: ${id} is not a registered case`);
      for (const f of faults) if (!isFaultName(f)) problems.push(`${file}: ${id} names unknown fault ${f}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the suite against the reference server', () => {
  let clean: Report;
  beforeAll(async () => {
    clean = await runConformance(options);
  }, 240_000);

  it('passes every case with no fault switched on', () => {
    expect(clean.doctor.filter((d) => !d.ok)).toEqual([]);
    const bad = clean.cases.filter((c) => c.verdict !== 'skipped' && !isCleanOutcome(c)).map((c) => `${c.id}: ${c.verdict}: ${c.actual}${c.message ? ` (${c.message})` : ''}`);
    expect(bad).toEqual([]);
    expect(clean.complete).toBe(true);
    expect(clean.exitCode).toBe(0);
  });

  it('fails every case against each of its killing faults', async () => {
    const teeth = await loadTeeth();
    const pairs = [...teeth].flatMap(([id, { faults }]) => (registered.includes(id) && !id.startsWith('cluster/') ? faults.filter(isFaultName).map((fault) => ({ id, fault })) : []));
    const survivors: string[] = [];
    await pool(pairs, POOL, async ({ id, fault }) => {
      const report = await runConformance({ ...options, only: [id], faults: [fault] });
      const r = report.cases.find((c) => c.id === id)!;
      const base = clean.cases.find((c) => c.id === id)!;
      const blocked = report.doctor.find((d) => !d.ok && (d.blocks ?? []).length > 0);
      if (blocked) survivors.push(`${id} / ${fault}: the fault breaks the doctor (${blocked.check}: ${blocked.message})`);
      else if (r.verdict === 'pass' || r.verdict === 'skipped' || r.verdict === 'unsupported') survivors.push(`${id} / ${fault}: ${r.verdict} (${r.actual})`);
      else if (base.verdict === 'info' && r.verdict === 'info' && JSON.stringify(r.expected) === JSON.stringify(base.expected)) survivors.push(`${id} / ${fault}: the same observation as without the fault (${r.actual})`);
    });
    expect(survivors, 'cases that did not catch a fault their teeth table names').toEqual([]);
  }, 480_000);
});
