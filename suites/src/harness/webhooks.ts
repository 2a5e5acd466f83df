/**
 * The webhook receiver the suite hosts: node:http on 127.0.0.1 (or the address given with
 * --webhook-host), records every POST (raw body and headers, on any path), answers 200, and
 * routes each event to the running case whose channel it names (channel names carry a per-case
 * token, see context.ts). Its `url` is what the target must POST to: the --webhook-url when one
 * was given (a target in a container reaches the receiver through another name), else an URL
 * built from the bound address.
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from '../../../spec/src/webhooks.ts';
import { ConformanceFailure, HarnessError } from '../model/outcome.ts';
import { clip, type Transcript } from './transcript.ts';
import type { ReceivedWebhook, Webhooks, Within } from './types.ts';
import type { WaitLog } from './timing.ts';

/** Default bound of expect() in ms, before time-scale; webhooks may be delayed by a grace window. */
export const WEBHOOK_BOUND_MS = 5000;
/** Default silence of expectNone() in ms, before time-scale. */
export const WEBHOOK_NONE_MS = 1500;

/** One POST as it arrived. */
export interface RawWebhook {
  /** Date.now() at arrival */
  readonly receivedAt: number;
  readonly raw: string;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly method: string;
  readonly path: string;
}

/** the receiver's default bind address: nothing is exposed beyond this machine unless asked */
export const DEFAULT_WEBHOOK_HOST = '127.0.0.1';
/** the path of the URL built from the bound address (the receiver accepts any path) */
export const WEBHOOK_PATH = '/webhooks';

