/**
 * Signed REST publishing for the bench (keep-alive, bounded in time and in requests in flight).
 * @module
 */
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { signRestRequest } from '../../../spec/src/crypto/rest-signing.ts';
import { RestPath, restPath } from '../../../spec/src/rest/endpoints.ts';
import type { BenchTarget } from './target.ts';

const MAX_SOCKETS = 64;

export interface PublishEvent {
  name: string;
  channel: string;
  data: string;
}

export class Publisher {
  readonly #agent: Agent;
  readonly #https: boolean;
  readonly #base: string;
  readonly #events: string;
  readonly #batch: string;

  constructor(
    readonly target: BenchTarget,
    readonly timeoutMs: number,
  ) {
    this.#https = target.http.startsWith('https:');
    this.#agent = this.#https ? new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }) : new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
    const u = new URL(target.http);
    this.#base = `${u.protocol}//${u.host}`;
    // a target behind a path prefix sees (and checks the signature of) the prefixed path
    const prefix = u.pathname.replace(/\/+$/, '');
    this.#events = prefix + restPath(RestPath.Events, { app: target.appId });
    this.#batch = prefix + restPath(RestPath.BatchEvents, { app: target.appId });
  }

  /** publishes one event (events endpoint) or several (batch endpoint); resolves with the HTTP status */
  publish(events: readonly PublishEvent[]): Promise<number> {
    return events.length === 1 ? this.post(this.#events, events[0]) : this.post(this.#batch, { batch: events });
  }

  post(path: string, body: unknown): Promise<number> {
    const raw = JSON.stringify(body);
    const { query } = signRestRequest({ key: this.target.key, secret: this.target.secret, method: 'POST', path, body: raw });
    const send = this.#https ? httpsRequest : request;
    return new Promise((resolve, reject) => {
      const req = send(
        `${this.#base}${path}?${query}`,
        { method: 'POST', agent: this.#agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(raw) }, timeout: this.timeoutMs },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('REST request timed out')));
      req.end(raw);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
