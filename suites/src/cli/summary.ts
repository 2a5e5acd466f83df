/**
 * The console summary printed after a run: totals per area and verdict, then every failure,
 * error and unexpected pass (and warnings) with id, clause, expected/actual and the reproduce
 * command, then the gate line.
 * @module
 */
import pc from 'picocolors';
import { z } from 'zod';
import { CaseResult as CaseResultSchema, DoctorCheck, Report as ReportSchema } from '../../../spec/src/report.ts';
import type { CaseResult, Report, Verdict } from '../../../spec/src/report.ts';
import { casesByArea, countVerdicts, expectedText, formatDuration, gateLine, propertyText, targetLine, verdictColumns, verdictSymbol } from '../reports/format.ts';

type Colors = ReturnType<typeof pc.createColors>;

/** Failures listed in full on the console; the rest are in the reports. */
const LIST_LIMIT = 25;
/** Errors sharing one message are listed once from this many cases on. */
const GROUP_MIN = 3;

/** Errors grouped by message, biggest group first. */
export function groupErrors(cases: readonly CaseResult[]): CaseResult[][] {
  const groups = new Map<string, CaseResult[]>();
  for (const c of [...cases].sort((a, b) => a.id.localeCompare(b.id))) {
    const key = c.message ?? c.actual;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

function paint(c: Colors, v: Verdict): (s: string) => string {
  switch (v) {
    case 'pass':
      return c.green;
    case 'fail':
      return c.red;
    case 'error':
      return c.magenta;
    case 'warn':
    case 'xpass':
      return c.yellow;
    case 'info':
      return c.blue;
    default:
      return c.dim;
  }
}

function caseLines(c: CaseResult, colors: Colors): string[] {
  const lines = [
    `  ${paint(colors, c.verdict)(`${verdictSymbol[c.verdict]} ${c.verdict}`)} ${colors.bold(c.id)}  ${colors.dim(`[${c.clause} ${c.level}]`)}`,
    `      requirement: ${c.requirement}`,
    `      expected:    ${expectedText(c)}`,
    `      actual:      ${c.actual}`,
  ];
  if (c.message) lines.push(`      message:     ${c.message}`);
  const prop = propertyText(c);
  if (prop) lines.push(`      property:    ${prop}${c.property?.counterexample ? `; counterexample ${c.property.counterexample}` : ''}`);
  lines.push(`      reproduce:   ${colors.cyan(c.reproduce)}`);
  return lines;
}

export function renderSummary(report: Report, opts: { color?: boolean; files?: readonly string[] } = {}): string {
  const colors = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  const byArea = [...casesByArea(report)];
  const cols = verdictColumns.filter((v) => v === 'pass' || v === 'fail' || report.summary.byVerdict[v] > 0);
  const width = Math.max(5, ...byArea.map(([a]) => a.length));
  const cell = (n: number, v: Verdict) => (n ? paint(colors, v)(String(n).padStart(Math.max(5, v.length))) : colors.dim('·'.padStart(Math.max(5, v.length))));

  out.push('', colors.bold(`pusher-conformance: ${targetLine(report)}`));
  out.push(`${'area'.padEnd(width)}  ${'total'.padStart(5)}  ${cols.map((v) => v.padStart(Math.max(5, v.length))).join('  ')}`);
  for (const [area, cases] of byArea) {
    const counts = report.summary.byArea[area] ?? countVerdicts(cases);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    out.push(`${area.padEnd(width)}  ${String(total).padStart(5)}  ${cols.map((v) => cell(counts[v], v)).join('  ')}`);
  }
  const t = report.summary.byVerdict;
  out.push(colors.bold(`${'total'.padEnd(width)}  ${String(report.cases.length).padStart(5)}  ${cols.map((v) => cell(t[v], v)).join('  ')}`));

  const attention: Verdict[] = report.options.strict ? ['fail', 'xpass', 'warn'] : ['fail', 'xpass'];
  const listed = report.cases.filter((c) => attention.includes(c.verdict)).sort((a, b) => attention.indexOf(a.verdict) - attention.indexOf(b.verdict) || a.id.localeCompare(b.id));
  if (listed.length > 0) {
    out.push('', colors.bold(`Failures (${listed.length}):`));
    for (const c of listed.slice(0, LIST_LIMIT)) out.push(...caseLines(c, colors));
    if (listed.length > LIST_LIMIT) out.push(`  …and ${listed.length - LIST_LIMIT} more in the reports`);
  }
  const errors = report.cases.filter((c) => c.verdict === 'error');
  if (errors.length > 0) {
    // A setup problem errors every case with one message: say it once, not once per case.
    out.push('', colors.bold(`Errors (${errors.length}; the harness or the setup broke, not the protocol):`));
    let shown = 0;
    for (const group of groupErrors(errors)) {
      if (group.length >= GROUP_MIN) {
        const ids = group.slice(0, 3).map((c) => c.id).join(', ');
        out.push(`  ${colors.magenta('‼')} ${group.length} cases: ${group[0]!.message ?? group[0]!.actual}`, colors.dim(`      e.g. ${ids}${group.length > 3 ? ', …' : ''}`));
      } else {
        for (const c of group) if (shown++ < LIST_LIMIT) out.push(...caseLines(c, colors));
      }
    }
    if (shown > LIST_LIMIT) out.push(`  …and ${shown - LIST_LIMIT} more in the reports`);
  }
  const warns = report.options.strict ? [] : report.cases.filter((c) => c.verdict === 'warn');
  if (warns.length > 0) {
    out.push('', colors.bold(`Warnings (${warns.length}, SHOULD; gating only with --strict):`));
    for (const c of warns.slice(0, LIST_LIMIT)) out.push(`  ${colors.yellow('⚠')} ${c.id}  ${colors.dim(`[${c.clause}]`)}  expected ${expectedText(c)}; got ${c.actual}`);
    if (warns.length > LIST_LIMIT) out.push(`  …and ${warns.length - LIST_LIMIT} more in the reports`);
  }
  const badDoctor = report.doctor.filter((d) => !d.ok);
  if (badDoctor.length > 0) {
    out.push('', colors.bold('Setup problems (doctor):'));
    // a check that blocks nothing is a warning: its cases were judged, or are unsupported with its hint
    for (const d of badDoctor) out.push(`  ${(d.blocks ?? []).length === 0 ? colors.yellow('⚠') : colors.red('✗')} ${d.check}: ${d.message}`);
  }
  if (!report.complete) out.push('', colors.yellow(`Incomplete: ${report.incompleteReason ?? 'fewer cases ran than were selected'}`));
  if (opts.files?.length) out.push('', `Reports: ${opts.files.join(', ')}`);
  // with failures and errors both, the exit code says "setup" (2); the failures are findings all the same
  const failing = report.summary.byVerdict.fail + report.summary.byVerdict.xpass;
  const gate = `${gateLine(report)}${report.exitCode === 2 && failing > 0 ? `; ${failing} conformance failure${failing > 1 ? 's' : ''} as well (listed above)` : ''}`;
  const gateColor = report.exitCode === 0 ? colors.green : report.exitCode === 1 ? colors.red : colors.yellow;
  out.push(
    `${colors.bold('Result:')} ${gateColor(gate)}  ${colors.dim(`(executed ${report.summary.executed}/${report.summary.selected} selected, seed ${report.options.seed}, ${formatDuration(report.durationMs)})`)}`,
  );
  return `${out.join('\n')}\n`;
}

/** What `run --json` prints on stdout: the outcome, the counts, what needs attention, where the reports are. */
export const RunSummaryJson = z.object({
  schema: z.literal('pusher-conformance/run-summary@1'),
  /** the process's exit code (2 also when a report file could not be written) */
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  /** e.g. "not conformant (exit 1)" */
  result: z.string(),
  complete: z.boolean(),
  incompleteReason: z.string().optional(),
  target: ReportSchema.shape.target.pick({ name: true, ws: true, http: true, embedded: true, profile: true, webhookUrl: true }),
  seed: z.number().int(),
  summary: ReportSchema.shape.summary,
  /** failed doctor checks */
  setupProblems: z.array(DoctorCheck),
  /** fail, error, xpass and warn cases, most urgent first */
  attention: z.array(CaseResultSchema.pick({ id: true, verdict: true, clause: true, level: true, expected: true, actual: true, message: true, reproduce: true })),
  /** report files written, relative to the working directory when below it */
  reports: z.array(z.string()),
  /** the target's settings file (a --config file without the secret) */
  settingsFile: z.string(),
});
export type RunSummaryJson = z.infer<typeof RunSummaryJson>;

const ATTENTION_ORDER: readonly Verdict[] = ['fail', 'error', 'xpass', 'warn'];

export function runSummaryJson(report: Report, opts: { exitCode: number; files: readonly string[]; settingsFile: string }): RunSummaryJson {
  const attention = report.cases
    .filter((c) => ATTENTION_ORDER.includes(c.verdict))
    .sort((a, b) => ATTENTION_ORDER.indexOf(a.verdict) - ATTENTION_ORDER.indexOf(b.verdict) || a.id.localeCompare(b.id))
    .map((c) => ({ id: c.id, verdict: c.verdict, clause: c.clause, level: c.level, expected: c.expected, actual: c.actual, ...(c.message !== undefined ? { message: c.message } : {}), reproduce: c.reproduce }));
  const t = report.target;
  return RunSummaryJson.parse({
    schema: 'pusher-conformance/run-summary@1',
    exitCode: opts.exitCode,
    result: gateLine(report),
    complete: report.complete,
    ...(report.incompleteReason !== undefined ? { incompleteReason: report.incompleteReason } : {}),
    target: { name: t.name, ws: t.ws, http: t.http, embedded: t.embedded, profile: t.profile, ...(t.webhookUrl !== undefined ? { webhookUrl: t.webhookUrl } : {}) },
    seed: report.options.seed,
    summary: report.summary,
    setupProblems: report.doctor.filter((d) => !d.ok),
    attention,
    reports: [...opts.files],
    settingsFile: opts.settingsFile,
  });
}
