import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { Event, EventPrefix, WatchlistEventName } from '../../spec/src/events.ts';
import { serverToUserChannel } from '../../spec/src/identifiers.ts';
import { signChannel, signUser } from '../../spec/src/crypto/index.ts';
import { ConnectionEstablishedFrame, ErrorFrame, PongFrame } from '../../spec/src/frames/connection.ts';
import { ChannelEventFrame, CacheMissFrame, SubscriptionCountFrame } from '../../spec/src/frames/events.ts';
import { MemberAddedFrame, MemberRemovedFrame } from '../../spec/src/frames/presence.ts';
import { SigninSuccessFrame, WatchlistEventsFrame } from '../../spec/src/frames/signin.ts';
import { PresenceSubscriptionSucceededFrame, SubscriptionSucceededFrame } from '../../spec/src/frames/subscription.ts';
import { RestStatus, RestPath, restPath } from '../../spec/src/rest/endpoints.ts';
import { ChannelResponse, ChannelsResponse, TriggerResponse, UsersResponse } from '../../spec/src/rest/schemas.ts';
import { appPath } from '../../spec/src/protocol.ts';
import { startReferenceServer, type RunningServer } from '../src/server.ts';
import type { ServerConfigInput } from '../src/app-config.ts';
import { connect, openRaw, type ConnectedClient, type RawClient } from './support/raw-client.ts';
import { rest, type Credentials, type RestCall } from './support/rest.ts';

const APP: Credentials = { id: 'app-id', key: 'app-key', secret: 'app-secret' };

let server: RunningServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});

async function start(config: ServerConfigInput = {}): Promise<RunningServer> {
  server = await startReferenceServer({ host: '127.0.0.1', port: 0, ...config });
  return server;
}

async function client(): Promise<ConnectedClient> {
  const c = await connect(server!.wsUrl, APP.key);
  clients.push(c);
  return c;
}

const call = (c: RestCall) => rest(server!.httpUrl, APP, c);
const publish = (body: object) => call({ method: 'POST', path: restPath(RestPath.Events, { app: APP.id }), body });

async function subscribe(c: ConnectedClient, channel: string, extra: { auth?: string; channel_data?: string } = {}) {
  c.send({ event: Event.Subscribe, data: { channel, ...extra } });
  return c.next(Event.SubscriptionSucceeded, channel);
}

function privateAuth(c: ConnectedClient, channel: string): string {
  return signChannel({ key: APP.key, secret: APP.secret, socketId: c.socketId, channel });
}

async function joinPresence(c: ConnectedClient, channel: string, userId: string | number, userInfo?: object) {
  const channelData = JSON.stringify(userInfo ? { user_id: userId, user_info: userInfo } : { user_id: userId });
  const auth = signChannel({ key: APP.key, secret: APP.secret, socketId: c.socketId, channel, channelData });
  const frame = await subscribe(c, channel, { auth, channel_data: channelData });
  return PresenceSubscriptionSucceededFrame.parse(frame).data.presence;
}

