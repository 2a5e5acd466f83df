/**
 * npm run docs:generate (also run by npm run spec:generate and npm run site:build): writes the
 * site's pages and data from spec/, suites/ and reports/ into website/.
 *
 *   tsx website/scripts/generate-docs.ts                 write everything
 *   tsx website/scripts/generate-docs.ts --check         write nothing; exit 1 if committed pages are stale
 *   tsx website/scripts/generate-docs.ts --out DIR       write into DIR instead of website/
 *   tsx website/scripts/generate-docs.ts --reports DIR   read reports from DIR instead of reports/ (a sample)
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { siteFiles } from './site/index.ts';
import { OWNED, WEBSITE } from './site/paths.ts';

/** Every file under the owned paths of `root`, relative to root. */
export function ownedFiles(root: string, kind: keyof typeof OWNED): string[] {
  return OWNED[kind].flatMap((rel) => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return [];
    if (!statSync(abs).isDirectory()) return [rel];
    return readdirSync(abs, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'));
  });
}

/** Committed content paths that differ from `files`, are missing, or should not exist. */
export function staleContent(root: string, files: Record<string, string>): string[] {
  const stale = Object.entries(files).filter(([rel, c]) => !existsSync(join(root, rel)) || readFileSync(join(root, rel), 'utf8') !== c).map(([rel]) => rel);
  const extra = ownedFiles(root, 'content').filter((rel) => !(rel in files));
  return [...stale, ...extra].sort();
}

export function writeSite(root: string, files: Record<string, string>, kinds: readonly (keyof typeof OWNED)[]): void {
  for (const kind of kinds) for (const rel of OWNED[kind]) rmSync(join(root, rel), { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const outAt = argv.indexOf('--out');
  const root = outAt >= 0 ? argv[outAt + 1] : WEBSITE;
  if (!root) {
    process.stderr.write('generate-docs: --out needs a directory\n');
    return 2;
  }
  const reportsAt = argv.indexOf('--reports');
  const reportsDir = reportsAt >= 0 ? argv[reportsAt + 1] : undefined;
  if (reportsAt >= 0 && !reportsDir) {
    process.stderr.write('generate-docs: --reports needs a directory\n');
    return 2;
  }
  const site = await siteFiles(reportsDir ? { reportsDir } : {});
  if (argv.includes('--check')) {
    const stale = staleContent(root, site.content);
    if (stale.length) {
      process.stderr.write(`website pages are stale (${stale.length}): ${stale.slice(0, 10).join(', ')}${stale.length > 10 ? ', …' : ''}\nrun: npm run docs:generate\n`);
      return 1;
    }
    process.stdout.write(`website pages are up to date (${Object.keys(site.content).length} files)\n`);
    return 0;
  }
  writeSite(root, { ...site.content, ...site.static }, ['content', 'static']);
  process.stdout.write(`wrote ${Object.keys(site.content).length} pages and data files and ${Object.keys(site.static).length} downloads to ${relative(process.cwd(), root) || '.'}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`generate-docs: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
