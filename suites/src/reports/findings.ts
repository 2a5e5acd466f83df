/**
 * What a report found, read from the report alone: the root causes (known departures and target
 * crashes, each named once with the cases it touched and its evidence), and the failing and
 * warning cases grouped by clause with the transcript entries that back each verdict. The
 * Markdown and HTML views show the root causes before their case lists; `renderFindings` writes
 * FINDINGS.md, in which every statement is either the spec's wording or quoted from the report.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clauseIds, clauses, isClauseId } from '../../../spec/src/clauses/index.ts';
import type { CaseResult, Report, TranscriptEntry, Verdict } from '../../../spec/src/report.ts';
import { SYNC_EVENT } from '../cases/helpers/channel-sync.ts';
import { readJsonReport } from './json.ts';
import { countVerdicts, escapeMdInline, formatDuration, gateLine, mdCode, mdFence, verdictColumns, verdictMeaning } from './format.ts';

/** A root cause: one departure or one crash, named once. */
export interface RootCause {
  readonly kind: 'departure' | 'crash';
  /** the departure id, or `crash-N` */
  readonly id: string;
  readonly title: string;
  /** the clause it breaks (a crash: the clause of the case blamed) */
  readonly clause: string;
  readonly explanation: string;
  /** the frame(s) or exchange(s) the report records for it */
  readonly evidence: readonly string[];
  /** the cases it touched (a crash: the case blamed) */
  readonly cases: readonly string[];
}

/** How a view labels a root cause's explanation. */
export const explanationLabel = (r: RootCause): string => (r.kind === 'crash' ? 'what happened' : 'what the harness did');

/** Transcript entries that back a verdict. */
export interface Evidence {
  readonly entries: readonly TranscriptEntry[];
  /** true: the case's `actual` quotes these entries; false: the last exchanges before the verdict */
  readonly quoted: boolean;
}

/** The failing or warning cases of one clause. */
export interface ClauseGroup {
  readonly clause: string;
  readonly level: CaseResult['level'];
  /** the clause's title and wording in spec/ (absent: an id the registry does not know) */
  readonly title?: string;
  readonly text?: string;
  readonly cases: readonly CaseResult[];
}

/** entries of evidence per case */
export const EVIDENCE_ENTRIES = 3;
/** characters of one evidence entry */
export const EVIDENCE_CHARS = 400;
/** an `actual` quotes an entry only if the quoted part is at least this long */
const MIN_QUOTE = 8;
/** how much of a long quoted JSON value must match an entry */
const QUOTE_HEAD = 80;

const INBOUND: ReadonlySet<TranscriptEntry['kind']> = new Set(['ws-in', 'http-in', 'webhook', 'ws-close']);
const REQUEST_OF: Partial<Record<TranscriptEntry['kind'], TranscriptEntry['kind']>> = { 'http-in': 'http-out' };

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One transcript entry as one line: `12 ms ws-in c1: {…}`. */
export function entryLine(e: TranscriptEntry): string {
  return `${Math.round(e.t)} ms ${e.kind}${e.who ? ` ${e.who}` : ''}${e.node ? `@${e.node}` : ''}: ${clip(e.text, EVIDENCE_CHARS)}`;
}

/** The JSON a failure message quotes, without the property's counterexample suffix. */
function quotedJson(actual: string): string | undefined {
  const body = actual.replace(/\s*\(counterexample: [^]*\)$/, '');
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end - start + 1 >= MIN_QUOTE ? body.slice(start, end + 1) : undefined;
}

/** the client closing its own connections at the end of a case is no evidence */
const isHarnessClose = (e: TranscriptEntry): boolean => e.kind === 'ws-close' && /closed by the client/.test(e.text);

/** the request an HTTP answer answers: the last request of the same `who` before it */
function requestOf(transcript: readonly TranscriptEntry[], i: number): number | undefined {
  const e = transcript[i]!;
  const req = REQUEST_OF[e.kind];
  if (!req) return undefined;
  for (let j = i - 1; j >= 0; j--) if (transcript[j]!.kind === req && transcript[j]!.who === e.who) return j;
  return undefined;
}

