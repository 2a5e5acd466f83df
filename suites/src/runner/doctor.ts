/**
 * The doctor: diagnose the setup before judging the server. Is the URL reachable, is it a
 * WebSocket endpoint, does the key connect, does the secret sign, is the clock close enough,
 * does the webhook receiver get traffic. A failure that blocks everything turns every case into
 * `error` with the doctor's explanation; one that blocks a feature does so for its cases.
 * @module
 */
import { connect as netConnect } from 'node:net';
import type { DoctorCheck } from '../../../spec/src/report.ts';
import { ErrorCode } from '../../../spec/src/error-codes.ts';
import { Event } from '../../../spec/src/events.ts';
import { appPath, ConnectQuery, PROTOCOL_VERSION } from '../../../spec/src/protocol.ts';
import { RestStatus } from '../../../spec/src/rest/endpoints.ts';
import { WebhookEventName } from '../../../spec/src/webhooks.ts';
import { limits as limitCatalogue } from '../../../spec/src/limits.ts';
import { HarnessClient, checkEstablished, errorFrameCode } from '../harness/client.ts';
import { HarnessRest } from '../harness/rest.ts';
import { scaleMs } from '../harness/timing.ts';
import { Transcript, clip } from '../harness/transcript.ts';
import { isLoopbackHost, type WebhookReceiver } from '../harness/webhooks.ts';
import type { Target } from '../harness/types.ts';
import { restProofChecks } from './doctor-rest.ts';
import { configureTargetHint } from './webhook-setup.ts';

/** `blocks` value of a check that makes every case untestable */
export const BLOCKS_ALL = '*';
/** clock skew that earns a warning */
export const CLOCK_WARN_SECONDS = 30;
/** how long the webhook check waits for channel_occupied, before time-scale */
export const WEBHOOK_CHECK_MS = 4_000;

export interface DoctorOptions {
  readonly target: Target;
  /** the `{app}` REST path segment */
  readonly restApp: string;
  readonly timeScale: number;
  readonly receiver?: WebhookReceiver;
  readonly suiteVersion?: string;
}

const scaled = scaleMs;

function tcpCheck(url: URL, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  const port = Number(url.port || (url.protocol === 'wss:' || url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, reason: `no TCP answer from ${host}:${port} within ${timeoutMs} ms (firewall, wrong host?)` });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: true });
    });
    socket.once('error', (e: Error & { code?: string }) => {
      clearTimeout(timer);
      const reason =
        e.code === 'ECONNREFUSED'
          ? `connection refused at ${host}:${port}: nothing listens there (is the server running, is the port right?)`
          : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
            ? `the host ${host} does not resolve`
            : `${host}:${port} unreachable: ${e.message}`;
      resolve({ ok: false, reason });
    });
  });
}

const looksHtml = (body: string, contentType = ''): boolean => /html/i.test(contentType) || /^\s*<(!doctype|html|head|body)/i.test(body);

