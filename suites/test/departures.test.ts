// One departure, one finding (issue 9 §1): the harness recognises each known departure from what
// a case saw (frames and REST exchanges), the run names the root cause once with the cases it
// touched, and nothing fires against the reference server without a fault.
import { describe, expect, it } from 'vitest';
import { RestPath, restPath } from '../../spec/src/rest/endpoints.ts';
import { carries, dataLayers, DepartureLog, DepartureRecorder, knownDepartures } from '../src/harness/departures.ts';
import type { HttpResult } from '../src/harness/types.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';
import { FAST_CHECK_SEED } from '../../test-support/seed.ts';

const APP = 'app-id';
const EVENTS = restPath(RestPath.Events, { app: APP });
const BATCH = restPath(RestPath.BatchEvents, { app: APP });
const http = (status: number, body: unknown): HttpResult => ({ status, text: typeof body === 'string' ? body : JSON.stringify(body), json: typeof body === 'string' ? undefined : body, headers: {} });
const publish = (r: DepartureRecorder, data: string, path = EVENTS) => r.http({ method: 'POST', path, body: JSON.stringify({ name: 'e', channel: 'c', data }) }, http(200, {}));
const deliver = (r: DepartureRecorder, data: unknown) => r.frame({ event: 'e', channel: 'c', data }, 'c1');
const seen = (r: DepartureRecorder) => r.observations().map((o) => o.departure);

describe('the detector, from what a case saw', () => {
  it('recognises data JSON-encoded a second time, whether the delivery comes before or after the publish answer', () => {
    const after = new DepartureRecorder({ restApp: APP });
    publish(after, 'sync-1');
    deliver(after, JSON.stringify('sync-1'));
    expect(seen(after)).toEqual(['data-double-encoded']);
    expect(after.departureOf('subscription.data-verbatim')?.evidence).toContain('sync-1');

    // the server often delivers before it answers the publish
    const before = new DepartureRecorder({ restApp: APP });
    deliver(before, JSON.stringify('{"a":1}'));
    expect(seen(before)).toEqual([]);
    publish(before, '{"a":1}');
    expect(seen(before)).toEqual(['data-double-encoded']);

    // batch items count as publishes
    const batch = new DepartureRecorder({ restApp: APP });
    batch.http({ method: 'POST', path: BATCH, body: JSON.stringify({ batch: [{ name: 'e', channel: 'c', data: 'b-1' }] }) }, http(200, {}));
    deliver(batch, JSON.stringify('b-1'));
    expect(seen(batch)).toEqual(['data-double-encoded']);
  });

  it('does not take data delivered as published for a double encoding', () => {
    const r = new DepartureRecorder({ restApp: APP });
    // a case that publishes both a string and that string JSON-encoded gets each back verbatim
    deliver(r, JSON.stringify('x'));
    publish(r, 'x');
    publish(r, JSON.stringify('x'));
    deliver(r, 'x');
    deliver(r, JSON.stringify('x'));
    // JSON data decoded into an object is the pusher-js-tolerated form, not this departure
    publish(r, '{"a":1}');
    deliver(r, { a: 1 });
    // a string nobody published
    deliver(r, JSON.stringify('stray'));
    expect(seen(r)).toEqual([]);
  });

  it('recognises errors answered with HTTP 200 and a missing batch endpoint, not real successes or other 404s', () => {
    const r = new DepartureRecorder({ restApp: APP });
    r.http({ method: 'POST', path: EVENTS, body: '{}' }, http(200, {}));
    r.http({ method: 'GET', path: restPath(RestPath.Channel, { app: APP, channel_name: 'c' }) }, http(404, { error: 'unknown channel' }));
    r.http({ method: 'POST', path: restPath(RestPath.Events, { app: 'other-app' }) }, http(404, 'No such app'));
    expect(seen(r)).toEqual([]);
    r.http({ method: 'POST', path: EVENTS, body: '{}' }, http(200, { error: 'Invalid request body', code: 400 }));
    r.http({ method: 'POST', path: BATCH, body: '{"batch":[]}' }, http(404, 'No REST endpoint'));
    expect(seen(r).sort()).toEqual(['endpoint-missing', 'error-status-200']);
    expect(r.departureOf('rest.bad-request')?.evidence).toMatch(/HTTP 200 .*Invalid request body/);
    expect(r.departureOf('rest.batch-events')?.evidence).toMatch(/batch_events .*HTTP 404/);
  });

  it('reads every encoding pusher-js tolerates, and one more layer, as carrying a token', () => {
    expect(carries('t-1', 't-1')).toBe(true);
    expect(carries(JSON.stringify('t-1'), 't-1')).toBe(true);
    expect(carries({ a: 1 }, '{"a":1}')).toBe(true);
    expect(carries(JSON.stringify('{"a":1}'), '{"a":1}')).toBe(true);
    expect(carries('t-2', 't-1')).toBe(false);
    expect(carries({ a: 2 }, '{"a":1}')).toBe(false);
    expect(dataLayers(JSON.stringify(JSON.stringify({ a: 1 })))).toEqual([JSON.stringify(JSON.stringify({ a: 1 })), JSON.stringify({ a: 1 }), { a: 1 }]);
  });

  it('names each departure once over a run, with every case it touched', () => {
    const log = new DepartureLog();
    for (const id of ['b/two', 'a/one', 'b/two']) {
      const r = new DepartureRecorder({ restApp: APP });
      publish(r, `tok-${id}`);
      deliver(r, JSON.stringify(`tok-${id}`));
      log.add(id, r);
    }
    log.add('c/clean', new DepartureRecorder({ restApp: APP }));
    const findings = log.findings();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: 'data-double-encoded', clause: knownDepartures['data-double-encoded'].clause, cases: ['a/one', 'b/two'] });
    expect(new DepartureLog().reportField()).toEqual({});
  });
});

