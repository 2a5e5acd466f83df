/**
 * The committed site pages and data (docs/reference, docs/cases, docs/results, src/data/generated)
 * are what the generator makes from spec/, suites/ and reports/ now: regenerate into a temp dir and
 * compare, so a spec, case or report change without `npm run docs:generate` fails.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clauseIds } from '../../spec/src/index.ts';
import { jsonSchemas } from '../../spec/src/documents/index.ts';
import { allCases } from '../../suites/src/cases/index.ts';
import { rootCauses } from '../../suites/src/reports/findings.ts';
import { sdkTable } from '../../suites/src/reports/sdk-table.ts';
import { ownedFiles, staleContent, writeSite } from '../scripts/generate-docs.ts';
import { siteFiles } from '../scripts/site/index.ts';
import { WEBSITE } from '../scripts/site/paths.ts';
import { implementationLabels, loadReports } from '../scripts/site/results.ts';
import { DEFAULT_SITE_URL, file, route } from '../scripts/site/routes.ts';
import { FAILING_SDK_MESSAGE, writeBareReports, writeRichReports } from './site-samples.ts';

const tmp = mkdtempSync(join(tmpdir(), 'site-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('site generator', () => {
  it('regenerates exactly the committed pages and data (run npm run docs:generate if not)', { timeout: 60_000 }, async () => {
    const site = await siteFiles();
    writeSite(tmp, site.content, ['content']);
    const written = ownedFiles(tmp, 'content');
    expect(written.sort()).toEqual(Object.keys(site.content).sort());
    const differ = written.filter((rel) => {
      try {
        return readFileSync(join(WEBSITE, rel), 'utf8') !== readFileSync(join(tmp, rel), 'utf8');
      } catch {
        return true;
      }
    });
    expect([...differ, ...staleContent(WEBSITE, site.content)].filter((v, i, a) => a.indexOf(v) === i)).toEqual([]);
  });

  it('gives every clause and case an anchor and serves every schema at its $id', { timeout: 60_000 }, async () => {
    const site = await siteFiles();
    const pages = Object.values(site.content).join('\n');
    for (const id of clauseIds) expect(pages, id).toContain(`{/* #${id} */}`);
    for (const c of allCases()) expect(pages, c.case.id).toContain(`{/* #${c.case.id} */}`);
    for (const [id, schema] of Object.entries(jsonSchemas())) {
      expect(schema.$id).toBe(`${DEFAULT_SITE_URL}${file.schema(id)}`);
      expect(site.static[`static${file.schema(id)}`], id).toBeDefined();
    }
  });
});

describe('site generator on reports with and without the optional parts', () => {
  const read = (files: Record<string, string>, rel: string) => JSON.parse(files[rel]!) as Record<string, any>;

  it('builds from an old report: no sdk table, no findings, no performance or mutation page, no link to them', { timeout: 60_000 }, async () => {
    const dir = writeBareReports(mkdtempSync(join(tmp, 'bare-')));
    const site = await siteFiles({ reportsDir: dir });
    expect(Object.keys(site.content).filter((k) => k.startsWith('docs/results/')).sort()).toEqual(['docs/results/comparison.mdx', 'docs/results/index.mdx', 'docs/results/reference.mdx']);
    expect(site.content['docs/reference/mutation.mdx']).toBeUndefined();
    const data = read(site.content, 'src/data/generated/reports/reference.json');
    expect(data.sdk).toBeNull();
    expect(data.rootCauses).toEqual([]);
    expect(data.performance).toBeNull();
    expect(data.nodes).toEqual([]);
    expect(data.findingsFile).toBeNull();
    const comparison = read(site.content, 'src/data/generated/comparison.json');
    expect(comparison.sdk).toBeNull();
    expect(comparison.performance).toBeNull();
    const all = Object.values(site.content).join('\n');
    expect(all).not.toContain(route.performance);
    expect(all).not.toContain(route.mutation);
    expect(site.content['docs/results/comparison.mdx']).not.toContain('SdkComparison');
    expect(Object.keys(site.static).filter((k) => k.startsWith('static/reports/'))).toEqual([`static${file.report('reference')}`]);
  });

  it('shows sdk tables, root causes, cluster nodes, bench results and the mutation summary when the reports have them', { timeout: 60_000 }, async () => {
    const dir = writeRichReports(mkdtempSync(join(tmp, 'rich-')));
    const site = await siteFiles({ reportsDir: dir });
    const reports = loadReports(dir);
    const ref = reports.find((r) => r.name === 'reference')!;

    // the sdk table is suites/src/reports/sdk-table.ts's, cells linked to the cases on the page
    const data = read(site.content, 'src/data/generated/reports/reference.json');
    const table = sdkTable(ref.report)!;
    expect(data.sdk.libraries.map((l: { name: string }) => l.name)).toEqual(table.libraries.map((l) => l.name));
    expect(data.sdk.libraries.find((l: { name: string }) => l.name === 'pusher-js').version).toBe('8.6.0');
    expect(data.sdk.rows.map((r: { feature: string }) => r.feature)).toEqual(table.rows.map((r) => r.feature));
    const cells = data.sdk.rows.flatMap((r: { cells: unknown[] }) => r.cells).filter(Boolean) as { id: string; url: string; verdict: string; detail: string }[];
    expect(cells.length).toBe(table.rows.reduce((n, r) => n + Object.keys(r.cells).length, 0));
    for (const c of cells) expect(c.url).toBe(route.reportCase('reference', c.id));
    expect(cells.find((c) => c.verdict === 'fail')?.detail).toBe(FAILING_SDK_MESSAGE);

    // findings then crashes, as findings.ts's rootCauses names them; a case not in the report is not linked
    expect(data.rootCauses.map((r: { kind: string; id: string }) => `${r.kind}:${r.id}`)).toEqual(rootCauses(ref.report).map((r) => `${r.kind}:${r.id}`));
    expect(data.rootCauses[0].cases).toEqual([{ id: ref.report.cases[0]!.id, url: route.reportCase('reference', ref.report.cases[0]!.id) }, { id: 'not/in-this-report', url: null }]);
    expect(data.rootCauses[1].kind).toBe('crash');

    // a cluster report is labelled as one, and its transcripts keep the node of each entry
    const comparison = read(site.content, 'src/data/generated/comparison.json');
    const cluster = comparison.implementations.find((im: { name: string }) => im.name === 'soketi-cluster');
    expect(cluster.title).toMatch(/\(cluster of 2 nodes\)$/);
    // a target name that gives the node count itself is not labelled twice
    const named = loadReports(dir).map((r) => (r.name === 'soketi-cluster' ? { ...r, report: { ...r.report, target: { ...r.report.target, name: 'soketi 1.6.1 (2 nodes, Redis)' } } } : r));
    expect(implementationLabels(named).get('soketi-cluster')).toBe('soketi 1.6.1 (2 nodes, Redis)');
    expect(cluster.nodes).toBe(2);
    expect(new Set(comparison.implementations.map((im: { title: string }) => im.title)).size).toBe(comparison.implementations.length);
    const clusterData = read(site.content, 'src/data/generated/reports/soketi-cluster.json');
    expect(clusterData.nodes.map((n: { name: string }) => n.name)).toEqual(['n1', 'n2']);
    const entries = clusterData.cases.flatMap((c: { transcript?: { node?: string }[] }) => c.transcript ?? []);
    if (entries.length > 0) expect(entries.every((e: { node?: string }) => e.node === 'n1' || e.node === 'n2')).toBe(true);
    expect(site.content['docs/results/soketi-cluster.mdx']).toContain('cluster of 2 nodes');

    // the comparison shows the sdk tables side by side, a column per implementation
    expect(comparison.sdk.rows.length).toBeGreaterThan(0);
    for (const row of comparison.sdk.rows) expect(row.cells).toHaveLength(comparison.implementations.length);
    expect(site.content['docs/results/comparison.mdx']).toContain('<SdkComparison');

    // bench: a page beside the results, linked from every implementation page (at its own result when it has one)
    const perf = site.content['docs/results/performance.mdx']!;
    expect(perf).toContain('soketi 1.6.1, 2 nodes');
    expect(perf).toContain('{/* #bench-reference */}');
    expect(perf).toContain('{/* #bench-soketi-cluster */}');
    expect(perf).not.toContain('not a result');
    expect(data.performance).toBe(route.benchResult('reference'));
    expect(read(site.content, 'src/data/generated/reports/soketi.json').performance).toBe(route.performance);
    expect(comparison.performance).toBe(route.performance);
    expect(read(site.content, 'src/data/generated/reports/soketi.json').findingsFile).toBe(file.findings('soketi'));
    expect(site.static[`static${file.findings('soketi')}`]).toBe(readFileSync(join(dir, 'soketi', 'FINDINGS.md'), 'utf8'));
    expect(JSON.parse(site.static[`static${file.bench('soketi-cluster')}`]!).target.name).toBe('soketi 1.6.1, 2 nodes');
    expect(site.content['docs/reference/downloads.mdx']).toContain(`(pathname://${file.bench('reference')})`);

    // mutation summary: rendered as data, relative links reduced to their text, no raw HTML
    const mutation = site.content['docs/reference/mutation.mdx']!;
    expect(mutation).toContain('# Mutation testing\n');
    expect(mutation).toContain('TRIAGE.md');
    expect(mutation).not.toContain('](TRIAGE.md)');
    expect(mutation).toContain('[StrykerJS](https://stryker-mutator.io/)');
    expect(mutation).toContain('\\{like this}');
    expect(mutation).not.toMatch(/^<div>/m);
    expect(mutation).toContain('| reference-server/src/client-events.ts |');
  });

  it('refuses a bench file that is not a bench result, naming it', { timeout: 60_000 }, async () => {
    const dir = writeBareReports(mkdtempSync(join(tmp, 'bad-bench-')));
    mkdirSync(join(dir, 'bench'));
    writeFileSync(join(dir, 'bench', 'reference.json'), JSON.stringify({ schemaVersion: 99 }));
    await expect(siteFiles({ reportsDir: dir })).rejects.toThrow(/reports\/bench\/reference\.json does not match spec\/src\/bench\.ts: schemaVersion/);
    writeFileSync(join(dir, 'bench', 'reference.json'), '{');
    await expect(siteFiles({ reportsDir: dir })).rejects.toThrow(/reports\/bench\/reference\.json is not JSON/);
  });
});
