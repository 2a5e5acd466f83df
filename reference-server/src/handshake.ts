/**
 * Accepting a WebSocket: the path, the app, the protocol version and the quota decide whether a
 * connection is refused (with its close code) or established.
 * @module
 */
import { randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { Event } from '../../spec/src/events.ts';
import { APP_PATH_PREFIX, ConnectQuery, MIN_SUPPORTED_PROTOCOL, PROTOCOL_VERSION } from '../../spec/src/protocol.ts';
import type { AppRuntime } from './app-runtime.ts';
import type { FaultSet } from './contracts.ts';
import { Connection, connectionOf, type ConnectionHooks } from './connection.ts';
import { ProtocolError, sendError } from './errors.ts';
import { handleMessage } from './dispatch.ts';
import { leaveAll } from './channels/membership.ts';
import { signOut } from './users.ts';
import { parseRequestTarget } from './request-target.ts';

/** Digits on each side of the socket id's dot: 1..1e9, as Reverb does. */
const SOCKET_ID_PART_MAX = 1_000_000_000;
/** handshake-deferred: how long connection_established waits while frames are already handled */
const HANDSHAKE_DEFER_MS = 150;

export interface HandshakeContext {
  appByKey(key: string): AppRuntime | undefined;
  /** the first configured app: the target of the bad-path / unknown-app faults */
  readonly defaultApp: AppRuntime;
  readonly faults: FaultSet;
  /** socket ids of every live connection of the server */
  readonly socketIds: Set<string>;
  /** open connections of the whole server, all apps; null or absent: unlimited */
  readonly maxConnections?: number | null;
}

export function acceptConnection(ctx: HandshakeContext, ws: WebSocket, req: IncomingMessage): Connection | undefined {
  // the upgrade handler answers 400 to any other form; an empty path is refused as not found below
  const url = parseRequestTarget(req.url) ?? { pathname: '', searchParams: new URLSearchParams() };
  const protocolParam = url.searchParams.get(ConnectQuery.Protocol);
  // the protocol decides whether a refusal is preceded by a pusher:error frame (< 6)
  const announced = protocolParam !== null && /^\d+$/.test(protocolParam) ? Number(protocolParam) : PROTOCOL_VERSION;
  const refuse = (code: number, message: string, clause: ProtocolError['clause'], app?: AppRuntime): undefined => {
    const target = {
      protocol: announced,
      errorDataAsString: app?.faults.has('error-data-string') ?? false,
      send: (frame: object) => ws.send(JSON.stringify(frame)),
      close: (c: number, reason: string) => ws.close(c, reason),
    };
    sendError(target, new ProtocolError(code as ProtocolError['code'], message, clause, true));
    return undefined;
  };

  const anyFaults = ctx.faults;
  if (ctx.maxConnections != null && ctx.socketIds.size >= ctx.maxConnections) {
    // clause: limits.server-capacity (the server's own bound, before any app is looked at)
    return refuse(ErrorCode.OverCapacity, `Server at capacity (${ctx.maxConnections} connections); try again later`, 'limits.server-capacity');
  }
  let app: AppRuntime | undefined;
  const rest = url.pathname.startsWith(APP_PATH_PREFIX) ? url.pathname.slice(APP_PATH_PREFIX.length) : undefined;
  if (rest === undefined || rest.length === 0 || rest.includes('/')) {
    // clause: connection.path-not-found
    if (!anyFaults.has('bad-path-accepted')) return refuse(ErrorCode.PathNotFound, `No WebSocket endpoint at ${url.pathname}; use ${APP_PATH_PREFIX}{key}`, 'connection.path-not-found');
    app = ctx.defaultApp;
  } else {
    let key: string;
    try {
      key = decodeURIComponent(rest);
    } catch {
      key = rest;
    }
    app = ctx.appByKey(key);
    if (!app) {
      // clause: connection.unknown-app-key
      if (anyFaults.has('unknown-app-wrong-code')) return refuse(ErrorCode.ReconnectImmediately, `App key ${key} does not exist`, 'connection.unknown-app-key');
      if (!anyFaults.has('unknown-app-accepted')) return refuse(ErrorCode.AppNotFound, `App key ${key} does not exist`, 'connection.unknown-app-key');
      app = ctx.defaultApp;
    }
  }
  const { faults } = app;
  if (!app.config.enabled && !faults.has('disabled-app-accepted')) {
    // clause: connection.app-disabled
    return refuse(ErrorCode.AppDisabled, `App ${app.id} is disabled`, 'connection.app-disabled', app);
  }
  if (protocolParam !== null) {
    if (!/^\d+$/.test(protocolParam)) {
      // clause: connection.version-format-4006 (a protocol that is not a number)
      return refuse(ErrorCode.InvalidVersionFormat, `Invalid protocol ${JSON.stringify(protocolParam)}: expected an integer`, 'connection.version-format-4006', app);
    }
    if (announced < MIN_SUPPORTED_PROTOCOL || announced > PROTOCOL_VERSION) {
      // clause: connection.protocol-unsupported-4007 / connection.protocol-no-dialect-switch
      return refuse(ErrorCode.UnsupportedProtocol, `Unsupported protocol ${announced}: this server speaks ${MIN_SUPPORTED_PROTOCOL} to ${PROTOCOL_VERSION}`, 'connection.protocol-unsupported-4007', app);
    }
  }
  // clause: connection.protocol-missing-4008 (no protocol: accepted as the current one)
  const max = app.config.maxConnections;
  const quotaApp = app;
  const overQuota = (): undefined => refuse(quotaApp.settings.overQuotaCode, `App ${quotaApp.id} is over its quota of ${max} connections`, 'connection.over-quota', quotaApp);
  if (max !== null && app.cluster?.countsConnections) {
    // clause: connection.over-quota (a cluster counts every node's connections atomically in its engine)
    void app.cluster.reserveConnection(max).then((ok) => {
      if (!ok) return overQuota();
      if (ws.readyState !== ws.OPEN) return quotaApp.cluster?.connectionReleased();
      establish(ctx, ws, quotaApp, announced);
    });
    return undefined;
  }
  if (max !== null && app.connections.size >= max && !faults.has('quota-not-enforced')) {
    // clause: connection.over-quota
    return overQuota();
  }
  return establish(ctx, ws, app, announced);
}

/** one hooks object per server, shared by its connections (a per-connection closure costs memory) */
const hooksByContext = new WeakMap<HandshakeContext, ConnectionHooks>();

function hooksFor(ctx: HandshakeContext): ConnectionHooks {
  let hooks = hooksByContext.get(ctx);
  if (hooks === undefined) {
    hooks = {
      onClosed: (closed) => {
        leaveAll(closed.app, closed);
        signOut(closed.app, closed);
        closed.app.connections.delete(closed.socketId);
        closed.app.cluster?.connectionsChanged();
        closed.app.cluster?.connectionReleased();
        ctx.socketIds.delete(closed.socketId);
      },
    };
    hooksByContext.set(ctx, hooks);
  }
  return hooks;
}

function onMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  const conn = connectionOf(this);
  if (conn) handleMessage(conn, data, isBinary);
}

