import React, { useMemo, useState } from 'react';
import Link from '@docusaurus/Link';
import useBrokenLinks from '@docusaurus/useBrokenLinks';
import Verdict, { ScoreText } from './Verdict';
import SdkTable, { type CaseLink, type SdkData } from './SdkTable';

type Counts = Record<string, number>;
interface TranscriptEntry {
  t: number;
  kind: string;
  who?: string;
  /** a cluster target: the node that connection or request used */
  node?: string;
  text: string;
}
/** A departure or a crash, named once (suites/src/reports/findings.ts rootCauses). */
interface RootCause {
  kind: 'departure' | 'crash';
  id: string;
  title: string;
  clause: string;
  clauseUrl: string | null;
  explanation: string;
  evidence: string[];
  cases: CaseLink[];
}
interface CaseRow {
  id: string;
  area: string;
  clause: string;
  clauseUrl: string;
  caseUrl: string;
  level: string;
  verdict: string;
  durationMs: number;
  action: string;
  requirement: string;
  expected?: string[];
  actual?: string;
  message?: string | null;
  property?: { seed: number; path?: string; numRuns: number; counterexample?: string; shrinks?: number } | null;
  reproduce?: string;
  transcript?: TranscriptEntry[];
  transcriptOmitted?: number;
}
export interface ReportData {
  name: string;
  label: string;
  nodes: { name: string; ws: string; http: string }[];
  rootCauses: RootCause[];
  sdk: SdkData | null;
  /** the performance page (at this implementation's result when it has one); null: no bench result committed */
  performance: string | null;
  findingsFile: string | null;
  download: string;
  target: { name: string; ws: string; http: string; profile: string; features: string[]; embedded: boolean; limits: Record<string, number | null> };
  suite: { name: string; version: string; caseSetHash: string; cases: number };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  complete: boolean;
  incompleteReason: string | null;
  exitCode: number;
  options: { seed: number; level: string; strict: boolean; timeScale: number; concurrency: number };
  doctor: { check: string; ok: boolean; message: string }[];
  summary: { total: number; selected: number; executed: number; byVerdict: Counts; byArea: Record<string, Counts>; byLevel: Record<string, Counts> };
  score: { x: number; y: number };
  cases: CaseRow[];
}

const ATTENTION = new Set(['fail', 'warn', 'error', 'unsupported', 'xpass']);

