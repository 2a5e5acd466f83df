/**
 * The one error type of the protocol core and the one way it reaches a client.
 * @module
 */
import { Event } from '../../spec/src/events.ts';
import type { ErrorCode } from '../../spec/src/error-codes.ts';
import type { ClauseId } from '../../spec/src/clauses/index.ts';

/** Protocol versions from which a fatal error is a bare close code (no pusher:error first). */
const CLOSE_CODE_ONLY_FROM_PROTOCOL = 6;
/** RFC 6455: a close reason is at most 123 bytes of UTF-8. */
const MAX_CLOSE_REASON_BYTES = 123;

/** A protocol violation or refusal, with the clause that decides how the server answers it. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    /** null where the protocol defines no number (hosted Pusher sends `code: null` then) */
    readonly code: ErrorCode | null,
    message: string,
    readonly clause: ClauseId,
    /** fatal errors close the connection with `code`; the others leave it open */
    readonly fatal: boolean = false,
    /** the channel the error concerns, echoed as the frame's `channel` */
    readonly channel?: string,
  ) {
    super(message);
  }
}

/** What sendError needs from a connection. */
export interface ErrorTarget {
  /** the `protocol` query value the client announced (7 when it gave none we could read) */
  readonly protocol: number;
  /** `pusher:error` data is sent as a JSON string instead of an object (fault error-data-string) */
  readonly errorDataAsString: boolean;
  send(frame: object): void;
  close(code: number, reason: string): void;
}

/** The `pusher:error` frame for a non-fatal error. */
export function errorFrame(err: ProtocolError, dataAsString = false): object {
  const data = { code: err.code, message: err.message };
  return {
    event: Event.Error,
    ...(err.channel !== undefined ? { channel: err.channel } : {}),
    data: dataAsString ? JSON.stringify(data) : data,
  };
}

/**
 * Fatal errors close with their 4xxx code and no preceding frame (protocol >= 6); older protocols
 * get the `pusher:error` frame first. Non-fatal errors send `pusher:error` with data as an object.
 */
export function sendError(conn: ErrorTarget, err: ProtocolError): void {
  if (err.fatal && err.code !== null) {
    // clause: errors.fatal-close-code
    if (conn.protocol < CLOSE_CODE_ONLY_FROM_PROTOCOL) conn.send(errorFrame(err, conn.errorDataAsString));
    conn.close(err.code, closeReason(err.message));
    return;
  }
  // clause: errors.error-data-object
  conn.send(errorFrame(err, conn.errorDataAsString));
}

/** Truncate to the 123-byte limit of a close reason without splitting a character. */
export function closeReason(message: string): string {
  if (Buffer.byteLength(message) <= MAX_CLOSE_REASON_BYTES) return message;
  let out = '';
  for (const ch of message) {
    if (Buffer.byteLength(out + ch) > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
  }
  return out;
}
