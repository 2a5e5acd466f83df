/**
 * Field tables rendered from the generated JSON Schemas (spec/generated/json-schema/): one row
 * per property with its type, whether it is required and its constraints; nested objects, `$ref`s
 * and JSON-inside-a-string fields (`contentSchema`) become tables of their own.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { code, em, joined, link, table, type Block, type Inline } from './mdast.ts';
import { SPEC_GENERATED } from './paths.ts';

export type JsonSchema = { [key: string]: unknown };

/** Every generated JSON Schema by id (file name without `.json`), sorted by id. */
export function loadJsonSchemas(): Record<string, JsonSchema> {
  const dir = join(SPEC_GENERATED, 'json-schema');
  const out: Record<string, JsonSchema> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    out[f.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, f), 'utf8')) as JsonSchema;
  }
  return out;
}

/** `SubscribeData.json` or `#/components/schemas/SubscribeData` → `SubscribeData`. */
export function refId(ref: string): string {
  const last = ref.split('/').pop() ?? ref;
  return last.endsWith('.json') ? last.slice(0, -'.json'.length) : last;
}

const obj = (v: unknown): JsonSchema | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonSchema) : undefined);
const arr = (v: unknown): JsonSchema[] => (Array.isArray(v) ? v.filter((x): x is JsonSchema => !!obj(x)) : []);

export type SchemaLink = (schemaId: string) => string;

/** A short type description: `string`, `"pusher:subscribe"`, `array of string`, a linked `$ref`… */
export function typeOf(s: JsonSchema, linkFor: SchemaLink): Inline[] {
  if (typeof s.$ref === 'string') {
    const id = refId(s.$ref);
    return [link(linkFor(id), code(id))];
  }
  if ('const' in s) return [code(JSON.stringify(s.const))];
  if (Array.isArray(s.enum)) return ['one of ', ...joined(s.enum.map((e) => code(JSON.stringify(e))))];
  const union = arr(s.anyOf).length ? arr(s.anyOf) : arr(s.oneOf);
  if (union.length) return union.flatMap((u, i) => (i === 0 ? typeOf(u, linkFor) : [' or ', ...typeOf(u, linkFor)]));
  if (s.type === 'array') {
    const items = obj(s.items);
    return items ? ['array of ', ...typeOf(items, linkFor)] : ['array'];
  }
  if (s.type === 'string' && obj(s.contentSchema)) return ['string holding JSON ', em('(decoded below)')];
  if (Array.isArray(s.type)) return joined(s.type.map((t) => String(t)), ' or ');
  if (typeof s.type === 'string') return [s.type];
  return ['any JSON value'];
}

/** Constraints in words (lengths, patterns, bounds, formats). */
export function constraintsOf(s: JsonSchema): string[] {
  const out: string[] = [];
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  if (num('minLength') !== undefined) out.push(`at least ${num('minLength')} characters`);
  if (num('maxLength') !== undefined) out.push(`at most ${num('maxLength')} characters`);
  if (typeof s.pattern === 'string') out.push(`matches ${s.pattern}`);
  if (typeof s.format === 'string') out.push(`format ${s.format}`);
  if (num('minimum') !== undefined) out.push(`≥ ${num('minimum')}`);
  if (num('exclusiveMinimum') !== undefined) out.push(`> ${num('exclusiveMinimum')}`);
  if (num('maximum') !== undefined) out.push(`≤ ${num('maximum')}`);
  if (num('minItems') !== undefined) out.push(`at least ${num('minItems')} items`);
  if (num('maxItems') !== undefined) out.push(`at most ${num('maxItems')} items`);
  const names = obj(s.propertyNames);
  if (names) out.push(`keys: ${constraintsOf(names).join(', ') || String(names.type ?? 'any')}`);
  if (s.additionalProperties === false) out.push('no other properties');
  return out;
}

/** One row per property: field, type, required, notes. */
export function fieldTable(s: JsonSchema, linkFor: SchemaLink): Block {
  const props = obj(s.properties) ?? {};
  const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
  const rows = Object.entries(props).map(([name, raw]) => {
    const f = obj(raw) ?? {};
    const notes = [typeof f.description === 'string' ? f.description : '', ...constraintsOf(f)].filter(Boolean).join('; ');
    return [code(name), typeOf(f, linkFor), required.has(name) ? 'yes' : 'no', notes || '—'];
  });
  return table(['field', 'type', 'required', 'notes'], rows);
}

export interface NestedShape {
  /** where it sits, e.g. `data` or `data (decoded)` */
  path: string;
  schema: JsonSchema;
  /** set when it is a referenced schema of its own */
  refId?: string;
}

/** The object shapes under a schema's properties that deserve a table of their own. */
export function nestedShapes(s: JsonSchema, schemas: Record<string, JsonSchema>, prefix = ''): NestedShape[] {
  const out: NestedShape[] = [];
  for (const [name, raw] of Object.entries(obj(s.properties) ?? {})) {
    const f = obj(raw) ?? {};
    const path = `${prefix}${name}`;
    const content = obj(f.contentSchema);
    if (content) {
      const inner = typeof content.$ref === 'string' ? schemas[refId(content.$ref)] : content;
      if (inner && obj(inner.properties)) out.push({ path: `${path} (decoded JSON)`, schema: inner, ...(typeof content.$ref === 'string' ? { refId: refId(content.$ref) } : {}) });
      continue;
    }
    if (typeof f.$ref === 'string') {
      const target = schemas[refId(f.$ref)];
      if (target && obj(target.properties)) out.push({ path, schema: target, refId: refId(f.$ref) });
      continue;
    }
    if (obj(f.properties)) out.push({ path, schema: f }, ...nestedShapes(f, schemas, `${path}.`));
  }
  return out;
}
