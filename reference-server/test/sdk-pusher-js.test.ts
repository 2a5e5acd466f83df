/**
 * pusher-js 8 (the Node build) and laravel-echo 2 against the reference server: what real
 * client applications see. Auth handlers sign with the spec's own crypto.
 */
import Echo from 'laravel-echo';
import PusherServer from 'pusher';
import PusherModule from 'pusher-js';
import type { ChannelAuthorizationCallback, UserAuthenticationCallback } from 'pusher-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signChannel } from '../../spec/src/crypto/channel-auth.ts';
import { channelSharedSecret } from '../../spec/src/crypto/encryption.ts';
import { signUser } from '../../spec/src/crypto/user-auth.ts';
import { ClientFacingEvent, Event, EventPrefix, WatchlistEventName } from '../../spec/src/events.ts';
import { ChannelPrefix } from '../../spec/src/identifiers.ts';
import { startReferenceServer, type RunningServer } from '../src/server.ts';
import { getChannel } from './support/rest-client.ts';

// NodeNext typing workaround: the Node build exports the class itself (toolchain.md, Pitfalls)
const Pusher = PusherModule as unknown as typeof PusherModule.default;
type PusherClient = InstanceType<typeof Pusher>;

const APP = { id: 'js-app', key: 'js-key', secret: 'js-secret' };
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
const WAIT_MS = 3000;

let server: RunningServer;
let rest: PusherServer;
const clients: PusherClient[] = [];
const echos: Array<{ disconnect(): void }> = [];

beforeAll(async () => {
  server = await startReferenceServer({ host: '127.0.0.1', port: 0, apps: [{ ...APP, subscriptionCount: true, encryptionMasterKey: MASTER_KEY }] });
  rest = new PusherServer({ appId: APP.id, key: APP.key, secret: APP.secret, host: server.host, port: String(server.port), useTLS: false, encryptionMasterKeyBase64: MASTER_KEY });
});

afterEach(() => {
  for (const e of echos.splice(0)) e.disconnect();
  for (const c of clients.splice(0)) c.disconnect();
});

afterAll(async () => {
  await server?.close();
});

interface Identity {
  userId?: string;
  userInfo?: Record<string, unknown>;
  watchlist?: string[];
}

/** A connected pusher-js client whose auth handlers sign with the app secret. */
async function connect(identity: Identity = {}): Promise<PusherClient> {
  const userId = identity.userId ?? 'anonymous';
  const client = new Pusher(APP.key, {
    cluster: 'local',
    wsHost: server.host,
    wsPort: server.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    channelAuthorization: {
      customHandler: ({ socketId, channelName }: { socketId: string; channelName: string }, cb: ChannelAuthorizationCallback) => {
        if (channelName.startsWith(ChannelPrefix.Presence)) {
          const channelData = JSON.stringify({ user_id: userId, user_info: identity.userInfo ?? {} });
          cb(null, { auth: signChannel({ ...creds(), socketId, channel: channelName, channelData }), channel_data: channelData });
          return;
        }
        const auth = signChannel({ ...creds(), socketId, channel: channelName });
        if (channelName.startsWith(ChannelPrefix.Encrypted)) {
          cb(null, { auth, shared_secret: Buffer.from(channelSharedSecret(channelName, MASTER_KEY)).toString('base64') });
          return;
        }
        cb(null, { auth });
      },
    },
    userAuthentication: {
      customHandler: ({ socketId }: { socketId: string }, cb: UserAuthenticationCallback) => {
        const userData = JSON.stringify({ id: userId, user_info: identity.userInfo ?? {}, ...(identity.watchlist ? { watchlist: identity.watchlist } : {}) });
        cb(null, { auth: signUser({ ...creds(), socketId, userData }), user_data: userData });
      },
    },
  } as ConstructorParameters<typeof Pusher>[1]);
  clients.push(client);
  await within('connected', (done) => client.connection.bind('connected', done));
  return client;
}

const creds = () => ({ key: APP.key, secret: APP.secret });

