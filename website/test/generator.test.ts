/**
 * The committed site pages and data (docs/reference, docs/cases, docs/results, src/data/generated)
 * are what the generator makes from spec/, suites/ and reports/ now: regenerate into a temp dir and
 * compare, so a spec, case or report change without `npm run docs:generate` fails.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clauseIds } from '../../spec/src/index.ts';
import { jsonSchemas } from '../../spec/src/documents/index.ts';
import { allCases } from '../../suites/src/cases/index.ts';
import { ownedFiles, staleContent, writeSite } from '../scripts/generate-docs.ts';
import { siteFiles } from '../scripts/site/index.ts';
import { WEBSITE } from '../scripts/site/paths.ts';
import { DEFAULT_SITE_URL, file } from '../scripts/site/routes.ts';

const tmp = mkdtempSync(join(tmpdir(), 'site-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('site generator', () => {
  it('regenerates exactly the committed pages and data (run npm run docs:generate if not)', { timeout: 60_000 }, async () => {
    const site = await siteFiles();
    writeSite(tmp, site.content, ['content']);
    const written = ownedFiles(tmp, 'content');
    expect(written.sort()).toEqual(Object.keys(site.content).sort());
    const differ = written.filter((rel) => {
      try {
        return readFileSync(join(WEBSITE, rel), 'utf8') !== readFileSync(join(tmp, rel), 'utf8');
      } catch {
        return true;
      }
    });
    expect([...differ, ...staleContent(WEBSITE, site.content)].filter((v, i, a) => a.indexOf(v) === i)).toEqual([]);
  });

  it('gives every clause and case an anchor and serves every schema at its $id', { timeout: 60_000 }, async () => {
    const site = await siteFiles();
    const pages = Object.values(site.content).join('\n');
    for (const id of clauseIds) expect(pages, id).toContain(`{/* #${id} */}`);
    for (const c of allCases()) expect(pages, c.case.id).toContain(`{/* #${c.case.id} */}`);
    for (const [id, schema] of Object.entries(jsonSchemas())) {
      expect(schema.$id).toBe(`${DEFAULT_SITE_URL}${file.schema(id)}`);
      expect(site.static[`static${file.schema(id)}`], id).toBeDefined();
    }
  });
});
