/**
 * The transcript tap of the SDK lanes: a loopback proxy between the libraries and the target.
 * pusher-js's Node build takes no WebSocket constructor (it opens its bundled faye-websocket
 * through a process-wide runtime), so the SDKs are pointed at this proxy instead: every
 * WebSocket upgrade is relayed to the target's WebSocket URL and every HTTP request to its REST
 * URL, frame by frame and byte for byte, close codes and upgrade refusals included, each one
 * written to the case transcript. The proxy also counts connection attempts (what pusher-js does
 * after a close) and can cut every connection as a network loss would.
 * @module
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { HarnessError } from '../../model/outcome.ts';
import type { CaseContext } from '../../harness/types.ts';
import { departuresOf } from '../../harness/departures.ts';
import type { AnyFrame } from '../../../../spec/src/frames/generic.ts';

/** bound of one relayed HTTP request in ms, before time-scale */
const HTTP_RELAY_MS = 5000;
/** bound of the upstream upgrade in ms, before time-scale */
const UPGRADE_RELAY_MS = 5000;
/** characters of a frame or body kept in a transcript line */
const SHOWN = 600;
/** frames a connection may queue while its other side is still being opened */
const MAX_PENDING = 256;

/** One WebSocket connection an SDK opened through the tap. */
export interface TapConnection {
  readonly label: string;
  /** ms since the tap started */
  readonly at: number;
  /** path and query the SDK asked for */
  readonly url: string;
  /** close code the target sent (or 1006 for a drop); undefined while open */
  closedByTarget?: number;
  /** ms since the tap started when it closed */
  closedAt?: number;
  /** close code the SDK sent; undefined while open or when the target closed first */
  closedBySdk?: number;
}

/** One frame relayed: its direction and, when it is a JSON frame, its event name. */
export interface TapFrame {
  readonly label: string;
  /** in: target to SDK; out: SDK to target */
  readonly dir: 'in' | 'out';
  readonly event: string | undefined;
  readonly text: string;
}

/** frames kept for cases to count (pings, pongs, subscribes) */
const MAX_FRAMES = 2000;

function eventOf(text: string): string | undefined {
  try {
    const v = JSON.parse(text) as { event?: unknown };
    return typeof v?.event === 'string' ? v.event : undefined;
  } catch {
    return undefined;
  }
}

/** a close code the ws library may send in a close frame (RFC 6455 7.4.1) */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseFrame(text: string): AnyFrame | undefined {
  const v = parseJson(text);
  return typeof v === 'object' && v !== null && typeof (v as { event?: unknown }).event === 'string' ? (v as AnyFrame) : undefined;
}

