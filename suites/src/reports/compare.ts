/**
 * The comparison matrix: rows are the union of case ids, columns are implementations (one per
 * report, labelled by target name), a cell is the verdict symbol; a totals row closes it.
 * Rendered as Markdown and as one self-contained HTML page.
 * @module
 */
import type { Report, Verdict, VerdictCounts } from '../../../spec/src/report.ts';
import { REPORT_CSS } from './html.ts';
import { countVerdicts, escapeHtml as h, mdCell, mdCode, verdictColumns, verdictMeaning, verdictSymbol } from './format.ts';

export interface MatrixColumn {
  /** unique label: the target name, suffixed when two reports share one */
  readonly label: string;
  readonly source: string;
  readonly profile: string;
  readonly suiteVersion: string;
  readonly caseSetHash: string;
  readonly exitCode: Report['exitCode'];
  readonly totals: VerdictCounts;
}

export interface MatrixRow {
  readonly id: string;
  readonly area: string;
  readonly clause: string;
  readonly level: string;
  /** one entry per column; undefined when that report has no such case */
  readonly cells: readonly (Verdict | undefined)[];
}

export interface Matrix {
  readonly columns: readonly MatrixColumn[];
  readonly rows: readonly MatrixRow[];
  /** true when the reports ran different case sets (their rows may not be comparable) */
  readonly mixedCaseSets: boolean;
}

export function buildMatrix(inputs: readonly { report: Report; source: string }[]): Matrix {
  const used = new Map<string, number>();
  const columns: MatrixColumn[] = inputs.map(({ report, source }) => {
    const base = report.target.name;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return {
      label: n === 1 ? base : `${base} (${n})`,
      source,
      profile: report.target.profile,
      suiteVersion: report.suite.version,
      caseSetHash: report.suite.caseSetHash,
      exitCode: report.exitCode,
      totals: countVerdicts(report.cases),
    };
  });
  const rows = new Map<string, { id: string; area: string; clause: string; level: string; cells: (Verdict | undefined)[] }>();
  inputs.forEach(({ report }, col) => {
    for (const c of report.cases) {
      let row = rows.get(c.id);
      if (!row) {
        row = { id: c.id, area: c.area, clause: c.clause, level: c.level, cells: inputs.map(() => undefined) };
        rows.set(c.id, row);
      }
      row.cells[col] = c.verdict;
    }
  });
  // Keep areas in first-seen order, cases sorted within an area.
  const areaOrder = [...new Set([...rows.values()].map((r) => r.area))];
  const sorted = [...rows.values()].sort((a, b) => areaOrder.indexOf(a.area) - areaOrder.indexOf(b.area) || a.id.localeCompare(b.id));
  return { columns, rows: sorted, mixedCaseSets: new Set(columns.map((c) => c.caseSetHash)).size > 1 };
}

function totalsText(t: VerdictCounts): string {
  return verdictColumns
    .filter((v) => t[v] > 0)
    .map((v) => `${verdictSymbol[v]} ${t[v]}`)
    .join(' ');
}

const cell = (v: Verdict | undefined): string => (v === undefined ? ' ' : verdictSymbol[v]);

export function renderCompareMarkdown(m: Matrix): string {
  const out: string[] = ['## pusher-conformance: comparison', ''];
  for (const c of m.columns) out.push(`- **${mdCell(c.label)}**: profile ${mdCell(c.profile)}, suite ${mdCell(c.suiteVersion)} (case set ${mdCode(c.caseSetHash)}), exit ${c.exitCode}, from ${mdCode(c.source)}`);
  out.push('');
  if (m.mixedCaseSets) out.push('> [!NOTE]', '> The reports ran different case sets; a blank cell means the case was not in that report.', '');
  out.push(`| case | clause | level | ${m.columns.map((c) => mdCell(c.label)).join(' | ')} |`);
  out.push(`| --- | --- | --- | ${m.columns.map(() => ':---:').join(' | ')} |`);
  for (const r of m.rows) out.push(`| ${mdCode(r.id)} | ${mdCode(r.clause)} | ${r.level} | ${r.cells.map(cell).join(' | ')} |`);
  out.push(`| **totals** | | | ${m.columns.map((c) => totalsText(c.totals) || '·').join(' | ')} |`, '');
  out.push(`<sub>${verdictColumns.map((v) => `${verdictSymbol[v]} ${v}`).join(' · ')}</sub>`, '');
  return out.join('\n');
}

const COMPARE_JS = `
(function(){
  var rows=[].slice.call(document.querySelectorAll('tr.row')),q=document.getElementById('f-q'),d=document.getElementById('f-diff');
  function apply(){var t=q.value.trim().toLowerCase();rows.forEach(function(r){
    var ok=(!t||r.dataset.search.indexOf(t)>=0)&&(!d.checked||r.dataset.differs==='1');r.classList.toggle('hidden',!ok);});}
  q.addEventListener('input',apply);d.addEventListener('change',apply);apply();
})();
`;

export function renderCompareHtml(m: Matrix): string {
  const head = m.columns.map((c) => `<th title="${h(`profile ${c.profile}, suite ${c.suiteVersion}, case set ${c.caseSetHash}, exit ${c.exitCode}, ${c.source}`)}">${h(c.label)}</th>`).join('');
  const rows = m.rows
    .map((r) => {
      const differs = new Set(r.cells).size > 1 ? '1' : '0';
      const cells = r.cells.map((v) => (v === undefined ? '<td class="c muted" title="not in this report">·</td>' : `<td class="c v-${v}" title="${v}">${h(verdictSymbol[v])}</td>`)).join('');
      return `<tr class="row" data-differs="${differs}" data-search="${h(`${r.id} ${r.clause}`.toLowerCase())}"><td><code>${h(r.id)}</code></td><td><code>${h(r.clause)}</code></td><td>${r.level}</td>${cells}</tr>`;
    })
    .join('\n');
  const totals = m.columns.map((c) => `<th class="c">${h(totalsText(c.totals) || '·')}</th>`).join('');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>pusher-conformance: comparison of ${h(m.columns.map((c) => c.label).join(', '))}</title>`,
    `<style>${REPORT_CSS}td.c,th.c{text-align:center}</style></head><body>`,
    '<h1>pusher-conformance: comparison</h1>',
    m.mixedCaseSets ? '<div class="banner">The reports ran different case sets; a dot means the case was not in that report.</div>' : '',
    '<div class="filters"><input id="f-q" type="search" placeholder="filter by id or clause"><label><input id="f-diff" type="checkbox"> only rows that differ</label></div>',
    `<table><thead><tr><th>case</th><th>clause</th><th>level</th>${head}</tr></thead><tbody>`,
    rows,
    `<tr><th>totals</th><th></th><th></th>${totals}</tr>`,
    '</tbody></table>',
    `<footer><p>${verdictColumns.map((v) => `<span class="v-${v}">${h(verdictSymbol[v])} ${v}</span>: ${h(verdictMeaning[v])}`).join(' · ')}</p></footer>`,
    `<script>${COMPARE_JS}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
