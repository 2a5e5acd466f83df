/** Folders the generator reads and writes, resolved from this file. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEBSITE = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO = join(WEBSITE, '..');
export const SPEC_GENERATED = join(REPO, 'spec', 'generated');
export const REPORTS = join(REPO, 'reports');
export const TEETH = join(REPO, 'suites', 'test', 'teeth');

/**
 * What the generator owns, relative to website/. `content` is committed and compared by
 * website/test/generator.test.ts; `static` (copies of spec/generated and reports/) is rebuilt by
 * every `npm run site:build` and ignored by git.
 */
export const OWNED = {
  content: ['docs/reference', 'docs/cases', 'docs/results', 'src/data/generated'],
  static: ['static/schemas', 'static/data', 'static/reports', 'static/asyncapi.json', 'static/openapi.json'],
} as const;
