/**
 * One self-contained HTML page: inline CSS, a little inline JS for filtering, no external
 * assets. Summary first, then the findings (root causes and crashes, each once with its evidence
 * and the cases it touched), then every case with failures first; each case expands to its clause,
 * requirement, expected/actual, property details, transcript and reproduce command. Every
 * string from the report is escaped; the script holds no report data.
 * @module
 */
import type { CaseResult, DoctorCheck, Report, Verdict, VerdictCounts } from '../../../spec/src/report.ts';
import {
  attentionVerdicts,
  casesByArea,
  countVerdicts,
  escapeHtml as h,
  expectedText,
  formatDuration,
  gateLine,
  propertyText,
  sortForAttention,
  verdictColumns,
  verdictMeaning,
  verdictSymbol,
} from './format.ts';
import { explanationLabel, rootCauses, type RootCause } from './findings.ts';
import { clausePath, siteUrl } from './site-links.ts';
import { timelineSection } from './timeline.ts';
import { sdkTableHtml } from './sdk-table.ts';

const TRANSCRIPT_LIMIT = 500;
/** Attention cases opened by default, so a huge failing run still loads quickly. */
const OPEN_LIMIT = 20;

export const REPORT_CSS = `
:root{--fg:#1d2329;--muted:#5b6670;--bg:#fff;--panel:#f5f7f9;--line:#dde3e8;--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--info:#0969da;--unsupported:#6e7781;--skipped:#8c959f;--error:#8250df;--xfail:#57606a;--xpass:#bc4c00;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa5b1;--bg:#0d1117;--panel:#161b22;--line:#30363d;--pass:#3fb950;--fail:#f85149;--warn:#d29922;--info:#58a6ff;--error:#a371f7;--xpass:#f0883e}}
body{margin:0 auto;max-width:1200px;padding:1.5rem;line-height:1.45}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.86em}
.muted{color:var(--muted)}
.gate{display:inline-block;padding:.2rem .6rem;border-radius:1rem;font-weight:600;color:#fff}
.gate-0{background:var(--pass)}.gate-1{background:var(--fail)}.gate-2{background:var(--error)}.gate-3{background:var(--warn)}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.75rem 0}.meta dt{color:var(--muted)}.meta dd{margin:0}
.banner{border-left:4px solid var(--warn);background:var(--panel);padding:.5rem .75rem;margin:.75rem 0}
.chips{display:flex;flex-wrap:wrap;gap:.4rem}
.chip{border:1px solid var(--line);background:var(--panel);color:var(--fg);border-radius:1rem;padding:.2rem .7rem;cursor:pointer;font:inherit}
.chip[aria-pressed=false]{opacity:.45}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:var(--panel)}td.n{text-align:right;font-variant-numeric:tabular-nums}
.v-pass{color:var(--pass)}.v-fail{color:var(--fail)}.v-warn{color:var(--warn)}.v-info{color:var(--info)}.v-unsupported{color:var(--unsupported)}.v-skipped{color:var(--skipped)}.v-error{color:var(--error)}.v-xfail{color:var(--xfail)}.v-xpass{color:var(--xpass)}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0 1rem}
.filters input,.filters select{font:inherit;padding:.2rem .4rem;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:.3rem}
.case{border:1px solid var(--line);border-radius:.4rem;margin:.35rem 0;background:var(--bg)}
.case>details>summary{cursor:pointer;padding:.4rem .6rem;display:flex;flex-wrap:wrap;gap:.6rem;align-items:baseline}
.case .verdict{font-weight:600;min-width:7.5rem}.case .id{font-weight:600}
.case .body{padding:.25rem .9rem .8rem;border-top:1px solid var(--line)}
.body dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.body dt{color:var(--muted)}.body dd{margin:0;white-space:pre-wrap;word-break:break-word}
.transcript td.text{white-space:pre-wrap;word-break:break-all}
.k-ws-out,.k-http-out{color:var(--info)}.k-ws-close{color:var(--warn)}.k-note{color:var(--muted)}
.finding{border:1px solid var(--line);border-left:4px solid var(--fail);border-radius:.4rem;padding:.25rem .9rem .6rem;margin:.5rem 0}.finding-crash{border-left-color:var(--error)}.finding h3{font-size:1rem;margin:.4rem 0}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.finding dt{color:var(--muted)}.finding dd{margin:0;word-break:break-word}
pre.evidence{background:var(--panel);padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.25rem 0}
pre.repro{background:var(--panel);padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.25rem 0}
button.copy{font:inherit;font-size:.8em;cursor:pointer}
.hidden{display:none}
footer{margin-top:2rem;font-size:.85em;color:var(--muted)}
`;

