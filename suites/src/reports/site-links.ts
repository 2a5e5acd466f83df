/**
 * Where the published site (website/) puts each clause, so that reports link a clause id to its
 * anchor. The website's generator builds its routes from these functions, so the two cannot drift.
 * @module
 */
import { areaOf, isClauseId } from '../../../spec/src/clauses/index.ts';

/** The site's canonical URL; reports link there unless told otherwise. */
export const DEFAULT_SITE_URL = 'https://pusher-conformance.dev';

/** Environment variable that points report links at another copy of the site (a preview, a mirror). */
export const SITE_URL_ENV = 'PUSHER_CONFORMANCE_SITE_URL';

/** The site base URL from `PUSHER_CONFORMANCE_SITE_URL`, else the canonical one; no trailing slash. */
export function siteUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env[SITE_URL_ENV]?.trim() || DEFAULT_SITE_URL).replace(/\/+$/, '');
}

/** Route of an area's clause page. */
export const clauseAreaPath = (area: string): string => `/reference/clauses/${area}`;

/** Route and anchor of a clause (the anchor is the clause id itself); undefined for an unknown id. */
export function clausePath(id: string): string | undefined {
  return isClauseId(id) ? `${clauseAreaPath(areaOf(id))}#${id}` : undefined;
}
