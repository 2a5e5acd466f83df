import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event, EventPrefix } from '../../spec/src/events.ts';
import { ChannelPrefix, serverToUserChannel } from '../../spec/src/identifiers.ts';
import { signChannel } from '../../spec/src/crypto/channel-auth.ts';
import { signRestRequest } from '../../spec/src/crypto/rest-signing.ts';
import { RestPath, restPath } from '../../spec/src/rest/endpoints.ts';
import { ChannelsResponse, UsersResponse } from '../../spec/src/rest/schemas.ts';
import { startReferenceServer, type RunningServer } from '../src/server.ts';
import { connect, type ConnectedClient } from './support/raw-client.ts';
import { rest, type Credentials } from './support/rest.ts';

const APP: Credentials = { id: 'app-id', key: 'app-key', secret: 'app-secret' };
/** frames plus REST requests this file must send in total (guaranteed by the minimum lengths: 140 × 60 + 60 × 40) */
const TARGET_INPUTS = 10_000;
const WS_RUNS = 140;
const REST_RUNS = 60;

let server: RunningServer;
let observer: ConnectedClient;
let sent = 0;
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

const OBSERVED = [`${ChannelPrefix.Private}observer`, `${ChannelPrefix.Presence}observer`] as const;
const HOSTILE_PUBLIC = ['hostile-public', `${ChannelPrefix.Cache}hostile`];

beforeAll(async () => {
  server = await startReferenceServer({ host: '127.0.0.1', port: 0 });
  observer = await connect(server.wsUrl, APP.key);
  for (const channel of OBSERVED) {
    const channelData = channel.startsWith(ChannelPrefix.Presence) ? JSON.stringify({ user_id: 'observer' }) : undefined;
    const auth = signChannel({ key: APP.key, secret: APP.secret, socketId: observer.socketId, channel, channelData });
    observer.send({ event: Event.Subscribe, data: { channel, auth, ...(channelData ? { channel_data: channelData } : {}) } });
    await observer.next(Event.SubscriptionSucceeded, channel);
  }
  await observer.barrier();
  // its own subscription_count and member list are not hostile traffic
  observer.queue.length = 0;
});

afterAll(async () => {
  agent.destroy();
  await observer?.close();
  await server?.close();
});

// --- WebSocket frames --------------------------------------------------------------------------

type Outbound = { text: string } | { binary: Uint8Array };

const isJson = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

const json = fc.jsonValue({ maxDepth: 2 });
const channelName = fc.oneof(
  fc.constantFrom(...OBSERVED, ...HOSTILE_PUBLIC, serverToUserChannel('observer'), '', 'a b', 'x'.repeat(300), `${ChannelPrefix.Reserved}x`),
  fc.string({ maxLength: 40 }),
);
const knownEvents = Object.values(Event);
const eventName = fc.oneof(
  fc.constantFrom(...knownEvents),
  fc.string({ maxLength: 30 }).map((s) => `${EventPrefix.Pusher}${s}`),
  fc.string({ maxLength: 30 }).map((s) => `${EventPrefix.Internal}${s}`),
  fc.string({ maxLength: 30 }).map((s) => `${EventPrefix.Client}${s}`),
  fc.string({ maxLength: 30 }),
);
const frameObject = fc.record(
  { event: fc.oneof(eventName, json), channel: fc.oneof(channelName, json), data: fc.oneof(json, fc.string()), user_id: fc.oneof(fc.string(), json) },
  { requiredKeys: [] },
);

