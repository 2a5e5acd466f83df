/**
 * The "Performance" results page from the committed `pusher-conformance bench` results
 * (reports/bench/*.json, validated by spec/src/bench.ts): every result side by side, then each
 * one's ramp. No bench file, no page (and no link to it).
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchResult, type LatencySummary } from '../../../spec/src/bench.ts';
import { code, fileLink, heading, link, mdxPage, p, table, type Block, type Inline } from './mdast.ts';
import { REPORTS } from './paths.ts';
import { file, route } from './routes.ts';

export interface LoadedBench {
  /** the file's base name (reports/bench/NAME.json): the report of the same name is its implementation */
  name: string;
  result: BenchResult;
}

export const BENCH_DIR = 'bench';

export function loadBench(reportsDir: string = REPORTS): LoadedBench[] {
  const dir = join(reportsDir, BENCH_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name)
    .sort((a, b) => (a === 'reference.json' ? -1 : b === 'reference.json' ? 1 : a.localeCompare(b)))
    .map((file) => {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      } catch (e) {
        throw new Error(`website: reports/${BENCH_DIR}/${file} is not JSON: ${(e as Error).message}`);
      }
      const parsed = BenchResult.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`website: reports/${BENCH_DIR}/${file} does not match spec/src/bench.ts: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
      }
      return { name: file.slice(0, -'.json'.length), result: parsed.data };
    });
}

/** The anchor of one result on the performance page. */
export const benchAnchor = (name: string): string => route.benchResult(name).split("#")[1]!;

const num = (n: number | null | undefined, unit = '', digits = 0): string => (n === null || n === undefined ? '—' : `${n.toLocaleString('en-US', { maximumFractionDigits: digits })}${unit}`);
const ms = (n: number | null | undefined) => num(n, ' ms', 1);
const lat = (l: LatencySummary | undefined): string => (!l || l.samples === 0 ? '—' : `p50 ${ms(l.p50)}, p99 ${ms(l.p99)} (${num(l.samples)} samples)`);
const mib = (b: number | undefined) => (b === undefined ? '—' : num(b / 1024, ' KiB', 1));

/** Rows of the side-by-side table: label and one cell per result. */
function sideBySide(all: readonly LoadedBench[]): (readonly Inline[])[] {
  const subscriberCounts = [...new Set(all.flatMap((b) => b.result.fanout.map((f) => f.subscribers)))].sort((a, b) => a - b);
  const row = (label: string, cell: (b: BenchResult) => string): Inline[] => [label, ...all.map((b) => cell(b.result))];
  return [
    row('run', (r) => `${r.startedAt}, ${num(r.durationSeconds, ' s')}${r.complete ? '' : `, incomplete${r.aborted ? `: ${r.aborted}` : ''}`}`),
    row('machine', (r) => `${r.machine.cpus} CPUs, load ${r.machine.loadAverage.map((x) => x.toFixed(2)).join(' / ')}, Node ${r.machine.node}`),
    row('idle connections', (r) => (r.idle ? `${num(r.idle.connected)} of ${num(r.idle.requested)} in ${num(r.idle.connectSeconds, ' s', 1)} (${num(r.idle.connectsPerSecond, '/s')})${r.idle.stopped ? `; stopped: ${r.idle.stopped}` : ''}` : '—')),
    row('memory per connection', (r) => mib(r.idle?.rssPerConnectionBytes)),
    row('CPU per 1,000 connects', (r) => num(r.idle?.cpuMsPerThousandConnections, ' ms')),
    ...subscriberCounts.flatMap((n) => [
      row(`${n} subscribers: single event, last receipt`, (r) => lat(r.fanout.find((f) => f.subscribers === n)?.single.last)),
      row(`${n} subscribers: max sustained rate`, (r) => {
        const f = r.fanout.find((x) => x.subscribers === n);
        return f ? `${num(f.maxSustainedRate, ' events/s')} (${num(f.maxSustainedDeliveriesPerSecond, ' deliveries/s')})` : '—';
      }),
      row(`${n} subscribers: p99 past the limit`, (r) => ms(r.fanout.find((f) => f.subscribers === n)?.overloadP99Ms)),
    ]),
    row('client events', (r) => (r.clientEvents ? `${lat(r.clientEvents.latency)}; ${r.clientEvents.lost} lost, ${r.clientEvents.errors} errors` : '—')),
    row('presence', (r) => (r.presence ? `${r.presence.joined} of ${r.presence.members} joined (${num(r.presence.joinsPerSecond, '/s')}), ${r.presence.leavesSeen} leaves seen (${num(r.presence.leavesPerSecond, '/s')})` : '—')),
  ];
}

function detail(b: LoadedBench, reports: ReadonlySet<string>): Block[] {
  const r = b.result;
  const out: Block[] = [
    heading(2, [r.target.name], benchAnchor(b.name)),
    p(
      ...(reports.has(b.name) ? ['Conformance: ', link(route.report(b.name), `results of ${b.name}`), '. '] : []),
      'Result: ', fileLink(file.bench(b.name), `${b.name}.json`), '. ',
      'Bounds: at most ', code(`${r.bounds.maxSeconds} s`), ', ', code(num(r.bounds.idleConnections)), ' idle connections, subscribers ', code(r.bounds.subscriberCounts.join(', ')),
      ', rates ', code(r.bounds.rateSteps.join(', ')), ' events/s for ', code(`${r.bounds.stepSeconds} s`), ' each, latency ceiling ', code(`${r.bounds.latencyCeilingMs} ms`), '.',
    ),
  ];
  for (const f of r.fanout) {
    out.push(heading(3, [`${f.subscribers} subscribers (${f.connected} connected)`]));
    if (f.ramp.length === 0) out.push(p(`No ramp step ran (${f.stopped}).`));
    else
      out.push(
        table(['rate (events/s)', 'published', 'deliveries/s', 'last subscriber', 'every receipt', 'lost', 'REST errors', 'step'], f.ramp.map((s) => [
          num(s.rate),
          num(s.published),
          num(s.deliveriesPerSecond),
          lat(s.last),
          lat(s.each),
          num(s.lost),
          num(s.restErrors),
          code(s.verdict),
        ])),
        p(`Ramp stopped: ${f.stopped}.`),
      );
  }
  return out;
}

/** The performance page, or nothing when no bench result is committed. */
export function benchFiles(all: readonly LoadedBench[], reportNames: readonly string[]): Record<string, string> {
  if (all.length === 0) return {};
  if (reportNames.includes('performance')) throw new Error('website: a report directory named reports/performance/ would take the route of the performance page');
  const reports = new Set(reportNames);
  const body: Block[] = [
    heading(1, ['Performance']),
    p(
      'Results of ', code('pusher-conformance bench'), ' committed under ', code(`reports/${BENCH_DIR}/`), ', side by side. Figures depend on the machine (shown per run, which may be shared); compare runs made on the same machine. Latency is publish to receipt, nearest-rank percentiles.',
    ),
    table(['measure', ...all.map((b) => b.result.target.name)], sideBySide(all)),
    ...all.flatMap((b) => detail(b, reports)),
  ];
  return { 'docs/results/performance.mdx': mdxPage({ title: 'Performance', sidebar_position: 1.5 }, body) };
}
