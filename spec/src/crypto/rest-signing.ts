// REST API request signing (auth_version 1.0): building signed queries and verifying them.
import { hmacSha256Hex, md5Hex, timingSafeEqualHex } from './hmac.ts';

export const AUTH_VERSION = '1.0';

export type RestQuery = URLSearchParams | Record<string, string | string[] | undefined>;

export type RestFailureReason =
  | 'missing-param'
  | 'unknown-key'
  | 'bad-version'
  | 'stale-timestamp'
  | 'body-md5-mismatch'
  | 'body-md5-missing'
  | 'bad-signature';

export type RestVerification = { ok: true; key: string } | { ok: false; reason: RestFailureReason; detail: string };

export interface SignRestInput {
  key: string;
  secret: string;
  method: string;
  /** The path as requested, prefix included (`/apps/3/events`). */
  path: string;
  /**
   * Extra query params. Values given here override the computed `auth_*` and `body_md5` ones, so a
   * suite can sign deliberately wrong requests; pusher-http-node refuses such params instead.
   */
  params?: Record<string, string>;
  body?: string | Uint8Array;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

export interface VerifyRestInput {
  method: string;
  path: string;
  query: RestQuery;
  /**
   * undefined: the body is not read yet. Everything but body_md5 is checked (body_md5 is itself a
   * signed query param), so a server can refuse before buffering a body; it verifies again with the body.
   */
  body: string | Uint8Array | undefined;
  lookupSecret: (key: string) => string | undefined;
  /** Server time, Unix seconds. */
  now: number;
  windowSeconds: number;
}

const REQUIRED_PARAMS = ['auth_key', 'auth_timestamp', 'auth_version', 'auth_signature'] as const;

/**
 * `METHOD\npath\nk=v&k=v`, params sorted by key, `auth_signature` left out, nothing URL-escaped.
 * Keys are lowercased first, as the spec says. pusher-http-node does not lowercase; its keys are all
 * lowercase already, so both produce the same string.
 */
export function restStringToSign(method: string, path: string, params: Record<string, string>): string {
  const pairs = Object.entries(params)
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .filter(([k]) => k !== 'auth_signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${method.toUpperCase()}\n${path}\n${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

export function signRestRequest(input: SignRestInput): { params: Record<string, string>; query: string } {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const computed: Record<string, string> = {
    auth_key: input.key,
    auth_timestamp: String(timestamp),
    auth_version: AUTH_VERSION,
  };
  if (input.body !== undefined && input.body.length > 0) computed.body_md5 = md5Hex(input.body);
  const unsigned = { ...computed, ...input.params };
  const params = {
    ...unsigned,
    auth_signature: hmacSha256Hex(input.secret, restStringToSign(input.method, input.path, unsigned)),
  };
  const query = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return { params, query };
}

/**
 * Checks, in order: required params, auth_version, key, timestamp window, body_md5, signature.
 * A repeated param (`channels[]=a&channels[]=b`) is signed as its values joined with `,`, as Reverb does;
 * the spec does not say.
 */
export function verifyRestRequest(input: VerifyRestInput): RestVerification {
  const params = flattenQuery(input.query);
  for (const name of REQUIRED_PARAMS) {
    if (params[name] === undefined) return fail('missing-param', `Missing required query parameter ${name}`);
  }
  const key = params.auth_key!;
  const version = params.auth_version!;
  const givenTimestamp = params.auth_timestamp!;

  if (version !== AUTH_VERSION) {
    return fail('bad-version', `Unsupported auth_version ${JSON.stringify(version)}: expected "${AUTH_VERSION}"`);
  }
  const secret = input.lookupSecret(key);
  if (secret === undefined) return fail('unknown-key', `Unknown auth_key ${JSON.stringify(key)}`);

  if (!/^\d+$/.test(givenTimestamp)) {
    return fail('stale-timestamp', `Timestamp ${JSON.stringify(givenTimestamp)} is not a Unix time in seconds`);
  }
  const timestamp = Number(givenTimestamp);
  if (Math.abs(input.now - timestamp) > input.windowSeconds) {
    return fail(
      'stale-timestamp',
      `Timestamp expired: given ${timestamp} is not within ${input.windowSeconds} s of server time ${input.now}`,
    );
  }

  // An empty body with body_md5 is still checked against md5(""); Sockudo rejects it outright.
  const givenMd5 = params.body_md5;
  if (input.body === undefined) {
    // body not read yet: checked by the caller's second call
  } else if (givenMd5 === undefined && input.body.length > 0) {
    return fail('body-md5-missing', `body_md5 is required for a non-empty body (${byteLength(input.body)} bytes)`);
  } else if (givenMd5 !== undefined) {
    const actualMd5 = md5Hex(input.body);
    if (givenMd5 !== actualMd5) {
      return fail('body-md5-mismatch', `body_md5 ${JSON.stringify(givenMd5)} does not match the body's MD5 ${actualMd5}`);
    }
  }

  const stringToSign = restStringToSign(input.method, input.path, params);
  const expected = hmacSha256Hex(secret, stringToSign);
  if (!timingSafeEqualHex(params.auth_signature!, expected)) {
    return fail('bad-signature', `Invalid signature: expected HMAC-SHA256 of ${JSON.stringify(stringToSign)}`);
  }
  return { ok: true, key };
}

function fail(reason: RestFailureReason, detail: string): RestVerification {
  return { ok: false, reason, detail };
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
}

function flattenQuery(query: RestQuery): Record<string, string> {
  const out: Record<string, string> = {};
  if (query instanceof URLSearchParams) {
    for (const k of new Set(query.keys())) out[k] = query.getAll(k).join(',');
    return out;
  }
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}
