/**
 * The run's timeline for the HTML report: one bar per case over the run's time, colored by
 * verdict, with the case's waits drawn inside it by kind (quiet window, protocol timer, bound run
 * out, pause), and the totals per kind: a reader sees why a run took as long as it did (a slow
 * case alone at the start, a protocol timer of the target, cases queued behind others).
 * Self-contained: its own CSS in the section, no script; every string escaped.
 * @module
 */
import { waitKinds, type CaseResult, type Report, type WaitKind } from '../../../spec/src/report.ts';
import { escapeHtml as h, formatDuration } from './format.ts';

/** what each wait kind means, for the legend and the bars' titles */
export const waitKindMeaning: Readonly<Record<WaitKind, string>> = {
  quiet: 'quiet window: nothing may arrive',
  timer: 'protocol timer of the target waited out (cache TTL, throttle interval, webhook grace)',
  timeout: 'a bound ran out without what was awaited',
  pause: 'fixed pause',
};

const TIMELINE_CSS = `
#timeline .tl-legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:.25rem 0 .5rem;font-size:.85em}
#timeline .tl-rows{font-size:.72rem;line-height:1}
#timeline .tl-row{display:grid;grid-template-columns:minmax(8rem,22rem) 1fr;gap:.5rem;align-items:center;height:.78rem}
#timeline .tl-row a{color:inherit;text-decoration:none;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#timeline .tl-track{position:relative;height:.6rem;background:var(--panel)}
#timeline .tl-bar{position:absolute;top:0;height:100%;min-width:1px;opacity:.85}
#timeline .tl-wait{position:absolute;top:0;height:100%;min-width:1px}
#timeline .tl-pass{background:var(--pass)}#timeline .tl-fail{background:var(--fail)}#timeline .tl-warn{background:var(--warn)}#timeline .tl-info{background:var(--info)}
#timeline .tl-unsupported{background:var(--unsupported)}#timeline .tl-skipped{background:var(--skipped)}#timeline .tl-error{background:var(--error)}#timeline .tl-xfail{background:var(--xfail)}#timeline .tl-xpass{background:var(--xpass)}
#timeline .w-quiet{background:repeating-linear-gradient(90deg,rgba(255,255,255,.75) 0 2px,transparent 2px 4px)}
#timeline .w-timer{background:rgba(0,0,0,.55)}
#timeline .w-timeout{background:repeating-linear-gradient(45deg,rgba(0,0,0,.6) 0 2px,transparent 2px 5px)}
#timeline .w-pause{background:rgba(255,255,255,.45)}
#timeline .tl-key{display:inline-block;width:1.6rem;height:.7rem;vertical-align:middle;margin-right:.3rem}#timeline .tl-key>span{display:block;height:100%}
`;

interface Row {
  readonly c: CaseResult;
  readonly start: number;
}

const pct = (ms: number, total: number): string => `${Math.max(0, Math.min(100, (ms / total) * 100)).toFixed(3)}%`;

function bar(row: Row, total: number): string {
  const { c, start } = row;
  const waits = c.timing?.spans ?? [];
  const inner = waits
    .map((w) => `<span class="tl-wait w-${w.kind}" style="left:${pct(w.at, Math.max(c.durationMs, 1))};width:${pct(w.ms, Math.max(c.durationMs, 1))}"></span>`)
    .join('');
  const spent = waitKinds.filter((k) => (c.timing?.waits[k] ?? 0) > 0).map((k) => `${k} ${formatDuration(c.timing!.waits[k])}`);
  const title = `${c.id}: ${c.verdict}, from ${formatDuration(start)} for ${formatDuration(c.durationMs)}${spent.length ? `; waits: ${spent.join(', ')}` : ''}`;
  return [
    `<div class="tl-row"><a href="#case-${h(c.id)}" title="${h(title)}">${h(c.id)}</a>`,
    `<div class="tl-track"><span class="tl-bar tl-${c.verdict}" title="${h(title)}" style="left:${pct(start, total)};width:${pct(c.durationMs, total)}">${inner}</span></div></div>`,
  ].join('');
}

/** ms per wait kind over every case (each case's own totals, added) */
export function waitTotals(cases: readonly CaseResult[]): Record<WaitKind, number> {
  const totals: Record<WaitKind, number> = { quiet: 0, timer: 0, timeout: 0, pause: 0 };
  for (const c of cases) for (const k of waitKinds) totals[k] += c.timing?.waits[k] ?? 0;
  return totals;
}

/**
 * The timeline section, or '' when no case recorded its timing (reports written before it was,
 * or runs that executed nothing).
 */
export function timelineSection(report: Report): string {
  const rows: Row[] = report.cases.filter((c) => c.timing !== undefined).map((c) => ({ c, start: c.timing!.startMs }));
  if (rows.length === 0) return '';
  rows.sort((a, b) => a.start - b.start || a.c.id.localeCompare(b.c.id));
  const end = Math.max(...rows.map((r) => r.start + r.c.durationMs));
  const total = Math.max(end, 1);
  const busy = rows.reduce((sum, r) => sum + r.c.durationMs, 0);
  const totals = waitTotals(rows.map((r) => r.c));
  const waited = waitKinds.reduce((sum, k) => sum + totals[k], 0);
  const longest = [...rows].sort((a, b) => b.c.durationMs - a.c.durationMs).slice(0, 3);
  const lastToEnd = [...rows].sort((a, b) => b.start + b.c.durationMs - (a.start + a.c.durationMs))[0]!;
  const summary = [
    `${rows.length} cases over ${formatDuration(end)} at concurrency ${report.options.concurrency}: ${formatDuration(busy)} of case time, ${formatDuration(waited)} of it deliberate waiting`,
    `(${waitKinds.filter((k) => totals[k] > 0).map((k) => `${k} ${formatDuration(totals[k])}`).join(', ') || 'none'});`,
    'the rest is work: frames, requests, and the CPU time they queue for.',
    `Longest: ${longest.map((r) => `<a href="#case-${h(r.c.id)}"><code>${h(r.c.id)}</code></a> ${formatDuration(r.c.durationMs)}`).join(', ')};`,
    `last to finish: <a href="#case-${h(lastToEnd.c.id)}"><code>${h(lastToEnd.c.id)}</code></a>.`,
  ].join(' ');
  // each key: the wait's mark over a bar's color, as in the bars
  const legend = waitKinds.map((k) => `<span><span class="tl-key tl-pass"><span class="w-${k}"></span></span>${h(waitKindMeaning[k])}</span>`).join('');
  return [
    `<section id="timeline"><style>${TIMELINE_CSS}</style><h2>Timeline</h2>`,
    `<p>${summary}</p>`,
    '<p class="muted">One bar per case, placed at its start and as long as it ran, colored by verdict; marks inside a bar are its waits:</p>',
    `<div class="tl-legend">${legend}</div>`,
    `<details open><summary>${rows.length} cases by start time</summary><div class="tl-rows">${rows.map((r) => bar(r, total)).join('')}</div></details>`,
    '</section>',
  ].join('');
}
