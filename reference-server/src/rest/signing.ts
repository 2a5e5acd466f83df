/**
 * Verifying REST request signatures with the spec's algorithm (and the signing faults).
 * @module
 */
import { AuthParam, RestStatus } from '../../../spec/src/rest/endpoints.ts';
import { hmacSha256Hex, timingSafeEqualHex } from '../../../spec/src/crypto/hmac.ts';
import { restStringToSign, verifyRestRequest } from '../../../spec/src/crypto/rest-signing.ts';
import type { AppRuntime } from '../app-runtime.ts';
import { RestError } from './http.ts';

/** The auth_timestamp window of the timestamp-window-narrow fault. */
const NARROW_WINDOW_SECONDS = 5;

export interface SignedRequest {
  readonly method: string;
  /** the path exactly as requested (not decoded) */
  readonly path: string;
  readonly query: URLSearchParams;
  /** undefined before the body is read: everything but body_md5 is checked */
  readonly body: Buffer | undefined;
}

/** Throws 401 with the precise reason unless the request is signed with the app's key and secret. */
export function checkRestSignature(app: AppRuntime, req: SignedRequest, otherAppSecret?: (key: string) => string | undefined): void {
  const { faults, config } = app;
  if (faults.has('rest-signature-not-checked')) return;
  // clause: request-signing.signature-invalid (only this app's key and secret sign for it)
  const lookupSecret = (key: string): string | undefined =>
    key === config.key ? config.secret : faults.has('other-app-credentials-accepted') ? otherAppSecret?.(key) : undefined;
  // clause: request-signing.timestamp-window
  const windowSeconds = faults.has('rest-timestamp-not-checked')
    ? Number.POSITIVE_INFINITY
    : faults.has('timestamp-window-narrow')
      ? NARROW_WINDOW_SECONDS
      : app.limits.timestampWindowSeconds;
  const clock = Math.floor(Date.now() / 1000);
  const sent = Number(req.query.get(AuthParam.Timestamp));
  // future-timestamp-not-checked: the window is applied to stale timestamps only
  const now = faults.has('future-timestamp-not-checked') && Number.isFinite(sent) && sent > clock ? sent : clock;
  // clause: request-signing.extra-params-signed (values signed as decoded, not as escaped on the wire)
  const query = faults.has('rest-query-signed-escaped') ? escapedValues(req.query) : req.query;
  const result = verifyRestRequest({ method: req.method, path: req.path, query, body: req.body, lookupSecret, now, windowSeconds });
  if (result.ok) return;
  if (faults.has('rest-body-md5-not-checked') && (result.reason === 'body-md5-mismatch' || result.reason === 'body-md5-missing')) {
    if (signatureMatchesIgnoringBody(req, config.secret)) return;
  }
  // clause: request-signing.signature-invalid / request-signing.params-required / request-signing.body-md5-match
  throw new RestError(RestStatus.Unauthorized, `Authentication failed (${result.reason}): ${result.detail}`, 'request-signing.signature-invalid');
}

/** rest-body-md5-not-checked: the signature over the given params is all that is checked. */
function signatureMatchesIgnoringBody(req: SignedRequest, secret: string): boolean {
  const params: Record<string, string> = {};
  for (const key of new Set(req.query.keys())) params[key] = req.query.getAll(key).join(',');
  const given = params[AuthParam.Signature];
  if (given === undefined) return false;
  return timingSafeEqualHex(given, hmacSha256Hex(secret, restStringToSign(req.method, req.path, params)));
}

/** rest-query-signed-escaped: the query values URL-escaped again, as they travelled. */
function escapedValues(query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of query) out.append(k, encodeURIComponent(v));
  return out;
}