/** the publish barrier's markers and their publishes: harness mechanics, not what a case judged */
function isBarrier(transcript: readonly TranscriptEntry[], i: number): boolean {
  const e = transcript[i]!;
  if (e.kind === 'ws-in') return e.text.startsWith(`{"event":${JSON.stringify(SYNC_EVENT)}`);
  const req = requestOf(transcript, i);
  return req !== undefined && transcript[req]!.text.includes(`"name":${JSON.stringify(SYNC_EVENT)}`);
}

/** An inbound entry with the request that prompted it (for an HTTP answer), in transcript order. */
function withRequests(transcript: readonly TranscriptEntry[], picked: readonly number[]): TranscriptEntry[] {
  const keep = new Set<number>();
  for (const i of picked) {
    keep.add(i);
    const req = requestOf(transcript, i);
    if (req !== undefined) keep.add(req);
  }
  return [...keep].sort((a, b) => a - b).map((i) => transcript[i]!);
}

/**
 * The transcript entries that back a case's verdict: the inbound frames or answers its `actual`
 * quotes, else the last inbound ones before the verdict; an HTTP answer comes with its request.
 */
export function evidenceOf(c: CaseResult, max: number = EVIDENCE_ENTRIES): Evidence {
  const t = c.transcript;
  const json = quotedJson(c.actual);
  const quoted: number[] = [];
  t.forEach((e, i) => {
    if (!INBOUND.has(e.kind) || isHarnessClose(e)) return;
    const text = e.text.trim();
    // a long quote may be clipped in the actual value or in the entry: its opening is enough
    if ((text.length >= MIN_QUOTE && c.actual.includes(text)) || (json !== undefined && text.includes(json.length > QUOTE_HEAD ? json.slice(0, QUOTE_HEAD) : json))) quoted.push(i);
  });
  if (quoted.length > 0) return { entries: withRequests(t, quoted.slice(-max)), quoted: true };
  // the property's closing note marks the verdict; later entries are the harness tidying up
  const verdictAt = t.findIndex((e) => e.kind === 'note' && /^property failed/.test(e.text));
  const before = verdictAt >= 0 ? verdictAt : t.length;
  const last: number[] = [];
  for (let i = before - 1; i >= 0 && last.length < max; i--) if (INBOUND.has(t[i]!.kind) && !isHarnessClose(t[i]!) && !isBarrier(t, i)) last.unshift(i);
  return { entries: withRequests(t, last), quoted: false };
}

const crashTitle = (c: NonNullable<Report['crashes']>[number]): string =>
  `The target ${c.detectedBy === 'exit' ? `exited (${c.exit ?? 'exit status unknown'})` : 'stopped answering'} after case ${c.afterCase}`;

/** outbound entries of the blamed case shown beside a crash */
const CRASH_SENT_ENTRIES = 4;

/** The crash's recorded frame, then the last frames the blamed case sent (its transcript, when kept). */
function crashEvidence(c: NonNullable<Report['crashes']>[number], blamed: CaseResult | undefined): string[] {
  const out = c.frame !== undefined ? [`last input before the target died: ${c.who ? `${c.who}: ` : ''}${c.frame}`] : [];
  const sent = (blamed?.transcript ?? []).filter((e) => e.kind === 'ws-out' || e.kind === 'http-out').slice(-CRASH_SENT_ENTRIES);
  if (sent.length > 0) out.push(`the last ${sent.length} frames and requests ${c.afterCase} sent:`, ...sent.map(entryLine));
  return out;
}