describe('connection', () => {
  it('sends pusher:connection_established with data as a JSON string', async () => {
    await start();
    const c = await openRaw(`${server!.wsUrl}${appPath(APP.key)}?protocol=7&client=js&version=8.6.0&flash=false`);
    clients.push(c);
    const frame = await c.next(Event.ConnectionEstablished);
    const parsed = ConnectionEstablishedFrame.parse(frame);
    expect(parsed.data.activity_timeout).toBe(120);
    expect(typeof frame.data).toBe('string');
  });

  it('gives every connection a distinct digits.digits socket_id', async () => {
    await start();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await client()).socketId);
    expect(ids.size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^\d+\.\d+$/);
  });

  it('closes with 4001 for an unknown app key, without a handshake', async () => {
    await start();
    const c = await openRaw(`${server!.wsUrl}${appPath('nope')}?protocol=7`);
    clients.push(c);
    expect((await c.waitClose()).code).toBe(ErrorCode.AppNotFound);
    expect(c.history).toEqual([]);
  });

  it('closes with 4005 for a path other than /app/{key}', async () => {
    await start();
    const c = await openRaw(`${server!.wsUrl}/socket/app-key`);
    clients.push(c);
    expect((await c.waitClose()).code).toBe(ErrorCode.PathNotFound);
  });

  it('closes with 4003 for a disabled app and with the quota code past maxConnections', async () => {
    await start({ apps: [{ ...APP, maxConnections: 1 }, { id: 'off', key: 'off-key', secret: 's', enabled: false }] });
    const off = await openRaw(`${server!.wsUrl}${appPath('off-key')}`);
    clients.push(off);
    expect((await off.waitClose()).code).toBe(ErrorCode.AppDisabled);
    await client();
    const over = await openRaw(`${server!.wsUrl}${appPath(APP.key)}`);
    clients.push(over);
    expect((await over.waitClose()).code).toBe(ErrorCode.OverConnectionQuota);
  });

  it('refuses protocol 3 with 4007 and a non-numeric protocol with 4006; accepts a missing one', async () => {
    await start();
    const old = await openRaw(`${server!.wsUrl}${appPath(APP.key)}?protocol=3`);
    const bad = await openRaw(`${server!.wsUrl}${appPath(APP.key)}?protocol=seven`);
    clients.push(old, bad);
    expect((await bad.waitClose()).code).toBe(ErrorCode.InvalidVersionFormat);
    // protocol < 6: the pusher:error frame comes before the close
    expect((await old.waitClose()).code).toBe(ErrorCode.UnsupportedProtocol);
    expect(ErrorFrame.parse(old.history[0]).data.code).toBe(ErrorCode.UnsupportedProtocol);
    const none = await connect(server!.wsUrl, APP.key, '');
    clients.push(none);
  });

  it('answers pusher:ping with pusher:pong', async () => {
    await start();
    const c = await client();
    c.send({ event: Event.Ping, data: {} });
    PongFrame.parse(await c.next(Event.Pong));
  });

  it('pings an idle client and closes with 4201 when no pong comes', async () => {
    await start({ apps: [{ ...APP, activityTimeoutSeconds: 1, pongTimeoutSeconds: 0.3 }] });
    const c = await client();
    // the ws client answers protocol pings itself; stop it so only pusher:pong could count
    c.ws.pong = () => {};
    (c.ws as unknown as { _receiver: { removeAllListeners(e: string): void } })._receiver.removeAllListeners('ping');
    await c.next(Event.Ping, undefined, 3000);
    expect((await c.waitClose(3000)).code).toBe(ErrorCode.PongNotReceived);
  });

  it('keeps a client that answers the server ping', async () => {
    await start({ apps: [{ ...APP, activityTimeoutSeconds: 1, pongTimeoutSeconds: 0.3 }] });
    const c = await client();
    await c.next(Event.Ping, undefined, 3000);
    c.send({ event: Event.Pong, data: {} });
    await new Promise((r) => setTimeout(r, 500));
    expect(c.isOpen).toBe(true);
  });

  it('answers invalid JSON with pusher:error code null and stays usable', async () => {
    await start();
    const c = await client();
    c.send('{"event":');
    const err = ErrorFrame.parse(await c.next(Event.Error));
    expect(err.data.code).toBeNull();
    c.sendBinary(new Uint8Array([1, 2, 3]));
    await c.next(Event.Error);
    c.send({ event: `${EventPrefix.Pusher}bogus`, channel: 'x' });
    await c.next(Event.Error);
    await subscribe(c, 'still-works');
    expect(c.isOpen).toBe(true);
  });

  it('closes an oversized frame with 1009 and keeps serving others', async () => {
    await start();
    const c = await client();
    const other = await client();
    c.send('x'.repeat(10 * 1024 + 70 * 1024));
    expect((await c.waitClose()).code).toBe(1009);
    await other.barrier();
  });
});

