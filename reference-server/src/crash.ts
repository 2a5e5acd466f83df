/**
 * What the crash faults do: the reference server dies on the spot, as a server whose parser throws
 * on a malformed frame would. A process that serves (`pusher-conformance serve`) listens for
 * CRASH_EVENT and exits at once, without closing anything; an embedded server (inside the runner's
 * process) cannot take its host down, so there the connection that sent the input is dropped.
 * @module
 */
import type { Connection } from './connection.ts';

/** emitted on `process` when a crash fault fires; `serve` exits on it */
export const CRASH_EVENT = 'pusher-conformance:reference-server-crash';

export function crashServer(conn: Connection, reason: string): void {
  const emitter = process as NodeJS.EventEmitter;
  if (emitter.listenerCount(CRASH_EVENT) > 0) emitter.emit(CRASH_EVENT, reason);
  conn.ws.terminate();
}
