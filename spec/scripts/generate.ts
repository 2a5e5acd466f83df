/**
 * npm run spec:generate — writes spec/generated/: one JSON Schema per published schema, the
 * AsyncAPI 3.0 document (WebSocket) and the OpenAPI 3.1 document (REST, webhooks).
 * `--check` writes nothing and exits 1 when the committed files are stale.
 */
import { readFileSync } from 'node:fs';
import { generatedFiles, writeGenerated, staleGenerated } from './generated-files.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const files = generatedFiles(pkg.version);
if (process.argv.includes('--check')) {
  const stale = staleGenerated(files);
  if (stale.length) {
    process.stderr.write(`stale: ${stale.join(', ')} — run npm run spec:generate\n`);
    process.exit(1);
  }
  process.stdout.write(`spec/generated is up to date (${Object.keys(files).length} files)\n`);
} else {
  writeGenerated(files);
  process.stdout.write(`wrote ${Object.keys(files).length} files to spec/generated/\n`);
}
