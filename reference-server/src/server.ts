/**
 * The reference server: one node:http server carrying both the WebSocket endpoint and the REST
 * API on the same port.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { resolveProfile } from '../../spec/src/profiles.ts';
import { limitKeys, type LimitKey, type Limits } from '../../spec/src/limits.ts';
import { parseConfig, type AppConfig, type ServerConfig, type ServerConfigInput } from './app-config.ts';
import { AppRuntime, type AppSettings } from './app-runtime.ts';
import type { FaultSet, WebhookSink } from './contracts.ts';
import type { FaultName } from './faults.ts';
import { acceptConnection, type HandshakeContext } from './handshake.ts';
import { handleRest } from './rest/router.ts';
import { sendText } from './rest/http.ts';
import { RestPath } from '../../spec/src/rest/endpoints.ts';
import { APP_PATH_PREFIX } from '../../spec/src/protocol.ts';
import { joinCluster } from './cluster/start.ts';
import { parseRequestTarget } from './request-target.ts';
import { BodyBudget } from './rest/body.ts';

/** Room for the JSON envelope around a payload at the limit (escaping included). */
const FRAME_HEADROOM_BYTES = 64 * 1024;
/** close(): how long sockets get to finish their closing handshake before they are destroyed. */
const CLOSE_GRACE_MS = 1000;
/** RFC 6455 "going away", sent to every client when the server shuts down. */
const CLOSE_GOING_AWAY = 1001;
const NOT_FOUND = 404;
/** `/apps/` (everything before `{app}` in the REST templates) */
const REST_PREFIX = RestPath.Events.slice(0, RestPath.Events.indexOf('{'));

