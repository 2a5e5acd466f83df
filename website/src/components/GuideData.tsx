import React from 'react';
import Link from '@docusaurus/Link';
import guide from '@site/src/data/generated/guide.json';

/** The options of one CLI command, read from the commander program at build time. */
export function CliOptions({ command }: { command: string }): React.ReactElement {
  const c = guide.cli.find((x) => x.name === command);
  if (!c) return <p>(the CLI has no command {command})</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>option</th>
          <th>meaning</th>
          <th>default</th>
        </tr>
      </thead>
      <tbody>
        {c.options.map((o) => (
          <tr key={o.flags}>
            <td>
              <code>{o.flags}</code>
            </td>
            <td>{o.description}</td>
            <td>{o.default === null ? '' : <code>{o.default}</code>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Commands(): React.ReactElement {
  return (
    <table>
      <tbody>
        {guide.cli.map((c) => (
          <tr key={c.name}>
            <td>
              <code>
                pusher-conformance {c.name} {c.usage}
              </code>
            </td>
            <td>{c.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Profiles(): React.ReactElement {
  return (
    <ul>
      {guide.profiles.map((p) => (
        <li key={p.id}>
          <Link to={p.url}>
            <code>{p.id}</code>
          </Link>
          : {p.title}
        </li>
      ))}
    </ul>
  );
}

export function Features(): React.ReactElement {
  return (
    <table>
      <tbody>
        {guide.features.map((f) => (
          <tr key={f.name}>
            <td>
              <code>{f.name}</code>
            </td>
            <td>{f.meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Verdicts(): React.ReactElement {
  return (
    <table>
      <tbody>
        {guide.verdicts.map((v) => (
          <tr key={v.verdict}>
            <td>
              <span className={`verdict verdict-${v.verdict}`}>{v.verdict}</span>
            </td>
            <td>{v.meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