export const REPORT_JS = `
(function(){
  var cases=[].slice.call(document.querySelectorAll('.case'));
  var chips=[].slice.call(document.querySelectorAll('.chip[data-verdict]'));
  var area=document.getElementById('f-area'),q=document.getElementById('f-q'),shown=document.getElementById('f-shown');
  function active(){var s={};chips.forEach(function(c){if(c.getAttribute('aria-pressed')==='true')s[c.dataset.verdict]=1;});return s;}
  function apply(){
    var s=active(),a=area.value,t=q.value.trim().toLowerCase(),n=0;
    cases.forEach(function(c){
      var ok=s[c.dataset.verdict]&&(!a||c.dataset.area===a)&&(!t||c.dataset.search.indexOf(t)>=0);
      c.classList.toggle('hidden',!ok);if(ok)n++;
    });
    shown.textContent=n+' of '+cases.length+' cases shown';
  }
  chips.forEach(function(c){c.addEventListener('click',function(){c.setAttribute('aria-pressed',c.getAttribute('aria-pressed')==='true'?'false':'true');apply();});});
  function only(list){chips.forEach(function(c){c.setAttribute('aria-pressed',list===null||list.indexOf(c.dataset.verdict)>=0?'true':'false');});apply();}
  document.getElementById('f-attention').addEventListener('click',function(){only(['fail','error','xpass','warn']);});
  document.getElementById('f-all').addEventListener('click',function(){only(null);});
  document.getElementById('f-expand').addEventListener('click',function(){cases.forEach(function(c){if(!c.classList.contains('hidden'))c.querySelector('details').open=true;});});
  document.getElementById('f-collapse').addEventListener('click',function(){cases.forEach(function(c){c.querySelector('details').open=false;});});
  area.addEventListener('change',apply);q.addEventListener('input',apply);
  document.addEventListener('click',function(e){
    var b=e.target;if(!b||!b.classList||!b.classList.contains('copy'))return;
    var pre=b.parentNode.querySelector('pre');if(!pre||!navigator.clipboard)return;
    navigator.clipboard.writeText(pre.textContent).then(function(){b.textContent='copied';setTimeout(function(){b.textContent='copy';},1500);});
  });
  apply();
})();
`;

function verdictBadge(v: Verdict): string {
  return `<span class="verdict v-${v}">${h(verdictSymbol[v])} ${v}</span>`;
}

function countsRow(name: string, c: VerdictCounts, cols: readonly Verdict[], tag = 'td'): string {
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  return `<tr><${tag}>${h(name)}</${tag}>${cols.map((v) => `<td class="n${c[v] ? ` v-${v}` : ''}">${c[v] || '·'}</td>`).join('')}<td class="n">${total}</td></tr>`;
}

function countsTable(head: string, rows: readonly [string, VerdictCounts][], total: VerdictCounts): string {
  const cols = verdictColumns.filter((v) => v === 'pass' || v === 'fail' || total[v] > 0 || rows.some(([, c]) => c[v] > 0));
  return [
    '<table class="counts"><thead><tr>',
    `<th>${h(head)}</th>${cols.map((v) => `<th class="v-${v}">${h(verdictSymbol[v])} ${v}</th>`).join('')}<th>total</th>`,
    '</tr></thead><tbody>',
    ...rows.map(([name, c]) => countsRow(name, c, cols)),
    countsRow('total', total, cols, 'th'),
    '</tbody></table>',
  ].join('');
}

function doctorSection(checks: readonly DoctorCheck[]): string {
  if (checks.length === 0) return '';
  const rows = checks
    .map((d) => `<tr><td class="${d.ok ? 'v-pass' : 'v-fail'}">${d.ok ? '✓' : '✗'}</td><td>${h(d.check)}</td><td>${h(d.message)}${d.blocks?.length ? `<br><span class="muted">blocks: ${h(d.blocks.join(', '))}</span>` : ''}</td></tr>`)
    .join('');
  return `<section id="doctor"><h2>Setup checks (doctor)</h2><table><thead><tr><th></th><th>check</th><th>result</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function transcriptTable(c: CaseResult): string {
  if (c.transcript.length === 0) return '<p class="muted">No transcript recorded.</p>';
  const shown = c.transcript.slice(0, TRANSCRIPT_LIMIT);
  const rows = shown
    .map((e) => `<tr class="k-${h(e.kind)}"><td class="n mono">${e.t.toFixed(0)}</td><td class="mono">${h(e.kind)}</td><td class="mono">${h(e.who ?? '')}</td><td class="text mono">${h(e.text)}</td></tr>`)
    .join('');
  const more = c.transcript.length > shown.length ? `<p class="muted">${c.transcript.length - shown.length} later entries omitted; see report.json.</p>` : '';
  return `<table class="transcript"><thead><tr><th>ms</th><th>kind</th><th>who</th><th>frame / exchange</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}

