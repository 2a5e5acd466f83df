/**
 * Starts the reference server for one probe run: the probe's app settings, its extra apps, a
 * webhook receiver if it asked for one, and the given faults. Everything is torn down by stop().
 * @module
 */
import { parseConfig, type AppConfigInput } from '../../src/app-config.ts';
import type { FaultName } from '../../src/faults.ts';
import { startReferenceServer, type RunningServer } from '../../src/server.ts';
import { webhookAppsFromConfig } from '../../src/webhooks/from-config.ts';
import { createWebhookSender, type WebhookSender } from '../../src/webhooks/sender.ts';
import { PROBE_APP, type FaultProbe, type ProbeContext } from './fault-probes.ts';
import { startWebhookReceiver } from './rest-client.ts';
import { ClientPool } from './ws-client.ts';

export interface ProbeRun {
  ctx: ProbeContext;
  server: RunningServer;
  sender: WebhookSender;
  stop(): Promise<void>;
}

export interface ServerSetup {
  app?: Partial<AppConfigInput> | undefined;
  extraApps?: readonly AppConfigInput[] | undefined;
  webhooks?: { graceSeconds?: number; batching?: boolean } | undefined;
  faults?: readonly FaultName[] | undefined;
}

export async function startProbeServer(setup: ServerSetup): Promise<ProbeRun> {
  const receiver = setup.webhooks !== undefined ? await startWebhookReceiver() : undefined;
  const app: AppConfigInput = {
    ...PROBE_APP,
    ...setup.app,
    ...(receiver !== undefined
      ? { webhooks: { url: receiver.url, graceSeconds: setup.webhooks?.graceSeconds ?? 0, batching: setup.webhooks?.batching ?? false } }
      : {}),
  };
  const config = parseConfig({ host: '127.0.0.1', port: 0, apps: [app, ...(setup.extraApps ?? [])], faults: [...(setup.faults ?? [])] });
  const faultSet = new Set(config.faults);
  const sender = createWebhookSender({ apps: webhookAppsFromConfig(config.apps), faults: { has: (n) => faultSet.has(n) }, requestTimeoutMs: 2000 });
  let server: RunningServer;
  try {
    server = await startReferenceServer(config, { webhookSink: sender });
  } catch (err) {
    sender.close();
    await receiver?.close();
    throw err;
  }
  const pool = new ClientPool();
  const ctx: ProbeContext = {
    wsUrl: server.wsUrl,
    httpUrl: server.httpUrl,
    creds: { appId: PROBE_APP.id, key: PROBE_APP.key, secret: PROBE_APP.secret },
    webhooks: receiver,
    pool,
  };
  return {
    ctx,
    server,
    sender,
    async stop() {
      pool.closeAll();
      sender.close();
      await server.close();
      await receiver?.close();
    },
  };
}

/** Run one probe against a fresh server with or without its fault. */
export async function observe(fault: FaultName, probe: FaultProbe, on: boolean): Promise<string> {
  const run = await startProbeServer({ app: probe.app, extraApps: probe.extraApps, webhooks: probe.webhooks, faults: on ? [fault] : [] });
  try {
    return await probe.run(run.ctx);
  } finally {
    await run.stop();
  }
}