describe('subscriptions', () => {
  it('confirms a public subscription with data "{}" and delivers a REST publish verbatim', async () => {
    await start();
    const c = await client();
    SubscriptionSucceededFrame.parse(await subscribe(c, 'my-channel', { auth: '' }));
    const data = JSON.stringify({ hello: 'wörld 🎉' });
    expect((await publish({ name: 'greet', channel: 'my-channel', data })).status).toBe(RestStatus.Ok);
    const ev = ChannelEventFrame.parse(await c.next('greet', 'my-channel'));
    expect(ev.data).toBe(data);
  });

  it('confirms a private subscription with a valid signature', async () => {
    await start();
    const c = await client();
    await subscribe(c, 'private-a', { auth: privateAuth(c, 'private-a') });
    await subscribe(c, 'private-encrypted-a', { auth: privateAuth(c, 'private-encrypted-a') });
  });

  it('refuses a bad signature with pusher:error 4009 naming the channel, and delivers nothing', async () => {
    await start();
    const c = await client();
    const other = await client();
    c.send({ event: Event.Subscribe, data: { channel: 'private-b', auth: privateAuth(other, 'private-b') } });
    const err = ErrorFrame.parse(await c.next(Event.Error));
    expect(err).toMatchObject({ channel: 'private-b', data: { code: ErrorCode.Unauthorized } });
    c.send({ event: Event.Subscribe, data: { channel: 'presence-b', auth: `${APP.key}:${'0'.repeat(64)}`, channel_data: '{"user_id":"1"}' } });
    expect((await c.next(Event.Error)).channel).toBe('presence-b');
    await publish({ name: 'leak', channels: ['private-b', 'presence-b'], data: '{}' });
    await subscribe(c, 'public-after');
    await c.barrier();
    expect(c.pending((f) => f.event === 'leak' || f.event === Event.SubscriptionSucceeded)).toEqual([]);
    const info = ChannelsResponse.parse((await call({ method: 'GET', path: restPath(RestPath.Channels, { app: APP.id }) })).json);
    expect(Object.keys(info.channels)).toEqual(['public-after']);
  });

  it('treats a repeated subscribe as idempotent and unsubscribe as final', async () => {
    await start();
    const c = await client();
    await subscribe(c, 'dup');
    await subscribe(c, 'dup');
    await publish({ name: 'once', channel: 'dup', data: 'x' });
    await c.next('once', 'dup');
    c.send({ event: Event.Unsubscribe, data: { channel: 'dup' } });
    await publish({ name: 'after', channel: 'dup', data: 'x' });
    await c.barrier();
    expect(c.pending((f) => f.event === 'once' || f.event === 'after')).toEqual([]);
  });

  it('refuses invalid and reserved channel names without closing', async () => {
    await start();
    const c = await client();
    for (const channel of ['bad channel', 'x'.repeat(165), serverToUserChannel('1'), '']) {
      c.send({ event: Event.Subscribe, data: { channel } });
      await c.next(Event.Error);
    }
    await subscribe(c, 'x'.repeat(164));
  });

  it('broadcasts subscription_count on public channels only', async () => {
    await start();
    const a = await client();
    const b = await client();
    await subscribe(a, 'counted');
    expect(SubscriptionCountFrame.parse(await a.next(Event.SubscriptionCount, 'counted')).data.subscription_count).toBe(1);
    await subscribe(b, 'counted');
    expect(SubscriptionCountFrame.parse(await a.next(Event.SubscriptionCount, 'counted')).data.subscription_count).toBe(2);
    b.send({ event: Event.Unsubscribe, data: { channel: 'counted' } });
    expect(SubscriptionCountFrame.parse(await a.next(Event.SubscriptionCount, 'counted')).data.subscription_count).toBe(1);
    await joinPresence(a, 'presence-nocount', 'u');
    await a.barrier();
    expect(a.pending((f) => f.event === Event.SubscriptionCount && f.channel === 'presence-nocount')).toEqual([]);
  });
});

