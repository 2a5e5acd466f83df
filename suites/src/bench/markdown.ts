/**
 * Bench results as Markdown: one result, or several side by side with ratios to the first.
 * @module
 */
import type { BenchResult, LatencySummary } from '../../../spec/src/bench.ts';
import { warmupCount } from './phases/idle.ts';

const ms = (n: number | null | undefined): string => (n === null || n === undefined ? 'n/a' : `${n.toFixed(1)} ms`);
const num = (n: number | null | undefined, digits = 0): string => (n === null || n === undefined ? 'n/a' : n.toFixed(digits));
const kib = (n: number | undefined): string => (n === undefined ? 'n/a' : n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(2)} KiB`);
const cpuShare = (n: number | undefined): string => (n === undefined ? 'n/a' : `${Math.round(n * 100)}%`);
const lat = (l: LatencySummary): string => `${ms(l.p50)} / ${ms(l.p90)} / ${ms(l.p99)} / ${ms(l.max)}`;

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- |').join('')}`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function methodText(r: BenchResult): string {
  const b = r.bounds;
  return [
    `Measured through the protocol only (WebSocket protocol 7 and signed REST) from ${r.machine.cpus} CPUs, ${r.machine.platform}, Node ${r.machine.node}, load average ${r.machine.loadAverage.join(' ')} at the start.`,
    'CPU columns: CPU time over wall time of the step (100% = one core busy); a bench near 100% of its cores is the limit, not the server.',
    `Bounds: ${b.maxSeconds} s in all; ${b.idleConnections} idle connections (after ${warmupCount(b.idleConnections)} opened and closed to warm the server up; RSS and CPU from /proc when the server's pid is known); fan-out to ${b.subscriberCounts.join(', ')} subscribers, ${b.latencySamples} events one at a time, then publish rates ${b.rateSteps.join(', ')} events/s for ${b.stepSeconds} s each, until the last subscriber's p99 passes ${b.latencyCeilingMs} ms or an event is lost; ${b.clientEventSamples} client events; ${b.presenceMembers} presence members.`,
  ].join('\n');
}

