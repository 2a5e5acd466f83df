/**
 * REST answers read through the departures the harness recognised (departures.ts), so that one
 * departure is one finding and every other case judges its own clause:
 * - refusals answered HTTP 200 with the error in the body (`{"error":…,"code":400}`,
 *   `error-status-200`, clause rest.bad-request) are read by the code the body carries;
 * - a missing POST /batch_events (404, `endpoint-missing`, clause rest.batch-events) lets a case
 *   that checks the batch endpoint among others skip that step with a note.
 * @module
 */
import { departuresOf } from '../../harness/departures.ts';
import { RestStatus } from '../../../../spec/src/rest/endpoints.ts';
import { isAccepted } from '../../harness/rest.ts';
import type { CaseContext, HttpResult } from '../../harness/types.ts';

/** the HTTP status, or the body's error code when the recognised departure put it there */
export function effectiveStatus(ctx: CaseContext, res: HttpResult): number {
  if (isAccepted(res) || res.status < 200 || res.status >= 300) return res.status;
  if (departuresOf(ctx)?.departureOf('rest.bad-request') === undefined) return res.status;
  const code = (res.json as { code?: unknown }).code;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 400 || code > 599) return res.status;
  ctx.note(`HTTP ${res.status} with an error body read as its code ${code}: the finding "error-status-200" reports the status (clause rest.bad-request)`);
  return code;
}

/**
 * Was `res` the target's batch endpoint missing (404), as the harness recognised it (departure
 * `endpoint-missing`, clause rest.batch-events)? Then a case that checks the batch endpoint only
 * among others skips that step with a note; the batch cases judge the endpoint.
 */
export function batchEndpointMissing(ctx: CaseContext, res: HttpResult, step: string): boolean {
  if (res.status !== RestStatus.NotFound || departuresOf(ctx)?.departureOf('rest.batch-events') === undefined) return false;
  ctx.note(`${step} not checked: POST /batch_events answers ${RestStatus.NotFound} (the finding "endpoint-missing" reports it, clause rest.batch-events)`);
  return true;
}