export async function runDoctor(opts: DoctorOptions): Promise<DoctorCheck[]> {
  const { target, timeScale } = opts;
  const checks: DoctorCheck[] = [];
  const transcript = new Transcript();
  const fail = (check: string, message: string, blocks: string[] = [BLOCKS_ALL]): DoctorCheck[] => {
    checks.push({ check, ok: false, message, blocks });
    return checks;
  };

  // 1. TCP
  let wsUrl: URL;
  try {
    wsUrl = new URL(target.ws);
  } catch {
    return fail('ws-url', `the WebSocket URL ${target.ws} is not a URL`);
  }
  const tcp = await tcpCheck(wsUrl, scaled(3000, timeScale));
  if (!tcp.ok) return fail('tcp', tcp.reason);
  checks.push({ check: 'tcp', ok: true, message: `${wsUrl.host} accepts TCP connections` });

  // 2 + 3. WebSocket upgrade and app key
  const query = { [ConnectQuery.Protocol]: String(PROTOCOL_VERSION), [ConnectQuery.Client]: 'pusher-conformance-doctor', [ConnectQuery.Version]: opts.suiteVersion ?? '0' };
  const url = `${target.ws.replace(/\/+$/, '')}${appPath(target.key)}?${new URLSearchParams(query).toString()}`;
  const deps = { label: 'doctor', url, key: target.key, secret: target.secret, transcript, timeScale, newUserId: () => 'doctor' };
  let client: HarnessClient;
  try {
    client = await HarnessClient.open(deps);
  } catch (e) {
    return fail('websocket', (e as Error).message);
  }
  if (client.httpRefusal) {
    const r = client.httpRefusal;
    const what = looksHtml(r.body, r.contentType)
      ? 'an HTML page: a web server or proxy answers there, not a Pusher WebSocket endpoint (check the proxy\'s WebSocket upgrade settings and the path)'
      : `${r.body ? `"${clip(r.body, 200)}"` : 'an empty body'}: not a WebSocket endpoint at ${wsUrl.pathname === '/' ? 'this URL' : wsUrl.pathname}`;
    return fail('websocket', `the WebSocket upgrade to ${url} was refused with HTTP ${r.status} and ${what}`);
  }
  if (client.upgradeFailure === 'timeout') {
    return fail('websocket', `${wsUrl.host} accepts TCP connections but sent nothing in answer to the WebSocket upgrade (${client.closeInfo?.reason ?? 'no answer'}): a silent port, not an HTTP or WebSocket server (wrong port?)`);
  }
  if (client.closeInfo && !client.isOpen && client.frames().length === 0 && client.closeInfo.code === 1006) {
    return fail('websocket', `the server at ${target.ws} dropped the connection during the WebSocket upgrade (${client.closeInfo.reason})`);
  }
  checks.push({ check: 'websocket', ok: true, message: `${target.ws} accepts WebSocket upgrades` });

  const established = await client.waitFor({ where: (f) => f.event === Event.ConnectionEstablished || f.event === Event.Error, within: 5000 });
  if (established === undefined || established.event === Event.Error) {
    const code = established ? errorFrameCode(established) : (await client.expectClose({ within: 1000 }).catch(() => undefined))?.code;
    client.terminate();
    if (code === ErrorCode.AppNotFound) return fail('app-key', `unknown app key "${target.key}": the server refused it with ${ErrorCode.AppNotFound}; check --key (the key, not the app id)`);
    if (code === ErrorCode.AppDisabled) return fail('app-key', `the app with key "${target.key}" is disabled on the target (${ErrorCode.AppDisabled})`);
    if (code !== undefined && code !== null) return fail('app-key', `the key "${target.key}" did not connect: the server answered with code ${code}`);
    return fail('app-key', `no ${Event.ConnectionEstablished} within ${scaled(5000, timeScale)} ms on ${url} (${client.arrivals()}): is this a Pusher-protocol server?`);
  }
  // clause connection.established-*: the harness needs a decodable handshake with a socket_id
  const handshake = checkEstablished(established);
  await client.close();
  if (!handshake.ok) return fail('handshake', `${handshake.problem}: the target is not a Pusher-protocol server, or its handshake is broken (nothing can be judged over it)`);
  checks.push({ check: 'app-key', ok: true, message: `key "${target.key}" connects (socket_id ${handshake.socketId})${handshake.departure ? `; the handshake departs from the spec, judged by the connection cases: ${clip(handshake.departure, 200)}` : ''}` });

  // 4. REST signing and 5. clock
  const rest = new HarnessRest({ http: target.http, app: opts.restApp, key: target.key, secret: target.secret, transcript, timeScale, label: 'doctor' });
  const path = rest.path('channels');
  let res;
  try {
    res = await rest.channels();
  } catch (e) {
    return fail('rest', `the REST API at ${target.http} did not answer: ${(e as Error).message.replace(/^REST request [A-Z]+ \S+ failed: /, '')}`);
  }
  if (looksHtml(res.text, res.headers['content-type'])) {
    return fail('rest', `GET ${path} on ${target.http} answered HTTP ${res.status} with an HTML page: a proxy or web server sits in front of the REST API (check --http)`);
  }
  if (res.status === RestStatus.Unauthorized) {
    return fail('rest', `GET ${path} was refused with 401: the secret does not sign (wrong --secret, or a secret of another app): ${clip(res.text, 200)}`);
  }
  if (res.status === RestStatus.NotFound) {
    return fail('rest', `GET ${path} answered 404: wrong app id (--app-id ${target.appId}) or wrong REST URL (--http ${target.http}${opts.restApp === target.key ? ', profile addresses the app by key' : ''})`);
  }
  if (res.status === RestStatus.Forbidden) {
    return fail('rest', `GET ${path} was refused with 403: the app or key is not allowed to use the REST API: ${clip(res.text, 200)}`);
  }
  if (res.status < 200 || res.status >= 300) {
    return fail('rest', `GET ${path} answered HTTP ${res.status}: ${clip(res.text, 200)}`);
  }
  checks.push({ check: 'rest', ok: true, message: `the secret signs: GET ${path} answered ${res.status}` });
  // a 2xx proves nothing by itself: a wrong signature must be refused, and a publish must arrive
  const proofs = await restProofChecks({ rest, http: target.http, client: deps });
  checks.push(...proofs);
  if (proofs.some((c) => !c.ok && (c.blocks ?? []).includes(BLOCKS_ALL))) return checks;

  const date = res.headers.date;
  if (date === undefined || Number.isNaN(Date.parse(date))) {
    checks.push({ check: 'clock', ok: true, message: 'the REST response has no Date header; clock skew not measured' });
  } else {
    const skew = Math.round((Date.parse(date) - Date.now()) / 1000);
    const window = target.profile.limits.timestampWindowSeconds ?? limitCatalogue.timestampWindowSeconds.pusher;
    if (Math.abs(skew) >= window * 0.9) {
      return fail('clock', `the target's clock is ${skew} s off ours: signed requests are near or past the ${window} s auth_timestamp window; fix the clock (NTP) on one side`);
    }
    if (Math.abs(skew) > CLOCK_WARN_SECONDS) {
      checks.push({ check: 'clock', ok: false, message: `the target's clock is ${skew} s off ours (more than ${CLOCK_WARN_SECONDS} s): timestamp-window cases may misjudge`, blocks: [] });
    } else {
      checks.push({ check: 'clock', ok: true, message: `clock skew ${skew} s` });
    }
  }

  // 6. webhooks reach the suite
  if (target.features.has('webhooks')) {
    const receiver = opts.receiver;
    if (!receiver) {
      checks.push({ check: 'webhooks', ok: false, message: 'webhooks are declared but the suite runs no receiver', blocks: ['webhooks'] });
    } else {
      const channel = `pcdoctor-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
      let got = false;
      const seen = new Promise<void>((resolve) => {
        const off = receiver.onReceive((hook) => {
          const events = (hook.body as { events?: unknown } | undefined)?.events;
          if (Array.isArray(events) && events.some((e) => (e as { channel?: unknown; name?: unknown }).channel === channel && (e as { name?: unknown }).name === WebhookEventName.ChannelOccupied)) {
            got = true;
            off();
            resolve();
          }
        });
        setTimeout(() => {
          off();
          resolve();
        }, scaled(WEBHOOK_CHECK_MS, timeScale)).unref();
      });
      try {
        const c = await HarnessClient.connect({ ...deps, label: 'doctor-webhooks' });
        await c.subscribe(channel);
        c.unsubscribe(channel);
        await seen;
        await c.close();
      } catch (e) {
        checks.push({ check: 'webhooks', ok: false, message: `could not drive the webhook check: ${(e as Error).message}`, blocks: ['webhooks'] });
      }
      if (!checks.some((c) => c.check === 'webhooks')) {
        checks.push(
          got
            ? { check: 'webhooks', ok: true, message: `channel_occupied reached the suite's receiver at ${receiver.url}` }
            : {
                check: 'webhooks',
                ok: false,
                message:
                  `no webhook reached the suite's receiver (listening on ${receiver.listening}) within ${scaled(WEBHOOK_CHECK_MS, timeScale)} ms of occupying a channel: ${configureTargetHint(receiver.url)}` +
                  // a receiver on loopback is out of reach of a target in a container or on another host
                  (receiver.loopbackOnly && !isLoopbackHost(wsUrl.hostname) ? '; a target in a container or on another host cannot reach a receiver on loopback: add --webhook-host 0.0.0.0 and --webhook-url with an address the target reaches' : '') +
                  ', or leave webhooks out of --features (-webhooks)',
                blocks: ['webhooks'],
              },
        );
      }
    }
  }
  return checks;
}

/** The check that blocks every case, if any. */
export const blockingAll = (checks: readonly DoctorCheck[]): DoctorCheck | undefined => checks.find((c) => !c.ok && (c.blocks ?? []).includes(BLOCKS_ALL));

/** feature → the check that blocks it */
export function blockedFeatures(checks: readonly DoctorCheck[]): Map<string, DoctorCheck> {
  const out = new Map<string, DoctorCheck>();
  for (const c of checks) if (!c.ok) for (const b of c.blocks ?? []) if (b !== BLOCKS_ALL) out.set(b, c);
  return out;
}
