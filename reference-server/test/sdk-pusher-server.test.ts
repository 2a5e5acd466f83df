/**
 * The official Node server SDK (`pusher` 5.3.4) against the reference server: publishing, user
 * endpoints, channel queries, and validation of the webhooks the server sends.
 */
import Pusher from 'pusher';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signChannel } from '../../spec/src/crypto/channel-auth.ts';
import { signUser } from '../../spec/src/crypto/user-auth.ts';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { Event, EventPrefix } from '../../spec/src/events.ts';
import { ChannelPrefix, serverToUserChannel } from '../../spec/src/identifiers.ts';
import { WebhookEventName } from '../../spec/src/webhooks.ts';
import { startProbeServer, type ProbeRun } from './support/probe-server.ts';
import { ClientPool, isEvent, type RawClient } from './support/ws-client.ts';

const WAIT_MS = 2000;
const GRACE_SECONDS = 0.2;

let run: ProbeRun;
let sdk: Pusher;
const pool = new ClientPool();

beforeAll(async () => {
  run = await startProbeServer({ app: { subscriptionCount: true }, webhooks: { graceSeconds: GRACE_SECONDS } });
  const { creds } = run.ctx;
  sdk = new Pusher({ appId: creds.appId, key: creds.key, secret: creds.secret, host: run.server.host, port: String(run.server.port), useTLS: false });
});

afterEach(() => pool.closeAll());

afterAll(async () => {
  await run?.stop();
});

const open = (): Promise<RawClient> => pool.open(run.ctx.wsUrl, run.ctx.creds.key);
const keys = () => ({ key: run.ctx.creds.key, secret: run.ctx.creds.secret });
const uniq = (prefix: string): string => `${prefix}${Math.random().toString(36).slice(2, 10)}`;

async function subscribe(c: RawClient, channel: string, extra: Record<string, string> = {}): Promise<void> {
  const since = c.frames.length;
  c.send({ event: Event.Subscribe, data: { channel, ...extra } });
  await c.next(isEvent(Event.SubscriptionSucceeded, channel), WAIT_MS, since);
}

async function join(c: RawClient, channel: string, userId: string): Promise<void> {
  const channelData = JSON.stringify({ user_id: userId, user_info: { name: userId } });
  await subscribe(c, channel, { auth: signChannel({ ...keys(), socketId: c.socketId, channel, channelData }), channel_data: channelData });
}

async function signin(c: RawClient, id: string): Promise<void> {
  const userData = JSON.stringify({ id });
  const since = c.frames.length;
  c.send({ event: Event.Signin, data: { auth: signUser({ ...keys(), socketId: c.socketId, userData }), user_data: userData } });
  await c.next(isEvent(Event.SigninSuccess), WAIT_MS, since);
}

/** After the pong, every frame the server queued for `c` before the ping has arrived. */
async function barrier(c: RawClient): Promise<void> {
  const since = c.frames.length;
  c.send({ event: Event.Ping, data: {} });
  await c.next(isEvent(Event.Pong), WAIT_MS, since);
}

const received = (c: RawClient, event: string) => c.frames.filter(isEvent(event));

describe('pusher server SDK against the reference server', () => {
  it('trigger delivers to one channel and to several', async () => {
    const a = uniq('sdk-a-');
    const b = uniq('sdk-b-');
    const c = await open();
    await subscribe(c, a);
    await subscribe(c, b);
    await sdk.trigger(a, 'single', { n: 1 });
    await sdk.trigger([a, b], 'multi', { n: 2 });
    await barrier(c);
    expect(received(c, 'single')).toEqual([{ event: 'single', channel: a, data: JSON.stringify({ n: 1 }) }]);
    expect(received(c, 'multi').map((f) => f.channel).sort()).toEqual([a, b].sort());
  });

  it('trigger with socket_id skips that connection only', async () => {
    const channel = uniq('sdk-excl-');
    const publisher = await open();
    const other = await open();
    await subscribe(publisher, channel);
    await subscribe(other, channel);
    await sdk.trigger(channel, 'excluded', {}, { socket_id: publisher.socketId });
    await barrier(publisher);
    await barrier(other);
    expect(received(publisher, 'excluded')).toHaveLength(0);
    expect(received(other, 'excluded')).toHaveLength(1);
  });

  it('triggerBatch delivers every entry and honours a per-entry socket_id', async () => {
    const one = uniq('sdk-batch-');
    const two = uniq('sdk-batch-');
    const c = await open();
    await subscribe(c, one);
    await subscribe(c, two);
    await sdk.triggerBatch([
      { channel: one, name: 'first', data: { i: 1 } },
      { channel: two, name: 'second', data: { i: 2 } },
      { channel: two, name: 'hidden', data: { i: 3 }, socket_id: c.socketId },
    ]);
    await barrier(c);
    expect(received(c, 'first').map((f) => f.channel)).toEqual([one]);
    expect(received(c, 'second').map((f) => f.channel)).toEqual([two]);
    expect(received(c, 'hidden')).toHaveLength(0);
  });

  it('sendToUser reaches the connections signed in as that user', async () => {
    const target = await open();
    const bystander = await open();
    await signin(target, 'sdk-user');
    await signin(bystander, 'someone-else');
    await sdk.sendToUser('sdk-user', 'for-you', { hi: 1 });
    await barrier(target);
    await barrier(bystander);
    expect(received(target, 'for-you').map((f) => f.channel)).toEqual([serverToUserChannel('sdk-user')]);
    expect(received(bystander, 'for-you')).toHaveLength(0);
  });

  it('terminateUserConnections closes that user’s signed-in connections with 4009', async () => {
    const target = await open();
    const bystander = await open();
    await signin(target, 'sdk-terminated');
    await signin(bystander, 'sdk-survivor');
    await sdk.terminateUserConnections('sdk-terminated');
    const code = await Promise.race([target.closed, new Promise((r) => setTimeout(() => r('still open'), WAIT_MS))]);
    expect(code).toBe(ErrorCode.Unauthorized);
    await barrier(bystander);
  });

  it('GET /channels, /channels/{name} and /channels/{name}/users answer with the live state', async () => {
    const pub = uniq('sdk-query-');
    const presence = uniq(ChannelPrefix.Presence);
    const a = await open();
    const b = await open();
    await subscribe(a, pub);
    await subscribe(b, pub);
    await join(a, presence, 'u1');
    await join(b, presence, 'u2');

    const list = (await (await sdk.get({ path: '/channels', params: { filter_by_prefix: ChannelPrefix.Presence, info: 'user_count' } })).json()) as {
      channels: Record<string, { user_count?: number }>;
    };
    expect(list.channels[presence]).toEqual({ user_count: 2 });
    expect(list.channels[pub]).toBeUndefined();

    const all = (await (await sdk.get({ path: '/channels' })).json()) as { channels: Record<string, unknown> };
    expect(Object.keys(all.channels)).toEqual(expect.arrayContaining([pub, presence]));

    const info = await (await sdk.get({ path: `/channels/${pub}`, params: { info: 'subscription_count' } })).json();
    expect(info).toEqual({ occupied: true, subscription_count: 2 });
    const presenceInfo = await (await sdk.get({ path: `/channels/${presence}`, params: { info: 'user_count' } })).json();
    expect(presenceInfo).toEqual({ occupied: true, user_count: 2 });
    const empty = await (await sdk.get({ path: `/channels/${uniq('sdk-nobody-')}` })).json();
    expect(empty).toEqual({ occupied: false });

    const users = (await (await sdk.get({ path: `/channels/${presence}/users` })).json()) as { users: Array<{ id: string }> };
    expect(users.users.map((u) => u.id).sort()).toEqual(['u1', 'u2']);
  });
});

