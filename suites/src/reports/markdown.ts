/**
 * Markdown report sized for a GitHub step summary or a PR comment: title with target, profile
 * and gate; totals per area × verdict and per level; the findings (root causes and crashes, each
 * once with its evidence and the cases it touched); then failures, errors, unexpected passes
 * and warnings with clause, requirement, expected vs actual and the reproduce command; the
 * unsupported, expected-failure and skipped lists collapsed in <details>.
 * @module
 */
import type { CaseResult, Report, Verdict, VerdictCounts } from '../../../spec/src/report.ts';
import {
  attentionVerdicts,
  casesByArea,
  countVerdicts,
  escapeMdInline,
  expectedText,
  formatDuration,
  gateLine,
  mdCell,
  mdCode,
  mdFence,
  propertyText,
  verdictColumns,
  verdictMeaning,
  verdictSymbol,
} from './format.ts';
import { sdkTableMarkdown } from './sdk-table.ts';
import { explanationLabel, rootCauses, type RootCause } from './findings.ts';

/** Detailed entries per section; GitHub caps a step summary at 1 MiB. */
const DETAIL_LIMIT = 100;
/** Errors sharing one message are grouped from this many cases on. */
const ERROR_GROUP_MIN = 3;

const sectionTitle: Partial<Record<Verdict, string>> = {
  fail: 'Failures',
  error: 'Errors',
  xpass: 'Unexpected passes',
  warn: 'Warnings',
};

