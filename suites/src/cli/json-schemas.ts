/**
 * JSON Schemas of the files a user writes for the CLI: the `--config` file and the `--baseline`
 * file, generated from their zod schemas (never hand-written) into suites/generated/. Editors
 * validate a config file that names one in `$schema`.
 * @module
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Baseline, BASELINE_SCHEMA } from '../runner/verdict.ts';
import { ConfigFile } from './config-file.ts';

export const CLI_SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'generated');

function document(schema: z.ZodType, title: string, description: string): Record<string, unknown> {
  // input form: what a user writes; a construct JSON Schema cannot state fails generation
  const body = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'throw' }) as Record<string, unknown>;
  const { $schema, ...rest } = body;
  return { $schema, title, description, ...rest };
}

/** file name in suites/generated/ → content */
export function cliSchemaFiles(): Record<string, string> {
  const text = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;
  return {
    'config.schema.json': text(
      document(ConfigFile, 'pusher-conformance config file', 'The --config file of `pusher-conformance run` and `doctor`: the same settings as the flags (flags win). The secret is best left to PUSHER_SECRET.'),
    ),
    'baseline.schema.json': text(
      document(Baseline, 'pusher-conformance baseline', `The --baseline file (${BASELINE_SCHEMA}): the raw verdict of each case on a target; recorded failures become xfail, their passes xpass.`),
    ),
  };
}
