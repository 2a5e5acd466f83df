/** `npm run schemas:generate`: writes suites/generated/{config,baseline}.schema.json from their zod schemas. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_SCHEMAS_DIR, cliSchemaFiles } from '../src/cli/json-schemas.ts';

mkdirSync(CLI_SCHEMAS_DIR, { recursive: true });
for (const [name, content] of Object.entries(cliSchemaFiles())) {
  writeFileSync(join(CLI_SCHEMAS_DIR, name), content);
  process.stdout.write(`wrote ${join('suites/generated', name)}\n`);
}
