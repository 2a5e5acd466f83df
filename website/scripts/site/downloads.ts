/**
 * Downloads at stable URLs: copies of spec/generated (every JSON Schema at /schemas/NAME.json,
 * where its `$id` points; asyncapi.json and openapi.json), the registries as JSON under /data/,
 * and every committed report.json under /reports/NAME/.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { FINDINGS_FILE_NAME } from '../../../suites/src/reports/findings.ts';
import { join } from 'node:path';
import { ambiguities, clauseIds, clause, errorCodes, ErrorRange, features, limits, profiles, sources } from '../../../spec/src/index.ts';
import * as vectors from '../../../spec/src/crypto/vectors.ts';
import type { CatalogueArea } from './catalogue.ts';
import type { JsonSchema } from './json-schema-view.ts';
import { code, fileLink, heading, mdxPage, p, table, type Block } from './mdast.ts';
import { SPEC_GENERATED, REPORTS } from './paths.ts';
import type { LoadedBench } from './bench.ts';
import type { LoadedReport } from './results.ts';
import { file } from './routes.ts';

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

/** name → [description, content] of the registry downloads under /data/. */
function dataFiles(catalogue: readonly CatalogueArea[]): Record<string, [string, string]> {
  return {
    clauses: ['every clause: id, area, level, title, text, impact, sources, ambiguity', json(clauseIds.map((id) => clause(id)))],
    profiles: ['every target profile: limits, features, dialect, alternatives, each with its source', json(profiles)],
    'error-codes': ['the 4000–4399 error codes and their ranges', json({ ranges: ErrorRange, codes: errorCodes })],
    limits: ['the limit catalogue (Pusher values; per-profile values are in profiles.json)', json(limits)],
    vectors: ['known-answer vectors for every signature and encryption scheme', json(Object.fromEntries(Object.entries(vectors)))],
    ambiguities: ['the ambiguity register', json(ambiguities)],
    features: ['the feature names a case can need', json(features)],
    sources: ['the sources clauses and profiles cite', json(sources)],
    cases: ['the case catalogue with the faults that kill each case', json(catalogue)],
  };
}

export function staticFiles(schemas: Record<string, JsonSchema>, reports: readonly LoadedReport[], catalogue: readonly CatalogueArea[], reportsDir: string = REPORTS, bench: readonly LoadedBench[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of Object.keys(schemas)) out[`static${file.schema(id)}`] = readFileSync(join(SPEC_GENERATED, 'json-schema', `${id}.json`), 'utf8');
  out[`static${file.asyncapi}`] = readFileSync(join(SPEC_GENERATED, 'asyncapi.json'), 'utf8');
  out[`static${file.openapi}`] = readFileSync(join(SPEC_GENERATED, 'openapi.json'), 'utf8');
  for (const [name, [, content]] of Object.entries(dataFiles(catalogue))) out[`static${file.data(name)}`] = content;
  for (const r of reports) out[`static${file.report(r.name)}`] = readFileSync(join(reportsDir, r.name, 'report.json'), 'utf8');
  for (const r of reports) if (existsSync(join(reportsDir, r.name, FINDINGS_FILE_NAME))) out[`static${file.findings(r.name)}`] = readFileSync(join(reportsDir, r.name, FINDINGS_FILE_NAME), 'utf8');
  for (const b of bench) out[`static${file.bench(b.name)}`] = readFileSync(join(reportsDir, 'bench', `${b.name}.json`), 'utf8');
  return out;
}

export function downloadsPage(schemas: Record<string, JsonSchema>, reports: readonly LoadedReport[], catalogue: readonly CatalogueArea[], bench: readonly LoadedBench[] = []): string {
  const body: Block[] = [
    heading(1, ['Downloads']),
    p('Stable URLs. Every JSON Schema\'s ', code('$id'), ' is its URL here, so references between schemas resolve.'),
    heading(2, ['Protocol documents'], 'documents'),
    table(['file', 'what'], [
      [fileLink(file.asyncapi, 'asyncapi.json'), 'AsyncAPI 3.0: every WebSocket frame, both directions'],
      [fileLink(file.openapi, 'openapi.json'), 'OpenAPI 3.1: the REST API and webhooks'],
    ]),
    heading(2, ['Registries'], 'registries'),
    table(['file', 'what'], Object.entries(dataFiles(catalogue)).map(([name, [what]]) => [fileLink(file.data(name), `${name}.json`), what])),
    heading(2, ['JSON Schemas'], 'schemas'),
    table(['schema', 'description'], Object.entries(schemas).map(([id, s]) => [fileLink(file.schema(id), `${id}.json`), String(s.description ?? '')])),
    heading(2, ['Reports'], 'reports'),
    table(['report', 'target'], reports.map((r) => [fileLink(file.report(r.name), `${r.name}/report.json`), r.report.target.name])),
    ...(bench.length > 0
      ? [
          heading(2, ['Bench results'], 'bench'),
          table(['result', 'target'], bench.map((b) => [fileLink(file.bench(b.name), `bench/${b.name}.json`), b.result.target.name])),
        ]
      : []),
  ];
  return mdxPage({ title: 'Downloads', sidebar_position: 12 }, body);
}