const hostileFrame: fc.Arbitrary<Outbound> = fc.oneof(
  // not JSON at all
  fc.string({ maxLength: 200 }).filter((s) => !isJson(s)).map((text) => ({ text })),
  // a plausible frame cut short
  frameObject.map((f) => JSON.stringify(f)).chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => ({ text: t.slice(0, n) }))),
  // any JSON value: arrays, numbers, null, objects without event
  json.map((v) => ({ text: JSON.stringify(v) })),
  // envelopes with wrong types, unknown and internal events, spoofed user_id
  frameObject.map((f) => ({ text: JSON.stringify(f) })),
  // known events with hostile data
  fc.record({
    event: fc.constantFrom(Event.Subscribe, Event.Unsubscribe, Event.Signin),
    data: fc.oneof(
      json,
      fc.record({ channel: fc.oneof(channelName, json), auth: fc.oneof(fc.string(), json), channel_data: fc.oneof(fc.string(), json) }, { requiredKeys: [] }),
      fc.record({ auth: fc.oneof(fc.string(), json), user_data: fc.oneof(fc.string(), json.map((v) => JSON.stringify(v))) }, { requiredKeys: [] }),
    ),
  }).map((f) => ({ text: JSON.stringify(f) })),
  // internal events injected on the observed channels
  fc.record({ event: fc.constantFrom(Event.MemberAdded, Event.MemberRemoved, Event.SubscriptionSucceeded, Event.SubscriptionCount), channel: fc.constantFrom(...OBSERVED), data: json }).map((f) => ({
    text: JSON.stringify(f),
  })),
  // huge strings (below the frame limit)
  fc.integer({ min: 1_000, max: 30_000 }).map((n) => ({ text: JSON.stringify({ event: `${EventPrefix.Client}big`, channel: OBSERVED[0], data: 'x'.repeat(n) }) })),
  fc.integer({ min: 1_000, max: 30_000 }).map((n) => ({ text: JSON.stringify({ event: 'e'.repeat(n) }) })),
  // deep nesting
  fc.integer({ min: 50, max: 1_000 }).map((d) => ({ text: `{"event":"${Event.Subscribe}","data":${'['.repeat(d)}${']'.repeat(d)}}` })),
  fc.integer({ min: 50, max: 500 }).map((d) => ({ text: `${'{"a":'.repeat(d)}1${'}'.repeat(d)}` })),
  // binary frames
  fc.uint8Array({ maxLength: 200 }).map((binary) => ({ binary })),
);

// --- REST requests -----------------------------------------------------------------------------

interface HostileRequest {
  method: string;
  path: string;
  query?: string;
  body?: string;
  signed: boolean;
}

const appPaths = [RestPath.Events, RestPath.BatchEvents, RestPath.Channels, RestPath.Channel, RestPath.ChannelUsers, RestPath.TerminateUserConnections, RestPath.UserEvents];
const restPathArb = fc.oneof(
  fc.record({ template: fc.constantFrom(...appPaths), channel: channelName, user: fc.string({ minLength: 1, maxLength: 20 }) }).map(({ template, channel, user }) => {
    try {
      return restPath(template, { app: APP.id, channel_name: channel || 'x', user_id: user });
    } catch {
      return restPath(RestPath.Events, { app: APP.id });
    }
  }),
  fc.webPath(),
  fc.string({ maxLength: 60 }).map((s) => `/apps/${encodeURIComponent(s)}/events`),
);
const bodyArb = fc.oneof(
  fc.string({ maxLength: 300 }),
  json.map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        name: fc.oneof(eventName, json),
        data: fc.oneof(fc.string(), json),
        channel: fc.oneof(fc.constantFrom(...HOSTILE_PUBLIC), channelName, json),
        channels: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...HOSTILE_PUBLIC), channelName), { maxLength: 5 }), fc.constant(Array.from({ length: 101 }, (_, i) => `c${i}`)), json),
        socket_id: fc.oneof(fc.string(), fc.constant('1.1'), json),
        info: fc.oneof(fc.string(), fc.constantFrom('user_count', 'subscription_count', 'cache,user_count')),
      },
      { requiredKeys: [] },
    )
    .map((b) => JSON.stringify(b)),
  fc.array(fc.record({ name: eventName, data: fc.string(), channel: fc.constantFrom(...HOSTILE_PUBLIC) }), { maxLength: 14 }).map((batch) => JSON.stringify({ batch })),
  fc.integer({ min: 10_241, max: 40_000 }).map((n) => JSON.stringify({ name: 'big', channel: HOSTILE_PUBLIC[0], data: 'x'.repeat(n) })),
  fc.integer({ min: 50, max: 1_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
);
const hostileRequest: fc.Arbitrary<HostileRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'POST', 'PUT', 'DELETE'),
  path: restPathArb,
  query: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 80 }), fc.constantFrom('info=user_count', 'filter_by_prefix=presence-&info=user_count', 'info=cache,bogus')),
  body: fc.option(bodyArb, { nil: undefined }),
  signed: fc.boolean(),
});

