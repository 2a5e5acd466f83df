/**
 * The WebSocket client every case drives: a queue of received frames, bounded waits that end
 * in a verdict, and every frame in and out written to the case transcript.
 * @module
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { z } from 'zod';
import { Event } from '../../../spec/src/events.ts';
import { AnyFrame } from '../../../spec/src/frames/generic.ts';
import { ConnectionEstablishedFrameLenient, ErrorFrameLenient } from '../../../spec/src/frames/connection.ts';
import { parseJson, stringOrObject } from '../../../spec/src/codec.ts';
import { schemaRegistry } from '../../../spec/src/registry.ts';
import { channelKind } from '../../../spec/src/identifiers.ts';
import { signChannel, signUser } from '../../../spec/src/crypto/index.ts';
import { ERROR_CODE_MAX, ERROR_CODE_MIN, ErrorCode, errorCodeDef } from '../../../spec/src/error-codes.ts';
import { ConformanceFailure, HarnessError } from '../model/outcome.ts';
import { DEFAULT_INBOUND_CAPS, type InboundCaps } from './inbound-caps.ts';
import { scaleMs, type WaitLog } from './timing.ts';
import { clip, type Transcript } from './transcript.ts';
import type { Client, ErrorSignal, FrameMatch, SubscribeOutcome, Within } from './types.ts';

/** Default bounds in ms, before --time-scale. */
export const Bounds = {
  /** expectFrame, waitFor, subscribe, signin */
  frame: 3000,
  /** expectNoFrame: how long silence must last */
  noFrame: 700,
  /** expectErrorOrClose, expectClose */
  close: 3000,
  /** after a pusher:error: how long to wait for the close that may follow */
  closeAfterError: 1000,
  /** open(): TCP + upgrade */
  upgrade: 5000,
  /** connect(): connection_established after the upgrade */
  handshake: 5000,
  wsPing: 2000,
} as const;

/** One inbound WebSocket message as it arrived. */
export interface Inbound {
  /** ms since the case started */
  readonly t: number;
  readonly text: string;
  readonly binary: boolean;
  /** the parsed frame when the message was a JSON object with a string event */
  readonly frame?: AnyFrame;
  /** why it is not a frame */
  readonly error?: string;
}

export interface ClientDeps {
  readonly label: string;
  /** full URL: base + path + query */
  readonly url: string;
  /** key and secret used to sign subscriptions and sign-ins on this connection */
  readonly key: string;
  readonly secret: string;
  readonly transcript: Transcript;
  readonly timeScale: number;
  /** aborted when the case ends or times out */
  readonly signal?: AbortSignal;
  /** a fresh user id, for presence subscriptions that name none */
  readonly newUserId: () => string;
  /** how much the target may send this connection (default: DEFAULT_INBOUND_CAPS) */
  readonly inbound?: InboundCaps;
  /** sees every frame received, to recognise known departures (departures.ts) */
  readonly departures?: { frame(frame: AnyFrame, who: string): void };
  /** where the case's time goes: bounds that ran out, quiet windows (timing.ts) */
  readonly waits?: WaitLog;
}

interface Received {
  readonly frame: AnyFrame;
  readonly t: number;
  /** position in arrival order: a refusal counts only if it arrived after the request */
  readonly seq: number;
  consumed: boolean;
}

/** ws's error code for an inbound message over maxPayload */
const WS_TOO_BIG = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
/** RFC 6455 1009 "message too big": how the harness closes a flooding connection */
const CLOSE_TOO_BIG = 1009;

/** the least a handshake must carry for the harness to use the connection: a socket_id */
const UsableEstablished = z.object({ event: z.literal(Event.ConnectionEstablished), data: stringOrObject(z.looseObject({ socket_id: z.string().min(1) })) });

