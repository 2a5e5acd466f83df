/**
 * Flags shared by `run` and `doctor`, and how flags, the config file and the environment
 * combine into the runner's options. Flags override the file; the secret may come from
 * PUSHER_SECRET. Every problem is a UsageError with one plain line.
 * @module
 */
import type { Command } from 'commander';
import { limitKeys } from '../../../spec/src/limits.ts';
import type { LimitKey } from '../../../spec/src/limits.ts';
import { isProfileId, profileIds } from '../../../spec/src/profiles.ts';
import { faultNames, isFaultName } from '../../../reference-server/src/faults.ts';
import type { RunOptions } from '../runner/run.ts';
import { isReportFormat, reportFormats } from '../reports/write.ts';
import type { ReportFormat } from '../reports/write.ts';
import { ConcurrencyValue, FrameCapMultipleValue, ReadyUrl, TimeScaleValue, WebhookHostValue, WebhookUrlValue, type ConfigFile } from './config-file.ts';
import type { z } from 'zod';
import { UsageError, didYouMean } from './errors.ts';
import { resolveNodes } from '../runner/nodes.ts';
import { FeaturesArgError, parseFeatureChoice, type FeatureChoice } from '../runner/features-arg.ts';
import { DEFAULT_TRANSCRIPTS, isTranscriptMode, transcriptModes } from '../runner/transcripts.ts';
import { parseReplayPath } from '../harness/replay-path.ts';

export const DEFAULT_OUT = 'pusher-conformance-report';
export const DEFAULT_PROFILE = 'pusher';

/** What commander hands the actions of `run` and `doctor` (all optional: defaults come later). */
export interface TargetFlags {
  ws?: string;
  http?: string;
  appId?: string;
  key?: string;
  secret?: string;
  config?: string;
  name?: string;
}

export interface RunFlags extends TargetFlags {
  profile?: string;
  features?: string;
  limit: string[];
  encryptionMasterKey?: string;
  only: string[];
  exclude: string[];
  level?: string;
  strict?: boolean;
  baseline?: string;
  updateBaseline?: boolean;
  seed?: string;
  path?: string;
  runs?: string;
  timeScale?: string;
  concurrency?: string;
  webhookPort?: string;
  webhookHost?: string;
  webhookUrl?: string;
  transcripts?: string;
  json?: boolean;
  report?: string;
  out?: string;
  fault: string[];
  serverCmd?: string;
  serverReady?: string;
  frameCapMultiple?: string;
  /** cluster nodes: `ws=URL,http=URL` each, and one command per node (runner/nodes.ts) */
  node?: string[];
  nodeCmd?: string[];
}

export interface TargetSettings {
  ws: string;
  http: string;
  appId: string;
  key: string;
  secret: string;
  name?: string;
}

export interface RunSettings {
  options: RunOptions;
  formats: ReportFormat[];
  out: string;
  /** false when the seed was drawn at random (the CLI prints it) */
  seedGiven: boolean;
  /** label for reports; for the embedded server it is applied to the report after the run */
  name?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--ws <url>', 'WebSocket base URL of the target, e.g. ws://127.0.0.1:6001')
    .option('--http <url>', 'REST base URL of the target, e.g. http://127.0.0.1:6001')
    .option('--app-id <id>', 'app id on the target')
    .option('--key <key>', 'app key on the target')
    .option('--secret <secret>', 'app secret (or env PUSHER_SECRET)')
    .option('--config <file>', 'JSON file with the same fields as the flags (flags win)');
}

