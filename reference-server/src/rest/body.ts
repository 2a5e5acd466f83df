/**
 * Reading a REST request body within bounds: a size cap (checked on Content-Length before a byte
 * is read, then on the bytes received), a deadline for the whole body, and a per-server budget of
 * bytes buffered by requests in flight, so that stalled or oversized requests cannot hold memory.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { RestStatus } from '../../../spec/src/rest/endpoints.ts';
import { RestError } from './http.ts';

const REQUEST_TIMEOUT = 408;
const SERVICE_UNAVAILABLE = 503;
/** Refusals before the body is read end the connection: its unread body is never drained. */
export const CLOSE_AFTER: Readonly<Record<string, string>> = { connection: 'close' };

/** Bytes buffered by every REST request of one server that is still reading its body. */
export class BodyBudget {
  #used = 0;
  constructor(readonly capacity: number) {}

  get used(): number {
    return this.#used;
  }

  tryReserve(bytes: number): boolean {
    if (this.#used + bytes > this.capacity) return false;
    this.#used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}

export interface BodyBounds {
  /** the largest legal body for this request */
  readonly maxBytes: number;
  /** ms from the first read to the last byte */
  readonly deadlineMs: number;
  readonly budget: BodyBudget;
}

/**
 * Read the whole body or throw a RestError: 413 too large, 408 too slow, 503 budget spent, 400 cut
 * short. The budget counts bodies still arriving; a complete body is handled synchronously, so its
 * bytes return to the budget as soon as it is in.
 */
export function readBoundedBody(req: IncomingMessage, bounds: BodyBounds): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > bounds.maxBytes) {
    // clause: limits.payload-size (refused on the declared length, before a byte is buffered)
    return Promise.reject(tooLarge(bounds.maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: RestError | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      bounds.budget.release(size);
      if (err) {
        chunks.length = 0;
        // the rest of the body is not wanted: stop reading it (the answer closes the connection)
        req.pause();
        reject(err);
        return;
      }
      resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > bounds.maxBytes) return finish(tooLarge(bounds.maxBytes));
      if (!bounds.budget.tryReserve(chunk.length)) {
        return finish(new RestError(SERVICE_UNAVAILABLE, 'Server busy: too many request bodies in flight; retry later', 'limits.payload-size', { ...CLOSE_AFTER, 'retry-after': '1' }));
      }
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(undefined);
    const onAbort = (): void => finish(new RestError(RestStatus.BadRequest, 'Request body cut short', 'rest.bad-request', CLOSE_AFTER));
    const timer = setTimeout(() => {
      finish(new RestError(REQUEST_TIMEOUT, `Request body not received within ${bounds.deadlineMs / 1000} s`, 'rest.bad-request', CLOSE_AFTER));
    }, bounds.deadlineMs);
    timer.unref();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}

function tooLarge(maxBytes: number): RestError {
  return new RestError(RestStatus.PayloadTooLarge, `Request body over ${maxBytes} bytes`, 'limits.payload-size', CLOSE_AFTER);
}
