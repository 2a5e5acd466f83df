import { describe, expect, it } from 'vitest';
import { Report } from '../../spec/src/report.ts';
import { defineArea, defineCase } from '../src/model/case.ts';
import { attribute, MAX_REPORTED_SPANS, mergeSameKind, WaitLog } from '../src/harness/timing.ts';
import { renderHtml } from '../src/reports/html.ts';
import { timelineSection, waitTotals } from '../src/reports/timeline.ts';
import { runConformance } from '../src/runner/run.ts';
import { syntheticCase, syntheticReport } from './fixtures/synthetic-report.ts';

describe('where a case\'s time goes', () => {
  it('counts overlapping waits once, for the most specific kind', () => {
    const totals = attribute([
      { kind: 'quiet', at: 0, ms: 100 },
      { kind: 'quiet', at: 50, ms: 100 },
      { kind: 'timer', at: 120, ms: 100 },
      { kind: 'pause', at: 400, ms: 10 },
      { kind: 'timeout', at: 200, ms: 50 },
    ]);
    // quiet 0-120 (the timer wins from 120), timer 120-220, timeout 220-250, pause 400-410
    expect(totals).toEqual({ quiet: 120, timer: 100, timeout: 30, pause: 10 });
  });

  it('merges touching waits of one kind and keeps the longest spans in time order', () => {
    expect(mergeSameKind([{ kind: 'quiet', at: 10, ms: 5 }, { kind: 'quiet', at: 0, ms: 10 }, { kind: 'timer', at: 3, ms: 1 }])).toEqual([
      { kind: 'quiet', at: 0, ms: 15 },
      { kind: 'timer', at: 3, ms: 1 },
    ]);
    const log = new WaitLog(0);
    for (let i = 0; i < 100; i++) log.record('pause', i * 10, i * 10 + 1 + (i % 7));
    const timing = log.timing(42);
    expect(timing.startMs).toBe(42);
    expect(timing.spans).toHaveLength(MAX_REPORTED_SPANS);
    expect(timing.spans.map((s) => s.at)).toEqual([...timing.spans.map((s) => s.at)].sort((a, b) => a - b));
    expect(Math.min(...timing.spans.map((s) => s.ms))).toBeGreaterThanOrEqual(4);
  });

  it('records sleeps by kind, quiet windows, bounds run out and the case timeout in report.json', async () => {
    const area = defineArea('t', 'T', [
      defineCase({
        id: 't/waits',
        clause: 'connection.ping-pong',
        level: 'MUST',
        features: [],
        action: 'a',
        requirement: 'r',
        async run(ctx) {
          await ctx.sleep(60, 'timer');
          await ctx.sleep(40);
          const c = await ctx.connect();
          await c.expectNoFrame({ event: 'never', within: 80 });
          expect(await c.waitFor({ event: 'never', within: 50 })).toBeUndefined();
          await ctx.timed('timer', new Promise((r) => setTimeout(r, 30)));
        },
      }),
      defineCase({ id: 't/hangs', clause: 'connection.ping-pong', level: 'MUST', features: [], action: 'a', requirement: 'r', timeoutMs: 150, run: () => new Promise(() => {}) }),
    ]);
    const report = Report.parse(await runConformance({ profile: 'pusher', only: [], exclude: [], level: 'may', strict: false, seed: 1, timeScale: 1, handleSigint: false, areas: [area] }));
    const [waits, hangs] = report.cases;
    expect(waits!.verdict).toBe('pass');
    const w = waits!.timing!.waits;
    expect(w.timer).toBeGreaterThanOrEqual(85);
    expect(w.pause).toBeGreaterThanOrEqual(35);
    expect(w.quiet).toBeGreaterThanOrEqual(75);
    expect(w.timeout).toBeGreaterThanOrEqual(45);
    expect(waits!.timing!.spans.map((s) => s.kind)).toEqual(['timer', 'pause', 'quiet', 'timeout', 'timer']);
    expect(hangs!.verdict).toBe('error');
    expect(hangs!.timing!.waits.timeout).toBeGreaterThanOrEqual(140);
    expect(hangs!.timing!.startMs).toBeGreaterThanOrEqual(0);
  });
});

describe('timeline', () => {
  const timed = (verdict: Parameters<typeof syntheticCase>[0], id: string, startMs: number, durationMs: number, quiet = 0) =>
    syntheticCase(verdict, { id, durationMs, timing: { startMs, waits: { quiet, timer: 0, timeout: 0, pause: 0 }, spans: quiet ? [{ kind: 'quiet', at: 0, ms: quiet }] : [] } });

  it('draws one bar per timed case by start time, colored by verdict, with its waits and the totals', () => {
    const report = syntheticReport({ cases: [timed('fail', 'x/<late>', 500, 500), timed('pass', 'x/early', 0, 1000, 400), syntheticCase('skipped')] });
    const html = timelineSection(report);
    expect(html).toContain('<section id="timeline">');
    expect(html.indexOf('x/early')).toBeLessThan(html.indexOf('x/&#60;late&#62;'));
    expect(html).not.toContain('<late>');
    expect(html).toContain('class="tl-bar tl-fail"');
    expect(html).toContain('style="left:50.000%;width:50.000%"');
    expect(html).toContain('class="tl-wait w-quiet" style="left:0.000%;width:40.000%"');
    expect(html).toMatch(/2 cases over 1\.0 s at concurrency \d+: 1\.5 s of case time, 400 ms of it deliberate waiting \(quiet 400 ms\)/);
    expect(waitTotals(report.cases)).toEqual({ quiet: 400, timer: 0, timeout: 0, pause: 0 });
    expect(renderHtml(report)).toContain('<section id="timeline">');
  });

  it('is absent from reports without timing', () => {
    expect(timelineSection(syntheticReport())).toBe('');
    expect(renderHtml(syntheticReport())).not.toContain('id="timeline"');
  });
});
