/**
 * Regression tests for the reference-server defects of issue 8: odd request targets, nested JSON,
 * unauthenticated REST bodies, cache leaks and the capacity caps.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { Event } from '../../spec/src/events.ts';
import { ChannelPrefix } from '../../spec/src/identifiers.ts';
import { JSON_MAX_DEPTH } from '../../spec/src/limits.ts';
import { signChannel } from '../../spec/src/crypto/channel-auth.ts';
import { signUser } from '../../spec/src/crypto/user-auth.ts';
import { signRestRequest } from '../../spec/src/crypto/rest-signing.ts';
import { startReferenceServer, type RunningServer } from '../src/server.ts';
import type { ServerConfigInput } from '../src/app-config.ts';
import { CacheStore, MISS_DEDUP_WINDOW_MS, SWEEP_INTERVAL_MS } from '../src/channels/cache.ts';
import { connect, type ConnectedClient } from './support/raw-client.ts';
import { rawExchange } from './support/raw-exchange.ts';

const APP = { id: 'app-id', key: 'app-key', secret: 'app-secret' };
const RAW_WAIT_MS = 3000;

let server: RunningServer | undefined;
const clients: ConnectedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await server?.close();
  server = undefined;
  vi.useRealTimers();
});

async function start(config: ServerConfigInput = {}): Promise<RunningServer> {
  server = await startReferenceServer({ host: '127.0.0.1', port: 0, ...config });
  return server;
}

async function client(s: RunningServer): Promise<ConnectedClient> {
  const c = await connect(s.wsUrl, APP.key);
  clients.push(c);
  return c;
}

/** Send raw bytes, collect what comes back until the server closes or the bound passes. */
const raw = (s: RunningServer, text: string, ms = RAW_WAIT_MS): Promise<string> => rawExchange(s.port, text, ms);

/** A fresh client still connects, subscribes and receives a published event. */
async function stillServes(s: RunningServer): Promise<void> {
  const c = await client(s);
  c.send({ event: Event.Subscribe, data: { channel: 'alive' } });
  await c.next(Event.SubscriptionSucceeded, 'alive');
  const body = JSON.stringify({ name: 'ping', channel: 'alive', data: 'x' });
  const { query } = signRestRequest({ key: APP.key, secret: APP.secret, method: 'POST', path: `/apps/${APP.id}/events`, body });
  const res = await fetch(`${s.httpUrl}/apps/${APP.id}/events?${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
  await c.next('ping', 'alive');
}

const upgrade = (target: string): string =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;

describe('defect 1: request targets that new URL() cannot parse', () => {
  it.each(['//', '//[x', '//a:b@/app/app-key', '//evil.example/app/app-key', '*'])('upgrade to %s is refused cleanly (400, or 101 then close 4005) and the server keeps serving', async (target) => {
    const s = await start();
    const answer = await raw(s, upgrade(target));
    // 4005 as a close frame: opcode 0x88, then the code big-endian
    const closed4005 = answer.startsWith('HTTP/1.1 101') && answer.includes(String.fromCharCode(0x0f, 0xa5));
    expect(answer.startsWith('HTTP/1.1 400') || closed4005, answer.slice(0, 80)).toBe(true);
    await stillServes(s);
  });

  it.each(['//', '//[x', '/apps//[x/events'])('REST request to %s gets a 4xx, never a 500', async (target) => {
    const s = await start();
    const answer = await raw(s, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    await stillServes(s);
  });
});

describe('defect 2: nested JSON', () => {
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('a client event whose data is 5,000 nested arrays is refused; the server survives', async () => {
    const s = await start();
    const c = await client(s);
    const channel = `${ChannelPrefix.Private}deep`;
    c.send({ event: Event.Subscribe, data: { channel, auth: signChannel({ key: APP.key, secret: APP.secret, socketId: c.socketId, channel }) } });
    await c.next(Event.SubscriptionSucceeded, channel);
    const other = await client(s);
    other.send({ event: Event.Subscribe, data: { channel, auth: signChannel({ key: APP.key, secret: APP.secret, socketId: other.socketId, channel }) } });
    await other.next(Event.SubscriptionSucceeded, channel);
    c.send(`{"event":"client-deep","channel":"${channel}","data":${nested(5000)}}`);
    const err = await c.next(Event.Error);
    expect(JSON.stringify(err.data)).toContain(String(JSON_MAX_DEPTH));
    await stillServes(s);
  });

  it('a deeply nested user_info in presence channel_data is refused; the server survives', async () => {
    const s = await start();
    const c = await client(s);
    const channel = `${ChannelPrefix.Presence}deep`;
    const channelData = `{"user_id":"u1","user_info":{"a":${nested(400)}}}`;
    const auth = signChannel({ key: APP.key, secret: APP.secret, socketId: c.socketId, channel, channelData });
    c.send({ event: Event.Subscribe, data: { channel, auth, channel_data: channelData } });
    const err = await c.next(Event.Error, channel);
    expect(JSON.stringify(err.data)).toContain('deeper');
    await stillServes(s);
  });

  it('a deeply nested user_info in pusher:signin is refused, so a presence subscribe cannot use it', async () => {
    const s = await start();
    const c = await client(s);
    const userData = `{"id":"u1","user_info":{"a":${nested(400)}}}`;
    c.send({ event: Event.Signin, data: { user_data: userData, auth: signUser({ key: APP.key, secret: APP.secret, socketId: c.socketId, userData }) } });
    await c.next(Event.Error);
    const channel = `${ChannelPrefix.Presence}deep-signin`;
    c.send({ event: Event.Subscribe, data: { channel, auth: signChannel({ key: APP.key, secret: APP.secret, socketId: c.socketId, channel }) } });
    await c.next(Event.Error, channel);
    await stillServes(s);
  });

  it('a REST body nested 5,000 deep is answered 400', async () => {
    const s = await start();
    const body = `{"name":"x","channel":"c","data":"d","info":${nested(5000)}}`;
    const { query } = signRestRequest({ key: APP.key, secret: APP.secret, method: 'POST', path: `/apps/${APP.id}/events`, body });
    const res = await fetch(`${s.httpUrl}/apps/${APP.id}/events?${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    await stillServes(s);
  });
});

