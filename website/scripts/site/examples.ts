/**
 * A wire example for each frame, generated from its JSON Schema with json-schema-faker (seeded, so
 * the pages are stable) and kept only if the kit's own zod schema accepts it. A field that carries
 * JSON inside a string gets an example of its decoded schema, serialised.
 * @module
 */
import { generateSync } from 'json-schema-faker';
import { publishedSchemas } from '../../../spec/src/registry.ts';
import { refId, type JsonSchema } from './json-schema-view.ts';

const MAX_SEEDS = 25;

/** Inline sibling `$ref`s and turn `contentSchema` fields into constants holding an example. */
function prepare(s: unknown, schemas: Record<string, JsonSchema>, seed: number, depth = 0): unknown {
  if (depth > 12) throw new Error('website: JSON Schema nesting deeper than 12 levels while building a wire example');
  if (Array.isArray(s)) return s.map((x) => prepare(x, schemas, seed, depth + 1));
  if (!s || typeof s !== 'object') return s;
  const o = s as JsonSchema;
  if (typeof o.$ref === 'string') {
    const target = schemas[refId(o.$ref)];
    if (!target) throw new Error(`website: $ref ${o.$ref} names no schema in spec/generated/json-schema`);
    const { $id: _i, $schema: _s, ...rest } = target;
    return prepare(rest, schemas, seed, depth + 1);
  }
  if (o.contentSchema && typeof o.contentSchema === 'object') {
    const inner = generateSync(prepare(o.contentSchema, schemas, seed, depth + 1) as never, { seed, alwaysFakeOptionals: true });
    return { type: 'string', const: JSON.stringify(inner) };
  }
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(o)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as JsonSchema).map(([pk, pv]) => [pk, prepare(pv, schemas, seed, depth + 1)])) : prepare(v, schemas, seed, depth + 1);
  return out;
}

export interface WireExample {
  /** the frame as it goes over the socket (one JSON text) */
  wire: string;
  /** `data` decoded, when the frame carries JSON inside a string */
  decodedData?: unknown;
  seed: number;
}

/** A validating example of schema `id`, or undefined when no seed up to MAX_SEEDS gives one. */
export function wireExample(id: string, schemas: Record<string, JsonSchema>): WireExample | undefined {
  const zod = publishedSchemas.find((p) => p.meta.id === id)?.schema;
  const json = schemas[id];
  if (!zod || !json) return undefined;
  const { $id: _i, $schema: _s, ...body } = json;
  for (let seed = 1; seed <= MAX_SEEDS; seed++) {
    const value = generateSync(prepare(body, schemas, seed) as never, { seed, alwaysFakeOptionals: false, optionalsProbability: 0 }) as Record<string, unknown>;
    if (!zod.safeParse(value).success) continue;
    const example: WireExample = { wire: JSON.stringify(value), seed };
    if (typeof value.data === 'string' && json.properties && (json.properties as JsonSchema).data && ((json.properties as JsonSchema).data as JsonSchema).contentSchema) {
      example.decodedData = JSON.parse(value.data);
    }
    return example;
  }
  return undefined;
}