function sum(counts: VerdictCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Columns worth showing: pass and fail always, the rest when some row has them. */
function shownColumns(rows: readonly VerdictCounts[]): Verdict[] {
  return verdictColumns.filter((v) => v === 'pass' || v === 'fail' || rows.some((r) => r[v] > 0));
}

function countsTable(firstHeader: string, rows: readonly [string, VerdictCounts][], total: VerdictCounts): string[] {
  const cols = shownColumns([...rows.map(([, c]) => c), total]);
  const head = `| ${firstHeader} | ${cols.map((v) => `${verdictSymbol[v]} ${v}`).join(' | ')} | total |`;
  const sep = `| --- | ${cols.map(() => '---:').join(' | ')} | ---: |`;
  const body = rows.map(([name, c]) => `| ${mdCell(name)} | ${cols.map((v) => (c[v] ? String(c[v]) : '·')).join(' | ')} | ${sum(c)} |`);
  const foot = `| **total** | ${cols.map((v) => `**${total[v]}**`).join(' | ')} | **${sum(total)}** |`;
  return [head, sep, ...body, foot];
}

function caseDetail(c: CaseResult): string[] {
  const out = [
    `#### ${verdictSymbol[c.verdict]} ${mdCode(c.id)}`,
    '',
    `- **clause:** ${mdCode(c.clause)} (${c.level})`,
    `- **requirement:** ${escapeMdInline(c.requirement)}`,
    `- **action:** ${escapeMdInline(c.action)}`,
    `- **expected:** ${escapeMdInline(expectedText(c))}`,
    `- **actual:** ${escapeMdInline(c.actual)}`,
  ];
  if (c.message) out.push(`- **message:** ${escapeMdInline(c.message)}`);
  const prop = propertyText(c);
  if (prop) out.push(`- **property:** ${escapeMdInline(prop)}`);
  if (c.property?.counterexample) out.push(`- **counterexample:** ${mdCode(c.property.counterexample)}`);
  out.push('', mdFence(c.reproduce, 'sh'), '');
  return out;
}

/** Root causes (known departures, crashes), each once with its clause, evidence and the cases it touched. */
function rootCauseLines(causes: readonly RootCause[]): string[] {
  if (causes.length === 0) return [];
  const out = [`### Findings (${causes.length})`, '', 'Each root cause is named once, with every case whose transcript shows it.', ''];
  for (const r of causes) {
    out.push(`#### ${r.kind === 'crash' ? verdictSymbol.error : verdictSymbol.fail} ${escapeMdInline(r.title)}`, '');
    out.push(`- **clause:** ${mdCode(r.clause)}`, `- **${explanationLabel(r)}:** ${escapeMdInline(r.explanation)}`);
    out.push(`- **cases (${r.cases.length}):** ${r.cases.slice(0, DETAIL_LIMIT).map(mdCode).join(', ')}${r.cases.length > DETAIL_LIMIT ? ', …' : ''}`, '');
    if (r.evidence.length > 0) out.push(mdFence(r.evidence.join('\n')), '');
  }
  return out;
}

function listInDetails(title: string, cases: readonly CaseResult[], line: (c: CaseResult) => string): string[] {
  if (cases.length === 0) return [];
  return ['<details>', `<summary>${escapeMdInline(title)} (${cases.length})</summary>`, '', ...cases.map((c) => `- ${line(c)}`), '', '</details>', ''];
}

export function renderMarkdown(report: Report): string {
  const t = report.target;
  const o = report.options;
  const out: string[] = [];
  out.push(`## pusher-conformance: ${escapeMdInline(t.name)} (profile ${escapeMdInline(t.profile)}): ${escapeMdInline(gateLine(report))}`, '');
  out.push(
    `Target ${mdCode(t.ws)} / ${mdCode(t.http)}${t.embedded ? ' (embedded reference server)' : ''}, app ${mdCode(t.appId)}. ` +
      `Suite ${escapeMdInline(report.suite.name)} ${escapeMdInline(report.suite.version)} (case set ${mdCode(report.suite.caseSetHash)}), ` +
      `seed ${o.seed}, level ${o.level}${o.strict ? ', strict' : ''}${o.baseline ? `, baseline ${mdCode(o.baseline)}` : ''}. ` +
      `Executed ${report.summary.executed} of ${report.summary.selected} selected (${report.summary.total} cases) in ${formatDuration(report.durationMs)}.`,
    '',
  );
  if (!report.complete) out.push(`> [!WARNING]`, `> Incomplete run: ${escapeMdInline(report.incompleteReason ?? 'fewer cases ran than were selected')}.`, '');

  const badDoctor = report.doctor.filter((d) => !d.ok);
  if (badDoctor.length > 0) {
    out.push('### Setup problems (doctor)', '');
    for (const d of badDoctor) out.push(`- ✗ **${escapeMdInline(d.check)}**: ${escapeMdInline(d.message)}${d.blocks?.length ? ` (blocks: ${escapeMdInline(d.blocks.join(', '))})` : ''}`);
    out.push('');
  }

  const areaRows: [string, VerdictCounts][] = [...casesByArea(report)].map(([area, cases]) => [area, report.summary.byArea[area] ?? countVerdicts(cases)]);
  out.push('### Totals by area', '', ...countsTable('area', areaRows, report.summary.byVerdict), '');
  const levelRows = (['MUST', 'SHOULD', 'MAY'] as const).filter((l) => report.summary.byLevel[l]).map((l): [string, VerdictCounts] => [l, report.summary.byLevel[l]]);
  if (levelRows.length > 0) out.push('### Totals by level', '', ...countsTable('level', levelRows, report.summary.byVerdict), '');
  out.push(...sdkTableMarkdown(report));

  out.push(...rootCauseLines(rootCauses(report)));

  for (const v of attentionVerdicts) {
    const cases = report.cases.filter((c) => c.verdict === v).sort((a, b) => a.id.localeCompare(b.id));
    if (cases.length === 0) continue;
    const note = v === 'warn' && !o.strict ? ' (SHOULD; not gating without --strict)' : v === 'error' ? ' (the harness or the setup broke, not the protocol)' : '';
    out.push(`### ${sectionTitle[v] ?? v} (${cases.length})${note}`, '');
    let detailed = cases;
    if (v === 'error') {
      // One setup problem errors many cases with one message: state it once.
      const groups = new Map<string, CaseResult[]>();
      for (const c of cases) groups.set(c.message ?? c.actual, [...(groups.get(c.message ?? c.actual) ?? []), c]);
      detailed = [];
      for (const [message, group] of groups) {
        if (group.length < ERROR_GROUP_MIN) {
          detailed.push(...group);
          continue;
        }
        out.push(`#### ${verdictSymbol.error} ${group.length} cases: ${escapeMdInline(message)}`, '');
        out.push(...listInDetails('Cases', group, (c) => mdCode(c.id)));
      }
    }
    for (const c of detailed.slice(0, DETAIL_LIMIT)) out.push(...caseDetail(c));
    if (detailed.length > DETAIL_LIMIT) out.push(`…and ${detailed.length - DETAIL_LIMIT} more; see report.html or report.json.`, '');
  }

  const byId = (a: CaseResult, b: CaseResult) => a.id.localeCompare(b.id);
  const reason = (c: CaseResult) => `${mdCode(c.id)} (${mdCode(c.clause)}, ${c.level})${c.message ? `: ${escapeMdInline(c.message)}` : ''}`;
  out.push(...listInDetails('Unsupported', report.cases.filter((c) => c.verdict === 'unsupported').sort(byId), reason));
  out.push(...listInDetails('Expected failures (baseline)', report.cases.filter((c) => c.verdict === 'xfail').sort(byId), reason));
  out.push(...listInDetails('Informational', report.cases.filter((c) => c.verdict === 'info').sort(byId), (c) => `${mdCode(c.id)}: ${escapeMdInline(c.actual)}`));
  out.push(...listInDetails('Skipped', report.cases.filter((c) => c.verdict === 'skipped').sort(byId), reason));

  out.push(`<sub>${verdictColumns.map((v) => `${verdictSymbol[v]} ${v}: ${escapeMdInline(verdictMeaning[v])}`).join(' · ')}</sub>`, '');
  return out.join('\n');
}
