/**
 * Pusher sends most `data` fields as a string that itself holds JSON. The codec below models that
 * once: parsing checks the wire form (a string) and the decoded form (the inner schema);
 * encoding produces the wire form.
 * @module
 */
import { z } from 'zod';
import { refineByContentSchema } from './refinements.ts';
import { JSON_MAX_DEPTH } from './limits.ts';

/**
 * The schema of the JSON held by each string-valued field below. The JSON Schema generator links
 * it (contentMediaType application/json + contentSchema), since a stock validator sees only a string.
 */
const contents = new WeakMap<z.ZodType, z.ZodType>();

/** The decoded-form schema of a JSON-in-a-string field made by `jsonString` or `jsonText`. */
export function jsonContentOf(schema: z.ZodType): z.ZodType | undefined {
  // `.meta()` and `.describe()` return a clone whose parent is the original
  for (let s: z.ZodType | undefined = schema; s; s = (s as unknown as { _zod: { parent?: z.ZodType } })._zod.parent) {
    const inner = contents.get(s);
    if (inner) return inner;
  }
  return undefined;
}

/** A string that JSON-parses to `inner`. Decodes on parse, encodes with `z.encode`. */
export function jsonString<T extends z.ZodType>(inner: T) {
  const codec = z.codec(z.string(), inner, {
    decode: (text, ctx) => {
      if (jsonDepthExceeds(text, JSON_MAX_DEPTH)) {
        ctx.issues.push({ code: 'invalid_format', format: 'json', input: text, message: `data nests arrays and objects deeper than ${JSON_MAX_DEPTH} levels` });
        return z.NEVER;
      }
      try {
        return JSON.parse(text) as z.input<T>;
      } catch {
        ctx.issues.push({ code: 'invalid_format', format: 'json', input: text, message: 'data is not a JSON string' });
        return z.NEVER;
      }
    },
    encode: (value) => JSON.stringify(value),
  });
  contents.set(codec, inner);
  return codec;
}

/**
 * A string holding JSON of `inner` that is kept as text: signed fields (`channel_data`,
 * `user_data`) must reach the verifier byte for byte, so parsing does not decode them. `checked`
 * (the strict schemas) also requires the text to decode to `inner`; `unchecked` (what a server
 * reads before verifying) leaves that to whoever verifies the signature.
 */
export function jsonText(inner: z.ZodType, mode: 'checked' | 'unchecked' = 'checked'): z.ZodString {
  const text =
    mode === 'checked'
      ? refineByContentSchema(z.string(), (s) => {
          const parsed = parseJson(s);
          return parsed.ok && inner.safeParse(parsed.value).success;
        }, 'must be a JSON text of its contentSchema')
      : z.string();
  contents.set(text, inner);
  return text;
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
  // nesting past JSON_MAX_DEPTH is refused unparsed: nothing downstream may recurse that deep
  if (jsonDepthExceeds(text, JSON_MAX_DEPTH)) return { ok: false, error: `arrays and objects nested deeper than ${JSON_MAX_DEPTH} levels` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

const BASE64_CHAR = '[A-Za-z0-9+/]';
/** Padded base64 of any length (RFC 4648 §4), as Buffer, tweetnacl-util and the SDKs write it. */
const PADDED_BASE64 = `(?:${BASE64_CHAR}{4})*(?:${BASE64_CHAR}{2}==|${BASE64_CHAR}{3}=)?`;

/** Padded base64 of exactly `bytes` bytes: a pattern that any JSON Schema validator checks too. */
export function base64OfBytes(bytes: number): z.ZodString {
  const tail = [``, `${BASE64_CHAR}{2}==`, `${BASE64_CHAR}{3}=`][bytes % 3];
  return z.string().regex(new RegExp(`^${BASE64_CHAR}{${Math.floor(bytes / 3) * 4}}${tail}$`), `must be padded base64 of ${bytes} bytes`);
}

/**
 * Padded base64 of at least `bytes` bytes, as a pattern and a minimum length. The length bound is
 * exact only when `bytes` is 3k+1 (then every padding of the shortest length decodes to enough).
 */
export function base64OfAtLeast(bytes: number): z.ZodString {
  if (bytes % 3 !== 1) throw new Error(`base64OfAtLeast(${bytes}): a character count states a byte minimum exactly only for 3k+1 bytes`);
  const chars = Math.ceil(bytes / 3) * 4;
  return z.string().regex(new RegExp(`^${PADDED_BASE64}$`), 'must be padded base64').min(chars, `must be base64 of at least ${bytes} bytes (${chars} characters)`);
}

/**
 * True when `text` opens more than `max` arrays/objects inside one another (outside strings).
 * One pass, no recursion, stops at the first level past `max`; says nothing about validity.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
