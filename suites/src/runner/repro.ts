/**
 * Short reproduction commands. A CLI run writes the target's settings (never a secret) beside
 * its reports as a config file; each case's reproduction then names that file, the case, the
 * seed and the replay path, and takes the secret from PUSHER_SECRET. Without a settings file
 * (the programmatic API), the command spells the target out in flags.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigFile } from '../cli/config-file.ts';
import type { Target } from '../harness/types.ts';
import type { RunOptions } from './run.ts';
import { featureChoiceEntries } from './features-arg.ts';

/** the settings file a run writes into its report directory */
export const SETTINGS_FILE_NAME = 'target.json';

/** a shell word: bare when safe, else single-quoted */
export const shq = (s: string): string => (/^[A-Za-z0-9_./:@=,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const quoted = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

type ReproOptions = Pick<RunOptions, 'profile' | 'features' | 'featureChanges' | 'limits' | 'faults' | 'seed' | 'runs' | 'timeScale' | 'settingsFile'>;

/** the declared features as `--features` entries (a list, or +/- adjustments), if any */
function declaredFeatures(options: ReproOptions): string[] | undefined {
  if (options.featureChanges) return featureChoiceEntries({ mode: 'adjust', ...options.featureChanges });
  return options.features ? [...options.features] : undefined;
}

/** The command that re-runs case `id` (with the replay `path` of a failed property) against the same target. */
export function reproduceCommand(options: ReproOptions, target: Pick<Target, 'embedded' | 'ws' | 'http' | 'appId' | 'key' | 'nodes'>, id: string, path: string | undefined): string {
  const parts = ['npx', 'pusher-conformance', 'run'];
  if (options.settingsFile !== undefined) {
    // the file holds the target, profile, features, limits, runs and time scale of the run
    parts.push('--config', shq(options.settingsFile), '--only', quoted(id), '--seed', String(options.seed));
    if (path !== undefined) parts.push('--path', shq(path));
    return parts.join(' ');
  }
  const features = declaredFeatures(options);
  if (!target.embedded) {
    parts.push('--ws', shq(target.ws), '--http', shq(target.http), '--app-id', shq(target.appId), '--key', shq(target.key), '--secret', '"$PUSHER_SECRET"', '--profile', shq(options.profile));
    if (features) parts.push('--features', shq(features.join(',')));
    // a cluster: the same nodes in the same order (the spread of connections follows it)
    for (const n of target.nodes ?? []) parts.push('--node', shq(`ws=${n.ws},http=${n.http}`));
    for (const [k, v] of Object.entries(options.limits ?? {})) parts.push('--limit', shq(`${k}=${v === null ? 'none' : String(v)}`));
  } else {
    if (options.profile !== 'pusher') parts.push('--profile', shq(options.profile));
    for (const f of options.faults ?? []) parts.push('--fault', shq(f));
  }
  parts.push('--only', quoted(id), '--seed', String(options.seed));
  if (path !== undefined) parts.push('--path', shq(path));
  if (options.runs !== undefined) parts.push('--runs', String(options.runs));
  if (options.timeScale !== 1) parts.push('--time-scale', String(options.timeScale));
  return parts.join(' ');
}

/**
 * The run's settings as a config file: target URLs, app id and key (no secret: it comes from
 * PUSHER_SECRET), the command that starts the target, profile, declared features, limits, level,
 * runs, time scale, webhook receiver; for the embedded server its faults (no port: each run starts
 * its own). Left out as secrets: the app secret, the encryption master key, and the extra app
 * with client events off (its entry needs a secret).
 */
export function settingsFileContents(options: RunOptions, name?: string): ConfigFile {
  const t = options.target;
  const extraApps = options.extraApps ? { ...(options.extraApps.disabled ? { disabled: { ...options.extraApps.disabled } } : {}), ...(options.extraApps.limitedConnections ? { limitedConnections: { ...options.extraApps.limitedConnections } } : {}) } : undefined;
  const features = declaredFeatures(options);
  const label = name ?? t?.name;
  return {
    ...(t
      ? {
          target: {
            ws: t.ws,
            http: t.http,
            appId: t.appId,
            key: t.key,
            ...(extraApps && Object.keys(extraApps).length > 0 ? { extraApps } : {}),
            ...(options.nodes && options.nodes.length > 0 ? { nodes: options.nodes.map((n, i) => ({ ws: n.ws, http: n.http, ...(options.nodeCommands?.[i] !== undefined ? { cmd: options.nodeCommands[i] } : {}) })) } : {}),
            ...(options.serverCommand ? { serverCmd: options.serverCommand.command, ...(options.serverCommand.readyUrl !== undefined ? { serverReady: options.serverCommand.readyUrl } : {}) } : {}),
          },
        }
      : {}),
    ...(label !== undefined ? { name: label } : {}),
    profile: options.profile,
    ...(features ? { features } : {}),
    ...(options.limits && Object.keys(options.limits).length > 0 ? { limits: { ...options.limits } } : {}),
    level: options.level,
    ...(options.strict ? { strict: true } : {}),
    ...(options.runs !== undefined ? { runs: options.runs } : {}),
    ...(options.timeScale !== 1 ? { timeScale: options.timeScale } : {}),
    ...(options.frameCapMultiple !== undefined ? { frameCapMultiple: options.frameCapMultiple } : {}),
    ...(options.webhookHost !== undefined ? { webhookHost: options.webhookHost } : {}),
    ...(options.webhookPort !== undefined ? { webhookPort: options.webhookPort } : {}),
    ...(options.webhookUrl !== undefined ? { webhookUrl: options.webhookUrl } : {}),
    ...(!t && options.faults?.length ? { faults: [...options.faults] } : {}),
  };
}

/** Writes the settings file into `dir`; returns its path as `join(dir, name)` (relative when `dir` is). */
export async function writeSettingsFile(dir: string, contents: ConfigFile): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, SETTINGS_FILE_NAME);
  await writeFile(file, `${JSON.stringify(contents, null, 2)}\n`);
  return file;
}