/** Resolves with what `register` passes to its callback, or fails after WAIT_MS naming `what`. */
function within<T = void>(what: string, register: (done: (value: T) => void) => void, ms = WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Collects every emission of `event` on `target` into an array. */
function record<T = unknown>(target: { bind(event: string, cb: (data: T) => void): unknown }, event: string): T[] {
  const seen: T[] = [];
  target.bind(event, (data: T) => void seen.push(data));
  return seen;
}

async function subscribed(client: PusherClient, name: string) {
  const channel = client.subscribe(name);
  await within(`subscription to ${name}`, (done) => channel.bind(ClientFacingEvent.SubscriptionSucceeded, done));
  return channel;
}

/** A REST event that arrives after everything the server already queued for the channel's subscribers. */
async function marker(client: PusherClient, channel: string): Promise<void> {
  const ch = client.channel(channel);
  const name = `marker-${Math.random().toString(36).slice(2)}`;
  const got = within(`marker on ${channel}`, (done) => ch.bind(name, done));
  await rest.trigger(channel, name, {});
  await got;
}

/** Waits until the server no longer lists `channel` as occupied (a closed connection was processed). */
async function vacated(channel: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const res = await getChannel(server.httpUrl, { appId: APP.id, ...creds() }, channel);
    if (!(JSON.parse(res.body) as { occupied: boolean }).occupied) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${channel} still occupied after ${WAIT_MS} ms`);
}

function uniq(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}`;
}

describe('pusher-js 8 against the reference server', () => {
  it('receives a REST event on a public channel as parsed JSON', async () => {
    const client = await connect();
    const name = uniq('public-');
    const channel = await subscribed(client, name);
    const got = within<unknown>('event', (done) => channel.bind('greeting', done));
    await rest.trigger(name, 'greeting', { hello: 'world' });
    expect(await got).toEqual({ hello: 'world' });
  });

  it('subscribes to a private channel with a signed auth', async () => {
    const client = await connect();
    const name = uniq(ChannelPrefix.Private);
    const channel = await subscribed(client, name);
    const got = within<unknown>('event', (done) => channel.bind('secret-news', done));
    await rest.trigger(name, 'secret-news', { n: 1 });
    expect(await got).toEqual({ n: 1 });
  });

  it('reports presence members, and member_added/member_removed only for a user’s first/last connection', async () => {
    const name = uniq(ChannelPrefix.Presence);
    const alice = await connect({ userId: 'alice', userInfo: { name: 'Alice' } });
    const presence = alice.subscribe(name) as ReturnType<PusherClient['subscribe']> & { members: { count: number; me: { id: string }; each(cb: (m: { id: string; info: unknown }) => void): void } };
    await within('alice joined', (done) => presence.bind(ClientFacingEvent.SubscriptionSucceeded, done));
    expect(presence.members.count).toBe(1);
    expect(presence.members.me.id).toBe('alice');
    const added = record<{ id: string; info: unknown }>(presence, ClientFacingEvent.MemberAdded);
    const removed = record<{ id: string }>(presence, ClientFacingEvent.MemberRemoved);

    const bob1 = await connect({ userId: 'bob', userInfo: { name: 'Bob' } });
    const bob2 = await connect({ userId: 'bob', userInfo: { name: 'Bob' } });
    const seen = await subscribed(bob1, name);
    await subscribed(bob2, name);
    // bob's channels for telling when the server has processed each disconnect
    const track1 = uniq('track-');
    const track2 = uniq('track-');
    await subscribed(bob1, track1);
    await subscribed(bob2, track2);
    await marker(alice, name);
    expect(added).toEqual([{ id: 'bob', info: { name: 'Bob' } }]);
    expect(presence.members.count).toBe(2);
    const members: string[] = [];
    (seen as typeof presence).members.each((m) => members.push(m.id));
    expect(members.sort()).toEqual(['alice', 'bob']);

    bob1.disconnect();
    await vacated(track1);
    await marker(alice, name);
    expect(removed).toEqual([]);

    bob2.disconnect();
    await vacated(track2);
    await marker(alice, name);
    expect(removed.map((m) => m.id)).toEqual(['bob']);
    expect(presence.members.count).toBe(1);
  });

  it('decrypts events on a private-encrypted channel published by the pusher server SDK', async () => {
    const client = await connect();
    const name = uniq(ChannelPrefix.Encrypted);
    const channel = await subscribed(client, name);
    const got = within<unknown>('encrypted event', (done) => channel.bind('sealed', done));
    await rest.trigger(name, 'sealed', { secret: 'hello' });
    expect(await got).toEqual({ secret: 'hello' });
  });

  it('replays the last event of a cache channel and reports pusher:cache_miss on an empty one', async () => {
    const full = uniq(ChannelPrefix.Cache);
    await rest.trigger(full, 'old', { v: 1 });
    await rest.trigger(full, 'latest', { v: 2 });
    const client = await connect();
    const channel = client.subscribe(full);
    const replayed = await within<unknown>('replayed event', (done) => channel.bind('latest', done));
    expect(replayed).toEqual({ v: 2 });

    const empty = client.subscribe(uniq(ChannelPrefix.Cache));
    await within('cache miss', (done) => empty.bind(Event.CacheMiss, () => done()));
  });

  it('relays client events to the other subscribers, not back to the sender', async () => {
    const name = uniq(ChannelPrefix.Private);
    const sender = await connect();
    const receiver = await connect();
    const out = await subscribed(sender, name);
    const inbox = await subscribed(receiver, name);
    const event = `${EventPrefix.Client}typing`;
    const echoed = record(out, event);
    const got = within<unknown>('client event', (done) => inbox.bind(event, done));
    expect(out.trigger(event, { typing: true })).toBe(true);
    expect(await got).toEqual({ typing: true });
    await marker(sender, name);
    expect(echoed).toEqual([]);
  });

  it('signs in and receives server-to-user events (pusher.sendToUser)', async () => {
    const client = await connect({ userId: 'carol' });
    const signedIn = within('signin', (done) => client.connection.bind('message', (m: { event: string }) => m.event === Event.SigninSuccess && done()));
    client.signin();
    await signedIn;
    const got = within<unknown>('user event', (done) => client.user.bind('direct', done));
    await rest.sendToUser('carol', 'direct', { hi: 'carol' });
    expect(await got).toEqual({ hi: 'carol' });
  });

  it('emits watchlist online/offline events on pusher.user.watchlist', async () => {
    const watcher = await connect({ userId: 'dave', watchlist: ['erin'] });
    const online = within<{ user_ids: string[] }>('online', (done) => watcher.user.watchlist.bind(WatchlistEventName.Online, done));
    const offline = within<{ user_ids: string[] }>('offline', (done) => watcher.user.watchlist.bind(WatchlistEventName.Offline, done), WAIT_MS * 2);
    watcher.signin();
    const erin = await connect({ userId: 'erin' });
    erin.signin();
    expect((await online).user_ids).toEqual(['erin']);
    erin.disconnect();
    expect((await offline).user_ids).toEqual(['erin']);
  });

  it('emits pusher:subscription_count as subscribers come and go', async () => {
    const name = uniq('counted-');
    const first = await connect();
    const channel = first.subscribe(name);
    const counts = record<{ subscription_count: number }>(channel, ClientFacingEvent.SubscriptionCount);
    await within('count 1', (done) => channel.bind(ClientFacingEvent.SubscriptionCount, (d: { subscription_count: number }) => d.subscription_count === 1 && done()));
    const second = await connect();
    const two = within('count 2', (done) => channel.bind(ClientFacingEvent.SubscriptionCount, (d: { subscription_count: number }) => d.subscription_count === 2 && done()));
    await subscribed(second, name);
    await two;
    expect(counts.map((c) => c.subscription_count)).toEqual([1, 2]);
  });
});

describe('laravel-echo 2 on top of pusher-js', () => {
  it('reports here / joining / leaving on a presence channel', async () => {
    const room = uniq('room');
    const echoFor = async (userId: string, name: string) => {
      const client = await connect({ userId, userInfo: { name } });
      const echo = new Echo({ broadcaster: 'pusher', key: APP.key, client, cluster: 'local' } as ConstructorParameters<typeof Echo>[0]);
      echos.push(echo);
      return echo;
    };
    const first = await echoFor('frank', 'Frank');
    let onJoining: (m: unknown) => void = () => {};
    let onLeaving: (m: unknown) => void = () => {};
    const joining: unknown[] = [];
    const leaving: unknown[] = [];
    const here = within<unknown[]>('here', (done) => {
      first
        .join(room)
        .here((members: unknown[]) => done(members))
        .joining((m: unknown) => (joining.push(m), onJoining(m)))
        .leaving((m: unknown) => (leaving.push(m), onLeaving(m)));
    });
    expect(await here).toEqual([{ name: 'Frank' }]);

    const joined = within('joining', (done) => (onJoining = () => done()));
    const second = await echoFor('grace', 'Grace');
    const graceHere = within<unknown[]>('grace here', (done) => second.join(room).here((members: unknown[]) => done(members)));
    expect(((await graceHere) as Array<{ name: string }>).map((m) => m.name).sort()).toEqual(['Frank', 'Grace']);
    await joined;
    expect(joining).toEqual([{ name: 'Grace' }]);

    const left = within('leaving', (done) => (onLeaving = () => done()));
    second.leave(room);
    await left;
    expect(leaving).toEqual([{ name: 'Grace' }]);
  });
});
