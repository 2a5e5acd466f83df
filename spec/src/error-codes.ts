/**
 * The catalogue of WebSocket error codes (4000–4399): name, meaning, range semantics, what
 * pusher-js does on receiving each one as a close code, and sources.
 * @module
 */
import type { SourceId } from './sources.ts';

/** Error codes by name. Import these; never write the number. */
export const ErrorCode = {
  TlsOnly: 4000,
  AppNotFound: 4001,
  AppDisabled: 4003,
  OverConnectionQuota: 4004,
  PathNotFound: 4005,
  InvalidVersionFormat: 4006,
  UnsupportedProtocol: 4007,
  NoProtocolVersion: 4008,
  Unauthorized: 4009,
  OverCapacity: 4100,
  ReconnectImmediately: 4200,
  PongNotReceived: 4201,
  ClosedAfterInactivity: 4202,
  ClientEventRejected: 4301,
  WatchlistTooLarge: 4302,
} as const;
export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCode = (typeof ErrorCode)[ErrorCodeName];

/** The four ranges of the protocol and what a client does with each. */
export const ErrorRange = {
  fatal: { min: 4000, max: 4099, meaning: 'do not reconnect with the same parameters' },
  backoff: { min: 4100, max: 4199, meaning: 'reconnect after a back-off of at least 1 s' },
  reconnect: { min: 4200, max: 4299, meaning: 'reconnect immediately' },
  other: { min: 4300, max: 4399, meaning: 'any other error' },
} as const;
export type ErrorRangeName = keyof typeof ErrorRange;

/** Lowest and highest code of the Pusher-defined space. */
export const ERROR_CODE_MIN = ErrorRange.fatal.min;
export const ERROR_CODE_MAX = ErrorRange.other.max;

/** The action pusher-js 8 takes on a close code (`getCloseAction` in its protocol module). */
export type PusherJsAction = 'tls_only' | 'refused' | 'backoff' | 'retry' | null;

export interface ErrorCodeDef {
  readonly code: number;
  readonly name: ErrorCodeName;
  readonly meaning: string;
  /** how the protocol uses it: as a WebSocket close code, or inside a `pusher:error` frame */
  readonly usedAs: 'close' | 'error-frame';
  readonly sources: readonly SourceId[];
}

export const errorCodes: readonly ErrorCodeDef[] = [
  { code: ErrorCode.TlsOnly, name: 'TlsOnly', usedAs: 'close', meaning: 'The application accepts only TLS connections; reconnect over wss://.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.AppNotFound, name: 'AppNotFound', usedAs: 'close', meaning: 'No application has the key in the connection path.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.AppDisabled, name: 'AppDisabled', usedAs: 'close', meaning: 'The application exists but is disabled.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.OverConnectionQuota, name: 'OverConnectionQuota', usedAs: 'close', meaning: 'The application has reached its concurrent connection quota.', sources: ['pusher-docs/websocket-protocol', 'soketify/connection'] },
  { code: ErrorCode.PathNotFound, name: 'PathNotFound', usedAs: 'close', meaning: 'The WebSocket path is not /app/{key}.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.InvalidVersionFormat, name: 'InvalidVersionFormat', usedAs: 'close', meaning: 'The version string in the query has an invalid format.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.UnsupportedProtocol, name: 'UnsupportedProtocol', usedAs: 'close', meaning: 'The client asked for a protocol version the server does not support.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.NoProtocolVersion, name: 'NoProtocolVersion', usedAs: 'close', meaning: 'The client supplied no protocol version.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.Unauthorized, name: 'Unauthorized', usedAs: 'close', meaning: 'The connection is not authorized (failed or missing sign-in, terminated by the application).', sources: ['pusher-docs/websocket-protocol', 'pusher-docs/authorized-connections'] },
  { code: ErrorCode.OverCapacity, name: 'OverCapacity', usedAs: 'close', meaning: 'The server is over capacity; reconnect after a back-off.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.ReconnectImmediately, name: 'ReconnectImmediately', usedAs: 'close', meaning: 'Generic: reconnect immediately.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.PongNotReceived, name: 'PongNotReceived', usedAs: 'close', meaning: 'The server sent a ping and no pong arrived in time.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.ClosedAfterInactivity, name: 'ClosedAfterInactivity', usedAs: 'close', meaning: 'Closed after a long inactivity of a client without ping support.', sources: ['pusher-docs/websocket-protocol'] },
  { code: ErrorCode.ClientEventRejected, name: 'ClientEventRejected', usedAs: 'error-frame', meaning: 'A client event was rejected (rate limit exceeded, not allowed); the connection stays open.', sources: ['pusher-docs/websocket-protocol', 'pusher-docs/events'] },
  { code: ErrorCode.WatchlistTooLarge, name: 'WatchlistTooLarge', usedAs: 'error-frame', meaning: 'The sign-in watchlist exceeded its limit; only the first entries were accepted and sign-in still succeeded.', sources: ['pusher-docs/watchlist-events'] },
];

export function errorRange(code: number): ErrorRangeName | undefined {
  for (const [name, range] of Object.entries(ErrorRange) as [ErrorRangeName, (typeof ErrorRange)[ErrorRangeName]][]) {
    if (code >= range.min && code <= range.max) return name;
  }
  return undefined;
}

/** pusher-js 8 `getCloseAction`: what a real client does when the server closes with `code`. */
export function pusherJsCloseAction(code: number): PusherJsAction {
  if (code < ERROR_CODE_MIN) return code >= 1002 && code <= 1004 ? 'backoff' : null;
  if (code === ErrorCode.TlsOnly) return 'tls_only';
  if (code < ErrorRange.backoff.min) return 'refused';
  if (code < ErrorRange.reconnect.min) return 'backoff';
  if (code < ErrorRange.other.min) return 'retry';
  return 'refused';
}

export function errorCodeDef(code: number): ErrorCodeDef | undefined {
  return errorCodes.find((d) => d.code === code);
}