/** The connection is accepted: socket id, close handling, connection_established, liveness. */
function establish(ctx: HandshakeContext, ws: WebSocket, app: AppRuntime, announced: number): Connection {
  const { faults } = app;
  const socketId = newSocketId(ctx, faults.has('socket-id-malformed'));
  ctx.socketIds.add(socketId);
  const conn = new Connection(ws, app, socketId, announced, hooksFor(ctx));
  app.connections.set(socketId, conn);
  app.cluster?.connectionsChanged();
  // a cluster keeps a connection's frames in order while one waits for the other nodes
  const cluster = app.cluster;
  if (cluster) ws.on('message', (data, isBinary) => cluster.inbound(conn, data, isBinary, () => ws.readyState === ws.OPEN && handleMessage(conn, data, isBinary)));
  else ws.on('message', onMessage);

  // clause: connection.established-first / connection.established-fields / connection.established-data-string
  const activityTimeout = faults.has('activity-timeout-zero') ? 0 : app.config.activityTimeoutSeconds;
  const data = { socket_id: socketId, activity_timeout: activityTimeout };
  const established = { event: Event.ConnectionEstablished, data: faults.has('handshake-data-object') ? data : JSON.stringify(data) };
  if (faults.has('handshake-deferred')) setTimeout(() => conn.send(established), HANDSHAKE_DEFER_MS);
  else conn.send(established);

  conn.startLiveness(app.config.activityTimeoutSeconds * 1000, app.config.pongTimeoutSeconds * 1000);
  if (app.config.userAuthentication.required) {
    // clause: signin.authorized-connections-timeout
    conn.requireAuthorization(app.limits.userAuthenticationTimeoutSeconds * 1000);
  }
  return conn;
}

/** A fresh `digits.digits` id no live connection has. */
function newSocketId(ctx: HandshakeContext, malformed: boolean): string {
  for (;;) {
    const id = `${randomInt(1, SOCKET_ID_PART_MAX)}.${randomInt(1, SOCKET_ID_PART_MAX)}`;
    // clause: connection.socket-id-format / connection.socket-id-unique
    const candidate = malformed ? `socket-${id.replace('.', '-')}` : id;
    if (!ctx.socketIds.has(candidate)) return candidate;
  }
}
