/**
 * The declarable `batch-events` feature: a server without POST /batch_events (the
 * batch-endpoint-missing fault) that says so loses the batch cases as `unsupported` and keeps
 * every other verdict; one that claims the endpoint fails the batch cases, the endpoint named once.
 */
import { describe, expect, it } from 'vitest';
import { featureNames } from '../../spec/src/features.ts';
import type { CaseResult } from '../../spec/src/report.ts';
import { allCases } from '../src/cases/index.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';

/** every case whose steps call the batch endpoint (declared, or checked only where the feature is) */
const BATCH_CASES = allCases().filter((c) => c.case.features.includes('batch-events')).map((c) => c.case.id);
const PARTLY_BATCH = ['rest/trigger-success-body', 'rest/trigger-success-body-dialect', 'request-signing/every-endpoint-checked'];

const base: RunOptions = {
  profile: 'pusher',
  only: [...BATCH_CASES, ...PARTLY_BATCH],
  exclude: [],
  level: 'may',
  strict: false,
  seed: 1,
  timeScale: 1,
  concurrency: 4,
  handleSigint: false,
  faults: ['batch-endpoint-missing'],
};

const verdicts = (cases: readonly CaseResult[]) => Object.fromEntries(cases.filter((c) => c.verdict !== 'skipped').map((c) => [c.id, c.verdict]));

describe('batch-events feature', () => {
  it('is declared by the cases that need the endpoint', () => {
    expect(BATCH_CASES.sort()).toEqual(
      ['echo-exclusion/batch-socket-id', 'encrypted/batch-accepted', 'limits/batch-data-size-enforced', 'limits/batch-size-boundary', 'limits/batch-size-enforced', 'rest/batch-delivers-each-once', 'sdk/pusher-server-trigger-batch'].sort(),
    );
  });

  it('a target without it: batch cases unsupported, the rest judged on their own clause', async () => {
    const report = await runConformance({ ...base, features: featureNames.filter((f) => f !== 'batch-events' && f !== 'cluster') });
    const v = verdicts(report.cases);
    for (const id of BATCH_CASES) expect(v[id], id).toBe('unsupported');
    for (const id of PARTLY_BATCH) expect(v[id], `${id}: ${report.cases.find((c) => c.id === id)?.actual}`).toBe('pass');
    expect(report.exitCode).toBe(0);
  }, 120_000);

  it('a target that claims it and answers 404: the batch case fails, the missing endpoint is one finding', async () => {
    const report = await runConformance({ ...base, only: ['rest/batch-delivers-each-once', 'rest/trigger-success-body'] });
    const v = verdicts(report.cases);
    expect(v['rest/batch-delivers-each-once']).toBe('fail');
    // a case that only also publishes a batch is judged on its own clause (harness/departures.ts)
    expect(v['rest/trigger-success-body']).not.toBe('fail');
    expect(report.findings?.map((f) => f.id)).toEqual(['endpoint-missing']);
  }, 120_000);
});