export type EstablishedCheck =
  | { readonly ok: true; readonly socketId: string; readonly activityTimeout: number; readonly departure?: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Validate a pusher:connection_established frame against spec/: unusable (no decodable data with
 * a socket_id) is a problem; usable but not valid against ConnectionEstablishedFrameLenient is a
 * departure the connection cases judge (clause connection.established-*).
 */
export function checkEstablished(frame: AnyFrame): EstablishedCheck {
  const usable = UsableEstablished.safeParse(frame);
  if (!usable.success) {
    const data = frame.data;
    const what =
      typeof data === 'string' && !parseJson(data).ok
        ? `its data is not JSON: ${clip(JSON.stringify(data), 120)}`
        : `its data carries no socket_id string: ${clip(JSON.stringify(data ?? null), 200)}`;
    return { ok: false, problem: `${Event.ConnectionEstablished} does not validate: ${what}` };
  }
  const d = usable.data.data as { socket_id: string; activity_timeout?: unknown };
  const strict = ConnectionEstablishedFrameLenient.safeParse(frame);
  return {
    ok: true,
    socketId: d.socket_id,
    activityTimeout: typeof d.activity_timeout === 'number' ? d.activity_timeout : Number.NaN,
    ...(strict.success ? {} : { departure: z.prettifyError(strict.error).replace(/\s+/g, ' ') }),
  };
}

/** a pusher:error that validates against spec/ (ErrorFrameLenient): garbage never counts as a refusal */
export const isValidErrorFrame = (frame: AnyFrame): boolean => frame.event === Event.Error && ErrorFrameLenient.safeParse(frame).success;

/** bytes of an HTTP refusal body kept for messages */
const MAX_REFUSAL_BODY = 4 * 1024;

const CLOSED = Symbol('closed');
type Closed = typeof CLOSED;

/** decode a frame's data: JSON string → value; anything else as is */
export function frameData(frame: AnyFrame): unknown {
  if (typeof frame.data !== 'string') return frame.data;
  const parsed = parseJson(frame.data);
  return parsed.ok ? parsed.value : frame.data;
}

/** the `code` of a pusher:error frame (data as object or JSON string), null when absent */
export function errorFrameCode(frame: AnyFrame): number | null {
  const data = frameData(frame);
  if (typeof data === 'object' && data !== null && 'code' in data) {
    const code = (data as { code: unknown }).code;
    return typeof code === 'number' ? code : null;
  }
  return null;
}

export function describeMatch(match: FrameMatch): string {
  if (match.description !== undefined) return match.description;
  let s = match.event ?? 'a frame';
  if (match.channel !== undefined) s += ` on ${match.channel}`;
  if (match.where !== undefined) s += ' (meeting the case condition)';
  return s;
}

export function describeSignal(signal: ErrorSignal): string {
  if (signal.via === 'close') return `close ${signal.code}${signal.reason ? ` "${signal.reason}"` : ''}`;
  const then = signal.thenClosed === undefined ? ', connection left open' : `, then close ${signal.thenClosed}`;
  return `${Event.Error} code ${signal.code ?? 'null'}${then}`;
}

function schemaName(schema: z.ZodType): string {
  return schemaRegistry.get(schema)?.id ?? 'the expected schema';
}

function matches(frame: AnyFrame, match: FrameMatch): boolean {
  if (match.event !== undefined && frame.event !== match.event) return false;
  if (match.channel !== undefined && frame.channel !== match.channel) return false;
  if (match.where !== undefined && !match.where(frame)) return false;
  return true;
}

function connectErrorReason(err: Error & { code?: string }): string | undefined {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that host and port)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable';
    case 'ETIMEDOUT':
      return 'TCP connect timed out';
    default:
      return undefined;
  }
}

export class HarnessClient implements Client {
  readonly label: string;
  readonly #deps: ClientDeps;
  readonly #ws: WebSocket;
  readonly #received: Received[] = [];
  readonly #inbound: Inbound[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #pongs: Buffer[] = [];
  #established: { socket_id: string; activity_timeout: number } | undefined;
  #closeInfo: { code: number; reason: string } | undefined;
  #httpRefusal: { status: number; body: string; contentType: string } | undefined;
  #ended = false;
  #closingByClient = false;
  /** arrival index of the first frame after the last one this client sent */
  #sentMark = 0;
  #retainedBytes = 0;
  /** set when the target sent more than the caps allow; the connection was closed for it */
  #flood: string | undefined;
  #upgradeFailure: 'timeout' | 'dropped' | undefined;
  readonly #caps: InboundCaps;

