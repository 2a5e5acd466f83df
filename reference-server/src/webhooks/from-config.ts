/**
 * The webhook sender's view of the server configuration.
 * @module
 */
import type { WebhookEventName } from '../../../spec/src/webhooks.ts';
import type { AppConfig } from '../app-config.ts';
import { appSettings } from '../server.ts';
import type { WebhookApp } from './sender.ts';

/** app id → key, secret and webhook target (URL, event types, batching, grace, retry window) */
export function webhookAppsFromConfig(apps: readonly AppConfig[]): Map<string, WebhookApp> {
  return new Map(
    apps.map((app) => [
      app.id,
      {
        key: app.key,
        secret: app.secret,
        webhooks:
          app.webhooks.url === undefined
            ? undefined
            : {
                url: app.webhooks.url,
                eventTypes: app.webhooks.eventTypes as WebhookEventName[],
                batching: app.webhooks.batching,
                graceSeconds: app.webhooks.graceSeconds,
                retrySeconds: retryWindow(app),
              },
      },
    ]),
  );
}

/** the profile's retry window with the app's override; one the profile leaves open keeps the sender's default */
function retryWindow(app: AppConfig): number | undefined {
  const seconds: number | null = appSettings(app).limits.webhookRetrySeconds;
  return seconds !== null && Number.isFinite(seconds) ? seconds : undefined;
}
