/**
 * Frames captured from pusher-js 8 and requests captured from the pusher server SDK on tiny
 * loopback servers, checked against the spec schemas; and the spec's encoded server frames fed
 * back to pusher-js, which must understand them.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import PusherServer from 'pusher';
import PusherJsModule from 'pusher-js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import {
  AnyFrame,
  AuthQuery,
  BatchRequest,
  ClientEventFrame,
  ConnectionEstablishedFrame,
  Event,
  PingFrame,
  PresenceSubscriptionSucceededFrame,
  SigninFrame,
  SigninSuccessFrame,
  SubscribeFrame,
  SubscriptionSucceededFrame,
  TriggerRequest,
  UnsubscribeFrame,
  UserData,
  WebhookBody,
} from '../src/index.ts';
import { WebhookHeader, channelSharedSecret, signChannel, signUser, signWebhook, verifyRestRequest } from '../src/crypto/index.ts';

const Pusher = PusherJsModule as unknown as typeof PusherJsModule.default;
const KEY = 'app-key';
const SECRET = 'app-secret';
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function waitFor<T>(fn: () => T | undefined, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = fn();
      if (v !== undefined) return resolve(v);
      if (Date.now() - started > ms) return reject(new Error('timed out'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** A scripted ws server: sends the spec's encoding of each answer, records every client frame. */
async function scriptedServer() {
  const received: unknown[] = [];
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const sockets: WebSocket[] = [];
  const send = (ws: WebSocket, schema: z.ZodType, frame: unknown) => ws.send(JSON.stringify(z.encode(schema, frame as never)));
  wss.on('connection', (ws) => {
    sockets.push(ws);
    send(ws, ConnectionEstablishedFrame, { event: Event.ConnectionEstablished, data: { socket_id: '123.456', activity_timeout: 120 } });
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { event: string; data: Record<string, string> };
      received.push(frame);
      if (frame.event === Event.Subscribe) {
        const channel = frame.data.channel!;
        if (channel.startsWith('presence-')) {
          const cd = JSON.parse(frame.data.channel_data!) as { user_id: string; user_info: unknown };
          send(ws, PresenceSubscriptionSucceededFrame, { event: Event.SubscriptionSucceeded, channel, data: { presence: { ids: [cd.user_id], hash: { [cd.user_id]: cd.user_info }, count: 1 } } });
        } else {
          send(ws, SubscriptionSucceededFrame, { event: Event.SubscriptionSucceeded, channel, data: {} });
        }
      }
      if (frame.event === Event.Signin) {
        send(ws, SigninSuccessFrame, { event: Event.SigninSuccess, data: { user_data: frame.data.user_data } });
      }
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => { for (const s of sockets) s.terminate(); wss.close(); http.close(() => r()); }));
  return { port: (http.address() as AddressInfo).port, received };
}

describe('frames captured from pusher-js 8.6.0', () => {
  it('validate against the client-to-server schemas, and pusher-js understands the spec encoding of the answers', async () => {
    const { port, received } = await scriptedServer();
    const client = new Pusher(KEY, {
      cluster: 'local', wsHost: '127.0.0.1', wsPort: port, forceTLS: false, enabledTransports: ['ws'], activityTimeout: 400,
      channelAuthorization: {
        customHandler: ({ socketId, channelName }, cb) => {
          const channelData = channelName.startsWith('presence-') ? JSON.stringify({ user_id: 'u1', user_info: { name: 'A' } }) : undefined;
          cb(null, {
            auth: signChannel({ key: KEY, secret: SECRET, socketId, channel: channelName, channelData }),
            ...(channelData ? { channel_data: channelData } : {}),
            ...(channelName.startsWith('private-encrypted-') ? { shared_secret: Buffer.from(channelSharedSecret(channelName, MASTER_KEY)).toString('base64') } : {}),
          });
        },
      },
      userAuthentication: {
        customHandler: ({ socketId }, cb) => {
          const userData = JSON.stringify({ id: 'u1', watchlist: ['u2'] });
          cb(null, { auth: signUser({ key: KEY, secret: SECRET, socketId, userData }), user_data: userData });
        },
      },
    });
    cleanups.push(() => client.disconnect());

    const succeeded: string[] = [];
    let members = 0;
    for (const name of ['public-1', 'private-a', 'private-encrypted-e', 'presence-room']) {
      const channel = client.subscribe(name);
      channel.bind('pusher:subscription_succeeded', (m: { count?: number }) => {
        succeeded.push(name);
        if (name.startsWith('presence-')) members = m.count ?? -1;
      });
    }
    await waitFor(() => (succeeded.length === 4 ? true : undefined));
    expect(members).toBe(1);
    client.signin();
    client.channel('private-a').trigger('client-typing', { x: 1 });
    client.unsubscribe('public-1');
    await waitFor(() => (received.some((f) => (f as { event: string }).event === Event.Ping) ? true : undefined), 3000);

    const byEvent = (e: string) => received.filter((f) => (f as { event: string }).event === e);
    for (const f of byEvent(Event.Subscribe)) expect(SubscribeFrame.safeParse(f).success, JSON.stringify(f)).toBe(true);
    for (const f of byEvent(Event.Unsubscribe)) expect(UnsubscribeFrame.safeParse(f).success).toBe(true);
    const [signin] = byEvent(Event.Signin);
    expect(SigninFrame.safeParse(signin).success).toBe(true);
    expect(UserData.safeParse(JSON.parse(SigninFrame.parse(signin).data.user_data)).success).toBe(true);
    const [clientEvent] = received.filter((f) => (f as { event: string }).event.startsWith('client-'));
    expect(ClientEventFrame.safeParse(clientEvent).success).toBe(true);
    expect(PingFrame.safeParse(byEvent(Event.Ping)[0]).success).toBe(true);
    for (const f of received) expect(AnyFrame.safeParse(f).success).toBe(true);
    // after signin_success pusher-js subscribes to its server-to-user channel on its own
    await waitFor(() => (byEvent(Event.Subscribe).some((f) => SubscribeFrame.parse(f).data.channel === '#server-to-user-u1') ? true : undefined));
  });
});

