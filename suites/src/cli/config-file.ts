/**
 * The `--config FILE` of `run` and `doctor`: a JSON file with the same fields as the flags.
 * Flags override the file. A bad file is one line naming the file, the JSON path and the
 * problem.
 *
 * @example
 * {
 *   "target": { "ws": "ws://127.0.0.1:6001", "http": "http://127.0.0.1:6001", "appId": "app-id", "key": "app-key" },
 *   "profile": "soketi",
 *   "exclude": ["webhooks/*"],
 *   "level": "must",
 *   "report": ["json", "junit"],
 *   "out": "reports/soketi"
 * }
 * @module
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssue, describeJsonSyntaxError } from '../reports/json.ts';
import { MAX_TIME_SCALE } from '../harness/timing.ts';
import { ExtraApps } from '../runner/target.ts';
import { NodeList } from '../runner/nodes.ts';
import { transcriptModes } from '../runner/transcripts.ts';
import { UsageError } from './errors.ts';

const nonEmpty = z.string().min(1, 'must not be empty');
const stringList = z.array(nonEmpty);

/** cases running at once: the flag and the file share this bound */
export const MAX_CONCURRENCY = 256;
/** largest --frame-cap-multiple */
export const MAX_FRAME_CAP_MULTIPLE = 1024;

/** One schema per bounded setting, used for the config file and (after parsing the text) the flag. */
export const ConcurrencyValue = z.number().int('must be an integer').min(1, 'must be at least 1').max(MAX_CONCURRENCY, `must be at most ${MAX_CONCURRENCY}`);
export const TimeScaleValue = z.number().positive('must be a positive number').max(MAX_TIME_SCALE, `must be at most ${MAX_TIME_SCALE} (every wait is multiplied by it)`);
export const FrameCapMultipleValue = z.number().min(1, 'must be at least 1').max(MAX_FRAME_CAP_MULTIPLE, `must be at most ${MAX_FRAME_CAP_MULTIPLE}`);
export const ReadyUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
/** the URL the target POSTs webhooks to */
export const WebhookUrlValue = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
/** an address to listen on: an IPv4 or IPv6 address or a host name (no port, no scheme) */
export const WebhookHostValue = z.string().regex(/^(?:[A-Za-z0-9.-]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/, 'must be an address or host name to listen on (e.g. 0.0.0.0), without a port');

export const ConfigTarget = z.strictObject({
  ws: nonEmpty.optional(),
  http: nonEmpty.optional(),
  appId: nonEmpty.optional(),
  key: nonEmpty.optional(),
  /** prefer the PUSHER_SECRET environment variable over writing the secret into a file (the settings file a run writes never has it) */
  secret: nonEmpty.optional(),
  name: nonEmpty.optional(),
  /** other apps on the same target, for the disabled-app, over-quota and client-events-off cases */
  extraApps: ExtraApps.optional(),
  /** shell command that runs the target; the runner starts, waits for and restarts it */
  serverCmd: nonEmpty.optional(),
  /** URL that answers once the target started by serverCmd is ready (default: a WebSocket handshake) */
  serverReady: ReadyUrl.optional(),
  /** the nodes of a cluster target ({ws, http, cmd?} each, in node order; see runner/nodes.ts) */
  nodes: NodeList.optional(),
});

export const ConfigFile = z.strictObject({
  $schema: z.string().optional(),
  target: ConfigTarget.optional(),
  profile: nonEmpty.optional(),
  /** a list replaces the profile's features; "+name" / "-name" entries adjust them */
  features: stringList.optional(),
  limits: z.record(z.string(), z.number().nonnegative().nullable()).optional(),
  encryptionMasterKey: nonEmpty.optional(),
  only: stringList.optional(),
  exclude: stringList.optional(),
  level: z.enum(['must', 'should', 'may', 'MUST', 'SHOULD', 'MAY']).optional(),
  strict: z.boolean().optional(),
  baseline: nonEmpty.optional(),
  updateBaseline: z.boolean().optional(),
  seed: z.number().int().optional(),
  path: nonEmpty.optional(),
  runs: z.number().int().positive().optional(),
  timeScale: TimeScaleValue.optional(),
  concurrency: ConcurrencyValue.optional(),
  frameCapMultiple: FrameCapMultipleValue.optional(),
  webhookPort: z.number().int().min(0).max(65535).optional(),
  /** address the webhook receiver listens on (default 127.0.0.1) */
  webhookHost: WebhookHostValue.optional(),
  /** URL the target POSTs webhooks to (default: built from the receiver's address and port) */
  webhookUrl: WebhookUrlValue.optional(),
  transcripts: z.enum(transcriptModes).optional(),
  report: stringList.optional(),
  out: nonEmpty.optional(),
  name: nonEmpty.optional(),
  faults: stringList.optional(),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

/** Validates parsed JSON; `file` names the source in the error. */
export function parseConfig(value: unknown, file: string): ConfigFile {
  const result = ConfigFile.safeParse(value);
  if (result.success) return result.data;
  const { path, message } = describeIssue(result.error);
  throw new UsageError(`config file ${file}: ${path}: ${message}`);
}

export async function loadConfigFile(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`config file ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(e)})`}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config file ${file}: ${describeJsonSyntaxError(text, e)}`);
  }
  return parseConfig(value, file);
}
