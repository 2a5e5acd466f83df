/**
 * Results from the committed reports (reports/<name>/report.json): one data file and one page per
 * report, and the comparison matrix across them. Passing cases keep their metadata; cases that
 * need attention keep expected, actual, transcript and reproduction (bounded: see the limits).
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Report, type CaseResult, type Verdict } from '../../../spec/src/report.ts';
import { FINDINGS_FILE_NAME, rootCauses } from '../../../suites/src/reports/findings.ts';
import { sdkTable } from '../../../suites/src/reports/sdk-table.ts';
import { clausePath } from '../../../suites/src/reports/site-links.ts';
import { benchAnchor, type LoadedBench } from './bench.ts';
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

/**
 * How comparisons and page titles name an implementation: its target name, with the node count
 * of a cluster target, and the report's directory when two reports would share a label.
 */
export function implementationLabels(reports: readonly LoadedReport[]): Map<string, string> {
  const base = (r: LoadedReport) => {
    const n = r.report.target.nodes?.length ?? 0;
    const name = r.report.target.name;
    // a name that already gives the node count ("soketi 1.6.1 (2 nodes, Redis)") stays as it is
    return n > 1 && !new RegExp(`\\b${n} nodes\\b`).test(name) ? `${name} (cluster of ${n} nodes)` : name;
  };
  const count = new Map<string, number>();
  for (const r of reports) count.set(base(r), (count.get(base(r)) ?? 0) + 1);
  return new Map(reports.map((r) => [r.name, (count.get(base(r)) ?? 0) > 1 ? `${base(r)} [${r.name}]` : base(r)]));
}

/** A case of this report links to its block on the page; another id is shown unlinked. */
function caseRef(r: LoadedReport, id: string) {
  return { id, url: r.report.cases.some((c) => c.id === id) ? route.reportCase(r.name, id) : null };
}

/** The report's root causes (findings, then crashes), as suites/src/reports/findings.ts names them. */
function rootCauseData(r: LoadedReport) {
  return rootCauses(r.report).map((rc) => ({
    kind: rc.kind,
    id: rc.id,
    title: rc.title,
    clause: rc.clause,
    clauseUrl: clausePath(rc.clause) ?? null,
    explanation: rc.explanation,
    evidence: rc.evidence.map(clip),
    cases: rc.cases.map((id) => caseRef(r, id)),
  }));
}

/** The SDK compatibility table of suites/src/reports/sdk-table.ts, cells linked to their cases; null without sdk cases. */
function sdkData(r: LoadedReport) {
  const t = sdkTable(r.report);
  if (!t) return null;
  return {
    libraries: t.libraries.map((l) => ({ name: l.name, version: l.version ?? null })),
    rows: t.rows.map((row) => ({
      feature: row.feature,
      cells: t.libraries.map((l) => {
        const c = row.cells[l.name];
        return c ? { verdict: c.verdict, api: c.api, detail: clip(c.detail), ...caseRef(r, c.caseId) } : null;
      }),
      raw: row.raw.map((x) => ({ verdict: x.verdict, ...caseRef(r, x.id) })),
    })),
  };
}

