import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineArea, defineCase, type CaseDef } from '../src/model/case.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';
import {
  concurrencyFor,
  DEFAULT_CONCURRENCY,
  durationsFromReport,
  expectedDuration,
  loadDurations,
  LoopPressure,
  mayStart,
  medianDuration,
  placementOf,
  schedule,
  type DurationTable,
} from '../src/runner/schedule.ts';

const mk = (id: string, extra: Partial<Pick<CaseDef, 'exclusive' | 'hostile'>> = {}, run: CaseDef['run'] = async () => {}): CaseDef =>
  defineCase({ id, clause: 'connection.ping-pong', level: 'MUST', features: [], action: 'a', requirement: 'r', run, ...extra });

const ids = (items: readonly { def: CaseDef }[]) => items.map((i) => i.def.id);

describe('placement', () => {
  it('puts hostile cases at the end, exclusive ones alone, and exclusive: external alone only off the embedded server', () => {
    expect(placementOf(mk('a/h', { hostile: true, exclusive: true }), { embedded: true })).toBe('hostile');
    expect(placementOf(mk('a/x', { exclusive: true }), { embedded: true })).toBe('solo');
    expect(placementOf(mk('a/e', { exclusive: 'external' }), { embedded: true })).toBe('pool');
    expect(placementOf(mk('a/e', { exclusive: 'external' }), { embedded: false })).toBe('solo');
    expect(placementOf(mk('a/p'), { embedded: false })).toBe('pool');
  });
});

describe('schedule', () => {
  const table: DurationTable = { 'a/short': 100, 'a/long': 5000, 'a/mid': 800, 'a/solo-short': 50, 'a/solo-long': 900, 'a/hostile-long': 9000 };
  const items = [
    mk('a/short'),
    mk('a/hostile-long', { hostile: true }),
    mk('a/solo-short', { exclusive: true }),
    mk('a/new'),
    mk('a/long'),
    mk('a/hostile-first', { hostile: true }),
    mk('a/solo-long', { exclusive: true }),
    mk('a/mid'),
  ].map((def) => ({ def }));

  it('runs solo cases first, then the pool longest first (an unmeasured case as the median), hostile cases last in registry order', () => {
    // median of the table: (100, 800, 900, 5000, 50, 9000) sorted 50 100 800 900 5000 9000 → 850
    expect(medianDuration(table)).toBe(850);
    expect(expectedDuration('a/new', table)).toBe(850);
    expect(ids(schedule(items, { table, embedded: true }))).toEqual(['a/solo-long', 'a/solo-short', 'a/long', 'a/new', 'a/mid', 'a/short', 'a/hostile-long', 'a/hostile-first']);
  });

  it('keeps registry order among equal durations and with an empty table', () => {
    expect(ids(schedule(items, { table: {}, embedded: true }))).toEqual(['a/solo-short', 'a/solo-long', 'a/short', 'a/new', 'a/long', 'a/mid', 'a/hostile-long', 'a/hostile-first']);
  });

  it('is a permutation that never starts a pool case before a solo one or a hostile one before either, pool longest first', () => {
    const kind = fc.constantFrom('pool', 'solo', 'external', 'hostile');
    fc.assert(
      fc.property(fc.array(fc.tuple(kind, fc.option(fc.nat(10_000), { nil: undefined })), { maxLength: 30 }), fc.boolean(), (specs, embedded) => {
        const table: DurationTable = {};
        const list = specs.map(([k, ms], i) => {
          const id = `a/c${i}`;
          if (ms !== undefined) table[id] = ms;
          return { def: mk(id, k === 'solo' ? { exclusive: true } : k === 'external' ? { exclusive: 'external' } : k === 'hostile' ? { hostile: true } : {}) };
        });
        const out = schedule(list, { table, embedded });
        expect([...ids(out)].sort()).toEqual([...ids(list)].sort());
        const rank = { solo: 0, pool: 1, hostile: 2 } as const;
        const ranks = out.map((i) => rank[placementOf(i.def, { embedded })]);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        const pool = out.filter((i) => placementOf(i.def, { embedded }) === 'pool').map((i) => expectedDuration(i.def.id, table));
        expect(pool).toEqual([...pool].sort((a, b) => b - a));
      }),
    );
  });
});

