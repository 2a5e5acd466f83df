/**
 * Loads the reference server's configuration from a JSON file, environment variables and flags,
 * in that order of increasing precedence (flags > env > file > defaults), and validates each
 * layer with the core's schema so that an error names the layer that caused it.
 *
 * Environment variables (all optional) are listed in `configEnvHelp` below (also printed by
 * `pusher-conformance serve --help`).
 *
 * Without apps in the file, the `apps[0]` variables patch the default app.
 * @module
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_APP, safeParseConfig, type ServerConfig } from './app-config.ts';
import { faultNames, isFaultName } from './faults.ts';

/** Names of the environment variables the loader reads. */
export const ConfigEnv = {
  Host: 'PUSHER_HOST',
  Port: 'PUSHER_PORT',
  AppId: 'PUSHER_APP_ID',
  AppKey: 'PUSHER_APP_KEY',
  AppSecret: 'PUSHER_APP_SECRET',
  Profile: 'PUSHER_PROFILE',
  WebhookUrl: 'PUSHER_WEBHOOK_URL',
  CacheTtl: 'PUSHER_CACHE_TTL',
  Faults: 'PUSHER_FAULTS',
  Cluster: 'PUSHER_CLUSTER',
} as const;

/** What each environment variable sets, for help texts. */
export const configEnvHelp: Readonly<Record<(typeof ConfigEnv)[keyof typeof ConfigEnv], string>> = {
  PUSHER_HOST: 'host (listen address)',
  PUSHER_PORT: 'port (0 picks a free port)',
  PUSHER_APP_ID: 'apps[0].id',
  PUSHER_APP_KEY: 'apps[0].key',
  PUSHER_APP_SECRET: 'apps[0].secret',
  PUSHER_PROFILE: 'apps[0].profile (pusher, soketi, …)',
  PUSHER_WEBHOOK_URL: 'apps[0].webhooks.url',
  PUSHER_CACHE_TTL: 'apps[0].cacheTtlSeconds (seconds)',
  PUSHER_FAULTS: 'faults, comma-separated fault names (replaces the file\'s)',
  PUSHER_CLUSTER: 'cluster (redis://host:port: join the other nodes on that Redis)',
};

/** Values from the command line; undefined means "not given". */
export interface ConfigFlags {
  port?: number | string | undefined;
  host?: string | undefined;
  /** replaces the faults of env and file when non-empty */
  faults?: readonly string[] | undefined;
  /** redis://host:port of the cluster to join */
  cluster?: string | undefined;
}

export interface LoadConfigOptions {
  configFile?: string | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
  flags?: ConfigFlags | undefined;
}

/**
 * A configuration problem, as one line: where it comes from (`config file x.json`, `environment
 * PUSHER_PORT`, `--port`), the path inside it, and what is wrong.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** `config file <path>`, `environment`, `flags` */
    readonly source: string,
    /** dotted path inside the source (`apps.0.secret`), or the variable / flag name */
    readonly path: string | undefined,
    readonly problem: string,
  ) {
    super(`${source}${path !== undefined ? `: ${path}` : ''}: ${problem}`);
  }
}

type Raw = Record<string, unknown>;

/**
 * @example
 * const config = loadServerConfig({ configFile: 'server.json', env: process.env, flags: { port: 6001 } });
 */
export function loadServerConfig(options: LoadConfigOptions = {}): ServerConfig {
  const fileLayer = options.configFile !== undefined ? readConfigFile(options.configFile) : {};
  const fileSource = options.configFile !== undefined ? `config file ${options.configFile}` : 'defaults';
  validate(fileLayer, fileSource);

  const envLayer = applyEnv(fileLayer, options.env ?? {});
  validate(envLayer, 'environment');

  const flagLayer = applyFlags(envLayer, options.flags ?? {});
  return validate(flagLayer, 'flags');
}