/** The report's findings, then its crashes, as root causes. */
export function rootCauses(report: Report): RootCause[] {
  const out: RootCause[] = (report.findings ?? []).map((f) => ({ kind: 'departure', id: f.id, title: f.title, clause: f.clause, explanation: f.explanation, evidence: [f.evidence], cases: [...f.cases] }));
  (report.crashes ?? []).forEach((c, i) => {
    const blamed = report.cases.find((x) => x.id === c.afterCase);
    out.push({
      kind: 'crash',
      id: `crash-${i + 1}`,
      title: crashTitle(c),
      clause: blamed?.clause ?? '(unknown case)',
      explanation:
        `noticed at ${c.at} by ${c.detectedBy === 'exit' ? 'the exit of the target\'s process' : 'the liveness probe'}; ` +
        (c.frame !== undefined ? `the last input sent before it died came from case ${c.afterCase}` : `case ${c.afterCase} had sent no input yet`) +
        `; ${c.recovered ? 'the target answered again and the run went on' : 'the target did not come back'}`,
      evidence: crashEvidence(c, blamed),
      cases: [c.afterCase],
    });
  });
  return out;
}

const clauseRank = (id: string): number => {
  const i = clauseIds.indexOf(id as (typeof clauseIds)[number]);
  return i < 0 ? clauseIds.length : i;
};

/** Cases with one of `verdicts`, grouped by clause in registry order. */
export function clauseGroups(report: Report, verdicts: readonly Verdict[]): ClauseGroup[] {
  const groups = new Map<string, CaseResult[]>();
  for (const c of report.cases) if (verdicts.includes(c.verdict)) groups.set(c.clause, [...(groups.get(c.clause) ?? []), c]);
  return [...groups]
    .sort(([a], [b]) => clauseRank(a) - clauseRank(b) || a.localeCompare(b))
    .map(([id, cases]) => {
      const def = isClauseId(id) ? clauses[id] : undefined;
      const sorted = [...cases].sort((a, b) => a.id.localeCompare(b.id));
      return { clause: id, level: def?.level ?? sorted[0]!.level, ...(def ? { title: def.title, text: def.text } : {}), cases: sorted };
    });
}

// --- FINDINGS.md ----------------------------------------------------------------------------------

function countsLine(report: Report): string {
  const counts = report.summary.byVerdict ?? countVerdicts(report.cases);
  return verdictColumns.filter((v) => counts[v] > 0).map((v) => `${counts[v]} ${v}`).join(', ');
}

function rootCauseMd(r: RootCause): string[] {
  const out = [`### ${escapeMdInline(r.title)}`, '', `- **clause:** ${mdCode(r.clause)}${isClauseId(r.clause) ? ` (${clauses[r.clause].level}): ${escapeMdInline(clauses[r.clause].text)}` : ''}`, `- **${explanationLabel(r)}:** ${escapeMdInline(r.explanation)}`];
  out.push(`- **cases (${r.cases.length}):** ${r.cases.map(mdCode).join(', ')}`, '');
  if (r.evidence.length > 0) out.push('Evidence recorded in the report:', '', mdFence(r.evidence.join('\n')), '');
  return out;
}

function caseMd(c: CaseResult): string[] {
  const ev = evidenceOf(c);
  const out = [
    // the case's own level: a SHOULD case may check a detail of a MUST clause
    `#### ${mdCode(c.id)} (${c.verdict}, ${c.level} case)`,
    '',
    `- **checked:** ${escapeMdInline(c.action)}`,
    `- **expected:** ${escapeMdInline(c.expected.join(' | ') || '(none recorded)')}`,
    `- **actual:** ${escapeMdInline(clip(c.actual, 1000))}`,
  ];
  if (c.message) out.push(`- **note:** ${escapeMdInline(c.message)}`);
  out.push(`- **reproduce:** ${mdCode(c.reproduce)}`, '');
  const withRequest = ev.entries.some((e) => REQUEST_OF[e.kind] !== undefined);
  const label = ev.quoted ? `Transcript entries the actual value quotes${withRequest ? ', each answer with its request' : ''}:` : `Last frames and answers the case received before its verdict (publish barriers left out)${withRequest ? ', each answer with its request' : ''}:`;
  if (ev.entries.length > 0) out.push(label, '', mdFence(ev.entries.map(entryLine).join('\n')), '');
  else out.push('(the case recorded no exchange with the target)', '');
  return out;
}

