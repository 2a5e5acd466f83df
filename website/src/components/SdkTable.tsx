import React from 'react';
import Verdict from './Verdict';

export interface CaseLink {
  id: string;
  /** null: the case is not in this report */
  url: string | null;
}
export interface SdkCellData extends CaseLink {
  verdict: string;
  api: string;
  detail: string;
}
/** suites/src/reports/sdk-table.ts's table, as website/scripts/site/results.ts writes it. */
export interface SdkData {
  libraries: { name: string; version: string | null }[];
  rows: { feature: string; cells: (SdkCellData | null)[]; raw: (CaseLink & { verdict: string })[] }[];
}
export interface SdkComparisonData {
  rows: { feature: string; library: string; api: string; cells: ({ verdict: string; id: string; url: string | null } | null)[] }[];
}

const CaseId = ({ c }: { c: CaseLink }) => <code>{c.id}</code>;

/** One report's SDK compatibility table: library × feature, each cell the verdict of the case behind it. */
export default function SdkTable({ data }: { data: SdkData }): React.ReactElement {
  return (
    <table className="sdk-table">
      <thead>
        <tr>
          <th>feature</th>
          {data.libraries.map((l) => (
            <th key={l.name}>
              {l.name}
              {l.version ? ` ${l.version}` : ''}
            </th>
          ))}
          <th>raw frames, same clause</th>
        </tr>
      </thead>
      <tbody>
        {data.rows.map((r) => (
          <tr key={r.feature}>
            <td>{r.feature}</td>
            {r.cells.map((c, i) => (
              <td key={data.libraries[i]!.name} title={c?.detail || undefined}>
                {c ? (
                  <>
                    <Verdict verdict={c.verdict} to={c.url ?? undefined} /> {c.api}
                    <br />
                    <small>
                      <CaseId c={c} />
                    </small>
                  </>
                ) : (
                  <span className="verdict-none">·</span>
                )}
              </td>
            ))}
            <td>
              {r.raw.length === 0 ? (
                <span className="verdict-none">·</span>
              ) : (
                r.raw.map((x) => (
                  <div key={x.id}>
                    <Verdict verdict={x.verdict} to={x.url ?? undefined} /> <small><CaseId c={x} /></small>
                  </div>
                ))
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The SDK tables of every report side by side: one row per feature and library. */
export function SdkComparison({ data, implementations }: { data: SdkComparisonData; implementations: { name: string; title: string }[] }): React.ReactElement {
  return (
    <table className="sdk-table">
      <thead>
        <tr>
          <th>feature</th>
          <th>library: what the case uses</th>
          {implementations.map((im) => (
            <th key={im.name}>{im.title}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.rows.map((r) => (
          <tr key={`${r.feature} ${r.library}`}>
            <td>{r.feature}</td>
            <td>
              {r.library}: {r.api}
            </td>
            {r.cells.map((c, i) => (
              <td key={implementations[i]!.name}>{c ? <Verdict verdict={c.verdict} to={c.url ?? undefined} /> : <Verdict verdict={null} />}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