async function sendRequest(r: HostileRequest): Promise<number> {
  let query = r.query ?? '';
  if (r.signed) {
    const params = Object.fromEntries(new URLSearchParams(query));
    query = signRestRequest({ key: APP.key, secret: APP.secret, method: r.method, path: r.path, params, body: r.body }).query;
  }
  const body = r.method === 'GET' || r.body === undefined ? undefined : Buffer.from(r.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.httpUrl}${r.path}${query ? `?${query}` : ''}`,
      { method: r.method, agent, timeout: 5_000, headers: { 'content-type': 'application/json', ...(body ? { 'content-length': body.length } : {}) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${r.method} ${r.path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

describe('hostile input', () => {
  it('survives malformed frames on every connection and keeps each one usable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileFrame, { minLength: 60, maxLength: 100 }), async (frames) => {
        const c = await connect(server.wsUrl, APP.key);
        try {
          for (const f of frames) {
            if ('binary' in f) c.sendBinary(f.binary);
            else c.send(f.text);
          }
          sent += frames.length;
          // the connection answers after all of it
          c.send({ event: Event.Subscribe, data: { channel: 'after-hostile' } });
          await c.waitFor((f) => f.event === Event.SubscriptionSucceeded && f.channel === 'after-hostile', 5_000, 'subscription after hostile frames');
          expect(c.isOpen).toBe(true);
        } finally {
          await c.close();
        }
      }),
      { numRuns: WS_RUNS },
    );
  });

  it('answers hostile REST requests without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileRequest, { minLength: 40, maxLength: 60 }), async (requests) => {
        const statuses = await Promise.all(requests.map(sendRequest));
        sent += requests.length;
        for (const status of statuses) expect(status).toBeLessThan(500);
      }),
      { numRuns: REST_RUNS },
    );
  });

  it('is still up, relays nothing hostile, and leaks no membership', async () => {
    expect(sent).toBeGreaterThanOrEqual(TARGET_INPUTS);
    await observer.barrier();
    // nothing a hostile connection sent reached the observer
    expect(observer.pending((f) => f.event !== Event.Pong)).toEqual([]);

    const healthy = await connect(server.wsUrl, APP.key);
    try {
      healthy.send({ event: Event.Subscribe, data: { channel: 'healthy' } });
      await healthy.next(Event.SubscriptionSucceeded, 'healthy');
      const published = await rest(server.httpUrl, APP, { method: 'POST', path: restPath(RestPath.Events, { app: APP.id }), body: { name: 'ok', channel: 'healthy', data: 'still here' } });
      expect(published.status).toBe(200);
      expect((await healthy.next('ok', 'healthy')).data).toBe('still here');

      const expected = [...OBSERVED, 'healthy'].sort();
      const deadline = Date.now() + 3_000;
      let names: string[] = [];
      do {
        const list = await rest(server.httpUrl, APP, { method: 'GET', path: restPath(RestPath.Channels, { app: APP.id }) });
        names = Object.keys(ChannelsResponse.parse(list.json).channels).sort();
        if (JSON.stringify(names) === JSON.stringify(expected)) break;
        await new Promise((r) => setTimeout(r, 50));
      } while (Date.now() < deadline);
      expect(names).toEqual(expected);
      const users = await rest(server.httpUrl, APP, { method: 'GET', path: restPath(RestPath.ChannelUsers, { app: APP.id, channel_name: OBSERVED[1] }) });
      expect(UsersResponse.parse(users.json).users).toEqual([{ id: 'observer' }]);
    } finally {
      await healthy.close();
    }
  });

  it('closes an oversized frame with 1009 and keeps serving', async () => {
    const c = await connect(server.wsUrl, APP.key);
    c.send('x'.repeat(200_000));
    expect((await c.waitClose()).code).toBe(1009);
    await observer.barrier();
  });
});