function groupsMd(title: string, groups: readonly ClauseGroup[]): string[] {
  if (groups.length === 0) return [];
  const out = [`## ${title}`, ''];
  for (const g of groups) {
    out.push(`### ${mdCode(g.clause)} (${g.level})${g.title ? `: ${escapeMdInline(g.title)}` : ''}`, '');
    if (g.text) out.push(`> ${escapeMdInline(g.text)}`, '');
    for (const c of g.cases) out.push(...caseMd(c));
  }
  return out;
}

/**
 * FINDINGS.md of a report: root causes, failures and warnings grouped by clause, each case with
 * the transcript entries that back it, and the cases that could not be judged. Reads only the
 * report and the clause registry.
 */
export function renderFindings(report: Report): string {
  const t = report.target;
  const o = report.options;
  const out = [
    `# ${escapeMdInline(t.name)}: findings`,
    '',
    `Generated from \`report.json\` (do not edit by hand: re-run the report). Run of ${report.startedAt}, ${formatDuration(report.durationMs)}; ` +
      `${escapeMdInline(report.suite.name)} ${escapeMdInline(report.suite.version)}, case set ${mdCode(report.suite.caseSetHash.slice(0, 12))}; profile ${mdCode(t.profile)}, ` +
      `features ${t.features.length ? t.features.map(mdCode).join(', ') : '(none)'}; seed ${o.seed}, level ${o.level}${o.strict ? ', strict' : ''}.`,
    '',
    `Result: ${escapeMdInline(gateLine(report))}. ${report.summary.total} cases, ${report.summary.executed} of ${report.summary.selected} selected executed: ${countsLine(report)}.`,
    '',
    `Every entry below quotes the report: the clause wording is the spec's, expected and actual are the case's, and the evidence is taken from its transcript (all frames and exchanges are in \`report.json\` and \`report.html\`). ${verdictColumns
      .filter((v) => v === 'fail' || v === 'warn' || v === 'error')
      .map((v) => `${v}: ${verdictMeaning[v]}`)
      .join('; ')}.`,
    '',
  ];
  const causes = rootCauses(report);
  out.push('## Root causes', '');
  if (causes.length === 0) out.push('The harness recognised no known departure and the target never stopped answering.', '');
  else {
    out.push('Each is named once, with every case whose transcript shows it.', '');
    for (const r of causes) out.push(...rootCauseMd(r));
  }
  out.push(...groupsMd('Failures (MUST)', clauseGroups(report, ['fail', 'xpass'])));
  out.push(...groupsMd('Warnings (SHOULD)', clauseGroups(report, ['warn'])));
  const errors = report.cases.filter((c) => c.verdict === 'error');
  if (errors.length > 0) {
    out.push('## Not judged (error)', '');
    const byMessage = new Map<string, string[]>();
    for (const c of errors) byMessage.set(c.message ?? c.actual, [...(byMessage.get(c.message ?? c.actual) ?? []), c.id]);
    for (const [message, ids] of byMessage) out.push(`- ${escapeMdInline(message)}: ${ids.map(mdCode).join(', ')}`);
    out.push('');
  }
  return out.join('\n');
}

/** the generated findings beside a report.json */
export const FINDINGS_FILE_NAME = 'FINDINGS.md';

/** Reads `<dir>/report.json` (validated) and writes `<dir>/FINDINGS.md` from it; returns the path. */
export async function writeFindingsFile(dir: string): Promise<string> {
  const report = await readJsonReport(join(dir, 'report.json'));
  const file = join(dir, FINDINGS_FILE_NAME);
  await writeFile(file, renderFindings(report));
  return file;
}
