/**
 * Bench connections: a raw WebSocket per client, handshake bounded in time, frames passed on as
 * text (phases read only what they need from them, so that parsing does not become the load).
 * @module
 */
import WebSocket from 'ws';
import { Event } from '../../../spec/src/events.ts';
import { ConnectQuery, PROTOCOL_VERSION, appPath } from '../../../spec/src/protocol.ts';
import type { BenchTarget } from './target.ts';
import { BUDGET_REACHED } from './context.ts';

/** frames larger than this are refused by the client: a bench frame is a few hundred bytes */
const CLIENT_MAX_PAYLOAD = 1024 * 1024;

export interface BenchSocket {
  readonly ws: WebSocket;
  readonly socketId: string;
  send(frame: object): void;
}

export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function connectUrl(target: BenchTarget): string {
  const q = new URLSearchParams({ [ConnectQuery.Protocol]: String(PROTOCOL_VERSION), [ConnectQuery.Client]: 'pusher-conformance-bench', [ConnectQuery.Version]: '1' });
  return `${target.ws.replace(/\/+$/, '')}${appPath(target.key)}?${q}`;
}

/** Opens one connection and waits for pusher:connection_established (at most timeoutMs). */
export function connect(url: string, timeoutMs: number, onText?: (text: string) => void): Promise<BenchSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: CLIENT_MAX_PAYLOAD, handshakeTimeout: timeoutMs });
    const fail = (reason: string): void => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      reject(new ConnectError(reason));
    };
    const timer = setTimeout(() => fail('no connection_established in time'), timeoutMs);
    ws.once('error', (err) => fail((err as NodeJS.ErrnoException).code ?? err.message));
    ws.once('close', (code) => fail(`closed with ${code}`));
    ws.once('message', (raw) => {
      const text = String(raw);
      let socketId: unknown;
      try {
        const frame = JSON.parse(text) as { event?: unknown; data?: unknown };
        if (frame.event !== Event.ConnectionEstablished) return fail(`first frame was ${String(frame.event)}`);
        const data = (typeof frame.data === 'string' ? JSON.parse(frame.data) : frame.data) as { socket_id?: unknown };
        socketId = data?.socket_id;
      } catch {
        return fail('first frame was not JSON');
      }
      if (typeof socketId !== 'string') return fail('connection_established without socket_id');
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      if (onText) ws.on('message', (data) => onText(String(data)));
      resolve({ ws, socketId, send: (frame) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(frame)) });
    });
  });
}

export interface ConnectManyResult {
  sockets: BenchSocket[];
  failures: Record<string, number>;
}

/**
 * Opens `count` connections, `concurrency` handshakes at a time; stops early when `stopAt`
 * (epoch ms) passes or `abortAfterFailures` handshakes have failed in a row (a dead target).
 */
export async function connectMany(opts: {
  url: string;
  count: number;
  concurrency: number;
  timeoutMs: number;
  stopAt: number;
  onText?: (i: number) => (text: string) => void;
  abortAfterFailures?: number;
}): Promise<ConnectManyResult & { stopped?: string }> {
  const sockets: BenchSocket[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  let failedInARow = 0;
  let stopped: string | undefined;
  const worker = async (): Promise<void> => {
    while (next < opts.count && stopped === undefined) {
      if (Date.now() > opts.stopAt) {
        stopped = BUDGET_REACHED;
        return;
      }
      const i = next++;
      try {
        sockets.push(await connect(opts.url, opts.timeoutMs, opts.onText?.(i)));
        failedInARow = 0;
      } catch (err) {
        const reason = err instanceof ConnectError ? err.reason : String(err);
        failures[reason] = (failures[reason] ?? 0) + 1;
        failedInARow += 1;
        if (failedInARow >= (opts.abortAfterFailures ?? 50)) stopped = `${failedInARow} connections failed in a row (last: ${reason})`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.count)) }, worker));
  return { sockets, failures, ...(stopped !== undefined ? { stopped } : {}) };
}

/** Closes every socket; one that does not finish its closing handshake in time is terminated. */
export async function closeAll(sockets: readonly BenchSocket[], graceMs = 2000): Promise<void> {
  await Promise.all(
    sockets.map(
      ({ ws }) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, graceMs);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close();
        }),
    ),
  );
}
