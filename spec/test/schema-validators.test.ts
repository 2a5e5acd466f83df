/**
 * Every generated JSON Schema (spec/generated/json-schema/*.json, and the schemas embedded in
 * asyncapi.json and openapi.json) compiles in ajv strict mode and in @cfworker/json-schema, two
 * independent validators, each in the document's own dialect (2020-12; AsyncAPI 3.0's default
 * schema format is draft-07). Both then judge real traffic the same way: the committed crypto
 * vectors (REST bodies, webhooks, channel_data, user_data, encrypted payloads) and the frames,
 * requests and webhooks recorded in the committed reports' transcripts (the reference server and
 * soketi). Whatever the kit's zod schema accepts, the JSON Schema accepts too (it may accept more
 * only through a refinement spec/test/refinements.test.ts lists).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator, type SchemaDraft } from '@cfworker/json-schema';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { publishedSchemas } from '../src/registry.ts';
import '../src/documents/json-schema.ts';

type JsonObject = Record<string, unknown>;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GENERATED = join(ROOT, 'spec', 'generated');
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8')) as unknown;

/** transcript samples per (schema, source): enough variety, bounded time */
const SAMPLES_PER_SCHEMA = 40;

// --- the schema sets ----------------------------------------------------------------------------

interface SchemaSet {
  readonly name: string;
  readonly draft: SchemaDraft;
  /** schema id → a schema that validates against it (with every sibling reachable by $ref) */
  readonly ids: readonly string[];
  readonly ajv: (id: string) => ValidateFunction;
  readonly cfworker: (id: string) => Validator;
}

function standalone(): SchemaSet {
  const dir = join(GENERATED, 'json-schema');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const schemas = Object.fromEntries(files.map((f) => [f.replace(/\.json$/, ''), readJson(join(dir, f)) as JsonObject]));
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  for (const s of Object.values(schemas)) ajv.addSchema(s);
  const validators = new Map<string, Validator>();
  return {
    name: 'spec/generated/json-schema',
    draft: '2020-12',
    ids: Object.keys(schemas),
    ajv: (id) => {
      const fn = ajv.getSchema(schemas[id]!.$id as string);
      if (!fn) throw new Error(`ajv has no schema ${id}`);
      return fn;
    },
    cfworker: (id) => {
      let v = validators.get(id);
      if (!v) {
        // fresh copies: cfworker keys what it dereferences on the schema objects themselves
        v = new Validator(structuredClone(schemas[id]!), '2020-12', false);
        for (const [other, s] of Object.entries(schemas)) if (other !== id) v.addSchema(structuredClone(s));
        validators.set(id, v);
      }
      return v;
    },
  };
}

/**
 * The component schemas of an AsyncAPI or OpenAPI document, each as a standalone schema whose
 * $defs are the document's components (refs `#/components/schemas/X` become `#/$defs/X`).
 */