export interface StartOptions {
  /** where webhook-worthy events go; default: nowhere */
  webhookSink?: WebhookSink;
  /** operator messages (cluster: Redis lost, node dead); default: none */
  log?: (line: string) => void;
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** ws://host:port (append /app/{key}) */
  readonly wsUrl: string;
  /** http://host:port (append /apps/{id}/…) */
  readonly httpUrl: string;
  readonly apps: readonly AppConfig[];
  /** this node's id when it runs as a cluster node (config `cluster`) */
  readonly nodeId?: string;
  /** cluster nodes only: leave the cluster without a word, as a killed process would, then close */
  readonly crash?: () => Promise<void>;
  /** Close every socket (1001) and the HTTP server; resolves within about a second. */
  close(): Promise<void>;
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

export function createFaultSet(names: Iterable<FaultName>): FaultSet {
  const set = new Set(names);
  return { has: (name) => set.has(name) };
}

const noopSink: WebhookSink = {
  emit: () => {},
  cancelPending: () => false,
  flush: async () => {},
  close: () => {},
};

/** The app's limits: its profile's, then the app's own overrides; a limit the profile leaves open is Infinity. */
export function appSettings(app: AppConfig): AppSettings {
  const profile = resolveProfile(app.profile, {
    limits: {
      ...app.limits,
      ...(app.cacheTtlSeconds !== undefined ? { cacheTtlSeconds: app.cacheTtlSeconds } : {}),
      ...(app.userAuthentication.timeoutSeconds !== undefined ? { userAuthenticationTimeoutSeconds: app.userAuthentication.timeoutSeconds } : {}),
    },
  });
  const limits = Object.fromEntries(
    limitKeys.map((k) => [k, profile.limits[k] ?? Number.POSITIVE_INFINITY]),
  ) as Record<LimitKey, number> as Limits;
  return { limits, overQuotaCode: profile.dialect.overQuotaCode };
}

/**
 * Start the reference server. Port 0 picks a free port.
 * @example
 * const server = await startReferenceServer(parseConfig({ port: 0 }));
 * // connect to `${server.wsUrl}/app/app-key`, publish to `${server.httpUrl}/apps/app-id/events`
 * await server.close();
 */
export async function startReferenceServer(config: ServerConfig | ServerConfigInput, opts: StartOptions = {}): Promise<RunningServer> {
  const parsed = parseConfig(config);
  const faults = createFaultSet(parsed.faults);
  const sink = opts.webhookSink ?? noopSink;
  const apps = parsed.apps.map((app) => new AppRuntime(app, appSettings(app), faults, sink));
  const byKey = new Map(apps.map((a) => [a.config.key, a]));
  const byId = new Map(apps.map((a) => [a.config.id, a]));
  const defaultApp = apps[0]!;
  // a cluster node catches up with the running nodes before it accepts anyone (ClusterError if it cannot)
  const clusterNode = parsed.cluster !== undefined ? await joinCluster(parsed.cluster, apps, faults, opts.log ?? (() => {})) : undefined;

  const handshake: HandshakeContext = { appByKey: (key) => byKey.get(key), defaultApp, faults, socketIds: new Set(), maxConnections: parsed.maxConnections };
  const maxPayload = Math.max(...apps.map((a) => a.limits.eventDataBytes)) + FRAME_HEADROOM_BYTES;
  // clause: robustness.oversized-frame (ws closes an oversized frame with 1009)
  // clause: connection.protocol-ping (ws answers a ping control frame with its payload)
  // no permessage-deflate: its zlib context costs tens of KiB per connection and Pusher clients do not ask for it
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, autoPong: !faults.has('no-protocol-pong') });
  wss.on('connection', (ws, req: IncomingMessage) => {
    acceptConnection(handshake, ws, req);
  });

  const restContext = { findApp: (idOrKey: string) => byId.get(idOrKey) ?? byKey.get(idOrKey), defaultApp, bodyBudget: new BodyBudget(parsed.restBufferBytes), bodyDeadlineMs: parsed.requestTimeoutSeconds * 1000, ...(clusterNode ? { settled: () => clusterNode.settled(), barrier: () => clusterNode.barrier() } : {}) };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').startsWith(REST_PREFIX)) {
      void handleRest(restContext, req, res);
      return;
    }
    sendText(res, NOT_FOUND, `Not found: the WebSocket endpoint is ${APP_PATH_PREFIX}{key}, the REST API ${REST_PREFIX}{app_id}/…`);
  });
  // headers within the request timeout; the body has its own deadline (rest/body.ts), this is the backstop
  server.headersTimeout = parsed.requestTimeoutSeconds * 1000;
  server.requestTimeout = parsed.requestTimeoutSeconds * 2000;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // a shared listener: a closure here would share this scope's context with the upgrade
    // callback below and so keep `req` (headers and all) alive for the socket's lifetime
    socket.on('error', destroyOnError);
    if (!parseRequestTarget(req.url)) {
      // not an origin-form target (`//`, `//[x`, `//a:b@/…`, `*`): no path to judge, a plain 400
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    // every path is upgraded, so that a wrong one is refused with close code 4005;
    // corked, the 101 response and the first frame leave in one write (handleUpgrade is synchronous)
    socket.cork();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    socket.uncork();
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(parsed.port, parsed.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await clusterNode?.close();
    throw err;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : parsed.port;
  const urlHost = parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      for (const ws of wss.clients) ws.close(CLOSE_GOING_AWAY, 'Server shutting down');
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
      await Promise.race([Promise.all([...wss.clients].map((ws) => new Promise<void>((r) => ws.once('close', () => r())))), timer]);
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await Promise.race([httpClosed, new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
      wss.close();
      // after the sockets: their departures reach the other nodes first
      await clusterNode?.close();
      for (const app of apps) app.dispose();
      await sink.flush(CLOSE_GRACE_MS).catch(() => {});
    })());

  return {
    host: parsed.host,
    port,
    wsUrl: `ws://${urlHost}:${port}`,
    httpUrl: `http://${urlHost}:${port}`,
    apps: parsed.apps,
    ...(clusterNode
      ? {
          nodeId: clusterNode.nodeId,
          crash: async () => {
            clusterNode.abandon();
            await close();
          },
        }
      : {}),
    close,
  };
}
