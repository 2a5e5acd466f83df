/** The set of generated files and how to write or compare them. */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncApiDocument, jsonSchemas, openApiDocument } from '../src/documents/index.ts';
import { clause, clauseIds, errorCodes, ErrorRange, limits, profiles } from '../src/index.ts';
import * as vectors from '../src/crypto/vectors.ts';

export const GENERATED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated');

const text = (doc: unknown) => JSON.stringify(doc, null, 2) + '\n';

/** relative path → file content */
export function generatedFiles(version: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [id, schema] of Object.entries(jsonSchemas())) files[`json-schema/${id}.json`] = text(schema);
  files['asyncapi.json'] = text(asyncApiDocument(version));
  files['openapi.json'] = text(openApiDocument(version));
  // the registries as JSON, exported by the package as pusher-conformance/data/NAME.json
  files['data/clauses.json'] = text(clauseIds.map((id) => clause(id)));
  files['data/profiles.json'] = text(profiles);
  files['data/error-codes.json'] = text({ ranges: ErrorRange, codes: errorCodes });
  files['data/limits.json'] = text(limits);
  // key order fixed here: a module namespace's order differs between Node and vitest's loader
  files['data/vectors.json'] = text(Object.fromEntries(Object.entries(vectors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return files;
}

function listExisting(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

export function writeGenerated(files: Record<string, string>): void {
  rmSync(GENERATED_DIR, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    const path = join(GENERATED_DIR, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** files whose committed content differs, is missing, or should not exist */
export function staleGenerated(files: Record<string, string>): string[] {
  const stale = Object.entries(files)
    .filter(([rel, content]) => {
      const path = join(GENERATED_DIR, rel);
      return !existsSync(path) || readFileSync(path, 'utf8') !== content;
    })
    .map(([rel]) => rel);
  for (const rel of listExisting(GENERATED_DIR)) if (!(rel in files)) stale.push(rel);
  return stale;
}