describe('presence', () => {
  it('announces a user on its first connection only and removes it on its last', async () => {
    await start();
    const a1 = await client();
    const a2 = await client();
    const b = await client();
    const ch = 'presence-room';
    expect(await joinPresence(a1, ch, 'alice', { name: 'A' })).toEqual({ ids: ['alice'], hash: { alice: { name: 'A' } }, count: 1 });
    const bList = await joinPresence(b, ch, 'bob');
    expect(bList.count).toBe(2);
    expect(bList.ids).toContain('bob');
    const added = MemberAddedFrame.parse(await a1.next(Event.MemberAdded, ch));
    expect(added.data).toEqual({ user_id: 'bob' });

    // second connection of alice: no member_added anywhere; first user_info stays
    const again = await joinPresence(a2, ch, 'alice', { name: 'other' });
    expect(again.count).toBe(2);
    expect(again.hash.alice).toEqual({ name: 'A' });
    await a2.close();
    await publish({ name: 'sync', channel: ch, data: '{}' });
    await b.next('sync', ch);
    expect(b.pending((f) => f.event === Event.MemberAdded || f.event === Event.MemberRemoved)).toEqual([]);
    expect(b.history.some((f) => f.event === Event.MemberAdded && JSON.stringify(f.data).includes('bob'))).toBe(false);

    await a1.close();
    const removed = MemberRemovedFrame.parse(await b.next(Event.MemberRemoved, ch));
    expect(removed.data.user_id).toBe('alice');
    const users = UsersResponse.parse((await call({ method: 'GET', path: restPath(RestPath.ChannelUsers, { app: APP.id, channel_name: ch }) })).json);
    expect(users.users).toEqual([{ id: 'bob' }]);
  });

  it('keeps numeric user ids as numbers and refuses a full channel with 4100', async () => {
    await start({ apps: [{ ...APP, limits: { presenceMembers: 2 } }] });
    const a = await client();
    const b = await client();
    const c = await client();
    expect((await joinPresence(a, 'presence-n', 10)).ids).toEqual([10]);
    await joinPresence(b, 'presence-n', 'eleven');
    const channelData = JSON.stringify({ user_id: 'third' });
    c.send({ event: Event.Subscribe, data: { channel: 'presence-n', channel_data: channelData, auth: signChannel({ key: APP.key, secret: APP.secret, socketId: c.socketId, channel: 'presence-n', channelData }) } });
    expect(ErrorFrame.parse(await c.next(Event.Error)).data.code).toBe(ErrorCode.OverCapacity);
    const info = ChannelResponse.parse((await call({ method: 'GET', path: restPath(RestPath.Channel, { app: APP.id, channel_name: 'presence-n' }), params: { info: 'user_count' } })).json);
    expect(info).toEqual({ occupied: true, user_count: 2 });
  });
});

describe('client events', () => {
  it('relays to every other subscriber, never back to the sender, with user_id on presence', async () => {
    await start();
    const a = await client();
    const b = await client();
    await subscribe(a, 'private-chat', { auth: privateAuth(a, 'private-chat') });
    await subscribe(b, 'private-chat', { auth: privateAuth(b, 'private-chat') });
    a.send({ event: 'client-typing', channel: 'private-chat', data: { who: 'a' } });
    expect((await b.next('client-typing', 'private-chat')).data).toEqual({ who: 'a' });
    await a.barrier();
    expect(a.pending((f) => f.event === 'client-typing')).toEqual([]);

    await joinPresence(a, 'presence-chat', 'ua');
    await joinPresence(b, 'presence-chat', 'ub');
    b.send({ event: 'client-hi', channel: 'presence-chat', data: 'text', user_id: 'spoofed' });
    const relayed = await a.next('client-hi', 'presence-chat');
    expect(relayed).toMatchObject({ data: 'text', user_id: 'ub' });
  });

  it('refuses client events on public channels and from non-subscribers with 4301', async () => {
    await start();
    const a = await client();
    await subscribe(a, 'public-x');
    a.send({ event: 'client-x', channel: 'public-x', data: {} });
    expect(ErrorFrame.parse(await a.next(Event.Error)).data.code).toBe(ErrorCode.ClientEventRejected);
    a.send({ event: 'client-x', channel: 'private-not-mine', data: {} });
    expect(ErrorFrame.parse(await a.next(Event.Error)).data.code).toBe(ErrorCode.ClientEventRejected);
    a.send({ event: Event.MemberAdded, channel: 'public-x', data: '{}' });
    await a.next(Event.Error);
  });

  it('enforces 10 client events per second with 4301 and keeps the connection', async () => {
    await start();
    const a = await client();
    const b = await client();
    await subscribe(a, 'private-rate', { auth: privateAuth(a, 'private-rate') });
    await subscribe(b, 'private-rate', { auth: privateAuth(b, 'private-rate') });
    for (let i = 0; i < 12; i++) a.send({ event: 'client-n', channel: 'private-rate', data: { i } });
    const errors = [await a.next(Event.Error), await a.next(Event.Error)];
    for (const e of errors) expect(ErrorFrame.parse(e).data.code).toBe(ErrorCode.ClientEventRejected);
    await a.barrier();
    await b.barrier();
    expect(b.pending((f) => f.event === 'client-n')).toHaveLength(10);
    expect(a.isOpen).toBe(true);
  });
});