export function renderBenchMarkdown(r: BenchResult): string {
  const out: string[] = [`# Bench: ${r.target.name}`, '', `${r.target.ws} (${r.startedAt}, ${r.durationSeconds} s${r.complete ? '' : ', incomplete'})`, '', methodText(r), ''];
  if (r.aborted) out.push(`**Stopped early:** ${r.aborted}`, '');
  if (r.idle) {
    const i = r.idle;
    out.push('## Idle connections', '', table(['requested', 'connected', 'connect time', 'connects/s', 'RSS before', 'RSS after', 'RSS/connection', 'server CPU per 1,000 accepts'], [[String(i.requested), String(i.connected), `${i.connectSeconds} s`, num(i.connectsPerSecond), kib(i.rssBeforeBytes), kib(i.rssAfterBytes), kib(i.rssPerConnectionBytes), i.cpuMsPerThousandConnections !== undefined ? `${i.cpuMsPerThousandConnections} ms` : 'n/a']]), '');
    const failures = Object.entries(i.failures);
    if (failures.length) out.push(`Failed: ${failures.map(([k, v]) => `${v}× ${k}`).join(', ')}`, '');
    if (i.stopped) out.push(`Stopped: ${i.stopped}`, '');
  }
  for (const f of r.fanout) {
    out.push(`## Fan-out to ${f.subscribers} subscribers`, '', `One event at a time (p50 / p90 / p99 / max): each subscriber ${lat(f.single.each)}; last subscriber ${lat(f.single.last)}.`, '');
    if (f.ramp.length)
      out.push(table(['events/s', 'published', 'deliveries/s', 'last p50', 'last p99', 'each p99', 'lost', 'bench CPU', 'server CPU', 'verdict'], f.ramp.map((s) => [String(s.rate), String(s.published), String(s.deliveriesPerSecond), ms(s.last.p50), ms(s.last.p99), ms(s.each.p99), String(s.lost), cpuShare(s.loadCpuShare), cpuShare(s.serverCpuShare), s.verdict])), '');
    out.push(`Max sustained: ${f.maxSustainedRate !== null ? `${f.maxSustainedRate} events/s (${f.maxSustainedDeliveriesPerSecond} deliveries/s)` : 'below the first step'}; p99 under overload ${ms(f.overloadP99Ms)}; stopped: ${f.stopped}.`, '');
  }
  if (r.clientEvents) {
    const c = r.clientEvents;
    out.push('## Client-event relay', '', `${c.sent} events among ${c.senders} members (p50 / p90 / p99 / max): ${lat(c.latency)}; lost ${c.lost}; errors ${c.errors}${c.stopped ? `; stopped: ${c.stopped}` : ''}.`, '');
  }
  if (r.presence) {
    const p = r.presence;
    out.push('## Presence', '', `${p.members} members on ${p.channels} channels: ${p.joinsPerSecond} joins/s (${p.joinSeconds} s), ${p.leavesPerSecond} leaves/s (${p.leaveSeconds} s)${p.stopped ? `; stopped: ${p.stopped}` : ''}.`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export interface BenchFigure {
  readonly name: string;
  /** true: more is better */
  readonly higherIsBetter: boolean;
  readonly values: ReadonlyArray<number | null>;
}

/** The figures two or more results share, one value per result (null where one lacks it). */
export function benchFigures(results: readonly BenchResult[]): BenchFigure[] {
  const figs: BenchFigure[] = [];
  const add = (name: string, higherIsBetter: boolean, get: (r: BenchResult) => number | null | undefined): void => {
    const values = results.map((r) => get(r) ?? null);
    if (values.some((v) => v !== null)) figs.push({ name, higherIsBetter, values });
  };
  add('idle: RSS per connection (bytes)', false, (r) => r.idle?.rssPerConnectionBytes);
  add('idle: server CPU per 1,000 accepts (ms)', false, (r) => r.idle?.cpuMsPerThousandConnections);
  add('idle: connects/s', true, (r) => r.idle?.connectsPerSecond);
  const counts = [...new Set(results.flatMap((r) => r.fanout.map((f) => f.subscribers)))].sort((a, b) => a - b);
  for (const n of counts) {
    const f = (r: BenchResult) => r.fanout.find((x) => x.subscribers === n);
    add(`fan-out ${n}: single p50, last subscriber (ms)`, false, (r) => f(r)?.single.last.p50);
    add(`fan-out ${n}: single p99, last subscriber (ms)`, false, (r) => f(r)?.single.last.p99);
    add(`fan-out ${n}: max sustained deliveries/s`, true, (r) => f(r)?.maxSustainedDeliveriesPerSecond);
    add(`fan-out ${n}: p99 under overload (ms)`, false, (r) => f(r)?.overloadP99Ms);
  }
  add('client events: p50 (ms)', false, (r) => r.clientEvents?.latency.p50);
  add('client events: p99 (ms)', false, (r) => r.clientEvents?.latency.p99);
  add('presence: joins/s', true, (r) => r.presence?.joinsPerSecond);
  add('presence: leaves/s', true, (r) => r.presence?.leavesPerSecond);
  return figs;
}

/** Side by side; each column after the first also shows its ratio to the first. */
export function renderBenchComparison(results: readonly BenchResult[]): string {
  const names = results.map((r) => r.target.name);
  const rows = benchFigures(results).map((f) => [
    `${f.name}${f.higherIsBetter ? ' ↑' : ' ↓'}`,
    ...f.values.map((v, i) => {
      const base = f.values[0];
      const shown = v === null ? 'n/a' : String(Math.round(v * 100) / 100);
      return i === 0 || v === null || base === null || base === undefined || base === 0 ? shown : `${shown} (${(v / base).toFixed(2)}×)`;
    }),
  ]);
  const loads = results.map((r) => `${r.target.name}: load ${r.machine.loadAverage.join(' ')}, ${r.startedAt}${r.complete ? '' : ' (incomplete)'}`);
  return `${[`# Bench comparison: ${names.join(' vs ')}`, '', 'Ratios are to the first column; ↑ more is better, ↓ less is better.', '', table(['figure', ...names], rows), '', ...loads.map((l) => `- ${l}`)].join('\n')}\n`;
}
