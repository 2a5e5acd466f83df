/**
 * Every zod refinement (a `.refine` check: a function JSON Schema cannot run) inside a published
 * schema is made through spec/src/refinements.ts, which declares how the documents carry it, and
 * the generated documents do carry it: JSON Schema keywords stating the same rule, a link to the
 * decoded layer (contentSchema), or, for a rule nothing can state, a `zod-only:` $comment and a
 * description saying so, in the JSON Schema files and in the schemas of the AsyncAPI and OpenAPI
 * documents. The zod-only rules are listed here by name, so adding one is a visible decision.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { asyncApiDocument, jsonSchemas, openApiDocument } from '../src/documents/index.ts';
import { refinementsOf, ZOD_ONLY_COMMENT, type RefinementCarrier } from '../src/refinements.ts';
import { publishedSchemas } from '../src/registry.ts';

/** The rules only the kit's zod schemas check (none today: each is stated in JSON Schema). */
const ZOD_ONLY: readonly string[] = [];

interface Found {
  readonly schema: string;
  readonly message: string;
  readonly carrier: RefinementCarrier | undefined;
  /** the refined node: its own JSON Schema fragment must state the rule */
  readonly node: z.ZodType;
}

const isZod = (v: unknown): v is z.ZodType => typeof v === 'object' && v !== null && '_zod' in v;

/** Every zod node reachable from `root` (object shapes, items, options, inner types, pipes, lazies). */
function nodesOf(root: z.ZodType): z.ZodType[] {
  const seen = new Set<z.ZodType>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 64) return;
    if (isZod(value)) {
      if (seen.has(value)) return;
      seen.add(value);
      const def = (value as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
      for (const [key, child] of Object.entries(def)) {
        if (key === 'checks') continue;
        if (key === 'getter' && typeof child === 'function') visit((child as () => unknown)(), depth + 1);
        else visit(child, depth + 1);
      }
      return;
    }
    if (Array.isArray(value)) for (const v of value) visit(v, depth + 1);
    else if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) visit(v, depth + 1);
  };
  visit(root, 0);
  return [...seen];
}

const found: Found[] = publishedSchemas.flatMap(({ schema, meta }) => nodesOf(schema).flatMap((node) => refinementsOf(node).map((r) => ({ schema: meta.id, message: r.message, carrier: r.carrier, node }))));

const documents = {
  'JSON Schema files': JSON.stringify(jsonSchemas()),
  'asyncapi.json': JSON.stringify(asyncApiDocument('0.0.0')),
  'openapi.json': JSON.stringify(openApiDocument('0.0.0')),
};

describe('zod refinements', () => {
  it('the walk reaches the refinements the spec makes (the test can see them)', () => {
    const carriers = new Set(found.map((f) => f.carrier));
    expect(carriers.has('json-schema')).toBe(true);
    expect(carriers.has('content-schema')).toBe(true);
    expect(found.length).toBeGreaterThan(5);
  });

  it('are each declared with how the generated documents carry them', () => {
    const undeclared = found.filter((f) => f.carrier === undefined).map((f) => `${f.schema}: ${f.message}`);
    expect(undeclared, 'a .refine() made outside spec/src/refinements.ts is dropped from the JSON Schema without a word').toEqual([]);
  });

  it('the zod-only rules are exactly the listed ones', () => {
    expect([...new Set(found.filter((f) => f.carrier === 'zod-only').map((f) => f.message))].sort()).toEqual([...ZOD_ONLY].sort());
  });

  it.each(Object.entries(documents))('%s say which rules only zod checks', (_name, text) => {
    for (const message of ZOD_ONLY) {
      expect(text).toContain(JSON.stringify(`${ZOD_ONLY_COMMENT} ${message}`).slice(1, -1));
      expect(text).toContain(`checked by the kit's zod schemas only: ${message}`);
    }
  });

  it('state each json-schema rule in keywords on the refined node', () => {
    const schemas = jsonSchemas();
    for (const f of found.filter((x) => x.carrier === 'json-schema')) {
      // the keywords refineExpressed attached as metadata are in the node's generated fragment
      const fragment = JSON.stringify(schemas[f.schema]);
      const meta = (f.node as unknown as { meta(): Record<string, unknown> | undefined }).meta() ?? {};
      const keywords = Object.entries(meta).filter(([k]) => k !== 'description' && k !== 'id');
      expect(keywords.length, `${f.schema}: ${f.message}`).toBeGreaterThan(0);
      for (const [k, v] of keywords) expect(fragment, `${f.schema}: ${f.message}: ${k}`).toContain(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
    }
  });

  it('link each content-schema rule to the decoded layer', () => {
    const schemas = jsonSchemas();
    // the schema's document and every document it refers to (a refined node may sit in a referenced one)
    const closure = (id: string): string => {
      const seen = new Set<string>();
      const texts: string[] = [];
      for (let queue = [id], next = queue.shift(); next !== undefined; next = queue.shift()) {
        if (seen.has(next) || !schemas[next]) continue;
        seen.add(next);
        const text = JSON.stringify(schemas[next]);
        texts.push(text);
        for (const m of text.matchAll(/"\$ref":"([A-Za-z0-9]+)\.json"/g)) queue.push(m[1]!);
      }
      return texts.join('\n');
    };
    for (const id of new Set(found.filter((x) => x.carrier === 'content-schema').map((f) => f.schema))) {
      expect(closure(id), id).toMatch(/"contentMediaType":"application\/json","contentSchema":\{/);
    }
  });
});
