/**
 * One client connection: sending, closing, liveness (ping/pong) and cleanup on close.
 * What the client's frames mean is decided in dispatch.ts.
 * @module
 */
import type { WebSocket } from 'ws';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { Event } from '../../spec/src/events.ts';
import type { AppRuntime } from './app-runtime.ts';
import { closeReason, sendError, type ErrorTarget, ProtocolError } from './errors.ts';

/** A connection whose unsent output exceeds this is a slow consumer and is closed. */
export const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;

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
  /** names of the channels this connection has joined */
  readonly subscriptions = new Set<string>();
  /** presence channel name → member key (String(user_id)) this connection joined as */
  readonly presenceKeys = new Map<string, string>();
  user: SignedInUser | undefined;
  /** send times (ms) of the client events accepted in the last second */
  readonly clientEventTimes: number[] = [];
  #lastActivity = Date.now();
  #pingSentAt: number | undefined;
  #livenessTimer: NodeJS.Timeout | undefined;
  #authTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    readonly ws: WebSocket,
    readonly app: AppRuntime,
    readonly socketId: string,
    readonly protocol: number,
    readonly hooks: ConnectionHooks,
  ) {
    ws.on('pong', () => this.touch());
    ws.on('close', () => this.#onClose());
    ws.on('error', () => this.#onClose());
  }

  get errorDataAsString(): boolean {
    return this.app.faults.has('error-data-string');
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Send one frame (an object, or text already serialized once for many receivers). */
  send(frame: object | string): void {
    if (this.#closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
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
    const check = (): void => {
      const now = Date.now();
      if (this.#pingSentAt !== undefined && this.#lastActivity >= this.#pingSentAt) this.#pingSentAt = undefined;
      if (this.#pingSentAt !== undefined) {
        // clause: connection.liveness-close-4201
        sendError(this, new ProtocolError(ErrorCode.PongNotReceived, 'Pong reply not received in time', 'connection.liveness-close-4201', true));
        return;
      }
      const idle = now - this.#lastActivity;
      if (idle < activityMs) {
        this.#livenessTimer = setTimeout(check, activityMs - idle);
        return;
      }
      // clause: connection.server-ping (either a pusher:pong or a protocol pong counts)
      this.#pingSentAt = now;
      this.send({ event: Event.Ping, data: {} });
      if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
      this.#livenessTimer = setTimeout(check, pongMs);
    };
    this.#livenessTimer = setTimeout(check, activityMs);
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

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#livenessTimer) clearTimeout(this.#livenessTimer);
    this.satisfyAuthorization();
    this.hooks.onClosed(this);
  }
}
