#!/usr/bin/env node
// npm run build (and prepack): the package's JavaScript and declaration files in dist/.
// tsc rewrites the sources' relative `.ts` imports to `.js` in the JavaScript
// (rewriteRelativeImportExtensions) but keeps them in the declaration files; consumers'
// tsc under NodeNext or Bundler would then look for .ts files, so they are rewritten here too.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (r.status !== 0) {
  process.stderr.write(`build: tsc failed (${r.status ?? r.signal})\n`);
  process.exit(1);
}

// `from './x.ts'`, `import('./x.ts')`, `declare module './x.ts'`: relative specifiers only
const relativeTs = /(['"])(\.\.?\/[^'"\n]*?)\.ts\1/g;
let rewritten = 0;
for (const e of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || !e.name.endsWith('.d.ts')) continue;
  const file = join(e.parentPath, e.name);
  const text = readFileSync(file, 'utf8');
  const next = text.replace(relativeTs, (_, q, p) => `${q}${p}.js${q}`);
  if (next !== text) {
    writeFileSync(file, next);
    rewritten++;
  }
}
process.stdout.write(`build: dist/ written (${rewritten} declaration files had .ts specifiers rewritten)\n`);