const run = (extra: Partial<RunOptions>): Promise<Awaited<ReturnType<typeof runConformance>>> =>
  runConformance({ profile: 'pusher', only: [], exclude: [], level: 'may', strict: false, seed: FAST_CHECK_SEED, timeScale: 1, concurrency: 4, handleSigint: false, ...extra });

/** cases that publish, query and batch: where the three departures show */
const SAMPLE = ['subscription/event-data-verbatim', 'subscription/event-data-string', 'subscription/unsubscribe-stops-delivery', 'echo-exclusion/*', 'rest/*', 'limits/batch-size-*', 'limits/event-name-length-boundary', 'cache/last-event-replayed', 'users/server-to-user-delivery'];

describe('against the reference server', () => {
  it('finds nothing without a fault', async () => {
    const report = await run({ only: SAMPLE });
    expect(report.summary.executed).toBeGreaterThan(20);
    expect(report.findings).toBeUndefined();
  }, 120_000);

  it.each([
    ['data-double-encoded', 'data-double-encoded', ['subscription/event-data-verbatim']],
    ['error-status-200', 'error-status-200', ['rest/bad-request-400']],
    ['batch-endpoint-missing', 'endpoint-missing', ['echo-exclusion/batch-socket-id', 'rest/batch-delivers-each-once']],
  ] as const)('names fault %s once as finding %s, and only its clause\'s cases fail', async (fault, finding, failing) => {
    const report = await run({ only: SAMPLE, faults: [fault] });
    expect(report.findings?.map((f) => f.id)).toEqual([finding]);
    const f = report.findings![0]!;
    expect(f.clause).toBe(knownDepartures[finding].clause);
    expect(f.cases.length).toBeGreaterThan(1);
    expect(f.cases).toEqual([...f.cases].sort());
    const failed = report.cases.filter((c) => c.verdict === 'fail' || c.verdict === 'warn').map((c) => c.id).sort();
    expect(failed).toEqual([...failing].sort());
    for (const id of failed) expect(f.cases).toContain(id);
  }, 120_000);
});
