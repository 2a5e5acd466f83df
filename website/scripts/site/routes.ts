/**
 * The site's URL scheme, in one place: the generator writes pages at these routes and every link
 * it emits is built here. Clause routes come from suites/src/reports/site-links.ts, which the
 * CLI's HTML reports use too.
 * @module
 */
import { clauseAreaPath, clausePath } from '../../../suites/src/reports/site-links.ts';

export { clauseAreaPath, DEFAULT_SITE_URL } from '../../../suites/src/reports/site-links.ts';

export function clauseUrl(id: string): string {
  const path = clausePath(id);
  if (!path) throw new Error(`website: "${id}" is not a clause id of spec/src/clauses (a case or report names a clause the registry lacks)`);
  return path;
}

export const route = {
  clauses: '/reference/clauses',
  frames: '/reference/frames',
  frame: (schemaId: string) => `/reference/frames/${schemaId}`,
  schemas: '/reference/schemas',
  schema: (schemaId: string) => `/reference/schemas#${schemaId}`,
  rest: '/reference/rest',
  endpoint: (operationId: string) => `/reference/rest#${operationId}`,
  webhooks: '/reference/webhooks',
  errorCodes: '/reference/error-codes',
  errorCode: (code: number) => `/reference/error-codes#error-${code}`,
  limits: '/reference/limits',
  limit: (key: string) => `/reference/limits#limit-${key}`,
  profiles: '/reference/profiles',
  profile: (id: string) => `/reference/profiles#profile-${id}`,
  ambiguities: '/reference/ambiguities',
  ambiguity: (id: string) => `/reference/ambiguities#${id}`,
  vectors: '/reference/vectors',
  signing: '/reference/signing',
  casesArea: (area: string) => `/cases/${area}`,
  case: (area: string, id: string) => `/cases/${area}#${id}`,
  report: (name: string) => `/results/${name}`,
  reportCase: (name: string, caseId: string) => `/results/${name}#${caseId}`,
  comparison: '/results/comparison',
  performance: '/results/performance',
  benchResult: (name: string) => `/results/performance#bench-${name}`,
  mutation: '/reference/mutation',
  downloads: '/reference/downloads',
} as const;

/** Static files (website/static/ → site root). */
export const file = {
  schema: (schemaId: string) => `/schemas/${schemaId}.json`,
  asyncapi: '/asyncapi.json',
  openapi: '/openapi.json',
  data: (name: string) => `/data/${name}.json`,
  report: (name: string) => `/reports/${name}/report.json`,
  bench: (name: string) => `/reports/bench/${name}.json`,
  findings: (name: string) => `/reports/${name}/FINDINGS.md`,
} as const;
