/**
 * WebSocket frame pages (one per frame, its lenient form on the same page) and the schema
 * catalogue (every published schema with an anchor equal to its id), from the zod registry's
 * metadata and the generated JSON Schemas.
 * @module
 */
import { clauseIds, clause } from '../../../spec/src/index.ts';
import { publishedSchemas, type SchemaMeta } from '../../../spec/src/registry.ts';
import '../../../spec/src/documents/index.ts';
import { wireExample } from './examples.ts';
import { fieldTable, nestedShapes, typeOf, type JsonSchema, type SchemaLink } from './json-schema-view.ts';
import { code, codeBlock, em, fileLink, heading, joined, link, list, mdxPage, p, strong, table, type Block } from './mdast.ts';
import { clauseUrl, file, route } from './routes.ts';

type Pages = Record<string, string>;

const LENIENT = 'Lenient';

/** Frame schemas grouped: the strict one and, where pusher-js accepts more, its lenient form. */
export function frameGroups(): { base: SchemaMeta; lenient?: SchemaMeta }[] {
  const frames = publishedSchemas.map((s) => s.meta).filter((m) => m.kind === 'frame');
  const ids = new Set(frames.map((m) => m.id));
  const groups: { base: SchemaMeta; lenient?: SchemaMeta }[] = [];
  for (const m of frames) {
    if (m.id.endsWith(LENIENT) && ids.has(m.id.slice(0, -LENIENT.length))) continue;
    const lenient = frames.find((l) => l.id === `${m.id}${LENIENT}`);
    groups.push(lenient ? { base: m, lenient } : { base: m });
  }
  return groups;
}

/** Where a schema id is documented: its frame page, or its anchor on the schema catalogue. */
export function schemaLinker(): SchemaLink {
  const page = new Map<string, string>();
  for (const g of frameGroups()) {
    page.set(g.base.id, route.frame(g.base.id));
    if (g.lenient) page.set(g.lenient.id, `${route.frame(g.base.id)}#lenient`);
  }
  return (id) => page.get(id) ?? route.schema(id);
}

function shapeTables(s: JsonSchema, schemas: Record<string, JsonSchema>, linkFor: SchemaLink, depth: 3 | 4): Block[] {
  return nestedShapes(s, schemas).flatMap((n) => [heading(depth, [code(n.path), ...(n.refId ? [' (', link(linkFor(n.refId), code(n.refId)), ')'] : [])]), fieldTable(n.schema, linkFor)]);
}

/** Fields whose type or requiredness differ between two schemas, in words. */
function differences(strict: JsonSchema, lenient: JsonSchema, linkFor: SchemaLink): Block {
  const props = (s: JsonSchema) => (s.properties ?? {}) as Record<string, JsonSchema>;
  const req = (s: JsonSchema) => new Set((s.required as string[] | undefined) ?? []);
  const names = [...new Set([...Object.keys(props(strict)), ...Object.keys(props(lenient))])];
  const rows = names.flatMap((n) => {
    const a = props(strict)[n];
    const b = props(lenient)[n];
    const same = JSON.stringify(a) === JSON.stringify(b) && req(strict).has(n) === req(lenient).has(n);
    if (same) return [];
    const show = (s: JsonSchema | undefined, r: boolean) => (s ? [...typeOf(s, linkFor), r ? ' (required)' : ' (optional)'] : ['absent']);
    return [[code(n), show(a, req(strict).has(n)), show(b, req(lenient).has(n))]];
  });
  return rows.length ? table(['field', 'strict (the spec)', 'lenient (pusher-js accepts)'], rows) : p(em('The two forms differ only in nested constraints; compare the tables.'));
}

function mentions(event: string | undefined): Block[] {
  if (!event) return [];
  const ids = clauseIds.filter((id) => clause(id).text.includes(event));
  return ids.length ? [p(strong('Clauses that name this frame:'), ' ', ...joined(ids.map((id) => link(clauseUrl(id), code(id)))))] : [];
}

function examples(id: string, schemas: Record<string, JsonSchema>): Block[] {
  const ex = wireExample(id, schemas);
  if (!ex) return [p(em('No generated example satisfies the schema; see the field table.'))];
  return [
    p('A generated frame (json-schema-faker, seed ', String(ex.seed), ') that the kit\'s schema accepts:'),
    codeBlock('json', ex.wire),
    ...(ex.decodedData !== undefined ? [p(code('data'), ' decoded:'), codeBlock('json', JSON.stringify(ex.decodedData, null, 2))] : []),
  ];
}