/** a loopback address or name */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** the host part of an URL that reaches a receiver bound to `host` from this machine */
function urlHost(host: string): string {
  // a wildcard bind is reached through loopback from here
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

type Route = (hook: RawWebhook, event: Record<string, unknown>) => void;

export class WebhookReceiver {
  readonly #server: Server;
  readonly #routes = new Map<string, Route>();
  readonly #all: RawWebhook[] = [];
  readonly #listeners = new Set<(hook: RawWebhook) => void>();
  #url = '';
  #host = '';

  private constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        this.#receive({ receivedAt: Date.now(), raw, body, headers, method: req.method ?? '', path: req.url ?? '' });
      });
    });
  }

  /**
   * Listen on `host` (default 127.0.0.1; `port` 0: a free port). `publicUrl`: the URL the target
   * POSTs to, when it is not this address (a host name, a NAT or a container port mapping).
   */
  static async start(port = 0, host = DEFAULT_WEBHOOK_HOST, publicUrl?: string): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await new Promise<void>((resolve, reject) => {
      r.#server.once('error', (e: Error & { code?: string }) =>
        reject(new HarnessError(`could not start the webhook receiver on ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`)),
      );
      r.#server.listen(port, host, () => resolve());
    });
    const addr = r.#server.address() as AddressInfo;
    r.#host = host;
    r.#url = publicUrl ?? `http://${urlHost(host)}:${addr.port}${WEBHOOK_PATH}`;
    return r;
  }

  /** the URL the target must POST webhooks to */
  get url(): string {
    return this.#url;
  }

  /** where the receiver listens, `host:port` (`[v6]:port`) */
  get listening(): string {
    return `${this.#host.includes(':') ? `[${this.#host}]` : this.#host}:${this.port}`;
  }

  /** whether it listens on a loopback address only (a target in a container cannot reach it) */
  get loopbackOnly(): boolean {
    return isLoopbackHost(this.#host);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** every POST received, routed or not */
  all(): readonly RawWebhook[] {
    return [...this.#all];
  }

  /** called for every POST (the doctor uses it) */
  onReceive(listener: (hook: RawWebhook) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Route events on channels containing `token` to `route` until the returned function is called. */
  register(token: string, route: Route): () => void {
    this.#routes.set(token, route);
    return () => {
      if (this.#routes.get(token) === route) this.#routes.delete(token);
    };
  }

  #receive(hook: RawWebhook): void {
    this.#all.push(hook);
    if (this.#all.length > 1000) this.#all.shift();
    for (const l of [...this.#listeners]) l(hook);
    const events = (hook.body as { events?: unknown } | undefined)?.events;
    if (!Array.isArray(events)) return;
    for (const e of events) {
      if (typeof e !== 'object' || e === null) continue;
      const channel = (e as { channel?: unknown }).channel;
      if (typeof channel !== 'string') continue;
      for (const [token, route] of this.#routes) {
        if (channel.includes(token)) route(hook, e as Record<string, unknown>);
      }
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }
}

/**
 * The per-case view: only events on this case's channels. `event` is the event object as
 * received (not validated: cases check shapes with spec schemas).
 */
export class CaseWebhooks implements Webhooks {
  readonly #received: ReceivedWebhook[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #unregister: () => void;
  readonly #transcript: Transcript;
  readonly #timeScale: number;
  readonly #signal: AbortSignal | undefined;
  readonly #waits: WaitLog | undefined;
  readonly url: string;

  constructor(receiver: WebhookReceiver, token: string, opts: { transcript: Transcript; timeScale: number; signal?: AbortSignal; waits?: WaitLog }) {
    this.url = receiver.url;
    this.#waits = opts.waits;
    this.#transcript = opts.transcript;
    this.#timeScale = opts.timeScale;
    this.#signal = opts.signal;
    this.#unregister = receiver.register(token, (hook, event) => {
      const entry: ReceivedWebhook = { event: event as WebhookEvent, at: this.#transcript.elapsed(), body: hook.body, raw: hook.raw, headers: hook.headers };
      this.#received.push(entry);
      this.#transcript.add('webhook', `${JSON.stringify(event)} (body ${clip(hook.raw, 600)})`);
      for (const l of [...this.#listeners]) l();
    });
  }

  dispose(): void {
    this.#unregister();
  }

  received(): readonly ReceivedWebhook[] {
    return [...this.#received];
  }

  /** `quiet`: a quiet window (its whole length is recorded); otherwise only a bound that ran out is (timing.ts) */
  #wait(where: (e: WebhookEvent) => boolean, bound: number, quiet = false): Promise<ReceivedWebhook | undefined> {
    const find = () => this.#received.find((r) => safe(where, r.event));
    const first = find();
    if (first) return Promise.resolve(first);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const done = (v: ReceivedWebhook | undefined, err?: Error) => {
        if (quiet) this.#waits?.record('quiet', started);
        else if (v === undefined && err === undefined) this.#waits?.record('timeout', started);
        clearTimeout(timer);
        this.#listeners.delete(listener);
        this.#signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(v);
      };
      const listener = () => {
        const v = find();
        if (v) done(v);
      };
      const onAbort = () => done(undefined, new HarnessError('the case was aborted (time limit reached) while waiting for a webhook'));
      const timer = setTimeout(() => done(undefined), bound);
      this.#listeners.add(listener);
      if (this.#signal?.aborted) onAbort();
      else this.#signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async expect(where: (e: WebhookEvent) => boolean, opts: Within & { description?: string } = {}): Promise<ReceivedWebhook> {
    const bound = Math.round((opts.within ?? WEBHOOK_BOUND_MS) * this.#timeScale);
    const got = await this.#wait(where, bound);
    if (got) return got;
    const seen = this.#received.map((r) => JSON.stringify(r.event));
    throw new ConformanceFailure(
      [`webhook ${opts.description ?? 'matching the case condition'} within ${bound} ms`],
      seen.length ? `webhooks received for this case: ${clip(seen.join(', '), 1500)}` : 'no webhook arrived for this case\'s channels',
    );
  }

  async expectNone(where: (e: WebhookEvent) => boolean, opts: Within & { description?: string } = {}): Promise<void> {
    const bound = Math.round((opts.within ?? WEBHOOK_NONE_MS) * this.#timeScale);
    const got = await this.#wait(where, bound, true);
    if (got) throw new ConformanceFailure([`no webhook ${opts.description ?? 'matching the case condition'} within ${bound} ms`], `received ${JSON.stringify(got.event)} at ${Math.round(got.at)} ms`);
  }
}

function safe(where: (e: WebhookEvent) => boolean, e: WebhookEvent): boolean {
  try {
    return where(e);
  } catch {
    return false;
  }
}
