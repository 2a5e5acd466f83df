/**
 * The "SDK compatibility" table of a report: library × feature, each cell the verdict of the
 * sdk case behind it (with the case id), read from report.json alone so that committed reports of
 * any implementation render it. Library versions come from the report (suite.libraries).
 * @module
 */
import type { CaseResult, Report, Verdict } from '../../../spec/src/report.ts';
import { sdkLanes } from '../cases/sdk/lanes.ts';
import { SDK_LIBRARIES, type SdkLibrary } from '../cases/sdk/versions.ts';
import { escapeHtml as h, escapeMdInline, mdCell, mdCode, verdictSymbol } from './format.ts';

export interface SdkCell {
  readonly verdict: Verdict;
  /** what the case uses, in the library's terms */
  readonly api: string;
  readonly caseId: string;
  /** what the case observed or why it did not pass (the report's actual / message) */
  readonly detail: string;
}

export interface SdkRow {
  readonly feature: string;
  readonly cells: Readonly<Partial<Record<SdkLibrary, SdkCell>>>;
  /** the raw-frame cases judging the same clauses as the row's cells: the lane beside the wire */
  readonly raw: readonly { readonly id: string; readonly verdict: Verdict }[];
}

export interface SdkTable {
  readonly libraries: readonly { readonly name: SdkLibrary; readonly version: string | undefined }[];
  readonly rows: readonly SdkRow[];
}

/** The table of a report; undefined when the report holds no sdk case that ran or was judged. */
export function sdkTable(report: Report): SdkTable | undefined {
  const byId = new Map<string, CaseResult>(report.cases.map((c) => [c.id, c]));
  const rows: { feature: string; cells: Partial<Record<SdkLibrary, SdkCell>>; clauses: Set<string> }[] = [];
  const rowOf = new Map<string, (typeof rows)[number]>();
  let any = false;
  for (const [id, lane] of Object.entries(sdkLanes)) {
    const c = byId.get(id);
    if (!c) continue;
    if (c.verdict !== 'skipped') any = true;
    let row = rowOf.get(lane.feature);
    if (!row) {
      row = { feature: lane.feature, cells: {}, clauses: new Set() };
      rowOf.set(lane.feature, row);
      rows.push(row);
    }
    row.clauses.add(c.clause);
    row.cells[lane.library] = { verdict: c.verdict, api: lane.api, caseId: c.id, detail: c.verdict === 'pass' ? '' : (c.message ?? c.actual) };
  }
  if (!any) return undefined;
  const versions = report.suite.libraries ?? {};
  const present = SDK_LIBRARIES.filter((lib) => rows.some((r) => r.cells[lib] !== undefined));
  const raw = (clauses: ReadonlySet<string>) => report.cases.filter((c) => c.area !== 'sdk' && clauses.has(c.clause) && c.verdict !== 'skipped').map((c) => ({ id: c.id, verdict: c.verdict }));
  return { libraries: present.map((name) => ({ name, version: versions[name] })), rows: rows.map((r) => ({ feature: r.feature, cells: r.cells, raw: raw(r.clauses) })) };
}

const libraryLabel = (l: { name: string; version: string | undefined }): string => (l.version ? `${l.name} ${l.version}` : l.name);

/** Markdown lines of the section (none when the report has no sdk case). */
export function sdkTableMarkdown(report: Report): string[] {
  const t = sdkTable(report);
  if (!t) return [];
  const head = `| feature | ${t.libraries.map((l) => mdCell(libraryLabel(l))).join(' | ')} | raw frames, same clause |`;
  const sep = `| --- | ${t.libraries.map(() => '---').join(' | ')} | --- |`;
  const body = t.rows.map((r) => `| ${mdCell(r.feature)} | ${t.libraries.map((l) => {
    const cell = r.cells[l.name];
    return cell ? `${verdictSymbol[cell.verdict]} ${cell.verdict}: ${mdCell(cell.api)} (${mdCode(cell.caseId)})` : '·';
  }).join(' | ')} | ${r.raw.length ? r.raw.map((c) => `${verdictSymbol[c.verdict]} ${mdCode(c.id)}`).join(' ') : '·'} |`);
  return ['### SDK compatibility', '', `What applications using these libraries see against ${escapeMdInline(report.target.name)}; each cell names the case behind it.`, '', head, sep, ...body, ''];
}

/** The HTML section (empty when the report has no sdk case); cells link to the case blocks. */
export function sdkTableHtml(report: Report): string {
  const t = sdkTable(report);
  if (!t) return '';
  const head = `<tr><th>feature</th>${t.libraries.map((l) => `<th>${h(libraryLabel(l))}</th>`).join('')}<th>raw frames, same clause</th></tr>`;
  const body = t.rows
    .map(
      (r) =>
        `<tr><td>${h(r.feature)}</td>${t.libraries
          .map((l) => {
            const cell = r.cells[l.name];
            if (!cell) return '<td class="muted">·</td>';
            const title = cell.detail ? ` title="${h(cell.detail.slice(0, 300))}"` : '';
            return `<td class="v-${cell.verdict}"${title}>${h(verdictSymbol[cell.verdict])} ${cell.verdict}: ${h(cell.api)} <a href="#case-${h(cell.caseId)}"><code>${h(cell.caseId)}</code></a></td>`;
          })
          .join('')}<td>${r.raw.length ? r.raw.map((c) => `<a class="v-${c.verdict}" href="#case-${h(c.id)}">${h(verdictSymbol[c.verdict])} <code>${h(c.id)}</code></a>`).join(' ') : '<span class="muted">·</span>'}</td></tr>`,
    )
    .join('');
  return `<section id="sdk"><h2>SDK compatibility</h2><p class="muted">What applications using these libraries see; each cell names the case behind it.</p><table><thead>${head}</thead><tbody>${body}</tbody></table></section>`;
}
