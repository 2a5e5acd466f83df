/**
 * A raw WebSocket client for the reference server's own tests: records every frame, lets a test
 * await the next frame that matches, and always bounds the wait.
 * @module
 */
import WebSocket from 'ws';
import { Event } from '../../../spec/src/events.ts';
import { PROTOCOL_VERSION } from '../../../spec/src/protocol.ts';

export interface Frame {
  event: string;
  channel?: string;
  data?: unknown;
  user_id?: string;
}

export interface RawClient {
  readonly ws: WebSocket;
  /** from connection_established, '' if the server never sent it */
  readonly socketId: string;
  /** every frame received, in order, the handshake included */
  readonly frames: Frame[];
  /** resolves with the close code once the socket is closed */
  readonly closed: Promise<number>;
  send(frame: object | string): void;
  /** the first frame received from now on (or already received after `since`) that matches */
  next(match: (f: Frame) => boolean, timeoutMs?: number, since?: number): Promise<Frame>;
  /** like next, but resolves undefined instead of throwing on timeout */
  maybe(match: (f: Frame) => boolean, timeoutMs?: number, since?: number): Promise<Frame | undefined>;
  /** all frames matching `match` received within `ms` from now */
  collect(match: (f: Frame) => boolean, ms: number): Promise<Frame[]>;
  close(): void;
  /** drop the TCP connection without a close handshake */
  terminate(): void;
}

/** data as the test sees it: strings that hold JSON are parsed */
export function dataOf(f: Frame | undefined): unknown {
  if (f === undefined) return undefined;
  if (typeof f.data !== 'string') return f.data;
  try {
    return JSON.parse(f.data);
  } catch {
    return f.data;
  }
}

export const isEvent =
  (event: string, channel?: string) =>
  (f: Frame): boolean =>
    f.event === event && (channel === undefined || f.channel === channel);

/** The outcome of opening a connection: connected, or closed/refused before the handshake. */
export type OpenOutcome = { ok: true; client: RawClient } | { ok: false; observation: string };

/**
 * Opens `url` (a full ws URL, or the server base + key) and waits for the first frame or close.
 * Never throws for protocol outcomes; the observation names what happened (`close:4001`, `http:404`).
 */
export async function tryOpen(url: string, timeoutMs = 2000): Promise<OpenOutcome> {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  const listeners = new Set<() => void>();
  let closeCode: number | undefined;
  const closed = new Promise<number>((resolve) => {
    ws.on('close', (code) => {
      closeCode = code;
      for (const l of listeners) l();
      resolve(code);
    });
  });
  ws.on('message', (raw) => {
    let frame: Frame;
    try {
      frame = JSON.parse(String(raw)) as Frame;
    } catch {
      frame = { event: '(not json)', data: String(raw) };
    }
    frames.push(frame);
    for (const l of listeners) l();
  });
  const first = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    const done = (what: string): void => {
      clearTimeout(timer);
      resolve(what);
    };
    ws.once('unexpected-response', (_req, res) => {
      done(`http:${res.statusCode}`);
      ws.terminate();
    });
    ws.once('error', (err) => done(`error:${(err as NodeJS.ErrnoException).code ?? err.message}`));
    const check = (): void => {
      if (frames.length > 0) done('frame');
      else if (closeCode !== undefined) done(`close:${closeCode}`);
    };
    listeners.add(check);
  });
  listeners.clear();
  if (first !== 'frame') {
    ws.terminate();
    return { ok: false, observation: first };
  }
  const hello = frames[0]!;
  if (hello.event !== Event.ConnectionEstablished) {
    ws.terminate();
    return { ok: false, observation: `first:${hello.event}:${JSON.stringify(dataOf(hello))}` };
  }
  const socketId = String((dataOf(hello) as { socket_id?: unknown })?.socket_id ?? '');

  const client: RawClient = {
    ws,
    socketId,
    frames,
    closed,
    send(frame) {
      if (ws.readyState === WebSocket.OPEN) ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    next(match, timeout = 1000, since = frames.length) {
      return client.maybe(match, timeout, since).then((f) => {
        if (f === undefined) throw new Error(`no matching frame within ${timeout} ms; got ${JSON.stringify(frames.slice(since))}`);
        return f;
      });
    },
    maybe(match, timeout = 1000, since = frames.length) {
      return new Promise((resolve) => {
        let index = since;
        const check = (): void => {
          for (; index < frames.length; index += 1) {
            if (match(frames[index]!)) return finish(frames[index]);
          }
          if (closeCode !== undefined) finish(undefined);
        };
        const timer = setTimeout(() => finish(undefined), timeout);
        const finish = (f: Frame | undefined): void => {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(f);
        };
        listeners.add(check);
        check();
      });
    },
    async collect(match, ms) {
      const start = frames.length;
      await new Promise((r) => setTimeout(r, ms));
      return frames.slice(start).filter(match);
    },
    close() {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
    },
    terminate() {
      ws.terminate();
    },
  };
  return { ok: true, client };
}

/** Opens a connection that must succeed. */
export async function open(baseWsUrl: string, key: string, timeoutMs = 2000): Promise<RawClient> {
  const outcome = await tryOpen(appUrl(baseWsUrl, key), timeoutMs);
  if (!outcome.ok) throw new Error(`connection failed: ${outcome.observation}`);
  return outcome.client;
}

/** `ws://host:port/app/{key}?protocol=7&client=…` from the server's base ws URL */
export function appUrl(baseWsUrl: string, key: string): string {
  const base = baseWsUrl.replace(/\/+$/, '').replace(/\/app\/.*$/, '');
  return `${base}/app/${encodeURIComponent(key)}?protocol=${PROTOCOL_VERSION}&client=conformance-test&version=0.1.0`;
}

/** Tracks clients so a test can close them all in `finally`. */
export class ClientPool {
  private readonly clients: RawClient[] = [];
  async open(baseWsUrl: string, key: string): Promise<RawClient> {
    const c = await open(baseWsUrl, key);
    this.clients.push(c);
    return c;
  }
  add(c: RawClient): RawClient {
    this.clients.push(c);
    return c;
  }
  closeAll(): void {
    for (const c of this.clients.splice(0)) c.terminate();
  }
}