/** Root causes (known departures, crashes), each once: clause, what the harness did, evidence, the cases (linked). */
function findingsSection(causes: readonly RootCause[], site: string): string {
  if (causes.length === 0) return '';
  const items = causes.map((r) =>
    [
      `<div class="finding finding-${r.kind}"><h3>${h(r.title)}</h3>`,
      `<dl><dt>clause</dt><dd>${clauseLink(r.clause, site)}</dd><dt>${h(explanationLabel(r))}</dt><dd>${h(r.explanation)}</dd>`,
      `<dt>cases (${r.cases.length})</dt><dd>${r.cases.map((id) => `<a href="#case-${h(id)}"><code>${h(id)}</code></a>`).join(', ')}</dd></dl>`,
      r.evidence.length > 0 ? `<pre class="evidence">${h(r.evidence.join('\n'))}</pre>` : '',
      '</div>',
    ].join(''),
  );
  return `<section id="findings"><h2>Findings (${causes.length})</h2><p class="muted">Each root cause is named once, with every case whose transcript shows it.</p>${items.join('')}</section>`;
}

/** The clause id, linked to its anchor on the published site when the id is in the registry. */
function clauseLink(clause: string, site: string): string {
  const path = clausePath(clause);
  return path ? `<a href="${h(site + path)}"><code>${h(clause)}</code></a>` : `<code>${h(clause)}</code>`;
}

