/**
 * Everything the generator writes, as two maps of path (relative to website/) → content:
 * `content` (committed, compared by the generator test) and `static` (rebuilt on every build).
 * @module
 */
import { clauseIds, errorCodes, limitKeys, verdicts } from '../../../spec/src/index.ts';
import { profileIds, profiles, type ProfileDef } from '../../../spec/src/profiles.ts';
import { features } from '../../../spec/src/features.ts';
import { verdictMeaning } from '../../../suites/src/reports/format.ts';
import { loadCatalogue } from './catalogue.ts';
import { casePages } from './cases.ts';
import { cliData } from './cli-data.ts';
import { downloadsPage, staticFiles } from './downloads.ts';
import { frameGroups, framePages, schemaLinker, schemasPage } from './frames.ts';
import { loadJsonSchemas } from './json-schema-view.ts';
import { referencePages } from './reference.ts';
import { endpoints, loadOpenApi, restPage, webhooksPage } from './rest.ts';
import { benchFiles, loadBench } from './bench.ts';
import { loadMutationSummary, mutationFiles } from './mutation.ts';
import { REPORTS } from './paths.ts';
import { loadReports, resultFiles } from './results.ts';
import { DEFAULT_SITE_URL, route } from './routes.ts';
import { signingPage } from './signing.ts';

export interface SiteFiles {
  content: Record<string, string>;
  static: Record<string, string>;
}

export interface SiteSources {
  /** the reports folder (report.json per implementation, bench/, mutation/); default reports/ */
  reportsDir?: string;
}

export async function siteFiles(sources: SiteSources = {}): Promise<SiteFiles> {
  const reportsDir = sources.reportsDir ?? REPORTS;
  const catalogue = await loadCatalogue();
  const schemas = loadJsonSchemas();
  const openapi = loadOpenApi();
  const reports = loadReports(reportsDir);
  const bench = loadBench(reportsDir);
  const linkFor = schemaLinker();
  const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
  const content: Record<string, string> = {
    ...referencePages(catalogue),
    ...framePages(schemas),
    'docs/reference/schemas.mdx': schemasPage(schemas),
    'docs/reference/rest.mdx': restPage(openapi, schemas, linkFor),
    'docs/reference/webhooks.mdx': webhooksPage(openapi, schemas, linkFor),
    'docs/reference/signing.mdx': signingPage(),
    'docs/reference/downloads.mdx': downloadsPage(schemas, reports, catalogue, bench),
    ...casePages(catalogue),
    ...resultFiles(reports, catalogue, bench, reportsDir),
    ...benchFiles(bench, reports.map((r) => r.name)),
    ...mutationFiles(loadMutationSummary(reportsDir)),
    'src/data/generated/site.json': json({
      url: DEFAULT_SITE_URL,
      counts: {
        clauses: clauseIds.length,
        frames: frameGroups().length,
        schemas: Object.keys(schemas).length,
        endpoints: endpoints(openapi).length,
        errorCodes: errorCodes.length,
        limits: limitKeys.length,
        cases: catalogue.reduce((n, a) => n + a.cases.length, 0),
        reports: reports.length,
        benchResults: bench.length,
      },
      routes: { clauses: route.clauses, frames: route.frames, rest: route.rest, cases: '/cases', results: '/results', comparison: route.comparison, downloads: route.downloads, signing: route.signing },
    }),
    'src/data/generated/guide.json': json({
      cli: cliData(),
      profiles: profileIds.map((id) => ({ id, title: (profiles[id] as ProfileDef).title, url: route.profile(id) })),
      features: Object.entries(features).map(([name, meaning]) => ({ name, meaning })),
      verdicts: verdicts.map((v) => ({ verdict: v, meaning: verdictMeaning[v] })),
    }),
  };
  return { content, static: staticFiles(schemas, reports, catalogue, reportsDir, bench) };
}
