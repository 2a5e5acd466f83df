/**
 * Shared vocabulary of the report views: verdict order and symbols, the gate wording, and the
 * escaping each output format needs. Every view reads only the Report JSON.
 * @module
 */
import type { CaseResult, Report, Verdict, VerdictCounts } from '../../../spec/src/report.ts';
import { verdicts } from '../../../spec/src/report.ts';

/** Most urgent first: the order failures-first views sort by. */
export const verdictOrder: readonly Verdict[] = ['fail', 'error', 'xpass', 'warn', 'info', 'unsupported', 'xfail', 'skipped', 'pass'];

export const verdictRank = (v: Verdict): number => verdictOrder.indexOf(v);

export const verdictSymbol: Readonly<Record<Verdict, string>> = {
  pass: '✓',
  fail: '✗',
  warn: '⚠',
  info: 'ℹ',
  unsupported: '∅',
  skipped: '–',
  error: '‼',
  xfail: '✗ₓ',
  xpass: '✓!',
};

export const verdictMeaning: Readonly<Record<Verdict, string>> = {
  pass: 'meets the clause',
  fail: 'breaks a MUST',
  warn: 'misses a SHOULD (fails only under --strict)',
  info: 'MAY / observation',
  unsupported: 'a needed feature is absent (never counted as a pass)',
  skipped: 'not selected',
  error: 'the harness or the target setup broke, not the protocol',
  xfail: 'expected failure (baseline)',
  xpass: 'unexpectedly passed; update the baseline',
};

/** Columns shown in totals tables, in a stable order. */
export const verdictColumns: readonly Verdict[] = ['pass', 'fail', 'warn', 'info', 'unsupported', 'skipped', 'error', 'xfail', 'xpass'];

/** Verdicts that need the reader's attention, in the order they are listed. */
export const attentionVerdicts: readonly Verdict[] = ['fail', 'error', 'xpass', 'warn'];

/** Whether a verdict counts against the gate, given the report's strictness. */
export function isGating(verdict: Verdict, strict: boolean): boolean {
  return verdict === 'fail' || verdict === 'error' || verdict === 'xpass' || (strict && verdict === 'warn');
}

export const gateWording: Readonly<Record<Report['exitCode'], string>> = {
  0: 'conformant',
  1: 'not conformant',
  2: 'setup or harness error',
  3: 'incomplete run',
};

/** The one-line verdict of a whole report, e.g. "not conformant (exit 1)". */
export function gateLine(report: Report): string {
  const base = `${gateWording[report.exitCode]} (exit ${report.exitCode})`;
  return report.complete || !report.incompleteReason ? base : `${base}: ${report.incompleteReason}`;
}

export function emptyCounts(): VerdictCounts {
  return Object.fromEntries(verdicts.map((v) => [v, 0])) as VerdictCounts;
}

export function countVerdicts(cases: readonly CaseResult[]): VerdictCounts {
  const counts = emptyCounts();
  for (const c of cases) counts[c.verdict] += 1;
  return counts;
}

/** Areas in the order the report's summary lists them, then any area only cases mention. */
export function areasOf(report: Report): string[] {
  const seen = new Set(Object.keys(report.summary.byArea));
  for (const c of report.cases) seen.add(c.area);
  return [...seen];
}

export function casesByArea(report: Report): Map<string, CaseResult[]> {
  const map = new Map<string, CaseResult[]>(areasOf(report).map((a) => [a, []]));
  for (const c of report.cases) map.get(c.area)?.push(c);
  return map;
}

/** Failures first, then by id: the order the detailed sections use. */
export function sortForAttention(cases: readonly CaseResult[]): CaseResult[] {
  return [...cases].sort((a, b) => verdictRank(a.verdict) - verdictRank(b.verdict) || a.id.localeCompare(b.id));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "soketi 1.6.1 (ws://…, profile soketi)" */
export function targetLine(report: Report): string {
  const t = report.target;
  return `${t.name}${t.embedded ? ' (embedded reference server)' : ''}, ${t.ws}, profile ${t.profile}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Text safe inside one Markdown table cell: no pipes, no line breaks, no HTML. */
export function mdCell(s: string): string {
  return escapeMdInline(s).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Neutralises HTML in Markdown text (GitHub renders raw HTML in summaries). */
export function escapeMdInline(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An inline code span that survives backticks in the content. */
export function mdCode(s: string): string {
  const oneLine = s.replace(/\r?\n/g, ' ');
  const runs = oneLine.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** A fenced code block that survives fences in the content. */
export function mdFence(s: string, lang = ''): string {
  const runs = s.match(/`{3,}/g) ?? [];
  const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${fence}${lang}\n${s}\n${fence}`;
}

export function expectedText(c: CaseResult): string {
  return c.expected.length === 0 ? '(none recorded)' : c.expected.join(' | ');
}

export function propertyText(c: CaseResult): string | undefined {
  const p = c.property;
  if (!p) return undefined;
  const parts = [`seed ${p.seed}`];
  if (p.path !== undefined) parts.push(`path ${p.path}`);
  parts.push(`${p.numRuns} runs`);
  if (p.shrinks !== undefined) parts.push(`${p.shrinks} shrinks`);
  return parts.join(', ');
}
