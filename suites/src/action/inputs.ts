/**
 * The action's inputs (action.yml passes each as an INPUT_* variable) as `pusher-conformance
 * run` arguments. The secret never becomes an argument: the CLI reads it from PUSHER_SECRET.
 * @module
 */
import { z } from 'zod';

/** INPUT_<NAME> variable → the `run` flag it becomes (empty values are left out) */
const valueFlags = {
  WS: '--ws',
  HTTP: '--http',
  APP_ID: '--app-id',
  KEY: '--key',
  CONFIG: '--config',
  PROFILE: '--profile',
  FEATURES: '--features',
  LEVEL: '--level',
  BASELINE: '--baseline',
  SEED: '--seed',
  NAME: '--name',
  WEBHOOK_HOST: '--webhook-host',
  WEBHOOK_PORT: '--webhook-port',
  WEBHOOK_URL: '--webhook-url',
  TIME_SCALE: '--time-scale',
  TRANSCRIPTS: '--transcripts',
} as const;

/** inputs holding several globs, one per line or comma separated */
const listFlags = { ONLY: '--only', EXCLUDE: '--exclude' } as const;

const Bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => ['', 'true', 'false'].includes(s), { message: 'must be true or false' })
  .transform((s) => s === 'true');

export interface ActionInputs {
  /** arguments after `run` */
  readonly args: string[];
  /** directory of the reports (input report-dir, default pusher-conformance-report) */
  readonly reportDir: string;
  /** the secret, handed to the CLI as PUSHER_SECRET */
  readonly secret?: string;
  /** URL of the full report shown in the summary (default: this run's page, where artefacts are) */
  readonly reportUrl?: string;
}

export class ActionInputError extends Error {
  override name = 'ActionInputError';
}

const input = (env: NodeJS.ProcessEnv, name: string): string => (env[`INPUT_${name}`] ?? '').trim();

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const args: string[] = [];
  for (const [name, flag] of Object.entries(valueFlags)) {
    const v = input(env, name);
    if (v !== '') args.push(flag, v);
  }
  for (const [name, flag] of Object.entries(listFlags)) {
    for (const glob of input(env, name).split(/[\n,]/).map((s) => s.trim()).filter(Boolean)) args.push(flag, glob);
  }
  const strict = Bool.safeParse(input(env, 'STRICT'));
  if (!strict.success) throw new ActionInputError(`input strict ${strict.error.issues[0]?.message ?? 'is invalid'}, got '${input(env, 'STRICT')}'`);
  if (strict.data) args.push('--strict');
  const reportDir = input(env, 'REPORT_DIR') || 'pusher-conformance-report';
  args.push('--out', reportDir, '--report', 'json,junit,md,html');
  const secret = input(env, 'SECRET');
  const server = env.GITHUB_SERVER_URL;
  const repo = env.GITHUB_REPOSITORY;
  const runId = env.GITHUB_RUN_ID;
  const reportUrl = input(env, 'REPORT_URL') || (server && repo && runId ? `${server}/${repo}/actions/runs/${runId}` : undefined);
  return { args, reportDir, ...(secret ? { secret } : {}), ...(reportUrl ? { reportUrl } : {}) };
}
