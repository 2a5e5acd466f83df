// The mutation driver (npm run mutation): every suite case is its own vitest test against one
// in-process reference server, so that StrykerJS's perTest coverage runs, for each mutant of
// reference-server/src, only the cases that executed its code. A mutant is killed when a case
// that passes on the clean server does not pass on the mutated one.
// Not part of `npm test`: its name does not end in .test.ts (stryker.vitest.config.ts includes it).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureNames, type Feature } from '../../../spec/src/features.ts';
import { allCases } from '../../src/cases/index.ts';
import { DEFAULT_CASE_TIMEOUT_MS } from '../../src/harness/context.ts';
import { selectCase } from '../../src/runner/select.ts';
import { isClean, runOneCase, startShared, type SharedTarget } from './single-case.ts';

/** vitest's own bound above the case's: the case's timer answers first, this one only if the event loop is starved */
const VITEST_MARGIN_MS = 5_000;
const features = new Set<Feature>(featureNames);
// cluster/* cases need several nodes (suites/test/cluster.test.ts); unsupported ones cannot run here
const runnable = allCases()
  .map((c, index) => ({ ...c, index }))
  .filter(({ case: def }) => !def.id.startsWith('cluster/') && selectCase(def, { only: [], exclude: [], level: 'may', features }).run);

let shared: SharedTarget;
const runToken = randomBytes(3).toString('hex');

beforeAll(async () => {
  shared = await startShared();
}, 30_000);
afterAll(async () => {
  await shared?.stop();
}, 30_000);

describe('suite cases against the reference server', () => {
  for (const { case: def, index } of runnable) {
    // [id]: Stryker selects tests by an unanchored name pattern; the brackets keep one id from matching another
    it(`[${def.id}]`, async () => {
      const judged = await runOneCase(shared, def, index.toString(36), runToken);
      expect(isClean(def, judged), `${judged.verdict}: ${judged.actual}${judged.message ? ` (${judged.message})` : ''}`).toBe(true);
    }, (def.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS) + VITEST_MARGIN_MS);
  }
});
