/**
 * Pusher sends most `data` fields as a string that itself holds JSON. The codec below models that
 * once: parsing checks the wire form (a string) and the decoded form (the inner schema);
 * encoding produces the wire form.
 * @module
 */
import { z } from 'zod';

/** A string that JSON-parses to `inner`. Decodes on parse, encodes with `z.encode`. */
export function jsonString<T extends z.ZodType>(inner: T) {
  return z.codec(z.string(), inner, {
    decode: (text, ctx) => {
      try {
        return JSON.parse(text) as z.input<T>;
      } catch {
        ctx.issues.push({ code: 'invalid_format', format: 'json', input: text, message: 'data is not a JSON string' });
        return z.NEVER;
      }
    },
    encode: (value) => JSON.stringify(value),
  });
}

/**
 * What pusher-js accepts: its decoder JSON-parses `data` when it is a string and keeps objects as
 * they are. The lenient schemas use this where servers differ; the strict ones use `jsonString`.
 */
export function stringOrObject<T extends z.ZodType>(inner: T) {
  return z.union([jsonString(inner), inner]);
}

/** Parse a raw text frame into a JSON value without throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
