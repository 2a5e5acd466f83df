/**
 * JSON Schema for every published schema, generated from the zod registry. A field that carries
 * JSON inside a string is linked to the schema of its decoded form (contentMediaType
 * application/json + contentSchema); stock validators treat both as annotations and check only
 * the string, so the decoded schemas are published too, for a second validation step.
 * @module
 */
import { z } from 'zod';
import { jsonContentOf } from '../codec.ts';
import { publishedSchemas, schemaRegistry } from '../registry.ts';
import { portable } from './portable.ts';
// every module that publishes schemas, so the registry is complete
import '../identifiers.ts';
import '../frames/index.ts';
import '../rest/index.ts';
import '../webhooks.ts';
import '../auth-responses.ts';
import '../report.ts';
import '../bench.ts';

export type JsonSchemaTarget = 'draft-2020-12' | 'draft-07';
type JsonObject = Record<string, unknown>;

export const SCHEMA_BASE_URI = 'https://pusher-conformance.dev/schemas/';

const withoutDialect = ({ $schema: _ignored, ...rest }: JsonObject): JsonObject => rest;

function linkJsonStrings(target: JsonSchemaTarget, refUri: (id: string) => string) {
  return (ctx: { zodSchema: unknown; jsonSchema: JsonObject }) => {
    const inner = jsonContentOf(ctx.zodSchema as z.ZodType);
    if (!inner) return;
    const id = schemaRegistry.get(inner)?.id;
    ctx.jsonSchema.contentMediaType = 'application/json';
    ctx.jsonSchema.contentSchema = id ? { $ref: refUri(id) } : withoutDialect(z.toJSONSchema(inner, { io: 'input', target, unrepresentable: 'throw' }) as JsonObject);
    const said = typeof ctx.jsonSchema.description === 'string' ? `${ctx.jsonSchema.description} ` : '';
    ctx.jsonSchema.description = `${said}A string holding JSON${id ? ` of ${id}` : ''}: validate the decoded value against contentSchema as a second step.`;
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
    // a construct JSON Schema cannot state fails generation instead of becoming {} unseen
    unrepresentable: 'throw',
    override: linkJsonStrings(target, refUri) as never,
  }) as { schemas: Record<string, JsonObject> };
  const result: Record<string, JsonObject> = {};
  for (const id of Object.keys(out.schemas).sort()) {
    const schema = out.schemas[id]!;
    const meta = publishedSchemas.find((p) => p.meta.id === id)?.meta;
    result[id] = portable({ ...schema, $id: `${SCHEMA_BASE_URI}${id}.json`, title: id, ...(meta ? { description: meta.description } : {}) });
  }
  return result;
}

/** Strip the per-document keys so a schema can be embedded under components. */
export function embeddable(schema: JsonObject): JsonObject {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}