describe('requests captured from the pusher server SDK 5.3.4', () => {
  async function capturingServer() {
    const requests: { method: string; path: string; query: URLSearchParams; body: string; headers: IncomingMessage['headers'] }[] = [];
    const http: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, body, headers: req.headers });
        res.setHeader('content-type', 'application/json');
        res.end(url.pathname.endsWith('/channels') ? '{"channels":{}}' : '{}');
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => http.close(() => r())));
    const sdk = new PusherServer({ appId: '123', key: KEY, secret: SECRET, host: '127.0.0.1', port: String((http.address() as AddressInfo).port), useTLS: false, encryptionMasterKeyBase64: MASTER_KEY });
    return { sdk, requests };
  }

  it('validate against the REST request schemas and verify with the spec signing functions', async () => {
    const { sdk, requests } = await capturingServer();
    await sdk.trigger(['my-channel', 'private-b'], 'my-event', { hello: 'world' }, { socket_id: '1.1', info: 'subscription_count' });
    await sdk.trigger('private-encrypted-x', 'secret', { s: 'top secret' });
    await sdk.triggerBatch([{ channel: 'a', name: 'e1', data: { n: 1 } }, { channel: 'private-encrypted-x', name: 'e2', data: { n: 2 } }]);
    await sdk.sendToUser('u1', 'evt', { a: 1 });
    await sdk.terminateUserConnections('u1');
    await sdk.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } });

    expect(requests).toHaveLength(6);
    for (const r of requests) {
      expect(AuthQuery.safeParse(Object.fromEntries(r.query)).success).toBe(true);
      const verdict = verifyRestRequest({ method: r.method, path: r.path, query: r.query, body: r.body, lookupSecret: (k) => (k === KEY ? SECRET : undefined), now: Math.floor(Date.now() / 1000), windowSeconds: 600 });
      expect(verdict).toMatchObject({ ok: true });
    }
    const events = requests.filter((r) => r.path === '/apps/123/events').map((r) => TriggerRequest.parse(JSON.parse(r.body)));
    expect(events[0]).toMatchObject({ name: 'my-event', channels: ['my-channel', 'private-b'], socket_id: '1.1' });
    expect(events[2]?.channels).toEqual(['#server-to-user-u1']);
    const batch = BatchRequest.parse(JSON.parse(requests.find((r) => r.path.endsWith('/batch_events'))!.body));
    expect(batch.batch).toHaveLength(2);
  });

  it('accepts webhooks signed with the spec webhook signature', () => {
    const sdk = new PusherServer({ appId: '123', key: KEY, secret: SECRET, host: '127.0.0.1' });
    const rawBody = JSON.stringify(WebhookBody.parse({ time_ms: Date.now(), events: [{ name: 'channel_occupied', channel: 'a' }] }));
    const webhook = sdk.webhook({
      headers: { 'content-type': 'application/json', [WebhookHeader.Key.toLowerCase()]: KEY, [WebhookHeader.Signature.toLowerCase()]: signWebhook(SECRET, rawBody) },
      rawBody,
    });
    expect(webhook.isValid()).toBe(true);
    expect(webhook.getEvents()).toEqual([{ name: 'channel_occupied', channel: 'a' }]);
  });
});
