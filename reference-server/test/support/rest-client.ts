/**
 * Signed REST calls and a loopback webhook receiver for the reference server's own tests.
 * @module
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRestRequest } from '../../../spec/src/crypto/rest-signing.ts';
import { RestPath, restPath } from '../../../spec/src/rest/endpoints.ts';

export interface Creds {
  appId: string;
  key: string;
  secret: string;
}

export interface RestResult {
  status: number;
  body: string;
  json(): unknown;
}

export interface RestCallOptions {
  /** extra query params (info, filter_by_prefix, or deliberately wrong auth_* values) */
  params?: Record<string, string>;
  /** Unix seconds for auth_timestamp */
  timestamp?: number;
  /** sign with this secret instead */
  secret?: string;
  /** send this body but sign `signedBody` (for body_md5 tests) */
  signedBody?: string;
}

export async function rest(
  httpUrl: string,
  creds: Creds,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: RestCallOptions = {},
): Promise<RestResult> {
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const { query } = signRestRequest({
    key: creds.key,
    secret: opts.secret ?? creds.secret,
    method,
    path,
    ...(opts.params !== undefined ? { params: opts.params } : {}),
    ...(opts.signedBody ?? raw) !== undefined ? { body: (opts.signedBody ?? raw)! } : {},
    ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
  });
  const res = await fetch(`${httpUrl.replace(/\/+$/, '')}${path}?${query}`, {
    method,
    ...(raw !== undefined ? { body: raw, headers: { 'Content-Type': 'application/json' } } : {}),
    signal: AbortSignal.timeout(3000),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text,
    json: () => JSON.parse(text) as unknown,
  };
}

export const publish = (httpUrl: string, creds: Creds, body: Record<string, unknown>, opts?: RestCallOptions) =>
  rest(httpUrl, creds, 'POST', restPath(RestPath.Events, { app: creds.appId }), body, opts);

export const batch = (httpUrl: string, creds: Creds, entries: Array<Record<string, unknown>>, opts?: RestCallOptions) =>
  rest(httpUrl, creds, 'POST', restPath(RestPath.BatchEvents, { app: creds.appId }), { batch: entries }, opts);

export const getChannels = (httpUrl: string, creds: Creds, params?: Record<string, string>) =>
  rest(httpUrl, creds, 'GET', restPath(RestPath.Channels, { app: creds.appId }), undefined, params ? { params } : {});

export const getChannel = (httpUrl: string, creds: Creds, channel: string, params?: Record<string, string>) =>
  rest(httpUrl, creds, 'GET', restPath(RestPath.Channel, { app: creds.appId, channel_name: channel }), undefined, params ? { params } : {});

export const getUsers = (httpUrl: string, creds: Creds, channel: string) =>
  rest(httpUrl, creds, 'GET', restPath(RestPath.ChannelUsers, { app: creds.appId, channel_name: channel }));

export const terminate = (httpUrl: string, creds: Creds, userId: string) =>
  rest(httpUrl, creds, 'POST', restPath(RestPath.TerminateUserConnections, { app: creds.appId, user_id: userId }), {});

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** the parsed body, or undefined if it was not JSON */
  body: { time_ms?: number; events?: Array<Record<string, unknown>> } | undefined;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** every event of every request, in arrival order */
  events(): Array<Record<string, unknown>>;
  /** waits until `predicate` holds, up to `timeoutMs`; returns whether it did */
  until(predicate: (r: WebhookReceiver) => boolean, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** A loopback HTTP server that answers 200 and records every request. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const listeners = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    let rawBody = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (rawBody += chunk));
    req.on('end', () => {
      let body: ReceivedWebhook['body'];
      try {
        body = JSON.parse(rawBody) as ReceivedWebhook['body'];
      } catch {
        body = undefined;
      }
      received.push({ headers: req.headers, rawBody, body });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      for (const l of listeners) l();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    events: () => received.flatMap((r) => r.body?.events ?? []),
    until(predicate, timeoutMs) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (predicate(receiver)) finish(true);
        };
        const timer = setTimeout(() => finish(false), timeoutMs);
        const finish = (ok: boolean): void => {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(ok);
        };
        listeners.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