function CountsTable({ head, rows, columns }: { head: string; rows: [string, Counts][]; columns: string[] }): React.ReactElement {
  return (
    <table>
      <thead>
        <tr>
          <th>{head}</th>
          {columns.map((v) => (
            <th key={v}>
              <span className={`verdict verdict-${v}`}>{v}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, c]) => (
          <tr key={name}>
            <td>{name}</td>
            {columns.map((v) => (
              <td key={v}>{c[v] ?? 0}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "c1 on n1, c2 on n2, rest on n1 and n2": the node(s) each connection or request used. */
function nodesUsed(transcript: TranscriptEntry[]): string {
  const by = new Map<string, Set<string>>();
  for (const e of transcript) if (e.node !== undefined) by.set(e.who ?? '(harness)', (by.get(e.who ?? '(harness)') ?? new Set()).add(e.node));
  return [...by].map(([who, nodes]) => `${who} on ${[...nodes].join(' and ')}`).join(', ');
}

function CaseDetails({ c }: { c: CaseRow }): React.ReactElement {
  const withNodes = (c.transcript ?? []).some((e) => e.node !== undefined);
  return (
    <div>
      <p>
        <strong>Action:</strong> {c.action}
        <br />
        <strong>Requirement:</strong> {c.requirement}
      </p>
      {c.expected && (
        <p>
          <strong>Expected:</strong> {c.expected.length > 1 ? `one of: ${c.expected.join(' | ')}` : c.expected[0]}
          <br />
          <strong>Actual:</strong> {c.actual}
          {c.message && (
            <>
              <br />
              <strong>Message:</strong> {c.message}
            </>
          )}
        </p>
      )}
      {!c.expected && c.message && (
        <p>
          <strong>Observation:</strong> {c.message}
        </p>
      )}
      {c.property && (
        <p>
          <strong>Property:</strong> seed {c.property.seed}
          {c.property.path ? `, path ${c.property.path}` : ''}, {c.property.numRuns} runs
          {c.property.counterexample ? (
            <>
              , counterexample <code>{c.property.counterexample}</code>
            </>
          ) : null}
        </p>
      )}
      {c.reproduce && (
        <>
          <strong>Reproduce</strong>
          <pre>
            <code>{c.reproduce}</code>
          </pre>
        </>
      )}
      {withNodes && (
        <p>
          <strong>Nodes:</strong>{' '}
          {nodesUsed(c.transcript ?? [])}
        </p>
      )}
      {c.transcript && c.transcript.length > 0 && (
        <>
          <strong>Transcript</strong>
          <table className="transcript">
            <thead>
              <tr>
                <th>ms</th>
                <th>kind</th>
                <th>who</th>
                {withNodes && <th>node</th>}
                <th>frame / exchange</th>
              </tr>
            </thead>
            <tbody>
              {c.transcript.map((e, i) => (
                <tr key={i}>
                  <td>{e.t.toFixed(0)}</td>
                  <td>{e.kind}</td>
                  <td>{e.who ?? ''}</td>
                  {withNodes && <td>{e.node ?? ''}</td>}
                  <td>{e.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.transcriptOmitted ? <p>{c.transcriptOmitted} later entries are in report.json.</p> : null}
        </>
      )}
    </div>
  );
}

function RootCauses({ causes }: { causes: RootCause[] }): React.ReactElement {
  const { collectAnchor } = useBrokenLinks();
  collectAnchor('root-causes');
  for (const r of causes) collectAnchor(`root-cause-${r.id}`);
  const departures = causes.filter((r) => r.kind === 'departure').length;
  return (
    <section className="root-causes">
      <h2 id="root-causes">Findings and crashes</h2>
      <p>
        {departures} known departure{departures === 1 ? '' : 's'} and {causes.length - departures} crash{causes.length - departures === 1 ? '' : 'es'}, each named once with the cases it touched.
      </p>
      {causes.map((r) => (
        <div key={r.id} id={`root-cause-${r.id}`} className={`alert ${r.kind === 'crash' ? 'alert--danger' : 'alert--warning'} root-cause`}>
          <strong>{r.kind === 'crash' ? 'Crash' : 'Departure'}:</strong> {r.title}{' '}
          <small>
            (<code>{r.id}</code>, clause {r.clauseUrl ? <Link to={r.clauseUrl}>{r.clause}</Link> : <code>{r.clause}</code>})
          </small>
          <p>
            <strong>{r.kind === 'crash' ? 'What happened' : 'What the harness did'}:</strong> {r.explanation}
          </p>
          {r.evidence.length > 0 && (
            <pre>
              <code>{r.evidence.join('\n')}</code>
            </pre>
          )}
          <p>
            <strong>Cases:</strong>{' '}
            {r.cases.map((c, i) => (
              <React.Fragment key={c.id}>
                {i > 0 && ', '}
                {c.url ? (
                  <Link to={c.url}>
                    <code>{c.id}</code>
                  </Link>
                ) : (
                  <code>{c.id}</code>
                )}
              </React.Fragment>
            ))}
          </p>
        </div>
      ))}
    </section>
  );
}

/** One committed report: findings and crashes first, then metadata, roll-ups per area and level, setup checks, and every case, filterable. */
export default function ReportView({ data }: { data: ReportData }): React.ReactElement {
  const { collectAnchor } = useBrokenLinks();
  const present = Object.keys(data.summary.byVerdict).filter((v) => (data.summary.byVerdict[v] ?? 0) > 0);
  const [shown, setShown] = useState<ReadonlySet<string>>(new Set(present));
  const [area, setArea] = useState('');
  const [q, setQ] = useState('');
  const areas = Object.keys(data.summary.byArea);
  const ordered = useMemo(() => [...data.cases].sort((a, b) => Number(ATTENTION.has(b.verdict)) - Number(ATTENTION.has(a.verdict))), [data.cases]);
  const visible = (c: CaseRow) => shown.has(c.verdict) && (!area || c.area === area) && (!q || `${c.id} ${c.clause}`.toLowerCase().includes(q.toLowerCase()));
  const count = ordered.filter(visible).length;
  const t = data.target;
  if (data.sdk) collectAnchor('sdk');
  return (
    <div className="report">
      {!data.complete && (
        <div className="alert alert--danger" role="alert">
          <strong>Incomplete run:</strong> {data.incompleteReason ?? `executed ${data.summary.executed} of ${data.summary.selected} selected cases`}
        </div>
      )}
      {data.rootCauses.length > 0 && <RootCauses causes={data.rootCauses} />}
      <table>
        <tbody>
          <tr><th>target</th><td>{data.label}{t.embedded ? ' (embedded reference server)' : ''}</td></tr>
          {data.nodes.length > 0 && (
            <tr><th>nodes</th><td>{data.nodes.map((n) => <div key={n.name}><code>{n.name}</code>: {n.ws}, {n.http}</div>)}<small>Transcripts name the node each connection and request used.</small></td></tr>
          )}
          <tr><th>score</th><td><ScoreText score={data.score} /> cases met their clause (exit code {data.exitCode})</td></tr>
          <tr><th>profile</th><td>{t.profile}</td></tr>
          <tr><th>features</th><td>{t.features.join(', ') || '(none)'}</td></tr>
          <tr><th>suite</th><td>{data.suite.name} {data.suite.version}, case set <code>{data.suite.caseSetHash}</code></td></tr>
          <tr><th>run</th><td>{data.startedAt} → {data.finishedAt} ({Math.round(data.durationMs / 1000)} s); executed {data.summary.executed} of {data.summary.selected} selected, {data.summary.total} cases</td></tr>
          <tr><th>options</th><td>seed {data.options.seed}, level {data.options.level}{data.options.strict ? ', strict' : ''}, time scale {data.options.timeScale}, concurrency {data.options.concurrency}</td></tr>
          <tr><th>completeness</th><td>{data.complete ? 'complete' : 'incomplete'}</td></tr>
          <tr><th>download</th><td><a href={data.download}>report.json</a>{data.findingsFile && <>, <a href={data.findingsFile}>FINDINGS.md</a></>}</td></tr>
          {data.performance && (
            <tr><th>performance</th><td><Link to={data.performance}>bench results</Link></td></tr>
          )}
        </tbody>
      </table>
      {data.sdk && (
        <>
          <h2 id="sdk">SDK compatibility</h2>
          <p>What applications using these libraries see against {data.label}; each cell is the verdict of the sdk case named in it.</p>
          <SdkTable data={data.sdk} />
        </>
      )}
      <h2 id="by-area">By area</h2>
      <CountsTable head="area" columns={present} rows={areas.map((a) => [a, data.summary.byArea[a]!])} />
      <h2 id="by-level">By level</h2>
      <CountsTable head="level" columns={present} rows={Object.entries(data.summary.byLevel)} />
      {data.doctor.length > 0 && (
        <>
          <h2 id="doctor">Setup checks</h2>
          <table>
            <tbody>
              {data.doctor.map((d) => (
                <tr key={d.check}>
                  <td className={d.ok ? 'verdict-pass' : 'verdict-fail'}>{d.ok ? 'ok' : 'failed'}</td>
                  <td>{d.check}</td>
                  <td>{d.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2 id="cases">Cases (failures first)</h2>
      <div className="filters" role="group" aria-label="filters">
        {present.map((v) => (
          <button key={v} type="button" data-verdict={v} aria-pressed={shown.has(v)} onClick={() => setShown((s) => (s.has(v) ? new Set([...s].filter((x) => x !== v)) : new Set([...s, v])))}>
            <span className={`verdict verdict-${v}`}>{v}</span> {data.summary.byVerdict[v]}
          </button>
        ))}
        <button type="button" onClick={() => setShown(new Set(present.filter((v) => ATTENTION.has(v))))}>failures and warnings only</button>
        <select aria-label="area" value={area} onChange={(e) => setArea(e.target.value)}>
          <option value="">all areas</option>
          {areas.map((a) => (
            <option key={a} value={a}>{a}</option>
          ))}
        </select>
        <input type="search" aria-label="filter by id or clause" placeholder="filter by id or clause" value={q} onChange={(e) => setQ(e.target.value)} />
        <span data-testid="shown-count">{count} shown</span>
      </div>
      {ordered.map((c) => {
        collectAnchor(c.id);
        return (
          <div key={c.id} id={c.id} className="case-block" data-verdict={c.verdict} hidden={!visible(c)}>
            <details>
              <summary>
                <Verdict verdict={c.verdict} /> <code>{c.id}</code>{' '}
                <small>
                  <Link to={c.clauseUrl}>{c.clause}</Link> · {c.level} · {c.durationMs.toFixed(0)} ms · <Link to={c.caseUrl}>case</Link>
                </small>
              </summary>
              <CaseDetails c={c} />
            </details>
          </div>
        );
      })}
    </div>
  );
}