describe('cache channels', () => {
  it('sends cache_miss on an empty cache, then replays the last event identically', async () => {
    await start();
    const a = await client();
    await subscribe(a, 'cache-news');
    CacheMissFrame.parse(await a.next(Event.CacheMiss, 'cache-news'));
    await publish({ name: 'headline', channel: 'cache-news', data: '"first"' });
    await publish({ name: 'headline', channel: 'cache-news', data: '"second"' });
    await a.next('headline');
    const original = await a.next('headline');
    const b = await client();
    await subscribe(b, 'cache-news');
    const replay = await b.next('headline', 'cache-news');
    expect(replay.raw).toBe(original.raw);
    // the replay is the first frame of the channel after subscription_succeeded
    const onChannel = b.history.filter((f) => f.channel === 'cache-news').map((f) => f.event);
    expect(onChannel.slice(0, 2)).toEqual([Event.SubscriptionSucceeded, 'headline']);
    const info = ChannelResponse.parse((await call({ method: 'GET', path: restPath(RestPath.Channel, { app: APP.id, channel_name: 'cache-news' }), params: { info: 'cache' } })).json);
    expect(info.cache?.data).toBe('"second"');
  });

  it('expires the cached event after the TTL', async () => {
    await start({ apps: [{ ...APP, cacheTtlSeconds: 0.2 }] });
    await publish({ name: 'old', channel: 'cache-ttl', data: 'x' });
    await new Promise((r) => setTimeout(r, 300));
    const a = await client();
    await subscribe(a, 'cache-ttl');
    await a.next(Event.CacheMiss, 'cache-ttl');
  });
});

describe('REST', () => {
  it('excludes the socket_id of a publish', async () => {
    await start();
    const a = await client();
    const b = await client();
    await subscribe(a, 'ex');
    await subscribe(b, 'ex');
    await publish({ name: 'e', channel: 'ex', data: '1', socket_id: a.socketId });
    await b.next('e', 'ex');
    await a.barrier();
    expect(a.pending((f) => f.event === 'e')).toEqual([]);
  });

  it('answers 413, 400 and 401 precisely', async () => {
    await start();
    expect((await publish({ name: 'big', channel: 'c', data: 'x'.repeat(10 * 1024) })).status).toBe(RestStatus.Ok);
    const big = await publish({ name: 'big', channel: 'c', data: 'x'.repeat(10 * 1024 + 1) });
    expect(big.status).toBe(RestStatus.PayloadTooLarge);
    expect(big.text).toMatch(/10241 bytes/);
    expect((await call({ method: 'POST', path: restPath(RestPath.Events, { app: APP.id }), body: '{not json' })).status).toBe(RestStatus.BadRequest);
    expect((await publish({ name: 'e', channels: Array.from({ length: 101 }, (_, i) => `c${i}`), data: '' })).status).toBe(RestStatus.BadRequest);
    expect((await publish({ name: 'e', channels: Array.from({ length: 100 }, (_, i) => `c${i}`), data: '' })).status).toBe(RestStatus.Ok);
    expect((await publish({ name: `${EventPrefix.Pusher}fake`, channel: 'c', data: '' })).status).toBe(RestStatus.BadRequest);
    const wrong = await call({ method: 'POST', path: restPath(RestPath.Events, { app: APP.id }), body: { name: 'e', channel: 'c', data: '' }, signAs: { ...APP, secret: 'wrong' } });
    expect(wrong.status).toBe(RestStatus.Unauthorized);
    expect(wrong.text).toMatch(/signature/i);
    const stale = await call({ method: 'GET', path: restPath(RestPath.Channels, { app: APP.id }), timestamp: Math.floor(Date.now() / 1000) - 601 });
    expect(stale.status).toBe(RestStatus.Unauthorized);
    expect((await rest(server!.httpUrl, { ...APP, id: 'missing' }, { method: 'GET', path: '/apps/missing/channels' })).status).toBe(RestStatus.NotFound);
  });

  it('answers info on publish and batch, index-aligned', async () => {
    await start();
    const a = await client();
    await subscribe(a, 'info-a');
    await joinPresence(a, 'presence-info', 'u1');
    const res = await publish({ name: 'e', channels: ['info-a', 'presence-info'], data: '', info: 'user_count,subscription_count' });
    expect(TriggerResponse.parse(res.json)).toEqual({ channels: { 'info-a': { subscription_count: 1 }, 'presence-info': { user_count: 1 } } });
    const batch = await call({
      method: 'POST',
      path: restPath(RestPath.BatchEvents, { app: APP.id }),
      body: { batch: [{ name: 'e', channel: 'info-a', data: '' }, { name: 'e', channel: 'presence-info', data: '', info: 'user_count' }] },
    });
    expect(batch.json).toEqual({ batch: [{}, { user_count: 1 }] });
    const list = await call({ method: 'GET', path: restPath(RestPath.Channels, { app: APP.id }), params: { info: 'user_count' } });
    expect(list.status).toBe(RestStatus.BadRequest);
  });
});

