// Attribution self-test, CI subset (issue 9 §1): for a fixed set of named faults, over a fixed set
// of cases where departures used to cascade, every failing case fails under the fault's own
// clause, a clause it declares in dependsOn, or an entry of the documented allow-list.
// `npm run attribution` runs the same check over every fault and every case (long; not in CI).
import { describe, expect, it } from 'vitest';
import { faults, type FaultName } from '../../reference-server/src/faults.ts';
import { allCases } from '../src/cases/index.ts';
import { ATTRIBUTION_ALLOWED, attributeFaults } from '../scripts/attribution.ts';

/** the three departures the harness recognises, the crash, and faults that used to leak into other clauses */
const FAULTS: readonly FaultName[] = ['data-double-encoded', 'error-status-200', 'batch-endpoint-missing', 'crash-on-malformed-subscribe', 'data-as-object', 'data-astral-replaced', 'channel-name-unchecked'];

/** where the departures cascaded before: delivery counts, barriers, replays, REST refusals, batches */
const CASES = [
  'subscription/*',
  'rest/*',
  'cache/last-event-replayed',
  'limits/event-data-size-boundary',
  'limits/batch-size-*',
  'limits/channel-name-length-subscribe-enforced',
  'echo-exclusion/batch-socket-id',
  'encrypted/names-in-clear',
  'users/server-to-user-delivery',
  'robustness/utf8-preserved',
];

describe('attribution of failures to the fault\'s clause', () => {
  it('allow-list entries name known cases, each with a reason', () => {
    const ids = new Set(allCases().map((c) => c.case.id));
    for (const a of ATTRIBUTION_ALLOWED) {
      expect(a.reason.length, a.fault).toBeGreaterThan(20);
      for (const id of a.cases) expect(ids.has(id), `${a.fault}: ${id}`).toBe(true);
    }
  });

  it('every failing case fails under the fault\'s clause, its dependsOn, or the allow-list; and each fault is caught', async () => {
    const results = await attributeFaults(FAULTS, { pool: 4, only: CASES });
    const violations = results.flatMap((r) => r.violations.map((v) => `${v.fault} (${v.faultClause}): ${v.caseId} [${v.clause}] ${v.verdict}: ${v.actual}`));
    expect(violations).toEqual([]);
    for (const r of results) {
      expect(r.doctorBlocked, r.fault).toBeUndefined();
      // the fault's own clause catches it (its teeth), so an empty violation list is not an empty run
      expect(r.attributed.length, `${r.fault} (${faults[r.fault].clause}) made no case fail`).toBeGreaterThan(0);
    }
  }, 120_000);
});
