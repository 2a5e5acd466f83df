import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookHeader } from '../../spec/src/crypto/webhook-signing.ts';
import { WEBHOOK_CONTENT_TYPE, WebhookBody, WebhookEventName, type WebhookEvent } from '../../spec/src/webhooks.ts';
import { ChannelPrefix } from '../../spec/src/identifiers.ts';
import type { FaultName } from '../src/faults.ts';
import { createWebhookSender, type WebhookSender, type WebhookSenderOptions, type WebhookTarget } from '../src/webhooks/sender.ts';

const APP = { id: '42', key: 'hook-key', secret: 'hook-secret' };
const URL_ = 'http://127.0.0.1:9/hooks';
const PRESENCE_CHANNEL = `${ChannelPrefix.Presence}r`;

interface Captured {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** a fetch stand-in: records every request and answers with the next status of `statuses` (then 200) */
function fakeFetch(statuses: Array<number | 'network-error'> = []) {
  const requests: Captured[] = [];
  const impl = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>));
    requests.push({ url: String(input), headers, body: String(init?.body) });
    const next = statuses.shift() ?? 200;
    if (next === 'network-error') throw new TypeError('fetch failed');
    return new Response('', { status: next });
  }) as typeof fetch;
  return { impl, requests };
}

const senders: WebhookSender[] = [];
afterEach(() => {
  for (const s of senders.splice(0)) s.close();
});

function sender(hook: Partial<WebhookTarget>, opts: Partial<Omit<WebhookSenderOptions, 'faults'>> & { faults?: FaultName[] } = {}) {
  const { faults: faultNames = [], ...rest } = opts;
  const faultList = new Set<FaultName>(faultNames);
  const s = createWebhookSender({
    ...rest,
    apps: { [APP.id]: { key: APP.key, secret: APP.secret, webhooks: { url: URL_, graceSeconds: 0, ...hook } } },
    faults: { has: (n) => faultList.has(n) },
  });
  senders.push(s);
  return s;
}

async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const occupied = (channel: string): WebhookEvent => ({ name: WebhookEventName.ChannelOccupied, channel });
const vacated = (channel: string): WebhookEvent => ({ name: WebhookEventName.ChannelVacated, channel });
const removed = (channel: string, user_id: string): WebhookEvent => ({ name: WebhookEventName.MemberRemoved, channel, user_id });

function names(requests: Captured[]): string[] {
  return requests.flatMap((r) => WebhookBody.parse(JSON.parse(r.body)).events.map((e) => `${e.name}:${e.channel}`));
}