describe('durations table', () => {
  it('is measured from a report: executed cases rounded to 10 ms, merged over the previous table, unknown ids dropped, keys sorted', () => {
    const report = {
      cases: [
        { id: 'a/b', verdict: 'pass', durationMs: 1234 },
        { id: 'a/a', verdict: 'fail', durationMs: 16 },
        { id: 'a/skipped', verdict: 'skipped', durationMs: 0 },
        { id: 'a/unsupported', verdict: 'unsupported', durationMs: 3 },
        { id: 'a/gone', verdict: 'pass', durationMs: 50 },
      ],
    };
    const out = durationsFromReport(report, { 'a/unsupported': 700, 'a/c': 90, 'a/b': 1 }, new Set(['a/a', 'a/b', 'a/c', 'a/unsupported', 'a/skipped']));
    expect(out).toEqual({ 'a/a': 20, 'a/b': 1230, 'a/c': 90, 'a/unsupported': 700 });
    expect(Object.keys(out)).toEqual(['a/a', 'a/b', 'a/c', 'a/unsupported']);
  });

  it('loads the committed table, and an absent or malformed one as empty', async () => {
    const committed = loadDurations();
    expect(Object.keys(committed).length).toBeGreaterThan(100);
    const dir = await mkdtemp(join(tmpdir(), 'pc-durations-'));
    try {
      await writeFile(join(dir, 'bad.json'), '{"a/b": -1}');
      expect(loadDurations(pathToFileURL(join(dir, 'bad.json')))).toEqual({});
      expect(loadDurations(pathToFileURL(join(dir, 'absent.json')))).toEqual({});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives the embedded server a wide default concurrency and an external target the conservative one', () => {
    expect(concurrencyFor(undefined, true)).toBe(DEFAULT_CONCURRENCY.embedded);
    expect(concurrencyFor(undefined, false)).toBe(DEFAULT_CONCURRENCY.external);
    expect(concurrencyFor(3.7, true)).toBe(3);
    expect(concurrencyFor(0, false)).toBe(DEFAULT_CONCURRENCY.external);
  });
});

describe('concurrency under pressure', () => {
  it('starts cases up to the floor whatever the load, past it only while the thread keeps up, never past the cap', () => {
    const limits = { cap: 16, floor: 4 };
    expect(mayStart(3, limits, { busy: true })).toBe(true);
    expect(mayStart(4, limits, { busy: true })).toBe(false);
    expect(mayStart(4, limits, { busy: false })).toBe(true);
    expect(mayStart(15, limits, { busy: false })).toBe(true);
    expect(mayStart(16, limits, { busy: false })).toBe(false);
    expect(mayStart(16, limits, undefined)).toBe(false);
    expect(mayStart(9, limits, undefined)).toBe(true);
  });

  it('sees a blocked event loop as busy, and an idle one as not', async () => {
    const pressure = new LoopPressure();
    try {
      const until = Date.now() + 900;
      // blocks of 60 ms with a turn of the loop between them: a saturated thread
      await new Promise<void>((resolve) => {
        const spin = () => {
          const t = Date.now() + 60;
          while (Date.now() < t);
          if (Date.now() < until) setImmediate(spin);
          else resolve();
        };
        spin();
      });
      await new Promise((r) => setTimeout(r, 5));
      expect(pressure.busy).toBe(true);
      await new Promise((r) => setTimeout(r, 700));
      expect(pressure.busy).toBe(false);
    } finally {
      pressure.dispose();
    }
  });
});

describe('the runner follows the schedule', () => {
  it('runs a solo case alone before the pool and a hostile case after everything, and records when each ran', async () => {
    const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    const area = defineArea('s', 'S', [
      mk('s/pool-a', {}, () => wait(150)),
      mk('s/hostile', { hostile: true }, () => wait(20)),
      mk('s/solo', { exclusive: true }, () => wait(120)),
      mk('s/pool-b', {}, () => wait(150)),
      mk('s/external', { exclusive: 'external' }, () => wait(150)),
    ]);
    const options: RunOptions = { profile: 'pusher', only: [], exclude: [], level: 'may', strict: false, seed: 1, timeScale: 1, handleSigint: false, areas: [area] };
    const report = await runConformance(options);
    expect(report.cases.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(report.options.concurrency).toBe(DEFAULT_CONCURRENCY.embedded);
    const at = Object.fromEntries(report.cases.map((c) => [c.id, { start: c.timing!.startMs, end: c.timing!.startMs + c.durationMs }]));
    for (const id of ['s/pool-a', 's/pool-b', 's/external']) {
      expect(at[id]!.start).toBeGreaterThanOrEqual(at['s/solo']!.end - 1);
      expect(at['s/hostile']!.start).toBeGreaterThanOrEqual(at[id]!.end - 1);
    }
    // exclusive: 'external' runs beside the pool on the embedded server
    expect(at['s/external']!.start).toBeLessThan(at['s/pool-a']!.end);
  });
});