function sendable(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

function closeLike(ws: WebSocket, code: number, reason: Buffer | string): void {
  if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
  if (code === 1006) ws.terminate();
  else if (sendable(code)) ws.close(code, reason);
  else ws.close();
}

const shown = (text: string): string => (text.length <= SHOWN ? text : `${text.slice(0, SHOWN)}… (${text.length - SHOWN} more chars)`);

interface Pair {
  readonly up: WebSocket;
  down?: WebSocket;
  /** cut by dropAll(): neither side closed it */
  cut?: boolean;
}

export class SdkTap {
  readonly #ctx: CaseContext;
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #pairs = new Set<Pair>();
  readonly #sockets = new Set<Socket>();
  readonly #connections: TapConnection[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #frames: TapFrame[] = [];
  readonly #started = performance.now();
  #http = 0;
  #closed = false;

  private constructor(ctx: CaseContext) {
    this.#ctx = ctx;
    this.#server = createServer((req, res) => void this.#relayHttp(req, res));
    this.#server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.#relayUpgrade(req, socket, head));
    this.#server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    });
    // pusher-js may try wss:// on the same port after a failed ws:// attempt: not HTTP, dropped
    this.#server.on('clientError', (_e, socket: Socket) => socket.destroy());
  }

  static async start(ctx: CaseContext): Promise<SdkTap> {
    const tap = new SdkTap(ctx);
    await new Promise<void>((resolve, reject) => {
      tap.#server.once('error', (e) => reject(new HarnessError(`could not start the SDK tap on 127.0.0.1: ${e.message}`)));
      tap.#server.listen(0, '127.0.0.1', () => resolve());
    });
    return tap;
  }

  readonly host = '127.0.0.1';

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** every WebSocket connection attempt, in order */
  connections(): readonly TapConnection[] {
    return [...this.#connections];
  }

  /** every frame relayed so far (the first MAX_FRAMES) */
  frames(): readonly TapFrame[] {
    return [...this.#frames];
  }

  #frame(label: string, dir: 'in' | 'out', text: string): void {
    if (this.#frames.length < MAX_FRAMES) this.#frames.push({ label, dir, event: eventOf(text), text });
    this.#ctx.note(`${label} ${dir === 'in' ? '←' : '→'} ${shown(text)}`);
    // what the SDK received feeds the case's departure recorder, as the harness clients' frames do
    if (dir === 'in') {
      const frame = parseFrame(text);
      if (frame) departuresOf(this.#ctx)?.frame(frame, label);
    }
    this.#changed();
  }

  /** called on every new connection attempt and every close */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const l of [...this.#listeners]) l();
  }

  #elapsed(): number {
    return Math.round(performance.now() - this.#started);
  }

  /** Resolves once no relayed connection is open (the SDKs finished their close handshakes), or after `ms`. */
  idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (this.#pairs.size > 0) return;
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(() => (off(), resolve()), ms);
      const off = this.onChange(done);
      done();
    });
  }

  /** Cut every open WebSocket connection without a close frame, as a lost network would. */
  dropAll(): void {
    this.#ctx.note(`tap: network loss: every SDK connection is cut without a close frame (${this.#pairs.size} open)`);
    for (const p of [...this.#pairs]) {
      p.cut = true;
      p.up.terminate();
      p.down?.terminate();
    }
  }

  #relayUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (this.#closed) return void socket.destroy();
    const url = req.url ?? '/';
    const conn: TapConnection = { label: `sdk${this.#connections.length + 1}`, at: this.#elapsed(), url };
    this.#connections.push(conn);
    this.#changed();
    const target = `${this.#ctx.target.ws.replace(/\/+$/, '')}${url}`;
    this.#ctx.note(`${conn.label} open ${url.replace(/^\/+/, '/')} (relayed to the target)`);
    const up = new WebSocket(target, { handshakeTimeout: this.#ctx.ms(UPGRADE_RELAY_MS), perMessageDeflate: false });
    const pair: Pair = { up };
    this.#pairs.add(pair);
    const pending: { data: Buffer | string; binary: boolean }[] = [];
    up.on('message', (data: Buffer, binary: boolean) => {
      const text = data.toString('utf8');
      this.#frame(conn.label, 'in', text);
      if (pair.down?.readyState === WebSocket.OPEN) pair.down.send(binary ? data : text, { binary });
      else if (pending.length < MAX_PENDING) pending.push({ data: binary ? data : text, binary });
    });
    up.on('close', (code: number, reason: Buffer) => {
      this.#pairs.delete(pair);
      conn.closedAt ??= this.#elapsed();
      if (pair.cut) this.#ctx.note(`${conn.label} cut by the tap`);
      else if (conn.closedBySdk === undefined) {
        conn.closedByTarget = code;
        this.#ctx.note(`${conn.label} closed by the target: ${code}${reason.length ? ` ${reason.toString('utf8')}` : ''}`);
      }
      this.#changed();
      if (pair.down) closeLike(pair.down, code, reason);
      else if (!socket.destroyed) socket.destroy();
    });
    up.on('error', (e) => this.#ctx.note(`${conn.label} upstream error: ${e.message}`));
    up.on('unexpected-response', (_r, res) => {
      // the target refused the upgrade with a plain HTTP response: the SDK gets the same status
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        conn.closedByTarget = 1006;
        conn.closedAt = this.#elapsed();
        this.#ctx.note(`${conn.label} upgrade refused by the target: HTTP ${res.statusCode} ${shown(body.toString('utf8'))}`);
        if (!socket.destroyed) socket.end(`HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? ''}\r\ncontent-type: ${res.headers['content-type'] ?? 'text/plain'}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body.toString('utf8')}`);
        this.#pairs.delete(pair);
        this.#changed();
      });
    });
    up.on('open', () => {
      if (socket.destroyed) return void up.terminate();
      this.#wss.handleUpgrade(req, socket, head, (down) => {
        pair.down = down;
        for (const m of pending.splice(0)) down.send(m.data, { binary: m.binary });
        down.on('message', (data: Buffer, binary: boolean) => {
          const text = data.toString('utf8');
          this.#frame(conn.label, 'out', text);
          if (up.readyState === WebSocket.OPEN) up.send(binary ? data : text, { binary });
        });
        down.on('close', (code: number, reason: Buffer) => {
          if (conn.closedByTarget === undefined && !pair.cut) {
            conn.closedBySdk = code;
            this.#ctx.note(`${conn.label} closed by the SDK: ${code}`);
          }
          this.#changed();
          closeLike(up, code, reason);
        });
        down.on('error', () => up.terminate());
      });
    });
    socket.on('error', () => up.terminate());
    socket.on('close', () => {
      if (!pair.down) up.terminate();
    });
  }

  async #relayHttp(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const label = `sdk-r${++this.#http}`;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const base = new URL(this.#ctx.target.http);
    const url = `${base.origin}${base.pathname.replace(/\/+$/, '')}${req.url ?? '/'}`;
    this.#ctx.note(`${label} ${req.method} ${shown(`${req.url ?? ''}${body.length ? ` ${body.toString('utf8')}` : ''}`)}`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || ['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(k)) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    try {
      const r = await fetch(url, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
        signal: AbortSignal.any([AbortSignal.timeout(this.#ctx.ms(HTTP_RELAY_MS)), this.#ctx.signal]),
        redirect: 'manual',
      });
      const text = Buffer.from(await r.arrayBuffer());
      this.#ctx.note(`${label} ← ${r.status} ${shown(text.toString('utf8'))}`);
      const answer = text.toString('utf8');
      departuresOf(this.#ctx)?.http(
        { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, body },
        { status: r.status, text: answer, json: parseJson(answer), headers: {} },
      );
      const out: Record<string, string> = {};
      r.headers.forEach((v, k) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v;
      });
      res.writeHead(r.status, { ...out, 'content-length': String(text.length) }).end(text);
    } catch (e) {
      this.#ctx.note(`${label} ← (the target did not answer: ${(e as Error).message})`);
      // what an SDK sees when the server is unreachable: the connection drops
      res.socket?.destroy();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of [...this.#pairs]) {
      p.up.terminate();
      p.down?.terminate();
    }
    this.#listeners.clear();
    for (const s of this.#sockets) s.destroy();
    this.#wss.close();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