describe('webhook sender', () => {
  it('POSTs a signed JSON envelope that verifies against the spec', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const s = sender({ url: `http://127.0.0.1:${port}/hook` }, { now: () => 1_700_000_000_123 });
      s.emit(APP.id, occupied('a-channel'));
      await waitFor(() => received.length === 1);
      const [req] = received;
      expect(req!.headers['content-type']).toBe(WEBHOOK_CONTENT_TYPE);
      expect(verifyWebhook({ key: APP.key, secret: APP.secret, headers: req!.headers, rawBody: req!.body })).toEqual({ ok: true });
      expect(WebhookBody.parse(JSON.parse(req!.body))).toEqual({ time_ms: 1_700_000_000_123, events: [occupied('a-channel')] });
      await waitFor(() => s.stats().delivered === 1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('ignores apps without a webhook URL and events outside eventTypes', async () => {
    const f = fakeFetch();
    const s = sender({ eventTypes: [WebhookEventName.ChannelOccupied] }, { fetchImpl: f.impl });
    s.emit('unknown-app', occupied('x'));
    s.emit(APP.id, vacated('filtered'));
    s.emit(APP.id, occupied('kept'));
    await s.flush(1000);
    expect(names(f.requests)).toEqual(['channel_occupied:kept']);
    expect(f.requests[0]!.url).toBe(URL_);
  });

  it('holds channel_vacated for the grace window and cancelPending drops it', async () => {
    const f = fakeFetch();
    const s = sender({ graceSeconds: 0.1 }, { fetchImpl: f.impl });
    s.emit(APP.id, vacated('cancelled'));
    s.emit(APP.id, removed(PRESENCE_CHANNEL, 'u1'));
    s.emit(APP.id, removed(PRESENCE_CHANNEL, 'u2'));
    s.cancelPending(APP.id, { name: WebhookEventName.ChannelVacated, channel: 'cancelled' });
    s.cancelPending(APP.id, { name: WebhookEventName.MemberRemoved, channel: PRESENCE_CHANNEL, user_id: 'u1' });
    expect(f.requests).toHaveLength(0);
    expect(s.stats().pendingEvents).toBe(1);
    await waitFor(() => f.requests.length === 1);
    expect(JSON.parse(f.requests[0]!.body).events).toEqual([removed(PRESENCE_CHANNEL, 'u2')]);
  });

  it('flush sends grace items at once', async () => {
    const f = fakeFetch();
    const s = sender({ graceSeconds: 60 }, { fetchImpl: f.impl });
    s.emit(APP.id, vacated('c'));
    await s.flush(1000);
    expect(names(f.requests)).toEqual(['channel_vacated:c']);
  });

  it('retries non-2xx answers and network errors with back-off, then succeeds', async () => {
    const f = fakeFetch([500, 'network-error', 503]);
    const s = sender({}, { fetchImpl: f.impl, retryBaseMs: 10 });
    s.emit(APP.id, occupied('r'));
    await waitFor(() => s.stats().delivered === 1);
    expect(f.requests).toHaveLength(4);
    expect(new Set(f.requests.map((r) => r.body)).size).toBe(1);
    expect(s.stats()).toMatchObject({ failedAttempts: 3, deliveredEvents: 1, pendingEvents: 0 });
  });

  it('gives up after the retry window', async () => {
    const f = fakeFetch(Array(100).fill(500));
    const s = sender({}, { fetchImpl: f.impl, retryBaseMs: 10, retrySeconds: 0.05 });
    s.emit(APP.id, occupied('r'));
    await waitFor(() => s.stats().expiredEvents === 1);
    expect(f.requests.length).toBeGreaterThan(1);
    expect(f.requests.length).toBeLessThan(10);
    expect(s.stats().pendingEvents).toBe(0);
  });

  it('bounds the queue by dropping the oldest events', async () => {
    // a receiver that never answers keeps everything queued
    const hang = (() => new Promise<Response>(() => {})) as typeof fetch;
    const s = sender({}, { fetchImpl: hang, maxQueuedEvents: 20, maxConcurrentRequests: 1 });
    for (let i = 0; i < 100; i += 1) s.emit(APP.id, occupied(`c${i}`));
    expect(s.stats().pendingEvents).toBe(20);
    expect(s.stats().droppedEvents).toBe(80);
  });

  it('flush is bounded in time even if the receiver never answers', async () => {
    const hang = (() => new Promise<Response>(() => {})) as typeof fetch;
    const s = sender({}, { fetchImpl: hang });
    s.emit(APP.id, occupied('stuck'));
    const started = Date.now();
    await s.flush(50);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(s.stats().pendingEvents).toBe(1);
  });

  it('batches events in one request when batching is on', async () => {
    const f = fakeFetch();
    const s = sender({ batching: true }, { fetchImpl: f.impl, batchWindowMs: 20, batchMaxEvents: 3 });
    for (let i = 0; i < 5; i += 1) s.emit(APP.id, occupied(`b${i}`));
    await waitFor(() => f.requests.length === 2);
    expect(f.requests.map((r) => JSON.parse(r.body).events.length)).toEqual([3, 2]);
    expect(names(f.requests)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4'].map((c) => `channel_occupied:${c}`));
  });

  it('sends one event per request without batching', async () => {
    const f = fakeFetch();
    const s = sender({}, { fetchImpl: f.impl });
    s.emit(APP.id, occupied('x'));
    s.emit(APP.id, occupied('y'));
    await s.flush(1000);
    expect(f.requests.map((r) => JSON.parse(r.body).events.length)).toEqual([1, 1]);
  });

  it('close() stops timers and sends nothing more', async () => {
    const f = fakeFetch();
    const s = sender({ graceSeconds: 0.02, batching: true }, { fetchImpl: f.impl, batchWindowMs: 10 });
    s.emit(APP.id, vacated('v'));
    s.emit(APP.id, occupied('o'));
    s.close();
    s.emit(APP.id, occupied('after'));
    await new Promise((r) => setTimeout(r, 60));
    expect(f.requests).toHaveLength(0);
  });

  describe('faults', () => {
    it('webhook-unsigned omits the signature header', async () => {
      const f = fakeFetch();
      const s = sender({}, { fetchImpl: f.impl, faults: ['webhook-unsigned'] });
      s.emit(APP.id, occupied('x'));
      await s.flush(1000);
      expect(f.requests[0]!.headers[WebhookHeader.Signature]).toBeUndefined();
      expect(f.requests[0]!.headers[WebhookHeader.Key]).toBe(APP.key);
    });

    it('webhook-wrong-signature signs with another secret', async () => {
      const f = fakeFetch();
      const s = sender({}, { fetchImpl: f.impl, faults: ['webhook-wrong-signature'] });
      s.emit(APP.id, occupied('x'));
      await s.flush(1000);
      const r = f.requests[0]!;
      expect(verifyWebhook({ key: APP.key, secret: APP.secret, headers: r.headers, rawBody: r.body })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    });

    it('webhook-time-ms-seconds sends seconds', async () => {
      const f = fakeFetch();
      const s = sender({}, { fetchImpl: f.impl, faults: ['webhook-time-ms-seconds'], now: () => 1_700_000_000_123 });
      s.emit(APP.id, occupied('x'));
      await s.flush(1000);
      expect(JSON.parse(f.requests[0]!.body).time_ms).toBe(1_700_000_000);
    });

    it('webhook-no-grace sends vacated at once and ignores cancellation', async () => {
      const f = fakeFetch();
      const s = sender({ graceSeconds: 60 }, { fetchImpl: f.impl, faults: ['webhook-no-grace'] });
      s.emit(APP.id, vacated('v'));
      s.cancelPending(APP.id, { name: WebhookEventName.ChannelVacated, channel: 'v' });
      await waitFor(() => f.requests.length === 1);
      expect(names(f.requests)).toEqual(['channel_vacated:v']);
    });
  });
});
