/**
 * Issue 8 stress check: hostile-input properties beyond frames. Generates upgrade and REST request
 * targets and headers (odd paths, percent-encoding, huge headers), JSON of adversarial depth and
 * width in every JSON-carrying field, and slow/stalled clients. Each property asserts that no
 * uncaughtException/unhandledRejection happened and that a fresh client still connects,
 * subscribes and receives an event published over signed REST. Seed: test-support/seed.ts.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Event } from '../../spec/src/events.ts';
import { JSON_MAX_DEPTH } from '../../spec/src/limits.ts';
import { signChannel } from '../../spec/src/crypto/channel-auth.ts';
import { signUser } from '../../spec/src/crypto/user-auth.ts';
import { signRestRequest } from '../../spec/src/crypto/rest-signing.ts';
import { FAST_CHECK_SEED } from '../../test-support/seed.ts';
import { startReferenceServer, type RunningServer } from '../src/server.ts';
import { connect, type ConnectedClient } from './support/raw-client.ts';
import { rawExchange } from './support/raw-exchange.ts';

const APP = { id: 'app-id', key: 'app-key', secret: 'app-secret' };
const TEST_TIMEOUT_MS = 25_000;
const RAW_WAIT_MS = 400;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: FAST_CHECK_SEED, numRuns, endOnFailure: true });

let server: RunningServer;
const clients: ConnectedClient[] = [];
const crashes: unknown[] = [];
const onCrash = (e: unknown): void => void crashes.push(e);

beforeEach(async () => {
  crashes.length = 0;
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  server = await startReferenceServer({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await server.close();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
});

async function client(): Promise<ConnectedClient> {
  const c = await connect(server.wsUrl, APP.key);
  clients.push(c);
  return c;
}
async function release(c: ConnectedClient): Promise<void> {
  clients.splice(clients.indexOf(c), 1);
  await c.close();
}

/** Send raw bytes; collect the answer until the server closes or the bound passes (stall: never end). */
const raw = (text: string | Buffer, ms = RAW_WAIT_MS): Promise<string> => rawExchange(server.port, text, ms);

function signedRest(path: string, body: string): { url: string; query: string } {
  const { query } = signRestRequest({ key: APP.key, secret: APP.secret, method: 'POST', path, body });
  return { url: `${server.httpUrl}${path}?${query}`, query };
}

/** The server is up, and a fresh client connects, subscribes and receives a REST-published event. */
async function stillServes(): Promise<void> {
  expect(crashes).toEqual([]);
  const c = await client();
  c.send({ event: Event.Subscribe, data: { channel: 'alive' } });
  await c.next(Event.SubscriptionSucceeded, 'alive');
  const body = JSON.stringify({ name: 'ping', channel: 'alive', data: 'x' });
  const res = await fetch(signedRest(`/apps/${APP.id}/events`, body).url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
  await c.next('ping', 'alive');
  await release(c);
  expect(crashes).toEqual([]);
}

// ---- generators -------------------------------------------------------------------------------

const segment = fc.oneof(
  fc.constantFrom('', 'app', APP.key, 'apps', APP.id, 'events', 'batch_events', 'channels', '..', '.', '[x', 'a:b@', '%', '%zz', '%2F', '%00', '%ff', '%E2%82', '*', '?', '#', '@', ':', '\u00e9', '~', '%25'),
  fc.string({ unit: fc.constantFrom(...'abc%/:@[]?#&=.*~-_0123456789'), maxLength: 12 }),
);
const odd = fc.constantFrom('//', '//[x', '//a:b@/app/app-key', '//evil.example/app/app-key', '*', '/', '', 'http://x/app/app-key', '/app/app-key?protocol=7&protocol=8', `/apps/${APP.id}/events?auth_key=${APP.key}&auth_key=x`, '/%2e%2e/apps', '/app/%61pp-key');
const target = fc.oneof(odd, fc.array(segment, { maxLength: 6 }).map((s) => '/' + s.join('/')), fc.tuple(odd, fc.array(segment, { maxLength: 3 })).map(([o, s]) => o + s.join('/')));
const headerName = fc.constantFrom('X-A', 'Host', 'Origin', 'Content-Length', 'Content-Type', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions', 'Transfer-Encoding', 'Cookie', 'X-Forwarded-For');
const headerValue = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abc 0123456789,;=%-:/'), maxLength: 40 }),
  fc.constantFrom('', '-1', '99999999999999999999', 'chunked', 'permessage-deflate; client_max_window_bits=0', '13', '8', 'websocket'),
  // near Node's 16 KiB header limit, on both sides of it
  fc.integer({ min: 15_000, max: 17_500 }).map((n) => 'h'.repeat(n)),
);
const headers = fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 });
const hdrText = (hs: [string, string][]): string => hs.map(([k, v]) => `${k}: ${v}\r\n`).join('');

/** JSON text of adversarial depth or width (may exceed JSON_MAX_DEPTH by far, within ~12 KB). */
const hostileJson = fc.oneof(
  fc.record({ depth: fc.integer({ min: JSON_MAX_DEPTH - 2, max: 5_000 }), obj: fc.boolean() }).map(({ depth, obj }) =>
    obj ? '{"a":'.repeat(Math.min(depth, 2_000)) + '1' + '}'.repeat(Math.min(depth, 2_000)) : '['.repeat(depth) + ']'.repeat(depth),
  ),
  fc.record({ width: fc.integer({ min: 100, max: 2_500 }), obj: fc.boolean() }).map(({ width, obj }) =>
    obj ? '{' + Array.from({ length: width }, (_, i) => `"k${i}":0`).join(',') + '}' : '[' + Array(width).fill('0').join(',') + ']',
  ),
  fc.record({ depth: fc.integer({ min: 10, max: 200 }), width: fc.integer({ min: 2, max: 20 }) }).map(({ depth, width }) =>
    '['.repeat(depth) + Array(width).fill('{}').join(',') + ']'.repeat(depth),
  ),
  // unbalanced: opens that never close
  fc.integer({ min: 100, max: 9_000 }).map((n) => '['.repeat(n)),
);

