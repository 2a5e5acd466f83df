/**
 * Small node:http helpers for the REST API: bounded body reading, JSON and text answers, and the
 * error type every handler throws.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { RestStatus } from '../../../spec/src/rest/endpoints.ts';
import type { ClauseId } from '../../../spec/src/clauses/index.ts';
import { parseJson } from '../../../spec/src/codec.ts';

/** An HTTP answer other than 200; the message is sent as a plain-text body. */
export class RestError extends Error {
  override readonly name = 'RestError';
  constructor(
    readonly status: number,
    message: string,
    readonly clause: ClauseId,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Read the whole body, or undefined once it grows past `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflow = false;
    req.on('data', (chunk: Buffer) => {
      if (overflow) return;
      size += chunk.length;
      if (size > maxBytes) {
        overflow = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(overflow ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, body: unknown, status: number = RestStatus.Ok): void {
  const text = JSON.stringify(body);
  // clause: rest.json-response
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Parse a JSON body with a spec schema; 400 with the first issue's path and message otherwise. */
export function parseJsonBody<T extends z.ZodType>(schema: T, body: Buffer): z.output<T> {
  // bounded depth: nothing downstream walks a body nested past JSON_MAX_DEPTH
  const json = parseJson(body.toString('utf8'));
  // clause: rest.bad-request
  if (!json.ok) throw new RestError(RestStatus.BadRequest, `Invalid JSON body: ${json.error}`, 'rest.bad-request');
  const value = json.value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : '(body)';
    throw new RestError(RestStatus.BadRequest, `Invalid request body at ${path}: ${issue?.message ?? 'invalid'}`, 'rest.bad-request');
  }
  return parsed.data as z.output<T>;
}