function embedded(file: string, draft: SchemaDraft): SchemaSet {
  const doc = readJson(join(GENERATED, file)) as { components: { schemas: Record<string, JsonObject> } };
  const text = JSON.stringify(doc.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/');
  // a fresh copy per wrapper: cfworker keys what it dereferences on the schema objects themselves
  const defs = (): Record<string, JsonObject> => JSON.parse(text) as Record<string, JsonObject>;
  const wrap = (id: string): JsonObject => ({ ...(draft === '2020-12' ? { $schema: 'https://json-schema.org/draft/2020-12/schema' } : { $schema: 'http://json-schema.org/draft-07/schema#' }), $id: `urn:pusher-conformance:${file}:${id}`, $defs: defs(), $ref: `#/$defs/${id}` });
  const ajv = draft === '2020-12' ? new Ajv2020({ strict: true }) : new Ajv({ strict: true });
  const compiled = new Map<string, ValidateFunction>();
  const validators = new Map<string, Validator>();
  return {
    name: file,
    draft,
    ids: Object.keys(defs()),
    ajv: (id) => {
      let fn = compiled.get(id);
      if (!fn) compiled.set(id, (fn = ajv.compile(wrap(id))));
      return fn;
    },
    cfworker: (id) => {
      let v = validators.get(id);
      if (!v) validators.set(id, (v = new Validator(wrap(id), draft, false)));
      return v;
    },
  };
}

const sets: readonly SchemaSet[] = [standalone(), embedded('openapi.json', '2020-12'), embedded('asyncapi.json', '7')];

// --- the samples ----------------------------------------------------------------------------------

interface Sample {
  readonly schema: string;
  readonly source: string;
  readonly value: unknown;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

function vectorSamples(): Sample[] {
  const v = readJson(join(GENERATED, 'data', 'vectors.json')) as Record<string, unknown>;
  const out: Sample[] = [];
  const list = (k: string) => (Array.isArray(v[k]) ? (v[k] as JsonObject[]) : []);
  for (const r of list('restVectors')) {
    const body = typeof r.body === 'string' ? parse(r.body) : undefined;
    const path = String(r.path ?? '');
    if (body !== undefined && path.endsWith('/events')) out.push({ schema: 'TriggerRequest', source: `vectors ${String(r.id)}`, value: body });
    if (body !== undefined && path.endsWith('/batch_events')) out.push({ schema: 'BatchRequest', source: `vectors ${String(r.id)}`, value: body });
  }
  for (const r of list('webhookVectors')) if (typeof r.body === 'string') out.push({ schema: 'WebhookBody', source: `vectors ${String(r.id)}`, value: parse(r.body) });
  for (const r of [...list('channelAuthVectors'), v.docsPresenceErratum as JsonObject]) if (typeof r?.channelData === 'string') out.push({ schema: 'ChannelData', source: `vectors ${String(r.id)}`, value: parse(r.channelData) });
  for (const r of list('userAuthVectors')) if (typeof r.userData === 'string') out.push({ schema: 'UserData', source: `vectors ${String(r.id)}`, value: parse(r.userData) });
  for (const r of list('secretboxVectors')) if (typeof r.data === 'string') out.push({ schema: 'EncryptedPayload', source: `vectors ${String(r.id)}`, value: parse(r.data) });
  return out.filter((s) => s.value !== undefined);
}

/** frame schemas by wire event name, from the registry's metadata */
const frameSchemasByEvent = new Map<string, string[]>();
for (const { meta } of publishedSchemas) if (meta.kind === 'frame' && meta.event) frameSchemasByEvent.set(meta.event, [...(frameSchemasByEvent.get(meta.event) ?? []), meta.id]);

function frameSchemas(frame: JsonObject, inbound: boolean): string[] {
  const event = typeof frame.event === 'string' ? frame.event : '';
  const named = frameSchemasByEvent.get(event);
  if (named) return ['AnyFrame', ...named];
  if (event.startsWith('client-')) return ['AnyFrame', ...(inbound ? ['RelayedClientEventFrame'] : ['ClientEventFrame', 'ClientEventFrameLenient'])];
  return inbound ? ['AnyFrame', 'ChannelEventFrame', 'ChannelEventFrameLenient'] : ['AnyFrame'];
}

/** POST paths of the REST API and the request schema of each */
const REQUEST_SCHEMAS: readonly [RegExp, string][] = [
  [/^POST \/apps\/[^/]+\/events\?\S* /, 'TriggerRequest'],
  [/^POST \/apps\/[^/]+\/batch_events\?\S* /, 'BatchRequest'],
];

function transcriptSamples(): Sample[] {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const out: Sample[] = [];
  const add = (schema: string, source: string, text: string) => {
    const key = `${schema}\u0000${text}`;
    const n = counts.get(`${schema}\u0000${source}`) ?? 0;
    if (seen.has(key) || n >= SAMPLES_PER_SCHEMA) return;
    const value = parse(text);
    if (value === undefined) return;
    seen.add(key);
    counts.set(`${schema}\u0000${source}`, n + 1);
    out.push({ schema, source, value });
  };
  for (const impl of ['reference', 'soketi']) {
    const file = join(ROOT, 'reports', impl, 'report.json');
    if (!existsSync(file)) continue;
    const report = readJson(file) as { cases: { transcript: { kind: string; text: string }[] }[] };
    const source = `reports/${impl}`;
    for (const c of report.cases) {
      for (const e of c.transcript) {
        if (e.kind === 'ws-in' || e.kind === 'ws-out') {
          const frame = parse(e.text);
          if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) continue;
          for (const schema of frameSchemas(frame as JsonObject, e.kind === 'ws-in')) add(schema, source, e.text);
        } else if (e.kind === 'http-out') {
          for (const [re, schema] of REQUEST_SCHEMAS) {
            const m = re.exec(e.text);
            if (m) add(schema, source, e.text.slice(m[0].length));
          }
        } else if (e.kind === 'webhook') {
          // `{event} (body {whole body})`: the body is the signed document
          const body = /\(body (\{[^]*\})\)$/.exec(e.text)?.[1];
          if (body) add('WebhookBody', source, body);
        }
      }
    }
  }
  return out;
}

const samples = [...vectorSamples(), ...transcriptSamples()];
const zodById = new Map(publishedSchemas.map((p) => [p.meta.id, p.schema]));

// --- tests ----------------------------------------------------------------------------------------

describe.each(sets)('$name', (set) => {
  it(`every schema compiles in ajv (strict, draft ${set.draft}) and in @cfworker/json-schema`, () => {
    const problems: string[] = [];
    for (const id of set.ids) {
      try {
        set.ajv(id);
      } catch (e) {
        problems.push(`${id}: ajv: ${(e as Error).message}`);
      }
      try {
        // cfworker dereferences on construction and on first use
        set.cfworker(id).validate({});
      } catch (e) {
        problems.push(`${id}: cfworker: ${(e as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    expect(set.ids.length).toBeGreaterThan(50);
  });

  it('both validators judge every vector and every recorded frame, request and webhook the same way', () => {
    const relevant = samples.filter((s) => set.ids.includes(s.schema));
    expect(relevant.length).toBeGreaterThan(50);
    const disagreements: string[] = [];
    for (const s of relevant) {
      const a = set.ajv(s.schema)(s.value);
      const c = set.cfworker(s.schema).validate(s.value).valid;
      if (a !== c) disagreements.push(`${s.schema} (${s.source}): ajv ${a}, cfworker ${c}: ${JSON.stringify(s.value).slice(0, 200)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('accepts whatever the zod schema accepts', () => {
    const missed: string[] = [];
    for (const s of samples) {
      const zod = zodById.get(s.schema);
      if (!zod || !set.ids.includes(s.schema) || !zod.safeParse(s.value).success) continue;
      if (!set.ajv(s.schema)(s.value)) missed.push(`${s.schema} (${s.source}): ${JSON.stringify(set.ajv(s.schema).errors?.[0])}: ${JSON.stringify(s.value).slice(0, 200)}`);
    }
    expect(missed).toEqual([]);
  });
});

describe('the samples', () => {
  it('cover the vectors and the frames and requests of the committed reports', () => {
    const bySchema = new Set(samples.map((s) => s.schema));
    // reports keep the transcripts of the cases that did not pass (--transcripts failures), so
    // only what every transcript holds is required from them
    for (const id of ['TriggerRequest', 'WebhookBody', 'ChannelData', 'UserData', 'EncryptedPayload', 'AnyFrame', 'ConnectionEstablishedFrame', 'SubscribeFrame', 'ChannelEventFrame']) expect(bySchema, id).toContain(id);
    const sources = new Set(samples.map((s) => s.source.split(' ')[0]!));
    expect(sources).toContain('vectors');
    expect([...sources].filter((s) => s.startsWith('reports/')).length).toBeGreaterThan(0);
  });

  it('include values the strict schemas refuse, so agreement is not only on valid input', () => {
    const std = sets[0]!;
    const refused = samples.filter((s) => std.ids.includes(s.schema) && !std.ajv(s.schema)(s.value));
    expect(refused.length).toBeGreaterThan(0);
  });
});
