/**
 * Rewrites of zod's JSON Schema output that keep its meaning and make it compile in strict,
 * independent validators (ajv strict mode, @cfworker/json-schema): spec/test/schema-validators.test.ts
 * checks every generated schema in both.
 * @module
 */
type JsonObject = Record<string, unknown>;

/** zod's names for string checks that it also writes as a `pattern`; validators know no such format. */
const ZOD_PATTERN_FORMATS = new Set(['starts_with', 'ends_with', 'includes']);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function rewrite(node: JsonObject): JsonObject {
  const out: JsonObject = { ...node };
  // `type: ["string", "number"]` (zod's union of primitives): ajv strict mode wants one type per schema
  if (Array.isArray(out.type)) {
    const types = out.type as string[];
    delete out.type;
    out.anyOf = [...types.map((type) => ({ type })), ...((out.anyOf as unknown[] | undefined) ?? [])];
  }
  // a record with enum keys lists them as required without declaring them (ajv strictRequired)
  if (Array.isArray(out.required) && isObject(out.additionalProperties)) {
    const properties: JsonObject = { ...((out.properties as JsonObject | undefined) ?? {}) };
    for (const key of out.required as string[]) if (!(key in properties)) properties[key] = out.additionalProperties;
    out.properties = properties;
  }
  if (typeof out.format === 'string' && ZOD_PATTERN_FORMATS.has(out.format) && typeof out.pattern === 'string') delete out.format;
  return out;
}

/** Keywords whose value maps names to schemas, and keywords whose value is data, not a schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const DATA_KEYWORDS = new Set(['const', 'enum', 'examples', 'default', 'required']);

/** The portable form of a generated schema, applied at every depth. */
export function portable<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s) => portable(s)) as T;
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(rewrite(schema))) {
    if (DATA_KEYWORDS.has(key)) out[key] = value;
    else if (SCHEMA_MAPS.has(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, portable(s)]));
    else out[key] = portable(value);
  }
  return out as T;
}
