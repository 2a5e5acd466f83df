/**
 * A tiny WebSocket client for the reference server's own tests: a queue of decoded frames,
 * bounded waits, and the close code.
 * @module
 */
import { WebSocket } from 'ws';
import { Event } from '../../../spec/src/events.ts';
import { appPath } from '../../../spec/src/protocol.ts';

export interface Frame {
  readonly event: string;
  readonly channel?: string;
  readonly data?: unknown;
  readonly user_id?: unknown;
  /** the frame exactly as received */
  readonly raw: string;
  /** everything else the frame carried */
  readonly [key: string]: unknown;
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export const DEFAULT_WAIT_MS = 2000;

export class RawClient {
  /** frames received and not yet taken by waitFor */
  readonly queue: Frame[] = [];
  /** every frame received, in order */
  readonly history: Frame[] = [];
  readonly closed: Promise<Closed>;
  #waiters = new Set<() => void>();
  #closedInfo: Closed | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const raw = isBinary ? `<binary ${data.length} bytes>` : data.toString('utf8');
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        parsed = { event: '<unparseable>' };
      }
      const frame = { ...parsed, raw } as Frame;
      this.queue.push(frame);
      this.history.push(frame);
      for (const wake of this.#waiters) wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => {
        this.#closedInfo = { code, reason: reason.toString('utf8') };
        resolve(this.#closedInfo);
        for (const wake of this.#waiters) wake();
      });
    });
    ws.on('error', () => {});
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  sendBinary(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  /** Take the first queued frame matching `predicate`, waiting up to `ms` for it. */
  waitFor(predicate: (f: Frame) => boolean, ms = DEFAULT_WAIT_MS, what = 'frame'): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const i = this.queue.findIndex(predicate);
        if (i < 0) return false;
        const [frame] = this.queue.splice(i, 1);
        done();
        resolve(frame!);
        return true;
      };
      const onWake = (): void => {
        if (check()) return;
        if (this.#closedInfo) {
          done();
          reject(new Error(`connection closed (${this.#closedInfo.code} ${this.#closedInfo.reason}) while waiting for ${what}; received: ${this.describe()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${ms} ms waiting for ${what}; received: ${this.describe()}`));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(onWake);
      };
      this.#waiters.add(onWake);
      onWake();
    });
  }

  /** Wait for the next frame with this event (and channel). */
  next(event: string, channel?: string, ms = DEFAULT_WAIT_MS): Promise<Frame> {
    return this.waitFor((f) => f.event === event && (channel === undefined || f.channel === channel), ms, `${event}${channel ? ` on ${channel}` : ''}`);
  }

  /** Queued frames matching `predicate` (not taken). */
  pending(predicate: (f: Frame) => boolean = () => true): Frame[] {
    return this.queue.filter(predicate);
  }

  /** Resolves with the close, or rejects after `ms`. */
  waitClose(ms = DEFAULT_WAIT_MS): Promise<Closed> {
    return Promise.race([
      this.closed,
      new Promise<Closed>((_, reject) => setTimeout(() => reject(new Error(`not closed within ${ms} ms; received: ${this.describe()}`)), ms).unref()),
    ]);
  }

  /** Round trip: everything the server sent before answering this ping is queued afterwards. */
  async barrier(ms = DEFAULT_WAIT_MS): Promise<void> {
    this.send({ event: Event.Ping, data: {} });
    await this.next(Event.Pong, undefined, ms);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await Promise.race([this.closed, new Promise((r) => setTimeout(r, 500).unref())]);
    this.ws.terminate();
  }

  describe(): string {
    const frames = this.history.map((f) => f.raw.slice(0, 200));
    return frames.length === 0 ? '(nothing)' : frames.join(' | ');
  }
}

/** Open a socket without waiting for the handshake (for refusal tests). */
export function openRaw(url: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const client = new RawClient(ws);
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
  });
}

export type ConnectedClient = RawClient & { readonly socketId: string };

/** Connect to `/app/{key}` and wait for pusher:connection_established. */
export async function connect(wsUrl: string, key: string, query = 'protocol=7&client=js&version=8.6.0&flash=false'): Promise<ConnectedClient> {
  const client = await openRaw(`${wsUrl}${appPath(key)}${query ? `?${query}` : ''}`);
  const established = await client.next(Event.ConnectionEstablished);
  const data = JSON.parse(established.data as string) as { socket_id: string };
  return Object.assign(client, { socketId: data.socket_id });
}
