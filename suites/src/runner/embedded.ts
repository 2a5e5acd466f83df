/**
 * The embedded target: the reference server started in-process on a free loopback port,
 * configured so that every case can run (short cache TTL, webhooks to the suite's receiver with
 * a short grace delay, and extra apps for the app-management cases).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createFaultSet, isFaultName, parseConfig, startReferenceServer, type FaultName, type RunningServer, type ServerConfigInput } from '../../../reference-server/src/index.ts';
import { createWebhookSender, type WebhookSender } from '../../../reference-server/src/webhooks/sender.ts';
import { webhookAppsFromConfig } from '../../../reference-server/src/webhooks/from-config.ts';
import { embeddedTimers, type EmbeddedTimerKey } from '../../../spec/src/profiles.ts';
import { HarnessError } from '../model/outcome.ts';
import type { Target } from '../harness/types.ts';

/** Credentials and settings of the embedded server's apps. */
export const EMBEDDED = {
  main: { id: 'app-id', key: 'app-key', secret: 'app-secret' },
  disabled: { id: 'app-disabled', key: 'app-disabled-key', secret: 'app-disabled-secret' },
  limited: { id: 'app-limited', key: 'app-limited-key', secret: 'app-limited-secret', maxConnections: 2 },
  clientEventsOff: { id: 'app-no-client-events', key: 'app-no-client-events-key', secret: 'app-no-client-events-secret' },
  cacheTtlSeconds: embeddedTimers.cacheTtlSeconds.value,
  webhookGraceSeconds: embeddedTimers.webhookGraceSeconds.value,
  /** webhook retries stop quickly so shutdown never waits on a dead receiver */
  webhookRetrySeconds: embeddedTimers.webhookRetrySeconds.value,
  subscriptionCountIntervalSeconds: embeddedTimers.subscriptionCountIntervalSeconds.value,
} as const;

/** every shortened timer of the embedded target, as the limits it declares (spec/src/profiles.ts embeddedTimers) */
const timerLimits = Object.fromEntries(Object.entries(embeddedTimers).map(([k, t]) => [k, t.value])) as Record<EmbeddedTimerKey, number>;

export interface EmbeddedTarget {
  readonly ws: string;
  readonly http: string;
  readonly appId: string;
  readonly key: string;
  readonly secret: string;
  readonly encryptionMasterKey: string;
  readonly extraApps: NonNullable<Target['extraApps']>;
  /** limits the server really uses, to override in the profile */
  readonly limits: Readonly<Record<EmbeddedTimerKey, number>>;
  readonly faults: readonly FaultName[];
  stop(): Promise<void>;
  /** cluster nodes only: stop as a killed process would (no goodbye to the other nodes) */
  crash?(): Promise<void>;
}

/** One node of an embedded cluster (suites/src/runner/embedded-cluster.ts). */
export interface EmbeddedNodeOptions {
  /** redis://…: join the other nodes there */
  readonly cluster: string;
  /** fixed port (a restarted node keeps its URLs); default a free one */
  readonly port?: number;
  /** every node of a cluster shares the key */
  readonly encryptionMasterKey: string;
}

export async function startEmbedded(opts: { webhookUrl?: string; faults?: readonly string[]; node?: EmbeddedNodeOptions } = {}): Promise<EmbeddedTarget> {
  const faults: FaultName[] = [];
  for (const f of opts.faults ?? []) {
    if (!isFaultName(f)) throw new HarnessError(`unknown fault "${f}" (see reference-server/src/faults.ts)`);
    faults.push(f);
  }
  const encryptionMasterKey = opts.node?.encryptionMasterKey ?? randomBytes(32).toString('base64');
  const webhooks = opts.webhookUrl ? { url: opts.webhookUrl, graceSeconds: EMBEDDED.webhookGraceSeconds } : {};
  const config: ServerConfigInput = {
    host: '127.0.0.1',
    port: opts.node?.port ?? 0,
    faults,
    ...(opts.node ? { cluster: opts.node.cluster } : {}),
    apps: [
      {
        ...EMBEDDED.main,
        clientEvents: true,
        subscriptionCount: true,
        cacheTtlSeconds: EMBEDDED.cacheTtlSeconds,
        limits: { subscriptionCountIntervalSeconds: EMBEDDED.subscriptionCountIntervalSeconds },
        encryptionMasterKey,
        webhooks,
      },
      { ...EMBEDDED.disabled, enabled: false },
      { ...EMBEDDED.limited },
      { ...EMBEDDED.clientEventsOff, clientEvents: false },
    ],
  };
  let server: RunningServer;
  let sender: WebhookSender | undefined;
  try {
    const parsed = parseConfig(config);
    sender = createWebhookSender({ apps: webhookAppsFromConfig(parsed.apps), faults: createFaultSet(faults), retrySeconds: EMBEDDED.webhookRetrySeconds });
    server = await startReferenceServer(parsed, { webhookSink: sender });
  } catch (e) {
    sender?.close();
    throw new HarnessError(`could not start the embedded reference server: ${(e as Error).message}`);
  }
  return {
    ws: server.wsUrl,
    http: server.httpUrl,
    appId: EMBEDDED.main.id,
    key: EMBEDDED.main.key,
    secret: EMBEDDED.main.secret,
    encryptionMasterKey,
    extraApps: {
      disabled: { key: EMBEDDED.disabled.key },
      limitedConnections: { key: EMBEDDED.limited.key, max: EMBEDDED.limited.maxConnections },
      clientEventsOff: { key: EMBEDDED.clientEventsOff.key, appId: EMBEDDED.clientEventsOff.id, secret: EMBEDDED.clientEventsOff.secret },
    },
    limits: timerLimits,
    faults,
    async stop() {
      await server.close();
      sender?.close();
    },
    ...(server.crash
      ? {
          async crash() {
            await server.crash!();
            sender?.close();
          },
        }
      : {}),
  };
}
