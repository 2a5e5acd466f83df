/** npm run docs:generate — rewrites website/docs/ (except hand-written pages) from spec/. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { protocolPages } from './protocol-pages.ts';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'reference');
rmSync(DOCS, { recursive: true, force: true });
const pages = protocolPages();
for (const [rel, content] of Object.entries(pages)) {
  mkdirSync(dirname(join(DOCS, rel)), { recursive: true });
  writeFileSync(join(DOCS, rel), content);
}
process.stdout.write(`wrote ${Object.keys(pages).length} pages to website/docs/reference/\n`);