export function addRunOptions(cmd: Command): Command {
  return addTargetOptions(cmd)
    .option('--profile <name>', `target profile (default ${DEFAULT_PROFILE})`)
    .option('--features <list>', 'declared features, comma separated: a,b replaces the profile\'s set (\'\' declares none); +a,-b adds to and removes from it')
    .option('--limit <key=value>', 'override one limit of the profile (value a number or "none"); repeatable', collect, [])
    .option('--encryption-master-key <base64>', '32-byte base64 master key for encrypted channels')
    .option('--only <glob>', 'run only cases whose id matches; repeatable', collect, [])
    .option('--exclude <glob>', 'skip cases whose id matches; repeatable', collect, [])
    .option('--level <level>', 'lowest level to run: must, should or may (default should)')
    .option('--strict', 'SHOULD violations (warn) fail the run')
    .option('--baseline <file>', 'expected failures: listed failures become xfail, their passes xpass')
    .option('--update-baseline', 'rewrite the baseline file from this run')
    .option('--seed <n>', 'seed of property cases (default: random, printed)')
    .option('--path <path>', 'fast-check replay path of a failed property case (with --seed and --only)')
    .option('--runs <n>', 'number of runs of every property case')
    .option('--time-scale <x>', 'multiply every timeout and timer by x (default 1)')
    .option('--concurrency <n>', 'cases running at once (default 16 on the embedded server, 4 on a target)')
    .option('--webhook-port <n>', 'port of the suite\'s webhook receiver (default: the --webhook-url\'s port, else a free one)')
    .option('--webhook-host <address>', 'address the webhook receiver listens on (default 127.0.0.1; 0.0.0.0 for a target in a container)')
    .option('--webhook-url <url>', 'URL the target POSTs webhooks to, when it reaches the receiver by another name (e.g. http://host.docker.internal:9000/webhooks)')
    .option('--transcripts <which>', `transcripts kept in the reports: ${transcriptModes.join(', ')} (default ${DEFAULT_TRANSCRIPTS}: cases that did not pass)`)
    .option('--report <formats>', `report formats, comma separated: ${reportFormats.join(',')} (default all)`)
    .option('--out <dir>', `directory for the reports (default ${DEFAULT_OUT})`)
    .option('--name <label>', 'implementation label in reports and comparisons')
    .option('--fault <name>', 'switch on a named fault of the embedded reference server; repeatable', collect, [])
    .option('--server-cmd <command>', 'start the target with this shell command, wait until it answers, restart it after a crash')
    .option('--server-ready <url>', 'with --server-cmd: an http(s) URL that answers once the target is ready (default: a WebSocket handshake)')
    .option('--frame-cap-multiple <x>', 'largest inbound frame: x times the largest one the profile\'s limits allow (default 64)')
    .option('--node <ws=URL,http=URL>', 'one node of a cluster target (repeatable, in node order): each case\'s connections go round-robin over the nodes, its REST calls to one node', collect, [])
    .option('--node-cmd <command>', 'with --node: shell command that runs that node (repeatable, one per node, in order); the runner starts the nodes and kills one for the node-death case', collect, []);
}

function parseInteger(flag: string, value: string, { min, max }: { min?: number; max?: number } = {}): number {
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`${flag} must be an integer, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} is out of range: '${value}'`);
  if (min !== undefined && n < min) throw new UsageError(`${flag} must be at least ${min}, got ${n}`);
  if (max !== undefined && n > max) throw new UsageError(`${flag} must be at most ${max}, got ${n}`);
  return n;
}

function parsePositive(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got '${value}'`);
  return n;
}

/** a parsed flag value checked with the schema the config file uses for the same setting */
function bounded<T>(flag: string, schema: z.ZodType<T>, value: unknown, raw: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`${flag} ${r.error.issues[0]?.message ?? 'is out of range'}, got '${raw}'`);
  return r.data;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function checkUrl(flag: string, value: string, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} is not a URL: '${value}'`);
  }
  if (!protocols.includes(url.protocol)) throw new UsageError(`${flag} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got '${value}'`);
  return value.replace(/\/+$/, '');
}

export function parseLevel(value: string): 'must' | 'should' | 'may' {
  const v = value.toLowerCase();
  if (v === 'must' || v === 'should' || v === 'may') return v;
  throw new UsageError(`--level must be one of must, should, may; got '${value}'`);
}

export function checkProfile(value: string): string {
  if (!isProfileId(value)) throw new UsageError(`unknown profile '${value}'; valid profiles: ${profileIds.join(', ')}`);
  return value;
}

/** `--features` entries as a replacement list or as +/- changes, names checked (with did-you-mean). */
export function parseFeatures(list: readonly string[]): FeatureChoice {
  try {
    return parseFeatureChoice(list, didYouMean);
  } catch (e) {
    if (e instanceof FeaturesArgError) throw new UsageError(e.message);
    throw e;
  }
}

export function checkFaults(list: readonly string[]): string[] {
  for (const f of list) {
    if (!isFaultName(f)) throw new UsageError(`unknown fault '${f}'${didYouMean(f, faultNames)}; ${faultNames.length} faults are defined in reference-server/src/faults.ts`);
  }
  return [...new Set(list)];
}

