/**
 * Sample reports folders for the site generator tests, built from the committed reports:
 * `rich` adds what newer runs record (sdk cases with library versions, findings, crashes, a
 * two-node cluster report whose transcripts name nodes, bench results, a mutation summary with
 * text the serialiser must escape); `bare` strips every optional part down to an old report.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_SCHEMA_VERSION, type BenchResult, type LatencySummary } from '../../spec/src/bench.ts';
import type { CaseResult, Report } from '../../spec/src/report.ts';
import { allCases } from '../../suites/src/cases/index.ts';
import { REPORTS } from '../scripts/site/paths.ts';

const readReport = (name: string): Report => JSON.parse(readFileSync(join(REPORTS, name, 'report.json'), 'utf8')) as Report;
const writeReport = (dir: string, name: string, r: Report) => {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'report.json'), JSON.stringify(r));
};

/** the sdk case that fails in the rich sample, and its message */
export const FAILING_SDK_MESSAGE = 'pusher-js stayed in "connecting" <after> {30 s}';

function sdkCases(template: CaseResult): CaseResult[] {
  return allCases()
    .filter((c) => c.area === 'sdk')
    .map((c, i) => ({
      ...template,
      id: c.case.id,
      area: 'sdk',
      clause: c.case.clause,
      level: c.case.level,
      features: [...c.case.features],
      action: c.case.action,
      requirement: c.case.requirement,
      verdict: i === 0 ? 'fail' : 'pass',
      ...(i === 0 ? { message: FAILING_SDK_MESSAGE } : {}),
      transcript: [],
    }));
}

function latency(p50: number): LatencySummary {
  return { samples: 50, p50, p90: p50 * 2, p99: p50 * 4, max: p50 * 5 };
}

export function sampleBench(name: string, factor: number): BenchResult {
  return {
    schemaVersion: BENCH_SCHEMA_VERSION,
    tool: { name: 'pusher-conformance', version: '0.1.0' },
    target: { name, ws: 'ws://127.0.0.1:6001', http: 'http://127.0.0.1:6001' },
    startedAt: '2026-12-04T19:00:00.000Z',
    durationSeconds: 60,
    machine: { cpus: 2, loadAverage: [1.5, 1.2, 1], node: 'v20.20.2', platform: 'linux' },
    bounds: { maxSeconds: 120, idleConnections: 500, subscriberCounts: [10, 100], rateSteps: [50, 100], stepSeconds: 5, latencyCeilingMs: 250, latencySamples: 50, presenceMembers: 50, clientEventSamples: 50 },
    complete: true,
    idle: { requested: 500, connected: 500, failures: {}, connectSeconds: 2.5 * factor, connectsPerSecond: 200 / factor, rssPerConnectionBytes: 20_480 * factor, cpuMsPerThousandConnections: 300 * factor },
    fanout: [10, 100].map((subscribers) => ({
      subscribers,
      connected: subscribers,
      single: { each: latency(1.2 * factor), last: latency(2 * factor) },
      ramp: [
        { rate: 50, published: 250, deliveriesPerSecond: 50 * subscribers, last: latency(3 * factor), each: latency(2 * factor), lost: 0, restErrors: 0, verdict: 'ok' as const },
        { rate: 100, published: 500, deliveriesPerSecond: 90 * subscribers, last: latency(300 * factor), each: latency(200 * factor), lost: 2, restErrors: 0, verdict: 'slow' as const },
      ],
      maxSustainedRate: 50,
      maxSustainedDeliveriesPerSecond: 50 * subscribers,
      overloadP99Ms: 800 * factor,
      stopped: 'p99 of the last subscriber passed the ceiling',
    })),
    clientEvents: { senders: 5, receivers: 5, sent: 50, latency: latency(1.5 * factor), lost: 0, errors: 0 },
    presence: { members: 50, channels: 1, joined: 50, joinSeconds: 1, joinsPerSecond: 50, leavesSeen: 50, leaveSeconds: 1, leavesPerSecond: 50 },
  };
}

export const SAMPLE_MUTATION = [
  '# Mutation testing of reference-server/src',
  '',
  'Survivors are triaged in [TRIAGE.md](TRIAGE.md); see also [StrykerJS](https://stryker-mutator.io/). Braces {like this} and <Tags> are text.',
  '',
  '<div>raw html</div>',
  '',
  '| file | score |',
  '|---|---:|',
  '| reference-server/src/client-events.ts | 75% |',
  '',
  '## reference-server/src/client-events.ts',
  '',
  '- `client-events.ts:26:24 BlockStatement "{}"` no coverage — **untriaged**',
  '',
].join('\n');

/** Every committed report, plus the rich additions; returns the folder. */
export function writeRichReports(dir: string): string {
  cpSync(REPORTS, dir, { recursive: true, filter: (src) => !src.includes(`${join(REPORTS, 'bench')}`) && !src.includes(join(REPORTS, 'mutation')) });
  const ref = readReport('reference');
  const template = ref.cases[0]!;
  const withSdk: Report = {
    ...ref,
    suite: { ...ref.suite, libraries: { 'pusher-js': '8.6.0', 'laravel-echo': '2.5.0', pusher: '5.3.4' } },
    cases: [...ref.cases.filter((c) => c.area !== 'sdk'), ...sdkCases(template)],
    findings: [{ id: 'sample-departure', title: 'Sample departure {with braces}', clause: template.clause, explanation: 'the harness tolerates it', evidence: '{"event":"pusher:error"}', cases: [template.id, 'not/in-this-report'] }],
    crashes: [{ afterCase: template.id, frame: '{"event":"pusher:subscribe"}', who: 'c1', at: '2026-12-04T19:00:00.000Z', detectedBy: 'probe', recovered: true }],
  };
  writeReport(dir, 'reference', withSdk);
  const soketi = readReport('soketi');
  writeReport(dir, 'soketi-cluster', {
    ...soketi,
    target: { ...soketi.target, nodes: [{ name: 'n1', ws: 'ws://127.0.0.1:6001', http: 'http://127.0.0.1:6001' }, { name: 'n2', ws: 'ws://127.0.0.1:6002', http: 'http://127.0.0.1:6002' }] },
    cases: soketi.cases.map((c) => ({ ...c, transcript: c.transcript.map((e, i) => ({ ...e, node: i % 2 ? 'n2' : 'n1' })) })),
  });
  mkdirSync(join(dir, 'bench'), { recursive: true });
  writeFileSync(join(dir, 'bench', 'reference.json'), JSON.stringify(sampleBench('reference', 1)));
  writeFileSync(join(dir, 'bench', 'soketi-cluster.json'), JSON.stringify(sampleBench('soketi 1.6.1, 2 nodes', 1.5)));
  writeFileSync(join(dir, 'bench', 'comparison.md'), '# not a result\n');
  mkdirSync(join(dir, 'mutation'), { recursive: true });
  writeFileSync(join(dir, 'mutation', 'SUMMARY.md'), SAMPLE_MUTATION);
  return dir;
}

/** The reference report alone, without any optional part; no bench, no mutation summary. */
export function writeBareReports(dir: string): string {
  const ref = readReport('reference');
  const { findings: _f, crashes: _c, ...rest } = ref;
  const { libraries: _l, ...suite } = rest.suite;
  const { nodes: _n, ...target } = rest.target;
  writeReport(dir, 'reference', { ...rest, suite, target, cases: rest.cases.filter((c) => c.area !== 'sdk') });
  return dir;
}
