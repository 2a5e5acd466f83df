/**
 * Results from the committed reports (reports/<name>/report.json): one data file and one page per
 * report, and the comparison matrix across them. Passing cases keep their metadata; cases that
 * need attention keep expected, actual, transcript and reproduction (bounded: see the limits).
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Report, type CaseResult, type Verdict } from '../../../spec/src/report.ts';
import type { CatalogueArea } from './catalogue.ts';
import { code, fileLink, heading, link, mdxPage, p, table, esmImport, jsx, type Block } from './mdast.ts';
import { REPORTS } from './paths.ts';
import { clauseUrl, file, route } from './routes.ts';

/** Transcript entries kept per case on the site; the full transcript stays in report.json. */
export const TRANSCRIPT_ENTRIES = 200;
/** Characters kept per transcript entry. */
export const ENTRY_CHARS = 2000;

/** Verdicts that count towards x in an "x / y" score: the case met its clause. */
const MET: readonly Verdict[] = ['pass', 'info'];
/** Verdicts left out of y: the case was not asked for. */
const NOT_ASKED: readonly Verdict[] = ['skipped'];

export interface LoadedReport {
  name: string;
  report: Report;
}

export function loadReports(dir: string = REPORTS): LoadedReport[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'report.json')))
    .map((e) => e.name)
    .sort((a, b) => (a === 'reference' ? -1 : b === 'reference' ? 1 : a.localeCompare(b)))
    .map((name) => {
      const path = join(dir, name, 'report.json');
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
      } catch (e) {
        throw new Error(`website: reports/${name}/report.json is not JSON: ${(e as Error).message}`);
      }
      const parsed = Report.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`website: reports/${name}/report.json does not match spec/src/report.ts: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
      }
      return { name, report: parsed.data };
    });
}

const clip = (s: string) => (s.length > ENTRY_CHARS ? `${s.slice(0, ENTRY_CHARS)}… (${s.length - ENTRY_CHARS} more characters in report.json)` : s);
const needsAttention = (v: Verdict) => !MET.includes(v) && !NOT_ASKED.includes(v);

export interface Score {
  x: number;
  y: number;
}

function score(cases: readonly CaseResult[]): Score {
  const asked = cases.filter((c) => !NOT_ASKED.includes(c.verdict));
  return { x: asked.filter((c) => MET.includes(c.verdict)).length, y: asked.length };
}

function reportData(r: LoadedReport) {
  const rep = r.report;
  return {
    name: r.name,
    download: file.report(r.name),
    target: rep.target,
    suite: rep.suite,
    startedAt: rep.startedAt,
    finishedAt: rep.finishedAt,
    durationMs: rep.durationMs,
    complete: rep.complete,
    incompleteReason: rep.incompleteReason ?? null,
    exitCode: rep.exitCode,
    options: rep.options,
    doctor: rep.doctor,
    summary: rep.summary,
    score: score(rep.cases),
    cases: rep.cases.map((c) => ({
      id: c.id,
      area: c.area,
      clause: c.clause,
      clauseUrl: clauseUrl(c.clause),
      caseUrl: route.case(c.area, c.id),
      level: c.level,
      verdict: c.verdict,
      durationMs: c.durationMs,
      action: c.action,
      requirement: c.requirement,
      ...(needsAttention(c.verdict)
        ? {
            expected: c.expected,
            actual: c.actual,
            message: c.message ?? null,
            property: c.property ?? null,
            reproduce: c.reproduce,
            transcript: c.transcript.slice(0, TRANSCRIPT_ENTRIES).map((e) => ({ ...e, text: clip(e.text) })),
            transcriptOmitted: Math.max(0, c.transcript.length - TRANSCRIPT_ENTRIES),
          }
        : c.verdict === 'info' && c.message
          ? { message: c.message }
          : {}),
    })),
  };
}

function comparisonData(reports: readonly LoadedReport[], catalogue: readonly CatalogueArea[]) {
  const areaOrder = [...catalogue.map((a) => a.area)];
  const caseOrder = new Map<string, { area: string; id: string; clause: string; level: string }>();
  for (const a of catalogue) for (const c of a.cases) caseOrder.set(c.id, { area: a.area, id: c.id, clause: c.clause, level: c.level });
  for (const r of reports) for (const c of r.report.cases) {
    if (!caseOrder.has(c.id)) caseOrder.set(c.id, { area: c.area, id: c.id, clause: c.clause, level: c.level });
    if (!areaOrder.includes(c.area)) areaOrder.push(c.area);
  }
  const byId = reports.map((r) => new Map(r.report.cases.map((c) => [c.id, c])));
  return {
    implementations: reports.map((r) => ({
      name: r.name,
      title: r.report.target.name,
      profile: r.report.target.profile,
      url: route.report(r.name),
      complete: r.report.complete,
      incompleteReason: r.report.incompleteReason ?? null,
      executed: r.report.summary.executed,
      selected: r.report.summary.selected,
      startedAt: r.report.startedAt,
      suiteVersion: r.report.suite.version,
      caseSetHash: r.report.suite.caseSetHash,
      score: score(r.report.cases),
      areas: Object.fromEntries(areaOrder.map((a) => [a, score(r.report.cases.filter((c) => c.area === a))])),
    })),
    areas: areaOrder.map((area) => ({
      area,
      url: route.casesArea(area),
      cases: [...caseOrder.values()]
        .filter((c) => c.area === area)
        .map((c) => ({
          ...c,
          caseUrl: route.case(area, c.id),
          clauseUrl: clauseUrl(c.clause),
          cells: byId.map((m, i) => {
            const res = m.get(c.id);
            return res ? { verdict: res.verdict, url: route.reportCase(reports[i]!.name, c.id) } : null;
          }),
        })),
    })),
  };
}

export type ReportData = ReturnType<typeof reportData>;
export type ComparisonData = ReturnType<typeof comparisonData>;

export function resultFiles(reports: readonly LoadedReport[], catalogue: readonly CatalogueArea[]): Record<string, string> {
  const out: Record<string, string> = {};
  const json = (v: unknown) => JSON.stringify(v) + '\n';
  reports.forEach((r, i) => {
    out[`src/data/generated/reports/${r.name}.json`] = json(reportData(r));
    out[`docs/results/${r.name}.mdx`] = mdxPage({ title: `Results: ${r.report.target.name}`, sidebar_label: r.report.target.name, sidebar_position: i + 2, hide_table_of_contents: true }, [
      esmImport(`import ReportView from '@site/src/components/ReportView';\nimport data from '@site/src/data/generated/reports/${r.name}.json';`),
      heading(1, [`Results: ${r.report.target.name}`]),
      jsx('ReportView', { data: { expression: 'data' } }),
    ]);
  });
  const comparison = comparisonData(reports, catalogue);
  out['src/data/generated/comparison.json'] = json(comparison);
  out['docs/results/comparison.mdx'] = mdxPage({ title: 'Comparison matrix', sidebar_position: 1, hide_table_of_contents: true }, [
    esmImport(`import ComparisonMatrix from '@site/src/components/ComparisonMatrix';\nimport data from '@site/src/data/generated/comparison.json';`),
    heading(1, ['Comparison matrix']),
    p('Every committed report side by side. Scores are ', code('x / y'), ': cases that met their clause (pass, or a MAY observation) out of the cases run, unsupported and errors included, per area. Expand an area for its cases; each cell links to that case in that implementation\'s report.'),
    jsx('ComparisonMatrix', { data: { expression: 'data' } }),
  ]);
  const index: Block[] = [
    heading(1, ['Results']),
    p('One page per committed report under ', code('reports/'), ', and the ', link(route.comparison, 'comparison matrix'), '.'),
    table(['implementation', 'profile', 'score', 'run', 'complete', 'download'], comparison.implementations.map((im) => [
      link(im.url, im.title),
      code(im.profile),
      `${im.score.x} / ${im.score.y}`,
      im.startedAt,
      im.complete ? 'yes' : `no: ${im.incompleteReason ?? `executed ${im.executed} of ${im.selected}`}`,
      fileLink(file.report(im.name), 'report.json'),
    ])),
  ];
  out['docs/results/index.mdx'] = mdxPage({ title: 'Results', sidebar_label: 'All reports', sidebar_position: 0 }, index);
  return out;
}
