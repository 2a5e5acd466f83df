import React, { useState } from 'react';
import Link from '@docusaurus/Link';
import useBrokenLinks from '@docusaurus/useBrokenLinks';
import type data from '@site/src/data/generated/comparison.json';
import Verdict, { ScoreText, type Score } from './Verdict';

type Data = typeof data;
type Cell = { verdict: string; url: string } | null;

const differs = (cells: readonly Cell[]) => new Set(cells.map((c) => c?.verdict ?? null)).size > 1;

/**
 * Per-area "x / y" scores per implementation; an area expands to its cases, each cell linking to
 * that case on that implementation's report page. Incomplete runs say so in their header and in
 * every cell they did not run.
 */
export default function ComparisonMatrix({ data }: { data: Data }): React.ReactElement {
  const { collectAnchor } = useBrokenLinks();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [onlyDiff, setOnlyDiff] = useState(false);
  const impls = data.implementations;
  const toggle = (area: string) => setOpen((s) => (s.has(area) ? new Set([...s].filter((a) => a !== area)) : new Set([...s, area])));
  return (
    <div className="matrix">
      <div className="filters">
        <button type="button" aria-pressed={onlyDiff} onClick={() => setOnlyDiff(!onlyDiff)}>
          only rows that differ
        </button>
        <button type="button" onClick={() => setOpen(new Set(data.areas.map((a) => a.area)))}>
          expand all
        </button>
        <button type="button" onClick={() => setOpen(new Set())}>
          collapse all
        </button>
      </div>
      <table>
        <thead>
          <tr>
            <th>area / case</th>
            {impls.map((im) => (
              <th key={im.name}>
                <Link to={im.url}>{im.title}</Link>
                <br />
                <small>
                  profile {im.profile} · <ScoreText score={im.score as Score} />
                  {im.nodes > 1 && <> · {im.nodes} nodes</>}
                  {im.findings + im.crashes > 0 && (
                    <>
                      <br />
                      <Link to={`${im.url}#root-causes`}>
                        {im.findings} departure{im.findings === 1 ? '' : 's'}, {im.crashes} crash{im.crashes === 1 ? '' : 'es'}
                      </Link>
                    </>
                  )}
                </small>
                {!im.complete && <span className="incomplete">incomplete run: {im.incompleteReason ?? `executed ${im.executed} of ${im.selected}`}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.areas.map((a) => {
            const isOpen = open.has(a.area);
            const rows = a.cases.filter((c) => !onlyDiff || differs(c.cells as Cell[]));
            collectAnchor(`area-${a.area}`);
            return (
              <React.Fragment key={a.area}>
                <tr className="area-row" id={`area-${a.area}`}>
                  <td>
                    <button type="button" className="clean-btn" aria-expanded={isOpen} onClick={() => toggle(a.area)}>
                      {isOpen ? '▾' : '▸'} {a.area}
                    </button>{' '}
                    <small>
                      ({rows.length} of {a.cases.length} cases{onlyDiff ? ' differ' : ''})
                    </small>
                  </td>
                  {impls.map((im) => (
                    <td key={im.name}>
                      <ScoreText score={(im.areas as Record<string, Score>)[a.area]} />
                    </td>
                  ))}
                </tr>
                {rows.map((c) => (
                  <tr key={c.id} hidden={!isOpen} className={differs(c.cells as Cell[]) ? 'differs' : undefined} data-case={c.id}>
                    <td>
                      <Link to={c.caseUrl}>
                        <code>{c.id}</code>
                      </Link>{' '}
                      <small>
                        <Link to={c.clauseUrl}>{c.clause}</Link> · {c.level}
                      </small>
                    </td>
                    {(c.cells as Cell[]).map((cell, i) => (
                      <td key={impls[i]!.name}>
                        {cell ? <Verdict verdict={cell.verdict} to={cell.url} /> : <Verdict verdict={null} />}
                        {!cell && !impls[i]!.complete && <small> (run incomplete)</small>}
                      </td>
                    ))}
                  </tr>
                ))}
              </React.Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
