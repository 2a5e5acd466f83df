/**
 * The step summary of the action: the report as Markdown that fits GitHub's bounds (a step
 * summary of at most 1 MiB, and 65,536 characters so that it can be pasted as a comment).
 * What gates comes first (failures, errors, unexpected passes), then warnings, each case with
 * its clause, expected and actual; totals and the remaining verdicts are collapsed in
 * <details>; what does not fit is counted and left to the full report, which is linked.
 * @module
 */
import type { CaseResult, Report, Verdict } from '../../../spec/src/report.ts';
import { escapeMdInline, expectedText, formatDuration, gateLine, mdCell, mdCode, mdFence, propertyText, verdictColumns, verdictSymbol } from '../reports/format.ts';

/** GitHub's bound for an issue or pull-request comment, in characters */
export const COMMENT_LIMIT_CHARS = 65_536;
/** GitHub's bound for one step's summary, in bytes */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

export interface SummaryOptions {
  /** where the full report is (the run's artefacts page); shown at the top and the bottom */
  readonly reportUrl?: string;
  /** upper bound in characters (default {@link COMMENT_LIMIT_CHARS}) */
  readonly limitChars?: number;
}

export interface Summary {
  readonly markdown: string;
  /** cases listed in the report that the summary had to leave out */
  readonly omitted: number;
}

/** gating verdicts first, then warnings; the rest is listed collapsed */
const DETAILED: readonly { verdict: Verdict; title: string }[] = [
  { verdict: 'fail', title: 'Failures' },
  { verdict: 'error', title: 'Errors (setup or harness)' },
  { verdict: 'xpass', title: 'Unexpected passes (fixed since the baseline: update it)' },
  { verdict: 'warn', title: 'Warnings (SHOULD)' },
];
const LISTED: readonly { verdict: Verdict; title: string }[] = [
  { verdict: 'xfail', title: 'Expected failures (baseline)' },
  { verdict: 'unsupported', title: 'Unsupported' },
  { verdict: 'info', title: 'Informational' },
  { verdict: 'skipped', title: 'Skipped' },
];

/** one case, as a short block: what it checks and what it saw */
function caseBlock(c: CaseResult): string {
  const lines = [
    `#### ${verdictSymbol[c.verdict]} ${mdCode(c.id)}`,
    '',
    `- **clause:** ${mdCode(c.clause)} (${c.level}): ${escapeMdInline(c.requirement)}`,
    `- **expected:** ${escapeMdInline(expectedText(c))}`,
    `- **actual:** ${escapeMdInline(c.actual)}`,
  ];
  if (c.message && c.message !== c.actual) lines.push(`- **message:** ${escapeMdInline(c.message)}`);
  const prop = propertyText(c);
  if (prop) lines.push(`- **property:** ${escapeMdInline(prop)}`);
  lines.push('', mdFence(c.reproduce, 'sh'), '', '');
  return lines.join('\n');
}

function countsLine(report: Report): string {
  return verdictColumns
    .filter((v) => (report.summary.byVerdict[v] ?? 0) > 0)
    .map((v) => `${verdictSymbol[v]} ${report.summary.byVerdict[v]} ${v}`)
    .join(' · ');
}

function totalsTable(report: Report): string {
  const cols = verdictColumns.filter((v) => v === 'pass' || v === 'fail' || (report.summary.byVerdict[v] ?? 0) > 0);
  const rows = Object.entries(report.summary.byArea).map(([area, c]) => `| ${mdCell(area)} | ${cols.map((v) => (c[v] ? String(c[v]) : '·')).join(' | ')} |`);
  return ['<details>', '<summary>Totals by area</summary>', '', `| area | ${cols.map((v) => `${verdictSymbol[v]} ${v}`).join(' | ')} |`, `| --- | ${cols.map(() => '---:').join(' | ')} |`, ...rows, '', '</details>', '', ''].join('\n');
}

const byId = (a: CaseResult, b: CaseResult) => a.id.localeCompare(b.id);

/** The bounded step summary of one report. */
export function renderStepSummary(report: Report, options: SummaryOptions = {}): Summary {
  const limit = Math.min(options.limitChars ?? COMMENT_LIMIT_CHARS, COMMENT_LIMIT_CHARS);
  const t = report.target;
  const link = options.reportUrl ? `[the full report](${options.reportUrl})` : 'the full report (report.html, report.json)';
  const head = [
    `## pusher-conformance: ${escapeMdInline(t.name)} (profile ${escapeMdInline(t.profile)}): ${escapeMdInline(gateLine(report))}`,
    '',
    countsLine(report),
    '',
    `Suite ${escapeMdInline(report.suite.version)}, seed ${report.options.seed}, level ${report.options.level}${report.options.strict ? ', strict' : ''}${report.options.baseline ? `, baseline ${mdCode(report.options.baseline)}` : ''}; ${report.summary.executed} of ${report.summary.selected} selected cases executed in ${formatDuration(report.durationMs)}. Details: ${link}.`,
    '',
    '',
  ];
  const bad = report.doctor.filter((d) => !d.ok);
  if (bad.length > 0) head.push('### Setup problems (doctor)', '', ...bad.map((d) => `- ✗ **${escapeMdInline(d.check)}**: ${escapeMdInline(d.message)}`), '', '');
  const footerFor = (omitted: number) => `${omitted > 0 ? `> [!NOTE]\n> ${omitted} case${omitted === 1 ? '' : 's'} did not fit in this summary; see ${link}.\n\n` : ''}`;
  // the longest footer there can be, kept free at every step
  const reserve = footerFor(report.cases.length).length;

  let text = head.join('\n');
  let omitted = 0;
  const fits = (s: string) => text.length + s.length + reserve <= limit;
  const add = (s: string): boolean => {
    if (!fits(s)) return false;
    text += s;
    return true;
  };

  for (const { verdict, title } of DETAILED) {
    const cases = report.cases.filter((c) => c.verdict === verdict).sort(byId);
    if (cases.length === 0) continue;
    if (!add(`### ${title} (${cases.length})\n\n`)) {
      omitted += cases.length;
      continue;
    }
    for (const [i, c] of cases.entries()) {
      if (add(caseBlock(c))) continue;
      // a block that does not fit: the rest of this verdict by id only, then nothing more of it
      const rest = cases.slice(i);
      const ids = rest.map((r) => mdCode(r.id));
      let shown = 0;
      let line = '';
      for (const id of ids) {
        const next = `${line}${shown ? ', ' : ''}${id}`;
        if (!fits(`${next}\n\n`)) break;
        line = next;
        shown++;
      }
      if (shown > 0) add(`Also ${verdict}: ${line}\n\n`);
      omitted += rest.length - shown;
      break;
    }
  }
  add(totalsTable(report));
  for (const { verdict, title } of LISTED) {
    const cases = report.cases.filter((c) => c.verdict === verdict).sort(byId);
    if (cases.length === 0) continue;
    const items = cases.map((c) => `- ${mdCode(c.id)}${c.message ? `: ${escapeMdInline(c.message.split('\n')[0]!)}` : ''}\n`);
    const open = `<details>\n<summary>${escapeMdInline(title)} (${cases.length})</summary>\n\n`;
    const close = '\n</details>\n\n';
    let body = '';
    let shown = 0;
    for (const item of items) {
      if (!fits(open + body + item + close)) break;
      body += item;
      shown++;
    }
    if (shown > 0) add(open + body + close);
    omitted += cases.length - shown;
  }
  text += footerFor(omitted);
  return { markdown: text, omitted };
}
