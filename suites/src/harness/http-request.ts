/**
 * One HTTP exchange on node:http / node:https, for the REST client. Not fetch: the embedded
 * target shares the suite's one JavaScript thread, and fetch's streams and abort plumbing cost
 * about a fifth of that thread over a run (profiled: undici, web streams, AbortSignal.any),
 * which every case waited on. Redirects are not followed (a 3xx is the answer), the body is
 * sent byte-exact with its length, and the exchange ends at the bound or when `signal` aborts.
 * @module
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpExchange {
  readonly status: number;
  /** lower-case names; repeated headers joined with ", " (as fetch's Headers does) */
  readonly headers: Record<string, string>;
  /** the body decoded as UTF-8 */
  readonly text: string;
}

/** Why an exchange failed: no answer within the bound, aborted by the caller, or a socket error (its code and message). */
export class HttpExchangeError extends Error {
  override readonly name = 'HttpExchangeError';
  constructor(
    readonly kind: 'timeout' | 'aborted' | 'network',
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function exchange(url: string, opts: { method: string; headers: Record<string, string>; body?: string | Buffer; timeoutMs: number; signal?: AbortSignal }): Promise<HttpExchange> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new HttpExchangeError('aborted', 'aborted'));
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? Buffer.from(opts.body, 'utf8') : opts.body;
    const headers = body === undefined ? opts.headers : { ...opts.headers, 'content-length': String(body.length) };
    const send = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (err: HttpExchangeError | undefined, value?: HttpExchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value!);
    };
    const req = send(url, { method: opts.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: flatHeaders(res.headers), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e: NodeJS.ErrnoException) => finish(new HttpExchangeError('network', e.message, e.code)));
    });
    const timer = setTimeout(() => finish(new HttpExchangeError('timeout', `no response within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    const onAbort = () => finish(new HttpExchangeError('aborted', 'aborted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => finish(new HttpExchangeError('network', e.message, e.code)));
    req.end(body);
  });
}