function caseBlock(c: CaseResult, open: boolean, site: string): string {
  const dl: [string, string][] = [
    ['clause', `${clauseLink(c.clause, site)} (${c.level})`],
    ['action', h(c.action)],
    ['requirement', h(c.requirement)],
    ['expected', c.expected.length > 1 ? `one of:\n${c.expected.map((e) => `• ${h(e)}`).join('\n')}` : h(expectedText(c))],
    ['actual', h(c.actual)],
  ];
  if (c.message) dl.push(['message', h(c.message)]);
  if (c.features.length) dl.push(['features', h(c.features.join(', '))]);
  const prop = propertyText(c);
  if (prop) dl.push(['property', h(prop)]);
  if (c.property?.counterexample) dl.push(['counterexample', `<code>${h(c.property.counterexample)}</code>`]);
  dl.push(['duration', h(formatDuration(c.durationMs))]);
  const search = `${c.id} ${c.clause} ${c.area}`.toLowerCase();
  return [
    `<div class="case" data-verdict="${c.verdict}" data-area="${h(c.area)}" data-search="${h(search)}" id="case-${h(c.id)}">`,
    `<details${open ? ' open' : ''}><summary>${verdictBadge(c.verdict)}<code class="id">${h(c.id)}</code>`,
    `<span class="muted">${h(c.clause)} · ${c.level} · ${h(formatDuration(c.durationMs))}</span></summary>`,
    '<div class="body">',
    `<dl>${dl.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    `<h4>Reproduce</h4><div><pre class="repro">${h(c.reproduce)}</pre><button type="button" class="copy">copy</button></div>`,
    '<h4>Transcript</h4>',
    transcriptTable(c),
    '</div></details></div>',
  ].join('');
}

/** `site`: base URL that clause ids link to (default: `PUSHER_CONFORMANCE_SITE_URL`, else the canonical site). */
export function renderHtml(report: Report, site: string = siteUrl()): string {
  const t = report.target;
  const o = report.options;
  const byArea = casesByArea(report);
  const title = `pusher-conformance: ${t.name} (profile ${t.profile}): ${gateLine(report)}`;
  const meta: [string, string][] = [
    ['target', `${h(t.name)}${t.embedded ? ' <span class="muted">(embedded reference server)</span>' : ''}`],
    ['WebSocket', `<code>${h(t.ws)}</code>`],
    ['REST', `<code>${h(t.http)}</code>`],
    ['app id / key', `<code>${h(t.appId)}</code> / <code>${h(t.key)}</code>`],
    ['profile', h(t.profile)],
    ['features', h(t.features.join(', ') || '(none)')],
    ...(t.webhookUrl !== undefined ? ([['webhook URL', `<code>${h(t.webhookUrl)}</code>`]] as [string, string][]) : []),
    ...(o.transcripts !== undefined && o.transcripts !== 'all' ? ([['transcripts', o.transcripts === 'failures' ? 'kept for the cases that did not pass (--transcripts failures)' : 'not kept (--transcripts none)']] as [string, string][]) : []),
    ['suite', `${h(report.suite.name)} ${h(report.suite.version)}, case set <code>${h(report.suite.caseSetHash)}</code>`],
    ['options', h(`seed ${o.seed}, level ${o.level}${o.strict ? ', strict' : ''}, time scale ${o.timeScale}, concurrency ${o.concurrency}${o.runs ? `, runs ${o.runs}` : ''}${o.only.length ? `, only ${o.only.join(' ')}` : ''}${o.exclude.length ? `, exclude ${o.exclude.join(' ')}` : ''}${o.baseline ? `, baseline ${o.baseline}` : ''}`)],
    ['run', h(`${report.startedAt} → ${report.finishedAt} (${formatDuration(report.durationMs)}); executed ${report.summary.executed} of ${report.summary.selected} selected, ${report.summary.total} cases`)],
  ];
  const limits = Object.entries(t.limits);
  if (limits.length) meta.push(['limits', h(limits.map(([k, v]) => `${k}=${v ?? 'none'}`).join(', '))]);

  const areaRows: [string, VerdictCounts][] = [...byArea].map(([area, cases]) => [area, report.summary.byArea[area] ?? countVerdicts(cases)]);
  const levelRows = (['MUST', 'SHOULD', 'MAY'] as const).filter((l) => report.summary.byLevel[l]).map((l): [string, VerdictCounts] => [l, report.summary.byLevel[l]]);
  const present = verdictColumns.filter((v) => report.summary.byVerdict[v] > 0 || report.cases.some((c) => c.verdict === v));
  const chips = present.map((v) => `<button type="button" class="chip v-${v}" data-verdict="${v}" aria-pressed="true" title="${h(verdictMeaning[v])}">${h(verdictSymbol[v])} ${v} ${report.summary.byVerdict[v]}</button>`).join('');

  let opened = 0;
  const blocks = sortForAttention(report.cases).map((c) => {
    const open = attentionVerdicts.includes(c.verdict) && opened < OPEN_LIMIT;
    if (open) opened += 1;
    return caseBlock(c, open, site);
  });

  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title><style>${REPORT_CSS}</style></head><body>`,
    `<header><h1>pusher-conformance: ${h(t.name)}</h1><span class="gate gate-${report.exitCode}">${h(gateLine(report))}</span>`,
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    report.complete ? '' : `<div class="banner"><strong>Incomplete run:</strong> ${h(report.incompleteReason ?? 'fewer cases ran than were selected')}</div>`,
    '</header>',
    '<section id="summary"><h2>Summary</h2>',
    `<div class="chips">${chips}</div>`,
    countsTable('area', areaRows, report.summary.byVerdict),
    levelRows.length ? countsTable('level', levelRows, report.summary.byVerdict) : '',
    '</section>',
    doctorSection(report.doctor),
    findingsSection(rootCauses(report), site),
    timelineSection(report),
    sdkTableHtml(report),
    '<section id="cases"><h2>Cases (failures first)</h2>',
    '<div class="filters">',
    '<button type="button" class="chip" id="f-attention">failures &amp; warnings only</button><button type="button" class="chip" id="f-all">all verdicts</button>',
    `<select id="f-area"><option value="">all areas</option>${[...byArea.keys()].map((a) => `<option value="${h(a)}">${h(a)}</option>`).join('')}</select>`,
    '<input id="f-q" type="search" placeholder="filter by id or clause">',
    '<button type="button" class="chip" id="f-expand">expand shown</button><button type="button" class="chip" id="f-collapse">collapse all</button>',
    '<span id="f-shown" class="muted"></span></div>',
    ...blocks,
    '</section>',
    `<footer><p>${verdictColumns.map((v) => `<span class="v-${v}">${h(verdictSymbol[v])} ${v}</span>: ${h(verdictMeaning[v])}`).join(' · ')}</p>`,
    `<p>Report schema ${h(report.schema)}. Generated from report.json; the JSON is the source of truth.</p></footer>`,
    `<script>${REPORT_JS}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