function reportData(r: LoadedReport, label: string, bench: readonly LoadedBench[], reportsDir: string) {
  const rep = r.report;
  return {
    name: r.name,
    label,
    /** reports/NAME/FINDINGS.md, copied beside report.json when committed */
    findingsFile: existsSync(join(reportsDir, r.name, FINDINGS_FILE_NAME)) ? file.findings(r.name) : null,
    nodes: rep.target.nodes ?? [],
    rootCauses: rootCauseData(r),
    sdk: sdkData(r),
    performance: bench.length === 0 ? null : bench.some((b) => b.name === r.name) ? `${route.performance}#${benchAnchor(r.name)}` : route.performance,
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

/**
 * The SDK compatibility tables side by side: one row per feature and library, one cell per
 * implementation (null: that report has no case for it); null when no report has sdk cases.
 */
function sdkComparison(reports: readonly LoadedReport[]) {
  const tables = reports.map((r) => sdkData(r));
  if (tables.every((t) => t === null)) return null;
  const rows: { feature: string; library: string; api: string; cells: ({ verdict: Verdict; id: string; url: string | null } | null)[] }[] = [];
  const rowAt = new Map<string, (typeof rows)[number]>();
  tables.forEach((t, i) => {
    if (!t) return;
    for (const row of t.rows)
      row.cells.forEach((cell, li) => {
        if (!cell) return;
        const library = t.libraries[li]!.name;
        const key = `${row.feature}\u0000${library}`;
        let at = rowAt.get(key);
        if (!at) {
          at = { feature: row.feature, library, api: cell.api, cells: reports.map(() => null) };
          rowAt.set(key, at);
          rows.push(at);
        }
        at.cells[i] = { verdict: cell.verdict, id: cell.id, url: cell.url };
      });
  });
  return { rows };
}

function comparisonData(reports: readonly LoadedReport[], catalogue: readonly CatalogueArea[], labels: ReadonlyMap<string, string>, bench: readonly LoadedBench[]) {
  const areaOrder = [...catalogue.map((a) => a.area)];
  const caseOrder = new Map<string, { area: string; id: string; clause: string; level: string }>();
  for (const a of catalogue) for (const c of a.cases) caseOrder.set(c.id, { area: a.area, id: c.id, clause: c.clause, level: c.level });
  for (const r of reports) for (const c of r.report.cases) {
    if (!caseOrder.has(c.id)) caseOrder.set(c.id, { area: c.area, id: c.id, clause: c.clause, level: c.level });
    if (!areaOrder.includes(c.area)) areaOrder.push(c.area);
  }
  const byId = reports.map((r) => new Map(r.report.cases.map((c) => [c.id, c])));
  return {
    performance: bench.length > 0 ? route.performance : null,
    sdk: sdkComparison(reports),
    implementations: reports.map((r) => ({
      name: r.name,
      title: labels.get(r.name) ?? r.report.target.name,
      nodes: r.report.target.nodes?.length ?? 1,
      findings: (r.report.findings ?? []).length,
      crashes: (r.report.crashes ?? []).length,
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

export function resultFiles(reports: readonly LoadedReport[], catalogue: readonly CatalogueArea[], bench: readonly LoadedBench[] = [], reportsDir: string = REPORTS): Record<string, string> {
  const out: Record<string, string> = {};
  const json = (v: unknown) => JSON.stringify(v) + '\n';
  const labels = implementationLabels(reports);
  reports.forEach((r, i) => {
    const label = labels.get(r.name) ?? r.report.target.name;
    out[`src/data/generated/reports/${r.name}.json`] = json(reportData(r, label, bench, reportsDir));
    out[`docs/results/${r.name}.mdx`] = mdxPage({ title: `Results: ${label}`, sidebar_label: label, sidebar_position: i + 2, hide_table_of_contents: true }, [
      esmImport(`import ReportView from '@site/src/components/ReportView';\nimport data from '@site/src/data/generated/reports/${r.name}.json';`),
      heading(1, [`Results: ${label}`]),
      jsx('ReportView', { data: { expression: 'data' } }),
    ]);
  });
  const comparison = comparisonData(reports, catalogue, labels, bench);
  out['src/data/generated/comparison.json'] = json(comparison);
  out['docs/results/comparison.mdx'] = mdxPage({ title: 'Comparison matrix', sidebar_position: 1, hide_table_of_contents: true }, [
    esmImport(`import ComparisonMatrix from '@site/src/components/ComparisonMatrix';${comparison.sdk ? `\nimport { SdkComparison } from '@site/src/components/SdkTable';` : ''}\nimport data from '@site/src/data/generated/comparison.json';`),
    heading(1, ['Comparison matrix']),
    p('Every committed report side by side. Scores are ', code('x / y'), ': cases that met their clause (pass, or a MAY observation) out of the cases run, unsupported and errors included, per area. Expand an area for its cases; each cell links to that case in that implementation\'s report.'),
    jsx('ComparisonMatrix', { data: { expression: 'data' } }),
    ...(comparison.sdk
      ? [
          heading(2, ['SDK compatibility'], 'sdk'),
          p('Each report\'s SDK compatibility table side by side: a row per feature and library, a cell per implementation, linking to the sdk case behind it on that implementation\'s page.'),
          jsx('SdkComparison', { data: { expression: 'data.sdk' }, implementations: { expression: 'data.implementations' } }),
        ]
      : []),
    ...(comparison.performance ? [p('Throughput and latency of the same implementations: ', link(comparison.performance, 'Performance'), '.')] : []),
  ]);
  const index: Block[] = [
    heading(1, ['Results']),
    p('One page per committed report under ', code('reports/'), bench.length > 0 ? ', the ' : ' and the ', link(route.comparison, 'comparison matrix'), ...(bench.length > 0 ? [' and the ', link(route.performance, 'performance'), ' results'] : []), '.'),
    table(['implementation', 'profile', 'score', 'root causes', 'run', 'complete', 'download'], comparison.implementations.map((im) => [
      link(im.url, im.title),
      code(im.profile),
      `${im.score.x} / ${im.score.y}`,
      `${im.findings} departures, ${im.crashes} crashes`,
      im.startedAt,
      im.complete ? 'yes' : `no: ${im.incompleteReason ?? `executed ${im.executed} of ${im.selected}`}`,
      fileLink(file.report(im.name), 'report.json'),
    ])),
  ];
  out['docs/results/index.mdx'] = mdxPage({ title: 'Results', sidebar_label: 'All reports', sidebar_position: 0 }, index);
  return out;
}