describe('defect 3: REST bodies before authentication', () => {
  const headersOnly = (path: string, length: number): string =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  it('an unsigned request is refused (401) before its body arrives', async () => {
    const s = await start();
    const answer = await raw(s, headersOnly(`/apps/${APP.id}/events`, 1_000_000), 2000);
    expect(answer.startsWith('HTTP/1.1 401')).toBe(true);
  });

  it('a signed request declaring a body over the largest legal one is refused (413) before it arrives', async () => {
    const s = await start();
    const { query } = signRestRequest({ key: APP.key, secret: APP.secret, method: 'POST', path: `/apps/${APP.id}/events`, params: { body_md5: '0'.repeat(32) } });
    const answer = await raw(s, headersOnly(`/apps/${APP.id}/events?${query}`, 50_000_000), 2000);
    expect(answer.startsWith('HTTP/1.1 413')).toBe(true);
  });

  it('a signed body that stalls is refused (408) at the deadline, in seconds', async () => {
    const s = await start({ requestTimeoutSeconds: 1 });
    const { query } = signRestRequest({ key: APP.key, secret: APP.secret, method: 'POST', path: `/apps/${APP.id}/events`, params: { body_md5: '0'.repeat(32) } });
    const t0 = Date.now();
    const answer = await raw(s, `${headersOnly(`/apps/${APP.id}/events?${query}`, 1000)}{"name":`, 4000);
    expect(answer.startsWith('HTTP/1.1 408')).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
    await stillServes(s);
  });

  it('bodies in flight beyond the server budget are refused (503)', async () => {
    const s = await start({ restBufferBytes: 4096 });
    const { query } = signRestRequest({ key: APP.key, secret: APP.secret, method: 'POST', path: `/apps/${APP.id}/events`, params: { body_md5: '0'.repeat(32) } });
    const answer = await raw(s, `${headersOnly(`/apps/${APP.id}/events?${query}`, 8000)}${'x'.repeat(8000)}`, 2000);
    expect(answer.startsWith('HTTP/1.1 503')).toBe(true);
    await stillServes(s);
  });
});

describe('defects 4 and 5: cache state is dropped on a schedule', () => {
  it('a miss mark per cache channel name does not outlive the de-duplication window', () => {
    vi.useFakeTimers();
    const cache = new CacheStore();
    for (let i = 0; i < 2000; i++) expect(cache.markMiss(`cache-miss-${i}`, Date.now())).toBe(true);
    expect(cache.markMiss('cache-miss-0', Date.now())).toBe(false);
    vi.advanceTimersByTime(MISS_DEDUP_WINDOW_MS + SWEEP_INTERVAL_MS * 2);
    expect(cache.size.missMarks).toBe(0);
    cache.clear();
  });

  it('expired events are freed without being read', () => {
    vi.useFakeTimers();
    const cache = new CacheStore();
    for (let i = 0; i < 2000; i++) cache.store(`cache-ttl-${i}`, '{}', 'x', 1000, Date.now());
    expect(cache.size.events).toBe(2000);
    vi.advanceTimersByTime(1000 + SWEEP_INTERVAL_MS * 2);
    expect(cache.size.events).toBe(0);
    cache.clear();
  });
});

describe('defect 6: capacity caps', () => {
  it('a subscription past the per-connection cap gets pusher:error 4100; the others stay', async () => {
    const s = await start({ apps: [{ ...APP, maxSubscriptionsPerConnection: 2 }] });
    const c = await client(s);
    for (const ch of ['a', 'b']) {
      c.send({ event: Event.Subscribe, data: { channel: ch } });
      await c.next(Event.SubscriptionSucceeded, ch);
    }
    c.send({ event: Event.Subscribe, data: { channel: 'c' } });
    const err = await c.next(Event.Error, 'c');
    expect((err.data as { code: number }).code).toBe(ErrorCode.OverCapacity);
    c.send({ event: Event.Unsubscribe, data: { channel: 'a' } });
    c.send({ event: Event.Subscribe, data: { channel: 'c' } });
    await c.next(Event.SubscriptionSucceeded, 'c');
  });

  it('a connection past the server-wide cap is closed with 4100', async () => {
    const s = await start({ maxConnections: 1 });
    await client(s);
    const { openRaw } = await import('./support/raw-client.ts');
    const second = await openRaw(`${s.wsUrl}/app/${APP.key}?protocol=7`);
    const closed = await second.waitClose();
    expect(closed.code).toBe(ErrorCode.OverCapacity);
  });
});
