/**
 * The REST client: requests signed with spec/ signRestRequest, deliberate signing mistakes via
 * SignOptions, every exchange in the transcript, every request bounded.
 * @module
 */
import { signRestRequest } from '../../../spec/src/crypto/rest-signing.ts';
import { AuthParam, RestPath, restPath } from '../../../spec/src/rest/endpoints.ts';
import { HarnessError } from '../model/outcome.ts';
import { exchange, HttpExchangeError, type HttpExchange } from './http-request.ts';
import { clip, type Transcript } from './transcript.ts';
import type { HttpResult, RestClient, SignOptions } from './types.ts';

/** Default bound of one REST request in ms, before --time-scale. */
export const REST_TIMEOUT_MS = 5000;

export interface RestDeps {
  /** REST base URL, e.g. http://127.0.0.1:6001 (a path prefix is kept) */
  readonly http: string;
  /** the `{app}` path segment: the app id, or the key in the Vask dialect */
  readonly app: string;
  readonly key: string;
  readonly secret: string;
  readonly transcript?: Transcript;
  readonly timeScale: number;
  readonly signal?: AbortSignal;
  /** transcript label prefix: r1, r2… */
  readonly label?: string;
  /** a cluster: every request goes to `nodes[node]` (labels r1@n2); `on(i)` gives a client for another node */
  readonly nodes?: readonly { readonly name: string; readonly http: string }[];
  readonly node?: number;
  /** sees every exchange, to recognise known departures (departures.ts) */
  readonly departures?: { http(req: RestRequest, res: HttpResult): void };
}

export interface RestRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: string | Buffer;
  contentType?: string;
  sign?: SignOptions;
  /** bound in ms before time-scale */
  within?: number;
}

/** Build the full URL and signed query of a request (exported for tests and doctor). */
export function signedUrl(base: string, req: RestRequest, creds: { key: string; secret: string }): string {
  const sign = req.sign ?? {};
  const query: Record<string, string> = { ...req.query };
  let params: Record<string, string>;
  if (sign.unsigned) {
    params = { ...query, ...sign.override };
  } else {
    const signed = signRestRequest({
      key: sign.key ?? creds.key,
      secret: sign.secret ?? creds.secret,
      method: req.method,
      path: req.path,
      params: { ...query, ...sign.override },
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(sign.timestamp !== undefined ? { timestamp: sign.timestamp } : {}),
    });
    params = { ...signed.params };
    if (sign.signature !== undefined) params[AuthParam.Signature] = sign.signature;
  }
  for (const name of sign.omit ?? []) delete params[name];
  const qs = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const u = new URL(base);
  const prefix = u.pathname.replace(/\/+$/, '');
  return `${u.origin}${prefix}${req.path}${qs ? `?${qs}` : ''}`;
}

export class HarnessRest implements RestClient {
  readonly #deps: RestDeps;
  /** request counter, shared with the node-pinned views (restOn) so labels stay unique */
  readonly #count: { n: number };

  constructor(deps: RestDeps, count: { n: number } = { n: 0 }) {
    this.#deps = deps;
    this.#count = count;
  }

