/**
 * The GitHub Action (action.yml at the repository root): runs `pusher-conformance run` with
 * the inputs, then turns its report.json into the step summary, one annotation per case that
 * needs attention, and the step outputs. The step exits with the run's exit code.
 * @module
 */
import { spawn } from 'node:child_process';
import { appendFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Report, Verdict } from '../../../spec/src/report.ts';
import { readJsonReport } from '../reports/json.ts';
import { reportFileNames } from '../reports/write.ts';
import { findPackageJson } from '../runner/package-info.ts';
import { ActionInputError, readInputs } from './inputs.ts';
import { renderStepSummary } from './summary.ts';
import { outputEntry, workflowCommand, type AnnotationLevel } from './workflow-commands.ts';

/** annotations of one level past this many are counted in one notice (GitHub shows 10 per step) */
export const ANNOTATION_CAP = 50;
/** the run itself is bounded by its cases' bounds; this only stops a hung child */
const RUN_TIMEOUT_MS = 6 * 60 * 60 * 1000;

const ANNOTATED: Partial<Record<Verdict, AnnotationLevel>> = { fail: 'error', xpass: 'error', error: 'error', warn: 'warning' };

export interface ActionIo {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

/** `::error title=<case id>::<clause>: expected …; actual …` for each case that needs attention */
export function annotations(report: Report): string[] {
  const out: string[] = [];
  const count: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  for (const c of report.cases) {
    const level = ANNOTATED[c.verdict];
    if (!level) continue;
    // a warn under --strict gates the run like a failure
    const shown: AnnotationLevel = level === 'warning' && report.options.strict ? 'error' : level;
    if (++count[shown] > ANNOTATION_CAP) continue;
    const verdictNote = c.verdict === 'xpass' ? 'passes but the baseline expects a failure (update the baseline); ' : c.verdict === 'error' ? 'not judged (setup or harness error); ' : '';
    out.push(workflowCommand(shown, `${verdictNote}${c.clause} (${c.level}): expected ${c.expected.join(' | ') || '(none recorded)'}; actual ${c.actual}${c.message && c.message !== c.actual ? `; ${c.message}` : ''}`, { title: c.id }));
  }
  for (const level of ['error', 'warning'] as const) {
    if (count[level] > ANNOTATION_CAP) out.push(workflowCommand('notice', `${count[level] - ANNOTATION_CAP} more ${level} annotations are not shown; see the step summary and the report`, { title: 'pusher-conformance' }));
  }
  return out;
}

/** the step outputs: exit code, one count per verdict, the report paths */
export function outputs(report: Report | undefined, exitCode: number, reportDir: string): Record<string, string> {
  const o: Record<string, string> = { 'exit-code': String(exitCode), 'report-dir': reportDir };
  if (!report) return o;
  for (const [v, n] of Object.entries(report.summary.byVerdict)) o[v] = String(n);
  Object.assign(o, { total: String(report.summary.total), selected: String(report.summary.selected), executed: String(report.summary.executed), complete: String(report.complete) });
  o['report-json'] = join(reportDir, reportFileNames.json);
  o['report-md'] = join(reportDir, reportFileNames.md);
  o['report-html'] = join(reportDir, reportFileNames.html);
  o['report-junit'] = join(reportDir, reportFileNames.junit);
  return o;
}

/** the bin beside the kit's package.json (the same in the checkout and in the installed package) */
function cliBin(): string {
  const pkg = findPackageJson();
  if (!pkg) throw new Error('the pusher-conformance package.json was not found above the action module');
  return join(dirname(pkg.path), 'bin', 'pusher-conformance.js');
}

function runCli(args: readonly string[], io: ActionIo, secret: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin(), 'run', ...args], {
      cwd: io.cwd,
      env: { ...io.env, ...(secret !== undefined ? { PUSHER_SECRET: secret } : {}), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => io.stdout.write(d.toString()));
    child.stderr.on('data', (d: Buffer) => io.stderr.write(d.toString()));
    child.on('error', (e) => {
      io.stderr.write(`pusher-conformance action: could not start the CLI: ${e.message}\n`);
      clearTimeout(timer);
      resolve(2);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? 2);
    });
  });
}

/** Runs the action; returns the step's exit code. */
export async function runAction(io: ActionIo): Promise<number> {
  let inputs;
  try {
    inputs = readInputs(io.env);
  } catch (e) {
    if (!(e instanceof ActionInputError)) throw e;
    io.stdout.write(`${workflowCommand('error', e.message, { title: 'pusher-conformance' })}\n`);
    if (io.env.GITHUB_OUTPUT) await appendFile(io.env.GITHUB_OUTPUT, outputEntry('exit-code', '2'));
    return 2;
  }
  const dir = isAbsolute(inputs.reportDir) ? inputs.reportDir : join(io.cwd, inputs.reportDir);
  // a report left by an earlier run must not be taken for this run's
  await rm(join(dir, reportFileNames.json), { force: true });
  io.stdout.write('::group::pusher-conformance run\n');
  const exitCode = await runCli(inputs.args, io, inputs.secret);
  io.stdout.write('::endgroup::\n');

  let report: Report | undefined;
  try {
    report = await readJsonReport(join(dir, reportFileNames.json));
  } catch (e) {
    // a usage error stops the CLI before any report: its message is above, in the log
    io.stdout.write(`${workflowCommand('error', `no report was written (exit ${exitCode}): ${(e as Error).message.split('\n')[0]}; see the log of this step`, { title: 'pusher-conformance' })}\n`);
  }
  if (report) {
    for (const line of annotations(report)) io.stdout.write(`${line}\n`);
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) await appendFile(summaryFile, renderStepSummary(report, inputs.reportUrl ? { reportUrl: inputs.reportUrl } : {}).markdown);
  }
  const outputFile = io.env.GITHUB_OUTPUT;
  if (outputFile) await appendFile(outputFile, Object.entries(outputs(report, exitCode, inputs.reportDir)).map(([k, v]) => outputEntry(k, v)).join(''));
  return exitCode;
}