describe('users', () => {
  it('signs in, delivers #server-to-user events, sends watchlist events and terminates', async () => {
    await start();
    const watcher = await client();
    const u1 = await client();
    const u1b = await client();
    const signin = (c: ConnectedClient, userData: string) =>
      c.send({ event: Event.Signin, data: { auth: signUser({ key: APP.key, secret: APP.secret, socketId: c.socketId, userData }), user_data: userData } });

    signin(watcher, JSON.stringify({ id: 'w', watchlist: ['u1'] }));
    SigninSuccessFrame.parse(await watcher.next(Event.SigninSuccess));
    signin(u1, JSON.stringify({ id: 'u1' }));
    await u1.next(Event.SigninSuccess);
    expect(WatchlistEventsFrame.parse(await watcher.next(Event.WatchlistEvents)).data.events).toEqual([{ name: WatchlistEventName.Online, user_ids: ['u1'] }]);
    signin(u1b, JSON.stringify({ id: 'u1' }));
    await u1b.next(Event.SigninSuccess);

    await publish({ name: 'dm', channel: serverToUserChannel('u1'), data: 'hi' });
    await u1.next('dm', serverToUserChannel('u1'));
    await u1b.next('dm', serverToUserChannel('u1'));
    await watcher.barrier();
    expect(watcher.pending((f) => f.event === 'dm')).toEqual([]);

    signin(u1, JSON.stringify({ id: 'someone-else' }));
    expect(ErrorFrame.parse(await u1.next(Event.Error)).data.code).toBe(ErrorCode.Unauthorized);
    signin(watcher, '{"id":"w"}'.replace('w', 'x'));
    await watcher.next(Event.Error);

    const res = await call({ method: 'POST', path: restPath(RestPath.TerminateUserConnections, { app: APP.id, user_id: 'u1' }), body: {} });
    expect(res.json).toEqual({});
    expect((await u1.waitClose()).code).toBe(ErrorCode.Unauthorized);
    expect((await u1b.waitClose()).code).toBe(ErrorCode.Unauthorized);
    const offline = WatchlistEventsFrame.parse(await watcher.next(Event.WatchlistEvents)).data.events;
    expect(offline).toEqual([{ name: WatchlistEventName.Offline, user_ids: ['u1'] }]);
    expect(watcher.isOpen).toBe(true);
  });

  it('refuses a bad sign-in signature with 4009 and keeps the connection', async () => {
    await start();
    const c = await client();
    c.send({ event: Event.Signin, data: { auth: `${APP.key}:${'a'.repeat(64)}`, user_data: '{"id":"x"}' } });
    expect(ErrorFrame.parse(await c.next(Event.Error)).data.code).toBe(ErrorCode.Unauthorized);
    await subscribe(c, 'after-signin-failure');
  });

  it('closes an unauthorized connection after the user-authentication timeout', async () => {
    await start({ apps: [{ ...APP, userAuthentication: { required: true, timeoutSeconds: 0.3 } }] });
    const idle = await client();
    const ok = await client();
    await subscribe(ok, 'private-ok', { auth: privateAuth(ok, 'private-ok') });
    expect((await idle.waitClose()).code).toBe(ErrorCode.Unauthorized);
    await new Promise((r) => setTimeout(r, 200));
    expect(ok.isOpen).toBe(true);
  });
});
