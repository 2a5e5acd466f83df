/**
 * REST endpoint and webhook pages, rendered from the generated OpenAPI 3.1 document: method,
 * path, parameters, bodies, status codes, signing; the webhook events from spec/src/webhooks.ts.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clausesByArea, WEBHOOK_CONTENT_TYPE, webhookEventNames } from '../../../spec/src/index.ts';
import { fieldTable, nestedShapes, refId, typeOf, type JsonSchema, type SchemaLink } from './json-schema-view.ts';
import { code, em, fileLink, heading, joined, link, mdxPage, p, strong, table, type Block, type Inline } from './mdast.ts';
import { SPEC_GENERATED } from './paths.ts';
import { clauseUrl, file, route } from './routes.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

export interface Endpoint {
  method: string;
  path: string;
  operationId: string;
  op: Obj;
}

export function loadOpenApi(): Obj {
  return JSON.parse(readFileSync(join(SPEC_GENERATED, 'openapi.json'), 'utf8')) as Obj;
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

export function endpoints(doc: Obj): Endpoint[] {
  const out: Endpoint[] = [];
  for (const [path, item] of Object.entries(o(doc.paths))) {
    for (const m of METHODS) {
      const op = o(o(item)[m]);
      if (!Object.keys(op).length) continue;
      if (typeof op.operationId !== 'string') throw new Error(`website: OpenAPI ${m.toUpperCase()} ${path} has no operationId (the page anchor)`);
      out.push({ method: m.toUpperCase(), path, operationId: op.operationId, op });
    }
  }
  return out;
}

/** Follows a local `#/components/...` reference. */
function deref(doc: Obj, v: unknown): Obj {
  const ref = o(v).$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return o(v);
  return ref.slice(2).split('/').reduce<Obj>((acc, k) => o(acc[k]), doc);
}

function bodyTables(schema: Obj, schemas: Record<string, JsonSchema>, linkFor: SchemaLink): Block[] {
  if (typeof schema.$ref === 'string') {
    const id = refId(schema.$ref);
    const s = schemas[id];
    if (!s) return [p(link(linkFor(id), code(id)))];
    return [p('Schema ', link(linkFor(id), code(id)), ' (', fileLink(file.schema(id), 'JSON Schema'), ')'), ...(s.properties ? [fieldTable(s, linkFor)] : []), ...nestedShapes(s, schemas).map((n) => fieldTable(n.schema, linkFor))];
  }
  return [p(...typeOf(schema as JsonSchema, linkFor))];
}

function parameterTable(doc: Obj, params: unknown[], linkFor: SchemaLink): Block {
  return table(['name', 'in', 'required', 'type', 'description'], params.map((raw) => {
    const prm = deref(doc, raw);
    return [code(String(prm.name)), String(prm.in), prm.required ? 'yes' : 'no', typeOf(o(prm.schema) as JsonSchema, linkFor), typeof prm.description === 'string' ? prm.description : '—'];
  }));
}

function responsesTable(doc: Obj, responses: Obj, linkFor: SchemaLink): Block {
  return table(['status', 'meaning', 'body'], Object.entries(responses).map(([status, raw]) => {
    const r = deref(doc, raw);
    const bodies = Object.entries(o(r.content)).map(([type, c]): Inline[] => [code(type), ': ', ...typeOf(o(o(c).schema) as JsonSchema, linkFor)]);
    return [strong(status), String(r.description ?? ''), bodies.length ? bodies.flatMap((b, i) => (i ? ['; ', ...b] : b)) : '—'];
  }));
}

export function restPage(doc: Obj, schemas: Record<string, JsonSchema>, linkFor: SchemaLink): string {
  const eps = endpoints(doc);
  const info = o(doc.info);
  const body: Block[] = [
    heading(1, ['REST API']),
    p(String(info.description ?? ''), ' Rendered from the ', fileLink(file.openapi, 'OpenAPI 3.1 document'), '.'),
    table(['method', 'path', 'operation', 'summary'], eps.map((e) => [code(e.method), code(e.path), link(route.endpoint(e.operationId), code(e.operationId)), String(e.op.summary ?? '')])),
  ];
  for (const e of eps) {
    body.push(heading(2, [code(`${e.method} ${e.path}`)], e.operationId));
    body.push(p(String(e.op.summary ?? ''), ' · operation ', code(e.operationId)));
    body.push(p(strong('Signed:'), ' ', 'every request carries the ', code('auth_*'), ' query parameters (', link(`${route.signing}#rest-signing`, 'REST request signing'), ').'));
    const params = Array.isArray(e.op.parameters) ? e.op.parameters : [];
    if (params.length) body.push(heading(3, ['Parameters']), parameterTable(doc, params, linkFor));
    const rb = o(e.op.requestBody);
    const content = Object.entries(o(rb.content));
    if (content.length) body.push(heading(3, ['Request body']), ...content.flatMap(([type, c]) => [p(code(type), rb.required ? ' (required)' : ' (optional)'), ...bodyTables(o(o(c).schema), schemas, linkFor)]));
    body.push(heading(3, ['Status codes']), responsesTable(doc, o(e.op.responses), linkFor));
  }
  const rest = clausesByArea().rest;
  if (rest.length) body.push(heading(2, ['Clauses'], 'clauses'), p(...joined(rest.map((c) => link(clauseUrl(c.id), code(c.id))))));
  return mdxPage({ title: 'REST API', sidebar_position: 3 }, body);
}

export function webhooksPage(doc: Obj, schemas: Record<string, JsonSchema>, linkFor: SchemaLink): string {
  const body: Block[] = [heading(1, ['Webhooks']), p('The server POSTs a signed JSON body (', code(WEBHOOK_CONTENT_TYPE), ') to the app\'s webhook URL. Events:'), p(...joined(webhookEventNames.map((n) => code(n))))];
  for (const [name, item] of Object.entries(o(doc.webhooks))) {
    for (const m of METHODS) {
      const op = o(o(item)[m]);
      if (!Object.keys(op).length) continue;
      body.push(heading(2, [code(`${m.toUpperCase()} (webhook ${name})`)], `webhook-${name}`), p(String(op.summary ?? '')));
      const params = Array.isArray(op.parameters) ? op.parameters : [];
      if (params.length) body.push(heading(3, ['Headers']), parameterTable(doc, params, linkFor));
      const content = Object.entries(o(o(op.requestBody).content));
      if (content.length) body.push(heading(3, ['Body']), ...content.flatMap(([, c]) => bodyTables(o(o(c).schema), schemas, linkFor)));
      body.push(heading(3, ['Responses']), responsesTable(doc, o(op.responses), linkFor));
    }
  }
  body.push(p('How the signature is computed: ', link(`${route.signing}#webhook-signing`, 'webhook signatures'), '.'));
  const wh = clausesByArea().webhooks;
  if (wh.length) body.push(heading(2, ['Clauses'], 'clauses'), p(...joined(wh.map((c) => link(clauseUrl(c.id), code(c.id))))));
  if (!Object.keys(o(doc.webhooks)).length) body.push(p(em('The OpenAPI document declares no webhooks.')));
  return mdxPage({ title: 'Webhooks', sidebar_position: 4 }, body);
}
