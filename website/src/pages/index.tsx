import React from 'react';
import Layout from '@theme/Layout';
import Link from '@docusaurus/Link';
import Heading from '@theme/Heading';
import CodeBlock from '@theme/CodeBlock';
import comparison from '@site/src/data/generated/comparison.json';
import site from '@site/src/data/generated/site.json';
import { ScoreText, type Score } from '@site/src/components/Verdict';

const sections: { to: string; title: string; what: string }[] = [
  { to: '/guides/check-your-server', title: 'Guides', what: 'check your server, read a report, gate your CI, how verdicts are decided, write a case' },
  { to: site.routes.clauses, title: `Protocol reference: ${site.counts.clauses} clauses`, what: 'every clause with its level, sources, impact on real clients and the cases that check it' },
  { to: site.routes.frames, title: `${site.counts.frames} WebSocket frames`, what: 'field tables from the JSON Schemas, wire examples, strict and lenient forms' },
  { to: site.routes.rest, title: `${site.counts.endpoints} REST endpoints`, what: 'parameters, bodies, status codes and signing, from the OpenAPI document' },
  { to: site.routes.signing, title: 'Signing and encryption', what: 'every algorithm step by step with a worked example' },
  { to: site.routes.cases, title: `${site.counts.cases} conformance cases`, what: 'the catalogue per area with the faults that kill each case' },
  { to: site.routes.results, title: `${site.counts.reports} published reports`, what: 'per implementation: roll-ups, failures, transcripts, reproductions' },
  { to: site.routes.downloads, title: `Downloads: ${site.counts.schemas} JSON Schemas and more`, what: 'AsyncAPI, OpenAPI, clauses, profiles, error codes, limits and vectors as JSON' },
];

export default function Home(): React.ReactElement {
  const impls = comparison.implementations;
  return (
    <Layout title="Pusher Channels conformance" description="The Pusher Channels protocol as data, a conformance suite for any Pusher-compatible server, and the results of real servers.">
      <header className="hero hero--primary">
        <div className="container">
          <Heading as="h1" className="hero__title">pusher-conformance</Heading>
          <p className="hero__subtitle">
            The Pusher Channels protocol (WebSocket protocol 7, REST API, webhooks) clause by clause, a conformance suite that checks any Pusher-compatible server against it, and
            the published results of real servers.
          </p>
        </div>
      </header>
      <main className="container margin-vert--lg">
        <div className="row hero-commands">
          <div className="col col--6">
            <Heading as="h2">Try it</Heading>
            <p>The whole suite against the embedded reference server:</p>
            <CodeBlock language="bash">npm ci && npm run conformance</CodeBlock>
          </div>
          <div className="col col--6">
            <Heading as="h2">Check your server</Heading>
            <p>Point it at any server with its app credentials:</p>
            <CodeBlock language="bash">{'npx pusher-conformance run --ws ws://127.0.0.1:6001 \\\n  --app-id app-id --key app-key --secret app-secret --profile soketi'}</CodeBlock>
          </div>
        </div>
        <Heading as="h2" id="results">Results at a glance</Heading>
        <p>
          Cases that met their clause out of the cases run, per area. The <Link to={site.routes.comparison}>comparison matrix</Link> breaks every cell down to the case.
        </p>
        <div style={{ overflowX: 'auto' }}>
          <table>
            <thead>
              <tr>
                <th>area</th>
                {impls.map((im) => (
                  <th key={im.name}>
                    <Link to={im.url}>{im.title}</Link>
                    {!im.complete && <span className="incomplete">incomplete run</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>all areas</th>
                {impls.map((im) => (
                  <th key={im.name}>
                    <ScoreText score={im.score as Score} />
                  </th>
                ))}
              </tr>
              {comparison.areas.map((a) => (
                <tr key={a.area}>
                  <td>
                    <Link to={a.url}>{a.area}</Link>
                  </td>
                  {impls.map((im) => (
                    <td key={im.name}>
                      <ScoreText score={(im.areas as Record<string, Score>)[a.area]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Heading as="h2">Sections</Heading>
        <div className="row">
          {sections.map((s) => (
            <div className="col col--6 margin-bottom--md" key={s.to}>
              <Link to={s.to}>
                <strong>{s.title}</strong>
              </Link>
              <br />
              {s.what}
            </div>
          ))}
        </div>
      </main>
    </Layout>
  );
}
