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
  $schema: z.string().optional().describe('URL or path of this JSON Schema, for editors'),
  target: ConfigTarget.optional().describe('the server under test (--ws, --http, --app-id, --key; the secret best from PUSHER_SECRET); absent: the embedded reference server'),
  profile: nonEmpty.optional().describe('target profile: limits, features and dialect (--profile; default pusher)'),
  features: stringList.optional().describe('declared features (--features): a list replaces the profile\'s set; "+name" / "-name" entries adjust it'),
  limits: z.record(z.string(), z.number().nonnegative().nullable()).optional().describe('limit overrides (--limit key=value); null: no limit'),
  encryptionMasterKey: nonEmpty.optional().describe('32-byte base64 master key for encrypted channels (--encryption-master-key)'),
  only: stringList.optional().describe('case id globs to run (--only)'),
  exclude: stringList.optional().describe('case id globs to skip (--exclude)'),
  level: z.enum(['must', 'should', 'may', 'MUST', 'SHOULD', 'MAY']).optional().describe('lowest level to run (--level; default should)'),
  strict: z.boolean().optional().describe('SHOULD violations (warn) fail the run (--strict)'),
  baseline: nonEmpty.optional().describe('baseline file of expected failures (--baseline)'),
  updateBaseline: z.boolean().optional().describe('rewrite the baseline from this run (--update-baseline)'),
  seed: z.number().int().optional().describe('seed of the property cases (--seed; default random)'),
  path: nonEmpty.optional().describe('fast-check replay path of a failed property case (--path, with seed)'),
  runs: z.number().int().positive().optional().describe('runs of every property case (--runs)'),
  timeScale: TimeScaleValue.optional().describe('multiplies every timeout and timer (--time-scale; default 1)'),
  concurrency: ConcurrencyValue.optional().describe('cases running at once (--concurrency)'),
  frameCapMultiple: FrameCapMultipleValue.optional().describe('largest inbound frame as a multiple of the largest the limits allow (--frame-cap-multiple; default 64)'),
  webhookPort: z.number().int().min(0).max(65535).optional().describe('port of the webhook receiver (--webhook-port; default the webhookUrl\'s port, else a free one)'),
  webhookHost: WebhookHostValue.optional().describe('address the webhook receiver listens on (--webhook-host; default 127.0.0.1, 0.0.0.0 for a target in a container)'),
  webhookUrl: WebhookUrlValue.optional().describe('URL the target POSTs webhooks to (--webhook-url; default built from the receiver\'s address and port)'),
  transcripts: z.enum(transcriptModes).optional().describe('which cases keep their transcript in the reports (--transcripts; default failures)'),
  report: stringList.optional().describe('report formats: json, junit, md, html (--report; default all)'),
  out: nonEmpty.optional().describe('directory for the reports (--out)'),
  name: nonEmpty.optional().describe('implementation label in reports and comparisons (--name)'),
  faults: stringList.optional().describe('named faults of the embedded reference server (--fault)'),
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