  /** The same client, every request to node `index` only. */
  on(index: number): HarnessRest {
    const node = this.#deps.nodes?.[index];
    if (!node) throw new HarnessError(`no node ${index + 1}: the target has ${this.#deps.nodes?.length ?? 1}`);
    return new HarnessRest({ ...this.#deps, node: index }, this.#count);
  }

  path(endpoint: 'events' | 'batch_events' | 'channels', channel?: string): string {
    const app = this.#deps.app;
    if (endpoint === 'events') return restPath(RestPath.Events, { app });
    if (endpoint === 'batch_events') return restPath(RestPath.BatchEvents, { app });
    return channel === undefined ? restPath(RestPath.Channels, { app }) : restPath(RestPath.Channel, { app, channel_name: channel });
  }

  trigger(body: Record<string, unknown>, sign?: SignOptions): Promise<HttpResult> {
    return this.request({ method: 'POST', path: this.path('events'), body: JSON.stringify(body), ...(sign ? { sign } : {}) });
  }

  batch(batch: readonly Record<string, unknown>[], sign?: SignOptions): Promise<HttpResult> {
    return this.request({ method: 'POST', path: this.path('batch_events'), body: JSON.stringify({ batch }), ...(sign ? { sign } : {}) });
  }

  channels(query?: Record<string, string>, sign?: SignOptions): Promise<HttpResult> {
    return this.request({ method: 'GET', path: this.path('channels'), ...(query ? { query } : {}), ...(sign ? { sign } : {}) });
  }

  channel(name: string, query?: Record<string, string>, sign?: SignOptions): Promise<HttpResult> {
    return this.request({ method: 'GET', path: this.path('channels', name), ...(query ? { query } : {}), ...(sign ? { sign } : {}) });
  }

  users(channel: string, sign?: SignOptions): Promise<HttpResult> {
    return this.request({ method: 'GET', path: restPath(RestPath.ChannelUsers, { app: this.#deps.app, channel_name: channel }), ...(sign ? { sign } : {}) });
  }

  terminate(userId: string, sign?: SignOptions): Promise<HttpResult> {
    // pusher-http-node posts an empty JSON object
    return this.request({ method: 'POST', path: restPath(RestPath.TerminateUserConnections, { app: this.#deps.app, user_id: userId }), body: '{}', ...(sign ? { sign } : {}) });
  }

  userEvent(userId: string, body: Record<string, unknown>, sign?: SignOptions): Promise<HttpResult> {
    return this.request({ method: 'POST', path: restPath(RestPath.UserEvents, { app: this.#deps.app, user_id: userId }), body: JSON.stringify(body), ...(sign ? { sign } : {}) });
  }

  async request(req: RestRequest): Promise<HttpResult> {
    const d = this.#deps;
    const n = ++this.#count.n;
    // a cluster: the label says which node answered
    const node = d.nodes && d.nodes.length > 0 ? d.nodes[(d.node ?? 0) % d.nodes.length] : undefined;
    const label = `${d.label ?? 'r'}${n}${node ? `@${node.name}` : ''}`;
    const url = signedUrl(node?.http ?? d.http, req, d);
    const shownUrl = url.slice(new URL(url).origin.length);
    const bodyText = req.body === undefined ? '' : typeof req.body === 'string' ? req.body : req.body.toString('utf8');
    d.transcript?.add('http-out', `${req.method} ${shownUrl}${bodyText ? ` ${bodyText}` : ''}`, label);
    const bound = Math.max(1, Math.round((req.within ?? REST_TIMEOUT_MS) * d.timeScale));
    const headers: Record<string, string> = {};
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    let res: HttpExchange;
    try {
      // node:http, not fetch: see http-request.ts
      res = await exchange(url, { method: req.method, headers, ...(req.body !== undefined ? { body: req.body } : {}), timeoutMs: bound, ...(d.signal ? { signal: d.signal } : {}) });
    } catch (e) {
      // anything else (an unusable URL, a header node:http refuses) is a failed request too
      const reason = !(e instanceof HttpExchangeError) ? (e as Error).message : e.kind === 'timeout' ? `no response within ${bound} ms` : e.code === 'ECONNREFUSED' ? 'connection refused' : e.message;
      d.transcript?.add('http-in', `(failed: ${reason})`, label);
      if (d.signal?.aborted) throw new HarnessError('the case was aborted (time limit reached) during a REST request');
      throw new HarnessError(`REST request ${req.method} ${req.path} failed: ${reason}`);
    }
    const { headers: h, text } = res;
    let json: unknown;
    try {
      json = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    d.transcript?.add('http-in', `${res.status}${text ? ` ${clip(text, 1500)}` : ''}`, label);
    const result: HttpResult = { status: res.status, text, json, headers: h };
    d.departures?.http(req, result);
    return result;
  }
}

/**
 * Did the target accept the request? A 2xx status, and not a JSON body carrying an `error`
 * (some servers, soketi among them, answer refusals with 200 and the code in the body).
 */
export function isAccepted(res: HttpResult): boolean {
  if (res.status < 200 || res.status >= 300) return false;
  const body = res.json;
  return !(typeof body === 'object' && body !== null && 'error' in body);
}
