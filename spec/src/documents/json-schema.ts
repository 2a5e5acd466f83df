/**
 * JSON Schema for every published schema, generated from the zod registry. Fields that carry
 * JSON inside a string are annotated with contentMediaType/contentSchema (annotations only:
 * a plain JSON Schema validator does not decode them; the kit's zod codecs do).
 * @module
 */
import { z } from 'zod';
import { publishedSchemas, schemaRegistry } from '../registry.ts';
// every module that publishes schemas, so the registry is complete
import '../identifiers.ts';
import '../frames/index.ts';
import '../rest/index.ts';
import '../webhooks.ts';
import '../auth-responses.ts';
import '../report.ts';

export type JsonSchemaTarget = 'draft-2020-12' | 'draft-07';
type JsonObject = Record<string, unknown>;

export const SCHEMA_BASE_URI = 'https://pusher-conformance.dev/schemas/';

function isJsonStringCodec(schema: z.ZodType): z.ZodType | undefined {
  const def = (schema as unknown as { _zod: { def: { type: string; in?: z.ZodType; out?: z.ZodType } } })._zod.def;
  if (def.type !== 'pipe' || !def.in || !def.out) return undefined;
  const inType = (def.in as unknown as { _zod: { def: { type: string } } })._zod.def.type;
  return inType === 'string' ? def.out : undefined;
}

function annotateJsonStrings(target: JsonSchemaTarget) {
  return (ctx: { zodSchema: unknown; jsonSchema: JsonObject }) => {
    const inner = isJsonStringCodec(ctx.zodSchema as z.ZodType);
    if (!inner) return;
    const { $schema: _ignored, ...content } = z.toJSONSchema(inner, { io: 'input', target, unrepresentable: 'any' }) as JsonObject;
    ctx.jsonSchema.contentMediaType = 'application/json';
    ctx.jsonSchema.contentSchema = content;
  };
}

/**
 * One JSON Schema document per registered schema id, in wire (input) form. References between
 * them use `refUri(id)`: sibling files by default, `#/components/schemas/{id}` when embedded.
 */
export function jsonSchemas(target: JsonSchemaTarget = 'draft-2020-12', refUri: (id: string) => string = (id) => `${id}.json`): Record<string, JsonObject> {
  const out = z.toJSONSchema(schemaRegistry, {
    io: 'input',
    target,
    uri: refUri,
    unrepresentable: 'any',
    override: annotateJsonStrings(target) as never,
  }) as { schemas: Record<string, JsonObject> };
  const result: Record<string, JsonObject> = {};
  for (const id of Object.keys(out.schemas).sort()) {
    const schema = out.schemas[id]!;
    const meta = publishedSchemas.find((p) => p.meta.id === id)?.meta;
    result[id] = { ...schema, $id: `${SCHEMA_BASE_URI}${id}.json`, title: id, ...(meta ? { description: meta.description } : {}) };
  }
  return result;
}

/** Strip the per-document keys so a schema can be embedded under components. */
export function embeddable(schema: JsonObject): JsonObject {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}