// ---- properties -------------------------------------------------------------------------------

describe('hostile request targets and headers', () => {
  it('WebSocket upgrades with odd targets and headers get a clean answer; the server keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(target, headers, async (t, hs) => {
        const answer = await raw(`GET ${t} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${hdrText(hs)}\r\n`);
        expect(answer === '' || answer.startsWith('HTTP/1.1 ')).toBe(true);
        await stillServes();
      }),
      params(25),
    );
  }, TEST_TIMEOUT_MS);

  it('REST requests with odd targets, headers and methods get a clean HTTP answer; the server keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'OPTIONS', 'DELETE'), target, headers, fc.string({ maxLength: 50 }), async (m, t, hs, body) => {
        const answer = await raw(`${m} ${t} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${hdrText(hs)}\r\n${body}`);
        expect(answer === '' || answer.startsWith('HTTP/1.1 ')).toBe(true);
        await stillServes();
      }),
      params(25),
    );
  }, TEST_TIMEOUT_MS);
});

describe('JSON of adversarial depth and width in every JSON-carrying field', () => {
  it('frame data (client event on a private channel, raw frame text)', async () => {
    const c = await client();
    const channel = 'private-hostile';
    c.send({ event: Event.Subscribe, data: { channel, auth: signChannel({ key: APP.key, secret: APP.secret, socketId: c.socketId, channel }) } });
    await c.next(Event.SubscriptionSucceeded, channel);
    await fc.assert(
      fc.asyncProperty(hostileJson, fc.boolean(), async (json, asString) => {
        const data = asString ? JSON.stringify(json) : json;
        if (c.ws.readyState === c.ws.OPEN) c.send(`{"event":"client-x","channel":"${channel}","data":${data}}`);
        await new Promise((r) => setTimeout(r, 20));
        await stillServes();
      }),
      params(20),
    );
  }, TEST_TIMEOUT_MS);

  it('presence channel_data and its user_info, signin user_data then a presence subscribe', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson, fc.constantFrom('channel_data', 'user_info', 'user_data', 'user_data_user_info'), async (json, field) => {
        const c = await client();
        const channel = 'presence-hostile';
        if (field === 'channel_data' || field === 'user_info') {
          const channelData = field === 'channel_data' ? json : `{"user_id":"u1","user_info":${json}}`;
          const auth = signChannel({ key: APP.key, secret: APP.secret, socketId: c.socketId, channel, channelData });
          c.send({ event: Event.Subscribe, data: { channel, auth, channel_data: channelData } });
        } else {
          const userData = field === 'user_data' ? json : `{"id":"u1","user_info":${json}}`;
          c.send({ event: Event.Signin, data: { user_data: userData, auth: signUser({ key: APP.key, secret: APP.secret, socketId: c.socketId, userData }) } });
          await new Promise((r) => setTimeout(r, 20));
          if (c.ws.readyState === c.ws.OPEN) c.send({ event: Event.Subscribe, data: { channel, auth: signChannel({ key: APP.key, secret: APP.secret, socketId: c.socketId, channel }) } });
        }
        await new Promise((r) => setTimeout(r, 30));
        await release(c);
        await stillServes();
      }),
      params(16),
    );
  }, TEST_TIMEOUT_MS);

  it('signed REST bodies of /events and /batch_events (hostile body, hostile data field)', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson, fc.constantFrom('events', 'batch_events'), fc.constantFrom('body', 'data', 'channels'), async (json, ep, where) => {
        const path = `/apps/${APP.id}/${ep}`;
        const event = where === 'body' ? null : where === 'data' ? `{"name":"e","channel":"c","data":${JSON.stringify(json)}}` : `{"name":"e","channels":${json},"data":"x"}`;
        const body = event === null ? json : ep === 'events' ? event : `{"batch":[${event}]}`;
        const res = await fetch(signedRest(path, body).url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        await res.arrayBuffer();
        await stillServes();
      }),
      params(20),
    );
  }, TEST_TIMEOUT_MS);
});

describe('slow and stalled clients', () => {
  it('REST bodies that stall and upgrades that never finish are abandoned; the server keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('rest-signed', 'rest-unsigned', 'upgrade-partial', 'upgrade-headers-open', 'trickle'),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 10, max: 4_000_000 }),
        async (kind, count, declared) => {
          const body = '{"name":"e","channel":"c","data":"x"}';
          const path = `/apps/${APP.id}/events`;
          const text = (): string => {
            switch (kind) {
              case 'rest-signed':
                return `POST ${path}?${signedRest(path, body).query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length + declared}\r\n\r\n${body.slice(0, 10)}`;
              case 'rest-unsigned':
                return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${declared}\r\n\r\n{"na`;
              case 'upgrade-partial':
                return `GET /app/${APP.key}?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n`;
              case 'upgrade-headers-open':
                return `GET /app/${APP.key}?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Ke`;
              default:
                return 'P';
            }
          };
          // several at once, all abandoned after the bound while the server is checked alongside
          const stalled = Array.from({ length: count }, () => raw(text(), 600));
          await stillServes();
          await Promise.all(stalled);
          await stillServes();
        },
      ),
      params(10),
    );
  }, TEST_TIMEOUT_MS);
});