describe('webhooks the reference server sends, validated by the pusher SDK', () => {
  const webhooks = () => run.ctx.webhooks!;

  /** waits for a webhook event matching `match`; returns the request that carried it */
  async function webhookFor(match: (e: Record<string, unknown>) => boolean, what: string) {
    const ok = await webhooks().until((r) => r.received.some((req) => (req.body?.events ?? []).some(match)), WAIT_MS);
    if (!ok) throw new Error(`no ${what} webhook within ${WAIT_MS} ms; got ${JSON.stringify(webhooks().events())}`);
    return webhooks().received.find((req) => (req.body?.events ?? []).some(match))!;
  }

  function validate(req: { headers: Record<string, string | string[] | undefined>; rawBody: string }) {
    const hook = sdk.webhook({ headers: req.headers as Record<string, string>, rawBody: req.rawBody });
    expect(hook.isValid()).toBe(true);
    return hook.getEvents() as unknown as Array<Record<string, unknown>>;
  }

  it('channel_occupied, then channel_vacated after the grace window', async () => {
    const channel = uniq('hook-occ-');
    const c = await open();
    await subscribe(c, channel);
    const occupied = await webhookFor((e) => e.name === WebhookEventName.ChannelOccupied && e.channel === channel, 'channel_occupied');
    expect(validate(occupied)).toContainEqual({ name: WebhookEventName.ChannelOccupied, channel });

    const left = Date.now();
    c.send({ event: Event.Unsubscribe, data: { channel } });
    const vacated = await webhookFor((e) => e.name === WebhookEventName.ChannelVacated && e.channel === channel, 'channel_vacated');
    expect(Date.now() - left).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000 * 0.9);
    expect(validate(vacated)).toContainEqual({ name: WebhookEventName.ChannelVacated, channel });
  });

  it('member_added and member_removed', async () => {
    const channel = uniq(ChannelPrefix.Presence);
    const c = await open();
    await join(c, channel, 'hook-user');
    const added = await webhookFor((e) => e.name === WebhookEventName.MemberAdded && e.channel === channel, 'member_added');
    expect(validate(added)).toContainEqual({ name: WebhookEventName.MemberAdded, channel, user_id: 'hook-user' });
    c.send({ event: Event.Unsubscribe, data: { channel } });
    const removed = await webhookFor((e) => e.name === WebhookEventName.MemberRemoved && e.channel === channel, 'member_removed');
    expect(validate(removed)).toContainEqual({ name: WebhookEventName.MemberRemoved, channel, user_id: 'hook-user' });
  });

  it('client_event', async () => {
    const channel = uniq(ChannelPrefix.Private);
    const c = await open();
    await subscribe(c, channel, { auth: signChannel({ ...keys(), socketId: c.socketId, channel }) });
    const event = `${EventPrefix.Client}hooked`;
    c.send({ event, channel, data: { x: 1 } });
    const req = await webhookFor((e) => e.name === WebhookEventName.ClientEvent && e.channel === channel, 'client_event');
    expect(validate(req)).toContainEqual({ name: WebhookEventName.ClientEvent, channel, event, data: JSON.stringify({ x: 1 }), socket_id: c.socketId });
  });

  it('cache_miss', async () => {
    const channel = uniq(ChannelPrefix.Cache);
    const c = await open();
    await subscribe(c, channel);
    const req = await webhookFor((e) => e.name === WebhookEventName.CacheMiss && e.channel === channel, 'cache_miss');
    expect(validate(req)).toContainEqual({ name: WebhookEventName.CacheMiss, channel });
  });
});
