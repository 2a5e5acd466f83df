/**
 * The package's main entry (`import … from 'pusher-conformance'`): run the suite from code and
 * get the report object, the same one `pusher-conformance run` writes as report.json.
 *
 * @example
 * import { runSuite, writeReports } from 'pusher-conformance';
 * const report = await runSuite({ target: { ws: 'ws://127.0.0.1:6001', http: 'http://127.0.0.1:6001', appId: 'app-id', key: 'app-key', secret: process.env.PUSHER_SECRET! }, profile: 'soketi', only: ['connection/*'] });
 * await writeReports(report, 'reports', ['json', 'md']);
 * process.exitCode = report.exitCode;
 * @module
 */
import { randomInt } from 'node:crypto';
import type { Report } from '../../spec/src/report.ts';
import { runConformance, type RunEvents, type RunOptions } from './runner/run.ts';

export { runConformance, runDoctorOnly, caseSetHash, type RunEvents, type RunOptions, type ServerCommand } from './runner/run.ts';
export type { TargetInput } from './runner/target.ts';
export type { LevelGate } from './runner/select.ts';
export { suiteVersion, fastCheckVersion } from './runner/package-info.ts';
export { writeReports, reportFormats, reportFileNames, type ReportFormat } from './reports/write.ts';
export { renderMarkdown } from './reports/markdown.ts';
export { readJsonReport, renderJson } from './reports/json.ts';
export { Report, REPORT_SCHEMA_VERSION, type CaseResult, type Verdict, type VerdictCounts, type DoctorCheck } from '../../spec/src/report.ts';
export { areas, allCases, findCase } from './cases/index.ts';

/** the options `run` defaults (profile pusher, level should, random seed, time scale 1; concurrency: the runner's) */
const DEFAULTS = { profile: 'pusher', only: [], exclude: [], level: 'should', strict: false, timeScale: 1 } as const satisfies Omit<RunOptions, 'seed'>;

/** Options of {@link runSuite}: those of {@link runConformance}, each with `run`'s default. */
export type RunSuiteOptions = Partial<RunOptions>;

/**
 * Run the suite (without `target`: against the embedded reference server) and return the
 * validated report. Nothing is written; `report.exitCode` is the CLI's exit code for it.
 * SIGINT is not handled unless `handleSigint` is true; pass `signal` to interrupt.
 */
export async function runSuite(options: RunSuiteOptions = {}, events: RunEvents = {}): Promise<Report> {
  return runConformance({ ...DEFAULTS, handleSigint: false, seed: randomInt(0x7fffffff), ...options }, events);
}
