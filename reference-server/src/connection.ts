/**
 * One client connection: sending, closing, liveness (ping/pong) and cleanup on close.
 * What the client's frames mean is decided in dispatch.ts.
 * @module
 */
import type { WebSocket } from 'ws';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { Event } from '../../spec/src/events.ts';
import { SLOW_CONSUMER_UNSENT_BYTES } from '../../spec/src/limits.ts';
import type { AppRuntime } from './app-runtime.ts';
import { closeReason, sendError, type ErrorTarget, ProtocolError } from './errors.ts';
import { TimerWheel } from './timer-wheel.ts';

/** A connection whose unsent output exceeds this is a slow consumer and is closed (spec/src/limits.ts). */
export const SLOW_CONSUMER_BYTES = SLOW_CONSUMER_UNSENT_BYTES;
/** liveness deadlines are kept to this precision (one shared timer, not one per connection) */
const LIVENESS_RESOLUTION_MS = 50;

/** the Connection of a socket, for the listeners shared by every socket */
const CONNECTION = Symbol('connection');
type Attached = WebSocket & { [CONNECTION]?: Connection };
export const connectionOf = (ws: WebSocket): Connection | undefined => (ws as Attached)[CONNECTION];

// one function for every socket: a closure per socket would cost a context and a function each
function onPong(this: WebSocket): void {
  connectionOf(this)?.touch();
}
function onCloseOrError(this: WebSocket): void {
  connectionOf(this)?.closedBySocket();
}

const liveness = new TimerWheel<Connection>(LIVENESS_RESOLUTION_MS, (conn) => conn.checkLiveness());

/**
 * Frames sent to one connection within one tick leave in one write: its socket is corked at the
 * first and uncorked once the tick's work is done (a batch of ten events: one syscall, not ten).
 */
type Corkable = { cork(): void; uncork(): void; destroyed?: boolean };
const corked = new Set<Corkable>();
const uncorkAll = (): void => {
  for (const socket of corked) if (!socket.destroyed) socket.uncork();
  corked.clear();
};
function corkForThisTick(ws: WebSocket): void {
  // ws keeps its net.Socket in `_socket` (not in its typings)
  const socket = (ws as unknown as { _socket?: Corkable })._socket;
  if (socket === undefined || corked.has(socket)) return;
  if (corked.size === 0) process.nextTick(uncorkAll);
  socket.cork();
  corked.add(socket);
}

export interface SignedInUser {
  readonly id: string;
  /** the exact user_data string the client signed in with */
  readonly userData: string;
  readonly userInfo: Record<string, unknown> | undefined;
  readonly watchlist: readonly string[];
}

export interface ConnectionHooks {
  /** called once, when the socket has closed, to release channels and sign-in state */
  onClosed(conn: Connection): void;
}

export class Connection implements ErrorTarget {
  // the collections below are made on first use: most connections never subscribe, join a
  // presence channel or send a client event, and an empty Set or Map is not free
  #subscriptions: Set<string> | undefined;
  #presenceKeys: Map<string, string> | undefined;
  #clientEventTimes: number[] | undefined;
  user: SignedInUser | undefined;
  #lastActivity = Date.now();
  #pingSentAt: number | undefined;
  /** the liveness wheel's key for this connection's next check */
  #livenessAt: number | undefined;
  #activityMs = 0;
  #pongMs = 0;
  #authTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    readonly ws: WebSocket,
    readonly app: AppRuntime,
    readonly socketId: string,
    readonly protocol: number,
    readonly hooks: ConnectionHooks,
  ) {
    (ws as Attached)[CONNECTION] = this;
    ws.on('pong', onPong);
    ws.on('close', onCloseOrError);
    ws.on('error', onCloseOrError);
  }

  /** names of the channels this connection has joined */
  get subscriptions(): Set<string> {
    return (this.#subscriptions ??= new Set());
  }

  /** presence channel name → member key (String(user_id)) this connection joined as */
  get presenceKeys(): Map<string, string> {
    return (this.#presenceKeys ??= new Map());
  }

  /** send times (ms) of the client events accepted in the last second */
  get clientEventTimes(): number[] {
    return (this.#clientEventTimes ??= []);
  }

  get errorDataAsString(): boolean {
    return this.app.faults.has('error-data-string');
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Send one frame: an object, or text (or its UTF-8 bytes) serialized once for many receivers. */
  send(frame: object | string | Buffer): void {
    if (this.#closed || this.ws.readyState !== this.ws.OPEN) return;
    corkForThisTick(this.ws);
    if (Buffer.isBuffer(frame)) this.ws.send(frame, { binary: false });
    else this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    if (this.ws.bufferedAmount > SLOW_CONSUMER_BYTES) {
      // clause: robustness.isolation
      this.close(ErrorCode.OverCapacity, 'Slow consumer: too much unsent data');
    }
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, closeReason(reason));
    }
  }

  error(err: ProtocolError): void {
    sendError(this, err);
  }

  /** Any inbound message or pong proves the connection alive. */
  touch(): void {
    // clause: connection.any-message-is-activity
    this.#lastActivity = Date.now();
  }

  /** Start the activity timer: ping after activity_timeout of silence, close 4201 without a pong. */
  startLiveness(activityMs: number, pongMs: number): void {
    this.#activityMs = activityMs;
    this.#pongMs = pongMs;
    this.#scheduleLiveness(Date.now() + activityMs);
  }

  /** The liveness wheel's callback: ping after silence, close 4201 when a ping went unanswered. */
  checkLiveness(): void {
    this.#livenessAt = undefined;
    if (this.#closed) return;
    const now = Date.now();
    if (this.#pingSentAt !== undefined && this.#lastActivity >= this.#pingSentAt) this.#pingSentAt = undefined;
    if (this.#pingSentAt !== undefined) {
      // clause: connection.liveness-close-4201
      sendError(this, new ProtocolError(ErrorCode.PongNotReceived, 'Pong reply not received in time', 'connection.liveness-close-4201', true));
      return;
    }
    const idle = now - this.#lastActivity;
    if (idle < this.#activityMs) {
      this.#scheduleLiveness(now + this.#activityMs - idle);
      return;
    }
    // clause: connection.server-ping (either a pusher:pong or a protocol pong counts)
    this.#pingSentAt = now;
    this.send({ event: Event.Ping, data: {} });
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
    this.#scheduleLiveness(now + this.#pongMs);
  }

  #scheduleLiveness(at: number): void {
    if (this.#closed) return;
    this.#livenessAt = liveness.add(this, at);
  }

  /** Authorized connections: close with 4009 unless satisfyAuthorization() comes first. */
  requireAuthorization(timeoutMs: number): void {
    this.#authTimer = setTimeout(() => {
      // clause: signin.authorized-connections-timeout
      sendError(this, new ProtocolError(ErrorCode.Unauthorized, 'Connection not authorized within timeout', 'signin.authorized-connections-timeout', true));
    }, timeoutMs);
  }

  satisfyAuthorization(): void {
    if (this.#authTimer) clearTimeout(this.#authTimer);
    this.#authTimer = undefined;
  }

  /** the socket closed or failed (its shared listener calls this) */
  closedBySocket(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#livenessAt !== undefined) liveness.remove(this, this.#livenessAt);
    this.#livenessAt = undefined;
    this.satisfyAuthorization();
    this.hooks.onClosed(this);
  }
}
