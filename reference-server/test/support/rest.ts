/**
 * Signed REST calls for the reference server's own tests, using the spec's signing.
 * @module
 */
import { signRestRequest } from '../../../spec/src/crypto/rest-signing.ts';

export interface Credentials {
  readonly id: string;
  readonly key: string;
  readonly secret: string;
}

export interface RestResult {
  readonly status: number;
  readonly text: string;
  readonly contentType: string | null;
  /** the body parsed as JSON, or undefined */
  readonly json: unknown;
}

export interface RestCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** path as sent and signed, e.g. /apps/app-id/events */
  path: string;
  /** a JSON value (stringified) or an exact body string */
  body?: unknown;
  /** extra query parameters, signed */
  params?: Record<string, string>;
  /** sign with these instead (wrong secret, other key) */
  signAs?: Credentials;
  /** send without any signature */
  unsigned?: boolean;
  timestamp?: number;
}

export async function rest(httpUrl: string, app: Credentials, call: RestCall): Promise<RestResult> {
  const body = call.body === undefined ? undefined : typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  const signer = call.signAs ?? app;
  let query: string;
  if (call.unsigned) {
    query = new URLSearchParams(call.params ?? {}).toString();
  } else {
    query = signRestRequest({ key: signer.key, secret: signer.secret, method: call.method, path: call.path, params: call.params, body, timestamp: call.timestamp }).query;
  }
  const res = await fetch(`${httpUrl}${call.path}${query ? `?${query}` : ''}`, {
    method: call.method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body,
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, contentType: res.headers.get('content-type'), json };
}
