import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clauseIds, errorCodes } from '../../spec/src/index.ts';
import { protocolPages } from '../scripts/protocol-pages.ts';

const DOCS = join(import.meta.dirname, '..', 'docs', 'reference');

describe('protocol reference pages', () => {
  const pages = protocolPages();

  it('are committed and up to date (npm run docs:generate leaves no diff)', () => {
    const stale = Object.entries(pages).filter(([rel, content]) => !existsSync(join(DOCS, rel)) || readFileSync(join(DOCS, rel), 'utf8') !== content);
    expect(stale.map(([rel]) => rel)).toEqual([]);
  });

  it('document every clause and every error code', () => {
    const all = Object.values(pages).join('\n');
    for (const id of clauseIds) expect(all).toContain(`\`${id}\``);
    for (const d of errorCodes) expect(pages['error-codes.md']).toContain(`| ${d.code} |`);
  });
});
