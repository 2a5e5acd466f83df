/**
 * Where the suite's webhook receiver listens and what the target must be told. A target outside
 * this process (another host, a container, a CI service) POSTs webhooks to a URL it was
 * configured with; without --webhook-url or --webhook-port that URL cannot exist, so the webhook
 * cases are unsupported with a hint rather than setup errors.
 * @module
 */
import type { DoctorCheck } from '../../../spec/src/report.ts';
import { webhookEventNames } from '../../../spec/src/webhooks.ts';
import { DEFAULT_WEBHOOK_HOST } from '../harness/webhooks.ts';
import { HarnessError } from '../model/outcome.ts';

export interface WebhookSettings {
  readonly webhookPort?: number;
  readonly webhookHost?: string;
  readonly webhookUrl?: string;
}

/** the doctor check's name, shared with runner/doctor.ts */
export const WEBHOOKS_CHECK = 'webhooks';

/** --webhook-port, else the port of --webhook-url (explicit, or 80/443), else 0 (a free port) */
export function webhookReceiverPort(s: WebhookSettings): number {
  if (s.webhookPort !== undefined) return s.webhookPort;
  if (s.webhookUrl === undefined) return 0;
  let url: URL;
  try {
    url = new URL(s.webhookUrl);
  } catch {
    throw new HarnessError(`the webhook URL '${s.webhookUrl}' is not a URL (--webhook-url)`);
  }
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

/** "all event types", named from spec/src/webhooks.ts */
export const webhookEventList = (): string => webhookEventNames.join(', ');

/** What to set on the target so that webhooks reach the receiver at `url`. */
export function configureTargetHint(url: string): string {
  return `set the target app's webhook URL to ${url} with every event type (${webhookEventList()})`;
}

/**
 * The doctor's (non-blocking) check when the target has webhooks but was told no URL or port;
 * undefined when it was.
 */
export function unreachableWebhooksCheck(s: WebhookSettings): DoctorCheck | undefined {
  if (s.webhookUrl !== undefined || s.webhookPort !== undefined) return undefined;
  const host = s.webhookHost ?? DEFAULT_WEBHOOK_HOST;
  const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    check: WEBHOOKS_CHECK,
    ok: false,
    message:
      'no --webhook-url or --webhook-port was given, so the target cannot know where to send webhooks and the webhook cases are unsupported. ' +
      `To test them, configure the target app to POST webhooks (every event type: ${webhookEventList()}) to the suite's receiver and say where it listens: ` +
      `--webhook-port 9000 for a target on this machine (webhook URL http://${local}:9000/webhooks), or ` +
      '--webhook-host 0.0.0.0 --webhook-url http://HOST:9000/webhooks for a target in a container or on another host (HOST: this machine as the target reaches it, e.g. host.docker.internal)',
    blocks: [],
  };
}