  private constructor(deps: ClientDeps) {
    this.label = deps.label;
    this.#deps = deps;
    this.#caps = deps.inbound ?? DEFAULT_INBOUND_CAPS;
    this.#ws = new WebSocket(deps.url, { handshakeTimeout: this.#scale(Bounds.upgrade), maxPayload: this.#caps.maxFrameBytes });
  }

  /**
   * Open a socket without waiting for the handshake. Resolves once the upgrade succeeded or the
   * server refused it (HTTP status, close, reset); rejects with HarnessError when nothing answers.
   */
  static open(deps: ClientDeps): Promise<HarnessClient> {
    const client = new HarnessClient(deps);
    return client.#opened();
  }

  /** open() and wait for pusher:connection_established; anything else is a HarnessError. */
  static async connect(deps: ClientDeps, within?: number): Promise<HarnessClient> {
    const client = await HarnessClient.open(deps);
    try {
      await client.#handshake(within);
    } catch (e) {
      client.terminate();
      throw e;
    }
    return client;
  }

  #scale(ms: number): number {
    return scaleMs(ms, this.#deps.timeScale);
  }

  #note(text: string): void {
    this.#deps.transcript.add('note', text, this.label);
  }

  #notify(): void {
    for (const l of [...this.#listeners]) l();
  }

  #opened(): Promise<HarnessClient> {
    const ws = this.#ws;
    const t = this.#deps.transcript;
    t.add('ws-open', `connecting ${this.#deps.url}`, this.label);
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.#onMessage(data, isBinary));
    ws.on('ping', (data: Buffer) => t.add('ws-in', `(ping control frame${data.length ? ` ${data.toString('hex')}` : ''})`, this.label));
    ws.on('pong', (data: Buffer) => {
      t.add('ws-in', `(pong control frame${data.length ? ` ${data.toString('hex')}` : ''})`, this.label);
      this.#pongs.push(data);
      this.#notify();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      const r = reason.toString('utf8');
      if (this.#closeInfo === undefined) this.#closeInfo = { code, reason: r };
      t.add('ws-close', `${this.#closingByClient ? 'closed by the client' : 'closed by the server'}: ${code}${r ? ` "${r}"` : ''}`, this.label);
      this.#end();
    });
    return new Promise<HarnessClient>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve(this);
      };
      ws.once('open', () => {
        t.add('ws-open', 'upgrade accepted', this.label);
        settle();
      });
      ws.on('unexpected-response', (req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let finished = false;
        const done = () => {
          if (finished) return;
          finished = true;
          const body = Buffer.concat(chunks).toString('utf8');
          this.#httpRefusal = { status: res.statusCode ?? 0, body, contentType: String(res.headers['content-type'] ?? '') };
          t.add('ws-open', `upgrade refused: HTTP ${res.statusCode} ${clip(body, 300)}`, this.label);
          req.destroy();
          this.#end();
          settle();
        };
        res.on('data', (c: Buffer) => {
          if (size < MAX_REFUSAL_BODY) chunks.push(c);
          size += c.length;
        });
        res.on('end', done);
        res.on('error', done);
        res.on('close', done);
      });
      ws.on('error', (err: Error & { code?: string }) => {
        if (err.code === WS_TOO_BIG) {
          this.#flood ??= `the target sent a message over the harness's ${this.#caps.maxFrameBytes}-byte frame cap (a multiple of the profile's limits); the connection was closed with ${CLOSE_TOO_BIG}`;
          this.#note(this.#flood);
        }
        if (settled) {
          if (err.code !== WS_TOO_BIG) this.#note(`socket error: ${err.message}`);
          return;
        }
        const reason = connectErrorReason(err);
        if (reason !== undefined) {
          t.add('ws-open', `failed: ${reason}`, this.label);
          this.#end();
          settle(new HarnessError(`could not connect to ${this.#deps.url}: ${reason}`));
          return;
        }
        // the server answered but dropped the upgrade (reset, hang-up), or never answered it
        this.#upgradeFailure = /handshake has timed out/i.test(err.message) ? 'timeout' : 'dropped';
        this.#closeInfo ??= {
          code: 1006,
          reason: this.#upgradeFailure === 'timeout' ? `no answer to the WebSocket upgrade within ${this.#scale(Bounds.upgrade)} ms` : `no WebSocket upgrade: ${err.message}`,
        };
        t.add('ws-open', `failed: ${err.message}`, this.label);
        this.#end();
        settle();
      });
      ws.once('close', () => settle());
    });
  }

  #end(): void {
    this.#ended = true;
    this.#notify();
  }

  #onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.#flood !== undefined) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    this.#retainedBytes += buf.length;
    if (this.#retainedBytes > this.#caps.maxRetainedBytes) {
      // a flood: stop keeping what arrives, end the connection, and let every wait end now
      this.#flood = `the target sent more than ${this.#caps.maxRetainedBytes} bytes on this connection (${this.#inbound.length + 1} messages); the harness closed it with ${CLOSE_TOO_BIG} as a flood`;
      this.#note(this.#flood);
      try {
        this.#ws.close(CLOSE_TOO_BIG, 'flood');
      } catch {
        // already closing
      }
      setTimeout(() => this.#ws.terminate(), 200).unref();
      this.#notify();
      return;
    }
    const text = buf.toString('utf8');
    const t = this.#deps.transcript;
    const at = t.elapsed();
    if (isBinary) {
      t.add('ws-in', `(binary frame, ${buf.length} bytes) ${text}`, this.label);
      this.#inbound.push({ t: at, text, binary: true, error: 'binary frame (the protocol uses text frames)' });
      this.#notify();
      return;
    }
    const parsed = parseJson(text);
    if (!parsed.ok) {
      t.add('ws-in', `(unparsable: not JSON) ${text}`, this.label);
      this.#inbound.push({ t: at, text, binary: false, error: `not JSON: ${parsed.error}` });
    } else {
      const frame = AnyFrame.safeParse(parsed.value);
      if (!frame.success) {
        t.add('ws-in', `(unparsable: not a Pusher frame) ${text}`, this.label);
        this.#inbound.push({ t: at, text, binary: false, error: `not a frame: ${z.prettifyError(frame.error)}` });
      } else {
        t.add('ws-in', text, this.label);
        this.#inbound.push({ t: at, text, binary: false, frame: frame.data });
        this.#deps.departures?.frame(frame.data, this.label);
        this.#received.push({ frame: frame.data, t: at, seq: this.#received.length, consumed: false });
      }
    }
    this.#notify();
  }

  /** Resolves with test()'s first defined value, or undefined after `boundMs`. */
  /**
   * `test()` once it is defined, else undefined after the bound. `quiet`: the wait is a quiet
   * window (its whole length is recorded as one); otherwise only a bound that ran out is recorded.
   */
  #waitUntil<T>(test: () => T | undefined, boundMs: number, quiet = false): Promise<T | undefined> {
    const first = test();
    if (first !== undefined) return Promise.resolve(first);
    const started = performance.now();
    return new Promise<T | undefined>((resolve, reject) => {
      const signal = this.#deps.signal;
      const finish = (value: T | undefined, err?: Error) => {
        if (quiet) this.#deps.waits?.record('quiet', started);
        else if (value === undefined && err === undefined) this.#deps.waits?.record('timeout', started);
        clearTimeout(timer);
        this.#listeners.delete(listener);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(value);
      };
      const listener = () => {
        const v = test();
        if (v !== undefined) finish(v);
      };
      const onAbort = () => finish(undefined, new HarnessError('the case was aborted (time limit reached) while waiting'));
      const timer = setTimeout(() => finish(undefined), boundMs);
      this.#listeners.add(listener);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #findUnconsumed(match: FrameMatch): Received | undefined {
    return this.#received.find((r) => !r.consumed && matches(r.frame, match));
  }

  /** what did arrive, for failure messages */
  arrivals(): string {
    const lines: string[] = [];
    if (this.#received.length === 0) lines.push('no frames arrived');
    else {
      const shown = this.#received.slice(-8);
      const more = this.#received.length - shown.length;
      lines.push(`frames that did arrive${more > 0 ? ` (last ${shown.length} of ${this.#received.length})` : ''}: ${shown.map((r) => `${clip(JSON.stringify(r.frame), 300)}${r.consumed ? ' (already matched)' : ''}`).join(', ')}`);
    }
    const bad = this.#inbound.filter((i) => i.frame === undefined);
    if (bad.length > 0) lines.push(`${bad.length} message(s) that are not frames, e.g. ${clip(bad[0]!.text, 200)} (${bad[0]!.error})`);
    if (this.#flood !== undefined) lines.push(this.#flood);
    if (this.#httpRefusal) lines.push(`the upgrade was refused with HTTP ${this.#httpRefusal.status}`);
    else if (this.#closeInfo) lines.push(`the connection closed with ${this.#closeInfo.code}${this.#closeInfo.reason ? ` "${this.#closeInfo.reason}"` : ''}`);
    return lines.join('; ');
  }

  async #handshake(within?: number): Promise<void> {
    const url = this.#deps.url;
    if (this.#httpRefusal) {
      const r = this.#httpRefusal;
      const what = /html/i.test(r.contentType) || /^\s*</.test(r.body) ? ' with an HTML page (a proxy or web server, not a Pusher WebSocket endpoint?)' : r.body ? `: ${clip(r.body, 200)}` : '';
      throw new HarnessError(`could not connect: the WebSocket upgrade to ${url} was answered with HTTP ${r.status}${what}`);
    }
    const bound = this.#scale(within ?? Bounds.handshake);
    const got = await this.#waitUntil<Received | Closed>(
      () => this.#findUnconsumed({ event: Event.ConnectionEstablished }) ?? this.#findUnconsumed({ event: Event.Error }) ?? (this.#ended ? CLOSED : undefined),
      bound,
    );
    if (got === undefined) throw new HarnessError(`could not connect: no ${Event.ConnectionEstablished} within ${bound} ms of the upgrade (${this.arrivals()})`);
    if (got === CLOSED || got.frame.event === Event.Error) {
      let reason: string;
      if (got !== CLOSED) {
        const code = errorFrameCode(got.frame);
        const closed = await this.#waitUntil(() => (this.#ended ? true : undefined), this.#scale(Bounds.closeAfterError));
        reason = `${Event.Error} ${code ?? ''} ${clip(JSON.stringify(frameData(got.frame)), 200)}${closed && this.#closeInfo ? ` then close ${this.#closeInfo.code}` : ''}`;
        reason += explainCode(code);
      } else {
        const ci = this.#closeInfo;
        reason = ci ? `the server closed the connection with ${ci.code}${ci.reason ? ` "${ci.reason}"` : ''}${explainCode(ci.code)}` : 'the connection ended before the handshake';
      }
      throw new HarnessError(`could not connect: ${reason}`);
    }
    got.consumed = true;
    const checked = checkEstablished(got.frame);
    if (!checked.ok) throw new HarnessError(`could not connect: ${checked.problem}`);
    this.#established = { socket_id: checked.socketId, activity_timeout: checked.activityTimeout };
  }

  get socketId(): string {
    return this.#established?.socket_id ?? '';
  }
  get established(): { readonly socket_id: string; readonly activity_timeout: number } | undefined {
    return this.#established;
  }
  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }
  get closeInfo(): { readonly code: number; readonly reason: string } | undefined {
    return this.#closeInfo;
  }
  /** set when the server answered the upgrade with a plain HTTP response */
  get httpRefusal(): { readonly status: number; readonly body: string; readonly contentType: string } | undefined {
    return this.#httpRefusal;
  }
  /** the URL this client connected to */
  get url(): string {
    return this.#deps.url;
  }
  /** why the upgrade failed without an HTTP answer: no answer within the bound, or the connection dropped */
  get upgradeFailure(): 'timeout' | 'dropped' | undefined {
    return this.#upgradeFailure;
  }
  /** set when the target exceeded the inbound caps and the harness closed the connection */
  get flood(): string | undefined {
    return this.#flood;
  }

  send(frame: Record<string, unknown>): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, opts?: { binary?: boolean }): void {
    const text = typeof data === 'string' ? data : data.toString('utf8');
    if (this.#ws.readyState !== WebSocket.OPEN) {
      this.#deps.transcript.add('ws-out', `(not sent: connection not open) ${text}`, this.label);
      return;
    }
    this.#deps.transcript.add('ws-out', opts?.binary ? `(binary) ${text}` : text, this.label);
    this.#sentMark = this.#received.length;
    this.#ws.send(data, { binary: opts?.binary ?? false });
  }

  frames(): readonly AnyFrame[] {
    return this.#received.map((r) => r.frame);
  }

  /** every inbound message, frames and non-frames (binary, not JSON, no event) alike */
  inbound(): readonly Inbound[] {
    return [...this.#inbound];
  }

  async expectFrame<S extends z.ZodType>(schema: S, match: FrameMatch & Within = {}): Promise<z.output<S>> {
    const bound = this.#scale(match.within ?? Bounds.frame);
    const got = await this.#waitUntil<Received | Closed>(() => this.#findUnconsumed(match) ?? (this.#ended ? CLOSED : undefined), bound);
    const what = describeMatch(match);
    if (got === undefined || got === CLOSED) {
      const when = got === CLOSED ? 'before the connection ended' : `within ${bound} ms`;
      throw new ConformanceFailure([`${what} ${when}`], `no such frame ${when}; ${this.arrivals()}`);
    }
    got.consumed = true;
    const parsed = schema.safeParse(got.frame);
    if (!parsed.success) {
      throw new ConformanceFailure([`${what} valid against ${schemaName(schema)}`], `${clip(JSON.stringify(got.frame), 600)}: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  }

  async expectNoFrame(match: FrameMatch & Within): Promise<void> {
    const bound = this.#scale(match.within ?? Bounds.noFrame);
    const got = await this.#waitUntil(() => this.#findUnconsumed(match), bound, true);
    if (got !== undefined) {
      got.consumed = true;
      throw new ConformanceFailure([`no ${describeMatch(match)} within ${bound} ms`], `received ${clip(JSON.stringify(got.frame), 600)} at ${Math.round(got.t)} ms`);
    }
  }

  async waitFor(match: FrameMatch & Within): Promise<AnyFrame | undefined> {
    const bound = this.#scale(match.within ?? Bounds.frame);
    const got = await this.#waitUntil<Received | Closed>(() => this.#findUnconsumed(match) ?? (this.#ended ? CLOSED : undefined), bound);
    if (got === undefined || got === CLOSED) return undefined;
    got.consumed = true;
    return got.frame;
  }

  async subscribe(
    channel: string,
    opts: { auth?: string; channelData?: Record<string, unknown>; channelDataRaw?: string } & Within = {},
  ): Promise<SubscribeOutcome> {
    const kind = channelKind(channel);
    const data: Record<string, unknown> = { channel };
    let channelData: string | undefined = opts.channelDataRaw ?? (opts.channelData !== undefined ? JSON.stringify(opts.channelData) : undefined);
    if (channelData === undefined && kind.type === 'presence') channelData = JSON.stringify({ user_id: this.#deps.newUserId() });
    let auth = opts.auth;
    if (auth === undefined && kind.requiresAuth) {
      auth = signChannel({ key: this.#deps.key, secret: this.#deps.secret, socketId: this.socketId, channel, ...(channelData === undefined ? {} : { channelData }) });
    }
    // pusher-js sends auth "" for public channels
    data.auth = auth ?? '';
    if (channelData !== undefined) data.channel_data = channelData;
    const from = this.#received.length;
    this.send({ event: Event.Subscribe, data });

    const bound = this.#scale(opts.within ?? Bounds.frame);
    // the answer: frames that arrived after the subscribe, on this channel; a pusher:error counts
    // only when it validates and names this channel or none
    const got = await this.#waitUntil<Received | Closed>(
      () =>
        this.#received.find(
          (r) =>
            !r.consumed &&
            r.seq >= from &&
            ((r.frame.event === Event.SubscriptionSucceeded && r.frame.channel === channel) ||
              (r.frame.event === Event.SubscriptionError && r.frame.channel === channel) ||
              (isValidErrorFrame(r.frame) && (r.frame.channel === undefined || r.frame.channel === channel))),
        ) ?? (this.#ended ? CLOSED : undefined),
      bound,
    );
    if (got === undefined) return { ok: false, via: 'timeout' };
    if (got === CLOSED) return { ok: false, via: 'close', code: this.#closeInfo?.code ?? null };
    got.consumed = true;
    const f = got.frame;
    if (f.event === Event.SubscriptionSucceeded) return { ok: true, frame: f };
    if (f.event === Event.SubscriptionError) {
      const d = frameData(f);
      const status = typeof d === 'object' && d !== null && typeof (d as { status?: unknown }).status === 'number' ? (d as { status: number }).status : null;
      return { ok: false, via: 'subscription-error', code: status, frame: f };
    }
    return { ok: false, via: 'error-frame', code: errorFrameCode(f), frame: f };
  }

  async subscribeOk(channel: string, opts: { channelData?: Record<string, unknown> } & Within = {}): Promise<AnyFrame> {
    const outcome = await this.subscribe(channel, opts);
    if (outcome.ok) return outcome.frame;
    throw new ConformanceFailure([`${Event.SubscriptionSucceeded} for ${channel}`], describeSubscribeOutcome(outcome, this.arrivals()));
  }

  unsubscribe(channel: string): void {
    this.send({ event: Event.Unsubscribe, data: { channel } });
  }

  trigger(channel: string, event: string, data: unknown): void {
    this.send({ event, channel, data });
  }

  async signin(
    userData: Record<string, unknown>,
    opts: { auth?: string; userDataRaw?: string } & Within = {},
  ): Promise<{ ok: true; frame: AnyFrame } | { ok: false; signal?: ErrorSignal }> {
    const user_data = opts.userDataRaw ?? JSON.stringify(userData);
    const auth = opts.auth ?? signUser({ key: this.#deps.key, secret: this.#deps.secret, socketId: this.socketId, userData: user_data });
    const from = this.#received.length;
    this.send({ event: Event.Signin, data: { auth, user_data } });
    const bound = this.#scale(opts.within ?? Bounds.frame);
    const got = await this.#waitUntil<Received | Closed>(
      () => this.#received.find((r) => !r.consumed && r.seq >= from && (r.frame.event === Event.SigninSuccess || isValidErrorFrame(r.frame))) ?? (this.#ended ? CLOSED : undefined),
      bound,
    );
    if (got === undefined) return { ok: false };
    if (got === CLOSED) return { ok: false, signal: { via: 'close', code: this.#closeInfo?.code ?? 1006, reason: this.#closeInfo?.reason ?? '' } };
    got.consumed = true;
    if (got.frame.event === Event.SigninSuccess) return { ok: true, frame: got.frame };
    return { ok: false, signal: await this.#errorSignal(got) };
  }

  async #errorSignal(got: Received): Promise<ErrorSignal> {
    await this.#waitUntil(() => (this.#ended ? true : undefined), this.#scale(Bounds.closeAfterError));
    const code = errorFrameCode(got.frame);
    return this.#ended && this.#closeInfo
      ? { via: 'error-frame', code, frame: got.frame, thenClosed: this.#closeInfo.code }
      : { via: 'error-frame', code, frame: got.frame };
  }

  async expectErrorOrClose(opts: Within = {}): Promise<ErrorSignal> {
    const expected = [`a close with a ${ERROR_CODE_MIN}-${ERROR_CODE_MAX} code`, `${Event.Error} carrying a code (optionally followed by a close)`];
    if (this.#httpRefusal) throw new ConformanceFailure(expected, `the WebSocket upgrade was refused with HTTP ${this.#httpRefusal.status}: no close code and no ${Event.Error}`);
    const bound = this.#scale(opts.within ?? Bounds.close);
    // attributable: a valid pusher:error that arrived after the last frame this client sent
    const from = this.#sentMark;
    const got = await this.#waitUntil<Received | Closed>(() => this.#received.find((r) => !r.consumed && r.seq >= from && isValidErrorFrame(r.frame)) ?? (this.#ended ? CLOSED : undefined), bound);
    if (got === undefined) throw new ConformanceFailure(expected, `nothing within ${bound} ms: the connection is still open; ${this.arrivals()}`);
    if (got === CLOSED) {
      if (this.#httpRefusal) throw new ConformanceFailure(expected, `the WebSocket upgrade was refused with HTTP ${(this.#httpRefusal as { status: number }).status}`);
      return { via: 'close', code: this.#closeInfo?.code ?? 1006, reason: this.#closeInfo?.reason ?? '' };
    }
    got.consumed = true;
    return this.#errorSignal(got);
  }

  async expectClose(opts: Within = {}): Promise<{ code: number; reason: string }> {
    if (this.#httpRefusal) throw new ConformanceFailure(['a close frame'], `the WebSocket upgrade was refused with HTTP ${this.#httpRefusal.status}`);
    const bound = this.#scale(opts.within ?? Bounds.close);
    const closed = await this.#waitUntil(() => (this.#ended ? true : undefined), bound);
    if (!closed) throw new ConformanceFailure([`the connection closed within ${bound} ms`], `still open after ${bound} ms; ${this.arrivals()}`);
    return { code: this.#closeInfo?.code ?? 1006, reason: this.#closeInfo?.reason ?? '' };
  }

  async wsPing(opts: Within = {}): Promise<boolean> {
    if (!this.isOpen) return false;
    const payload = randomBytes(8);
    const seen = this.#pongs.length;
    this.#deps.transcript.add('ws-out', `(ping control frame ${payload.toString('hex')})`, this.label);
    this.#ws.ping(payload);
    const bound = this.#scale(opts.within ?? Bounds.wsPing);
    const got = await this.#waitUntil(() => (this.#pongs.slice(seen).some((p) => p.equals(payload)) ? true : this.#ended ? false : undefined), bound);
    return got === true;
  }

  async close(code?: number): Promise<void> {
    if (this.#ended) return;
    this.#closingByClient = true;
    try {
      this.#ws.close(code ?? 1000);
    } catch {
      this.#ws.terminate();
    }
    const done = await this.#waitUntil(() => (this.#ended ? true : undefined), 1000);
    if (!done) this.#ws.terminate();
  }

  terminate(): void {
    if (!this.#ended) this.#closingByClient = true;
    this.#ws.terminate();
  }
}

function explainCode(code: number | null | undefined): string {
  if (code === null || code === undefined) return '';
  if (code === ErrorCode.AppNotFound) return ' (unknown app key)';
  const def = errorCodeDef(code);
  return def ? ` (${def.meaning.replace(/\.$/, '').toLowerCase()})` : '';
}

export function describeSubscribeOutcome(outcome: SubscribeOutcome, arrivals?: string): string {
  if (outcome.ok) return `subscription_succeeded for ${outcome.frame.channel ?? '?'}`;
  switch (outcome.via) {
    case 'timeout':
      return `no answer to the subscribe${arrivals ? `; ${arrivals}` : ''}`;
    case 'close':
      return `the connection closed (${outcome.code ?? 'no code'})`;
    case 'error-frame':
      return `${Event.Error} ${outcome.code ?? 'without code'}: ${clip(JSON.stringify(outcome.frame), 300)}`;
    case 'subscription-error':
      return `${Event.SubscriptionError}: ${clip(JSON.stringify(outcome.frame), 300)}`;
  }
}