/** Reads and parses the file; every failure is a one-line ConfigError. */
export function readConfigFile(file: string): Raw {
  const source = `config file ${file}`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? String(err)})`;
    throw new ConfigError(source, undefined, problem);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(source, undefined, `not valid JSON: ${jsonErrorWhere(text, err)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(source, undefined, `must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Raw;
}

function validate(raw: Raw, source: string): ServerConfig {
  checkFaults(raw, source);
  const result = safeParseConfig(raw);
  if (result.ok) return result.config;
  const [first, ...more] = result.issues;
  const extra = more.length > 0 ? ` (and ${more.length} more problem${more.length > 1 ? 's' : ''})` : '';
  throw new ConfigError(source, first!.path, `${first!.message}${extra}`);
}

/** zod's enum message lists all ~70 names; say which one is wrong and suggest the nearest. */
function checkFaults(raw: Raw, source: string): void {
  const list = raw.faults;
  if (!Array.isArray(list)) return;
  list.forEach((name, i) => {
    if (typeof name === 'string' && !isFaultName(name)) {
      throw new ConfigError(source, `faults.${i}`, `unknown fault ${JSON.stringify(name)}${suggestion(name)}`);
    }
  });
}

function applyEnv(base: Raw, env: Readonly<Record<string, string | undefined>>): Raw {
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const out: Raw = { ...base };
  const host = get(ConfigEnv.Host);
  if (host !== undefined) out.host = host;
  const port = get(ConfigEnv.Port);
  if (port !== undefined) out.port = parsePort(port, 'environment', ConfigEnv.Port);
  const cluster = get(ConfigEnv.Cluster);
  if (cluster !== undefined) out.cluster = cluster;

  const appPatch: Raw = {};
  const id = get(ConfigEnv.AppId);
  const key = get(ConfigEnv.AppKey);
  const secret = get(ConfigEnv.AppSecret);
  const profile = get(ConfigEnv.Profile);
  const webhookUrl = get(ConfigEnv.WebhookUrl);
  const cacheTtl = get(ConfigEnv.CacheTtl);
  if (id !== undefined) appPatch.id = id;
  if (key !== undefined) appPatch.key = key;
  if (secret !== undefined) appPatch.secret = secret;
  if (profile !== undefined) appPatch.profile = profile;
  if (cacheTtl !== undefined) {
    const ttl = Number(cacheTtl);
    if (!Number.isFinite(ttl) || ttl <= 0) throw new ConfigError('environment', ConfigEnv.CacheTtl, `${JSON.stringify(cacheTtl)} is not a positive number of seconds`);
    appPatch.cacheTtlSeconds = ttl;
  }
  if (Object.keys(appPatch).length > 0 || webhookUrl !== undefined) {
    out.apps = patchFirstApp(out.apps, appPatch, webhookUrl);
  }

  const faults = get(ConfigEnv.Faults);
  if (faults !== undefined) {
    const names = faults.split(',').map((s) => s.trim()).filter(Boolean);
    for (const name of names) {
      if (!isFaultName(name)) throw new ConfigError('environment', ConfigEnv.Faults, `unknown fault ${JSON.stringify(name)}${suggestion(name)}`);
    }
    out.faults = names;
  }
  return out;
}

function applyFlags(base: Raw, flags: ConfigFlags): Raw {
  const out: Raw = { ...base };
  if (flags.host !== undefined) {
    if (flags.host.trim() === '') throw new ConfigError('flags', '--host', 'must not be empty');
    out.host = flags.host;
  }
  if (flags.port !== undefined) out.port = parsePort(String(flags.port), 'flags', '--port');
  if (flags.faults !== undefined && flags.faults.length > 0) {
    for (const name of flags.faults) {
      if (!isFaultName(name)) throw new ConfigError('flags', '--fault', `unknown fault ${JSON.stringify(name)}${suggestion(name)}`);
    }
    out.faults = [...new Set(flags.faults)];
  }
  if (flags.cluster !== undefined) out.cluster = flags.cluster;
  return out;
}

function patchFirstApp(apps: unknown, patch: Raw, webhookUrl: string | undefined): unknown {
  const list = Array.isArray(apps) && apps.length > 0 ? [...apps] : [{ ...DEFAULT_APP }];
  const first = list[0];
  // a malformed first app is reported by the file layer's validation before we get here
  const app: Raw = first !== null && typeof first === 'object' && !Array.isArray(first) ? { ...(first as Raw) } : {};
  Object.assign(app, patch);
  if (webhookUrl !== undefined) {
    const hooks = app.webhooks !== null && typeof app.webhooks === 'object' ? (app.webhooks as Raw) : {};
    app.webhooks = { ...hooks, url: webhookUrl };
  }
  list[0] = app;
  return list;
}

function parsePort(text: string, source: string, name: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 65535) {
    throw new ConfigError(source, name, `${JSON.stringify(text)} is not a port number (0-65535)`);
  }
  return Number(text);
}

/** "unexpected '}' at line 3, column 5": JSON.parse's own messages are multi-line and only sometimes give a position. */
function jsonErrorWhere(text: string, err: unknown): string {
  const pos = jsonErrorOffset(text);
  if (pos === undefined) return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  const what = pos >= text.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(text[pos])}`;
  return `${what} at line ${line}, column ${column}`;
}

/** Offset of the first character a JSON parser would reject (a small recursive-descent scan). */
function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i += 1;
    }
  };
  const string = (): void => {
    i += 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i]! < ' ') fail();
      if (text[i] === '\\') {
        i += 1;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k += 1) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) (i += k), fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail();
      }
      i += 1;
    }
    if (i >= text.length) fail();
    i += 1;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i += 1;
      ws();
      if (text[i] === '}') return void (i += 1);
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i += 1;
        value();
        ws();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') return void (i += 1);
        else fail();
      }
    } else if (ch === '[') {
      i += 1;
      ws();
      if (text[i] === ']') return void (i += 1);
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') return void (i += 1);
        else fail();
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else {
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (m === null) fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? at : undefined;
  }
}

function suggestion(name: string): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of faultNames) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? `; did you mean ${JSON.stringify(best)}?` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