export function framePages(schemas: Record<string, JsonSchema>): Pages {
  const linkFor = schemaLinker();
  const out: Pages = {};
  const groups = frameGroups();
  groups.forEach((g, i) => {
    const s = schemas[g.base.id];
    if (!s) throw new Error(`website: frame ${g.base.id} is published but spec/generated/json-schema/${g.base.id}.json is missing (run npm run spec:generate)`);
    const body: Block[] = [
      heading(1, [code(g.base.event ?? g.base.id)]),
      p(g.base.description),
      list([
        ['Direction: ', g.base.direction ?? 'either'],
        ['Schema: ', code(g.base.id), ' (', fileLink(file.schema(g.base.id), 'JSON Schema'), ')'],
        ['Form: ', g.base.strictness === 'lenient' ? 'lenient (what pusher-js accepts)' : 'strict (what the spec says)'],
      ]),
      heading(2, ['Fields'], 'fields'),
      fieldTable(s, linkFor),
      ...shapeTables(s, schemas, linkFor, 3),
      heading(2, ['Wire example'], 'example'),
      ...examples(g.base.id, schemas),
      ...mentions(g.base.event),
    ];
    if (g.lenient) {
      const l = schemas[g.lenient.id];
      if (l) {
        body.push(
          heading(2, ['Lenient form'], 'lenient'),
          p(g.lenient.description, ' Schema ', code(g.lenient.id), ' (', fileLink(file.schema(g.lenient.id), 'JSON Schema'), '). A server that sends this form and not the strict one gets a warning, not a failure, unless a real client breaks.'),
          differences(s, l, linkFor),
          fieldTable(l, linkFor),
          ...shapeTables(l, schemas, linkFor, 3),
        );
      }
    }
    out[`docs/reference/frames/${g.base.id}.mdx`] = mdxPage({ title: g.base.event ?? g.base.id, sidebar_label: g.base.event ?? g.base.id, sidebar_position: i + 1 }, body);
  });
  const index: Block[] = [
    heading(1, ['WebSocket frames']),
    p('Every frame of protocol 7 in both directions. Each page has the field table rendered from the JSON Schema, the decoded form of ', code('data'), ' where it carries JSON inside a string, a wire example that validates, and the lenient form where pusher-js accepts more than the spec says. The same schemas make up the ', fileLink(file.asyncapi, 'AsyncAPI document'), '.'),
    table(['event', 'direction', 'schema', 'lenient form', 'description'], groups.map((g) => [
      link(route.frame(g.base.id), code(g.base.event ?? g.base.id)),
      g.base.direction ?? 'either',
      code(g.base.id),
      g.lenient ? link(`${route.frame(g.base.id)}#lenient`, code(g.lenient.id)) : '—',
      g.base.description,
    ])),
  ];
  out['docs/reference/frames/index.mdx'] = mdxPage({ title: 'WebSocket frames', sidebar_label: 'All frames', sidebar_position: 0 }, index);
  out['docs/reference/frames/_category_.json'] = JSON.stringify({ label: 'WebSocket frames', position: 2 }, null, 2) + '\n';
  return out;
}

export function schemasPage(schemas: Record<string, JsonSchema>): string {
  const linkFor = schemaLinker();
  const metas = new Map(publishedSchemas.map((s) => [s.meta.id, s.meta]));
  const body: Block[] = [
    heading(1, ['Schemas']),
    p('Every published JSON Schema (draft 2020-12), by id. Its ', code('$id'), ' is its download URL on this site. Frames have pages of their own.'),
  ];
  for (const [id, s] of Object.entries(schemas)) {
    const meta = metas.get(id);
    body.push(heading(2, [code(id)], id));
    body.push(p(meta?.description ?? String(s.description ?? ''), ' · kind ', code(meta?.kind ?? 'unregistered'), ' · ', fileLink(file.schema(id), 'download'), ...(meta?.kind === 'frame' ? [' · ', link(linkFor(id), 'frame page')] : [])));
    if (meta?.kind !== 'frame' && s.properties) body.push(fieldTable(s, linkFor), ...shapeTables(s, schemas, linkFor, 3));
  }
  return mdxPage({ title: 'Schemas', sidebar_position: 11 }, body);
}