/** `--limit key=value` (value a number, or none/null for "no limit"). */
export function parseLimit(entry: string): [LimitKey, number | null] {
  const eq = entry.indexOf('=');
  if (eq <= 0) throw new UsageError(`--limit expects key=value, got '${entry}'`);
  const key = entry.slice(0, eq).trim();
  const raw = entry.slice(eq + 1).trim();
  if (!(limitKeys as readonly string[]).includes(key)) throw new UsageError(`unknown limit '${key}'${didYouMean(key, limitKeys)}; valid limits: ${limitKeys.join(', ')}`);
  if (raw === 'none' || raw === 'null') return [key as LimitKey, null];
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--limit ${key} must be a non-negative number or none, got '${raw}'`);
  return [key as LimitKey, n];
}

function checkMasterKey(value: string): string {
  const bytes = Buffer.from(value, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || bytes.length !== 32) throw new UsageError('--encryption-master-key must be 32 bytes in base64 (44 characters)');
  return value;
}

/**
 * The target from flags, file and environment; undefined when none of its parts is given (the
 * embedded reference server). Half a target is a usage error naming what is missing.
 */
export function resolveTarget(flags: TargetFlags, config: ConfigFile | undefined, env: NodeJS.ProcessEnv): TargetSettings | undefined {
  const file = config?.target ?? {};
  const ws = flags.ws ?? file.ws;
  const http = flags.http ?? file.http;
  const appId = flags.appId ?? file.appId;
  const key = flags.key ?? file.key;
  const explicitSecret = flags.secret ?? file.secret;
  const name = flags.name ?? file.name ?? config?.name;
  if ([ws, http, appId, key, explicitSecret].every((v) => v === undefined)) return undefined;
  const secret = explicitSecret ?? (env.PUSHER_SECRET || undefined);
  const missing = [
    ws === undefined && '--ws',
    http === undefined && '--http',
    appId === undefined && '--app-id',
    key === undefined && '--key',
    secret === undefined && '--secret (or PUSHER_SECRET)',
  ].filter((m): m is string => typeof m === 'string');
  if (missing.length > 0) throw new UsageError(`incomplete target: missing ${missing.join(', ')} (give all of them, or none to use the embedded reference server)`);
  return {
    ws: checkUrl('--ws', ws!, ['ws:', 'wss:']),
    http: checkUrl('--http', http!, ['http:', 'https:']),
    appId: appId!,
    key: key!,
    secret: secret!,
    ...(name !== undefined ? { name } : {}),
  };
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

/** Flags over file over defaults, validated, as the runner's options. */
export function resolveRunSettings(flags: RunFlags, config: ConfigFile | undefined, env: NodeJS.ProcessEnv): RunSettings {
  const c = config ?? {};
  const cluster = resolveNodes({ flags: flags.node ?? [], commands: flags.nodeCmd ?? [], file: c.target?.nodes });
  if (typeof cluster === 'string') throw new UsageError(cluster);
  // a cluster target's --ws/--http default to its first node
  const target = resolveTarget(cluster ? { ...flags, ws: flags.ws ?? c.target?.ws ?? cluster.nodes[0]!.ws, http: flags.http ?? c.target?.http ?? cluster.nodes[0]!.http } : flags, config, env);

  const profile = checkProfile(flags.profile ?? c.profile ?? DEFAULT_PROFILE);
  const featuresList = flags.features !== undefined ? splitList(flags.features) : c.features;
  // an empty list (`--features ''`) declares no optional feature at all
  const featureChoice = featuresList === undefined ? undefined : featuresList.length === 0 ? ({ mode: 'replace', features: [] } as const) : parseFeatures(featuresList);

  const limits: Partial<Record<LimitKey, number | null>> = {};
  for (const [k, v] of Object.entries(c.limits ?? {})) {
    const [key, value] = parseLimit(`${k}=${v === null ? 'none' : String(v)}`);
    limits[key] = value;
  }
  for (const entry of flags.limit) {
    const [key, value] = parseLimit(entry);
    limits[key] = value;
  }

  const level = parseLevel(flags.level ?? c.level ?? 'should');
  const seedGiven = flags.seed !== undefined || c.seed !== undefined;
  const seed = flags.seed !== undefined ? parseInteger('--seed', flags.seed) : (c.seed ?? randomSeed());
  const runs = flags.runs !== undefined ? parseInteger('--runs', flags.runs, { min: 1 }) : c.runs;
  const timeScale = flags.timeScale !== undefined ? bounded('--time-scale', TimeScaleValue, parsePositive('--time-scale', flags.timeScale), flags.timeScale) : (c.timeScale ?? 1);
  const concurrency = flags.concurrency !== undefined ? bounded('--concurrency', ConcurrencyValue, parseInteger('--concurrency', flags.concurrency), flags.concurrency) : c.concurrency;
  const frameCapMultiple =
    flags.frameCapMultiple !== undefined ? bounded('--frame-cap-multiple', FrameCapMultipleValue, parsePositive('--frame-cap-multiple', flags.frameCapMultiple), flags.frameCapMultiple) : c.frameCapMultiple;
  const serverCmd = flags.serverCmd ?? c.target?.serverCmd;
  const serverReady = flags.serverReady !== undefined ? bounded('--server-ready', ReadyUrl, flags.serverReady, flags.serverReady) : c.target?.serverReady;
  if (serverCmd !== undefined && !target) throw new UsageError('--server-cmd starts the target you describe with --ws, --http, --app-id, --key and --secret (or in the config file); give them too');
  if (serverCmd !== undefined && serverCmd.trim() === '') throw new UsageError('--server-cmd must not be empty');
  if (serverReady !== undefined && serverCmd === undefined) throw new UsageError('--server-ready applies only with --server-cmd');
  const extraApps = c.target?.extraApps;
  const webhookPort = flags.webhookPort !== undefined ? parseInteger('--webhook-port', flags.webhookPort, { min: 0, max: 65535 }) : c.webhookPort;
  const webhookHost = flags.webhookHost !== undefined ? bounded('--webhook-host', WebhookHostValue, flags.webhookHost, flags.webhookHost) : c.webhookHost;
  const webhookUrl = flags.webhookUrl !== undefined ? bounded('--webhook-url', WebhookUrlValue, flags.webhookUrl, flags.webhookUrl) : c.webhookUrl;
  const transcriptsRaw = flags.transcripts ?? c.transcripts ?? DEFAULT_TRANSCRIPTS;
  if (!isTranscriptMode(transcriptsRaw)) throw new UsageError(`--transcripts must be one of ${transcriptModes.join(', ')}; got '${transcriptsRaw}'`);
  const out = flags.out ?? c.out ?? DEFAULT_OUT;
  // a directory named "-" is never what was meant; machine output on stdout is --json
  if (out.trim() === '-') throw new UsageError('--out - is not supported: --out takes a directory for the report files; for the summary as JSON on stdout use --json');
  const path = flags.path ?? c.path;
  const baseline = flags.baseline ?? c.baseline;
  const updateBaseline = flags.updateBaseline ?? c.updateBaseline ?? false;
  if (updateBaseline && baseline === undefined) throw new UsageError('--update-baseline needs --baseline FILE');
  if (path !== undefined && flags.seed === undefined && c.seed === undefined) throw new UsageError('--path replays a failure and needs the --seed it was found with');
  if (path !== undefined && parseReplayPath(path) === undefined) throw new UsageError(`--path '${path}' is not a replay path: copy it from the report's reproduce command (digits and ':', then for a model-based case '@' and the commands' replay path)`);

  const formatList = flags.report !== undefined ? splitList(flags.report) : (c.report ?? [...reportFormats]);
  for (const f of formatList) if (!isReportFormat(f)) throw new UsageError(`unknown report format '${f}'; valid formats: ${reportFormats.join(', ')}`);
  if (formatList.length === 0) throw new UsageError(`--report needs at least one of ${reportFormats.join(', ')}`);

  const faults = checkFaults(flags.fault.length > 0 ? flags.fault : (c.faults ?? []));
  if (target && faults.length > 0) throw new UsageError('--fault applies only to the embedded reference server; drop the target flags or the faults');

  const encryptionMasterKey = flags.encryptionMasterKey ?? c.encryptionMasterKey;
  const only = flags.only.length > 0 ? flags.only : (c.only ?? []);
  const exclude = flags.exclude.length > 0 ? flags.exclude : (c.exclude ?? []);
  const name = flags.name ?? c.name ?? c.target?.name;

  const options: RunOptions = {
    ...(target ? { target: { ...target, ...(name !== undefined ? { name } : {}) } } : {}),
    profile,
    ...(featureChoice?.mode === 'replace' ? { features: featureChoice.features } : {}),
    ...(featureChoice?.mode === 'adjust' ? { featureChanges: { add: featureChoice.add, remove: featureChoice.remove } } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
    ...(encryptionMasterKey !== undefined ? { encryptionMasterKey: checkMasterKey(encryptionMasterKey) } : {}),
    only,
    exclude,
    level,
    strict: flags.strict ?? c.strict ?? false,
    ...(baseline !== undefined ? { baseline } : {}),
    ...(updateBaseline ? { updateBaseline } : {}),
    seed,
    ...(path !== undefined ? { path } : {}),
    ...(runs !== undefined ? { runs } : {}),
    timeScale,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(webhookPort !== undefined ? { webhookPort } : {}),
    ...(webhookHost !== undefined ? { webhookHost } : {}),
    ...(webhookUrl !== undefined ? { webhookUrl } : {}),
    transcripts: transcriptsRaw,
    ...(faults.length ? { faults } : {}),
    ...(serverCmd !== undefined ? { serverCommand: { command: serverCmd, ...(serverReady !== undefined ? { readyUrl: serverReady } : {}) } } : {}),
    ...(frameCapMultiple !== undefined ? { frameCapMultiple } : {}),
    ...(extraApps !== undefined ? { extraApps } : {}),
    ...(cluster ?? {}),
  };
  return { options, formats: formatList as ReportFormat[], out, seedGiven, ...(name !== undefined ? { name } : {}) };
}
