/**
 * `pusher-conformance serve`: load the configuration, start the reference server with a webhook
 * sender, and print where to connect. The caller wires SIGINT/SIGTERM to the returned close().
 * @module
 */
import { APP_PATH_PREFIX, PROTOCOL_VERSION } from '../../spec/src/protocol.ts';
import { RestPath } from '../../spec/src/rest/endpoints.ts';
import type { ServerConfig } from './app-config.ts';
import { loadServerConfig } from './config-loader.ts';
import { faults as faultCatalogue } from './faults.ts';
import { startReferenceServer, type RunningServer } from './server.ts';
import { webhookAppsFromConfig } from './webhooks/from-config.ts';
import { createWebhookSender } from './webhooks/sender.ts';

/** How long shutdown waits for queued webhooks. */
export const SHUTDOWN_WEBHOOK_FLUSH_MS = 2000;

export interface TextSink {
  write(chunk: string): unknown;
}

export interface ServeOptions {
  port?: number | undefined;
  host?: string | undefined;
  configFile?: string | undefined;
  faults?: readonly string[] | undefined;
  /** redis://host:port: run as one node of a cluster */
  cluster?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  stdout: TextSink;
  stderr: TextSink;
}

export interface ServeHandle {
  /** close every socket, leave the cluster, flush webhooks (bounded), stop timers; idempotent */
  close(): Promise<void>;
  /** ws://host:port (append /app/{key}) */
  readonly wsUrl: string;
  /** http://host:port (append /apps/{app_id}/…) */
  readonly httpUrl: string;
  readonly config: ServerConfig;
  readonly server: RunningServer;
}

/**
 * Throws the loader's ConfigError (one line, no stack needed) on a bad configuration, and the
 * listen error (EADDRINUSE, …) if the port is taken.
 * @example
 * const handle = await runServe({ port: 6001, env: process.env, stdout: process.stdout, stderr: process.stderr });
 * process.once('SIGINT', () => void handle.close().then(() => process.exit(0)));
 */
export async function runServe(options: ServeOptions): Promise<ServeHandle> {
  const config = loadServerConfig({
    configFile: options.configFile,
    env: options.env,
    flags: { port: options.port, host: options.host, faults: options.faults, cluster: options.cluster },
  });
  const faultSet = new Set(config.faults);
  const sender = createWebhookSender({
    apps: webhookAppsFromConfig(config.apps),
    faults: { has: (name) => faultSet.has(name) },
    log: (line) => options.stderr.write(`${line}\n`),
  });
  let server: RunningServer;
  try {
    server = await startReferenceServer(config, { webhookSink: sender, log: (line) => options.stderr.write(`${line}\n`) });
  } catch (err) {
    sender.close();
    throw err;
  }
  options.stdout.write(banner(config, server));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        await server.close();
        await sender.flush(SHUTDOWN_WEBHOOK_FLUSH_MS);
      } finally {
        sender.close();
      }
    })());

  return { close, wsUrl: server.wsUrl, httpUrl: server.httpUrl, config, server };
}

/** The startup text: URLs, credentials, faults, and a pusher-js line to paste. */
export function banner(config: ServerConfig, server: Pick<RunningServer, 'wsUrl' | 'httpUrl' | 'host' | 'port' | 'nodeId'>): string {
  const lines: string[] = [];
  lines.push(`Pusher Channels reference server (protocol ${PROTOCOL_VERSION})`);
  lines.push(`  WebSocket  ${server.wsUrl}${APP_PATH_PREFIX}{key}`);
  lines.push(`  REST       ${server.httpUrl}${RestPath.Events.replace('/events', '/…').replace('{app}', '{app_id}')}`);
  for (const app of config.apps) {
    const extras = [
      `profile=${app.profile}`,
      ...(app.enabled ? [] : ['disabled']),
      ...(app.webhooks.url !== undefined ? [`webhooks=${app.webhooks.url}`] : []),
    ];
    lines.push(`  app        id=${app.id} key=${app.key} secret=${app.secret}  ${extras.join(' ')}`);
  }
  if (config.cluster !== undefined) lines.push(`  cluster    ${config.cluster} (node ${server.nodeId ?? '?'})`);
  if (config.faults.length === 0) {
    lines.push('  faults     none');
  } else {
    lines.push(`  faults     ${config.faults.join(', ')}`);
    for (const name of config.faults) lines.push(`             ${name}: ${faultCatalogue[name].description}`);
    lines.push('  WARNING    faults are switched on: this server is deliberately broken and does not conform.');
  }
  const first = config.apps[0]!;
  // a wildcard listen address is not something a client can dial
  const dialHost = server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host;
  lines.push(
    `  pusher-js  new Pusher(${JSON.stringify(first.key)}, { cluster: 'local', wsHost: ${JSON.stringify(dialHost)}, wsPort: ${server.port}, forceTLS: false, enabledTransports: ['ws'] })`,
  );
  return `${lines.join('\n')}\n`;
}
