/**
 * The `pusher` server SDK (pusher-http-node, the version installed with the kit) against the
 * target: every call an application's back end makes, whether its promise resolves, and with
 * what. An SDK user never sees the HTTP exchange, only what the promise gave: the cases say that.
 * The suite's own harness clients observe the WebSocket side.
 * @module
 */
import { Event } from '../../../../spec/src/events.ts';
import { ChannelEventFrameLenient } from '../../../../spec/src/frames/events.ts';
import { ChannelPrefix, serverToUserChannel } from '../../../../spec/src/identifiers.ts';
import { WebhookEventName } from '../../../../spec/src/webhooks.ts';
import { check } from '../../model/outcome.ts';
import type { CaseContext, Client } from '../../harness/types.ts';
import { barrier } from '../helpers/channel-sync.ts';
import { sdkCase, show } from './scope.ts';

const SDK = 'the pusher server SDK';

/** What an SDK promise gave: its value, or the error it rejected with as the application sees it. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    const err = e as Error & { status?: number; body?: string };
    return { ok: false, error: `${err.name ?? 'Error'}: ${err.message}${err.status !== undefined ? ` (status ${err.status}${err.body ? `, body ${String(err.body).slice(0, 200)}` : ''})` : ''}` };
  }
}

/** `await sdk.call()` then `await response.json()`, as applications do; fails the case at the first step that rejects */
async function resolvedJson(what: string, call: Promise<{ json(): Promise<unknown> }>): Promise<unknown> {
  const res = await settle(call);
  check(res.ok, `${what} resolves`, res.ok ? '' : `it rejected with ${res.error}`);
  const body = await settle(res.value.json());
  check(body.ok, `${what}: response.json() resolves with the documented JSON object`, body.ok ? '' : `response.json() rejected with ${body.error}`);
  check(typeof body.value === 'object' && body.value !== null && !Array.isArray(body.value), `${what}: response.json() is an object`, show(body.value));
  return body.value;
}

/** what a resolved SDK promise gave the application: the response's status and body */
async function returned(res: { status: number; text(): Promise<string> }): Promise<string> {
  const body = await settle(res.text());
  return `HTTP ${res.status} ${body.ok ? body.value.slice(0, 200) : `(body unreadable: ${body.error})`}`;
}

const delivered = (c: Client, event: string, channel?: string) => c.frames().filter((f) => f.event === event && (channel === undefined || f.channel === channel));

async function signin(c: Client, userId: string): Promise<void> {
  const r = await c.signin({ id: userId });
  check(r.ok, `${Event.Signin} as ${userId} accepted`, r.ok ? '' : `refused: ${show(r.signal)}`);
}

async function presenceMember(ctx: CaseContext, channel: string, userId: string): Promise<Client> {
  const c = await ctx.connect();
  const r = await c.subscribe(channel, { channelData: { user_id: userId, user_info: { name: userId } } });
  check(r.ok, `presence subscription of ${userId} accepted`, show(r));
  return c;
}

export const pusherServerCases = [
  sdkCase({
    id: 'sdk/pusher-server-trigger',
    clause: 'rest.trigger-success-body',
    level: 'MUST',
    features: [],
    action: `${SDK}: trigger(channel, …) and trigger([a, b], …), each followed by response.json(), with a subscriber on both channels`,
    requirement: `The server MUST answer a successful publish with a JSON object, so that the SDK's promises resolve, and deliver each event once per channel`,
    async run(ctx, sdk) {
      const a = ctx.channelName('');
      const b = ctx.channelName('');
      const c = await ctx.connect();
      await c.subscribeOk(a);
      await c.subscribeOk(b);
      const one = await resolvedJson('trigger(one channel)', sdk.server.trigger(a, 'single', { n: 1 }));
      const many = await resolvedJson('trigger([a, b])', sdk.server.trigger([a, b], 'multi', { n: 2 }));
      await barrier(ctx, a, [c]);
      await barrier(ctx, b, [c]);
      check(delivered(c, 'single').length === 1, '"single" delivered once', `${delivered(c, 'single').length}×`);
      const multi = delivered(c, 'multi').map((f) => f.channel).sort();
      check(JSON.stringify(multi) === JSON.stringify([a, b].sort()), '"multi" delivered once on each channel', show(multi));
      return `trigger resolved; json() ${show(one)} and ${show(many)}`;
    },
  }),

  sdkCase({
    id: 'sdk/pusher-server-trigger-info',
    clause: 'rest.trigger-info',
    level: 'SHOULD',
    features: ['presence', 'rest-info'],
    action: `${SDK}: trigger(presenceChannel, …, { info: "user_count" }) with two members, then response.json()`,
    requirement: 'The server SHOULD answer with {channels: {name: {user_count}}}, so that the SDK user reads the count from the response',
    async run(ctx, sdk) {
      const name = ctx.channelName(ChannelPrefix.Presence);
      await presenceMember(ctx, name, ctx.userId('u'));
      await presenceMember(ctx, name, ctx.userId('u'));
      const body = (await resolvedJson('trigger(…, { info: "user_count" })', sdk.server.trigger(name, 'counted', {}, { info: 'user_count' }))) as { channels?: Record<string, { user_count?: unknown }> };
      check(body.channels?.[name]?.user_count === 2, `response.json() is {channels: {"${name}": {user_count: 2}}}`, show(body));
    },
  }),

  sdkCase({
    id: 'sdk/pusher-server-socket-exclusion',
    clause: 'rest.socket-id-exclusion',
    level: 'MUST',
    features: [],
    action: `${SDK}: trigger(channel, …, { socket_id }) naming one of two subscribers`,
    requirement: 'The server MUST skip the named connection only',
    async run(ctx, sdk) {
      const name = ctx.channelName('');
      const publisher = await ctx.connect();
      const other = await ctx.connect();
      await publisher.subscribeOk(name);
      await other.subscribeOk(name);
      await resolvedJson('trigger(…, { socket_id })', sdk.server.trigger(name, 'excluded', {}, { socket_id: publisher.socketId }));
      await barrier(ctx, name, [publisher, other]);
      check(delivered(publisher, 'excluded').length === 0, 'the excluded socket gets nothing', `${delivered(publisher, 'excluded').length}×`);
      check(delivered(other, 'excluded').length === 1, 'the other socket gets the event once', `${delivered(other, 'excluded').length}×`);
    },
  }),

  sdkCase({
    id: 'sdk/pusher-server-trigger-batch',
    clause: 'rest.batch-events',
    level: 'MUST',
    features: ['batch-events'],
    action: `${SDK}: triggerBatch([…]) with entries on two channels, one of them excluding the subscriber by socket_id`,
    requirement: 'The server MUST deliver every entry, honour each entry\'s socket_id, and answer with a JSON object',
    async run(ctx, sdk) {
      const one = ctx.channelName('');
      const two = ctx.channelName('');
      const c = await ctx.connect();
      await c.subscribeOk(one);
      await c.subscribeOk(two);
      const body = await resolvedJson(
        'triggerBatch',
        sdk.server.triggerBatch([
          { channel: one, name: 'first', data: { i: 1 } },
          { channel: two, name: 'second', data: { i: 2 } },
          { channel: two, name: 'hidden', data: { i: 3 }, socket_id: c.socketId },
        ]),
      );
      await barrier(ctx, one, [c]);
      await barrier(ctx, two, [c]);
      check(delivered(c, 'first', one).length === 1 && delivered(c, 'second', two).length === 1, 'both entries delivered once', `first ${delivered(c, 'first').length}×, second ${delivered(c, 'second').length}×`);
      check(delivered(c, 'hidden').length === 0, 'the entry excluding this socket is not delivered to it', `${delivered(c, 'hidden').length}×`);
      return `json() ${show(body)}`;
    },
  }),

  sdkCase({
    id: 'sdk/pusher-server-channel-queries',
    clause: 'rest.users',
    level: 'MUST',
    features: ['presence'],
    action: `${SDK}: get({ path: "/channels" }) with a presence- filter, get("/channels/{name}") and get("/channels/{name}/users"), with one user on two connections and another on one`,
    requirement: 'The server MUST answer each query with the live state and list each user once, so that the SDK user reads the same members the clients see',
    async run(ctx, sdk) {
      const name = ctx.channelName(ChannelPrefix.Presence);
      const u1 = ctx.userId('u');
      const u2 = ctx.userId('u');
      await presenceMember(ctx, name, u1);
      await presenceMember(ctx, name, u1);
      await presenceMember(ctx, name, u2);
      // user_count (clauses rest.channels-user-count, rest.channel-user-count: SHOULD) is asked for
      // and reported, not judged here: the rest area's cases judge it
      const list = (await resolvedJson('get /channels', sdk.server.get({ path: '/channels', params: { filter_by_prefix: ChannelPrefix.Presence, info: 'user_count' } }))) as { channels?: Record<string, unknown> };
      check(list.channels?.[name] !== undefined, `get /channels lists ${name}`, show(list));
      const info = (await resolvedJson('get /channels/{name}', sdk.server.get({ path: `/channels/${name}`, params: { info: 'user_count' } }))) as { occupied?: unknown };
      check(info.occupied === true, 'get /channels/{name} says occupied: true', show(info));
      const users = (await resolvedJson('get /channels/{name}/users', sdk.server.get({ path: `/channels/${name}/users` }))) as { users?: { id?: unknown }[] };
      const ids = (users.users ?? []).map((u) => String(u.id)).sort();
      check(JSON.stringify(ids) === JSON.stringify([u1, u2].sort()), 'get /channels/{name}/users lists each user once', show(users));
      return `list entry ${show(list.channels?.[name])}; channel ${show(info)}`;
    },
  }),

  sdkCase({
    id: 'sdk/pusher-server-send-to-user',
    clause: 'server-to-user.only-that-user',
    level: 'MUST',
    features: ['user-auth', 'server-to-user'],
    action: `${SDK}: sendToUser(userId, …) with that user and another signed in`,
    requirement: 'The server MUST deliver the event on #server-to-user-{id} to that user\'s connection only, and the promise MUST resolve',
    async run(ctx, sdk) {
      const userId = ctx.userId('to');
      const target = await ctx.connect();
      const bystander = await ctx.connect();
      await signin(target, userId);
      await signin(bystander, ctx.userId('by'));
      const sent = await settle(sdk.server.sendToUser(userId, 'for-you', { hi: 1 }));
      check(sent.ok, 'sendToUser resolves', sent.ok ? '' : `it rejected with ${sent.error}`);
      await target.expectFrame(ChannelEventFrameLenient, { event: 'for-you', channel: serverToUserChannel(userId), description: `for-you on ${serverToUserChannel(userId)}` });
      await bystander.expectNoFrame({ event: 'for-you', description: 'for-you at another user' });
      return `sendToUser resolved with ${await returned(sent.value)}`;
    },
  }),

  sdkCase({
    id: 'sdk/pusher-server-terminate',
    clause: 'terminate.closes-signed-in',
    level: 'MUST',
    features: ['user-auth', 'terminate'],
    action: `${SDK}: terminateUserConnections(userId) with that user signed in on two connections and another user on a third`,
    requirement: 'The server MUST close both of that user\'s connections, leave the other open, and the promise MUST resolve',
    async run(ctx, sdk) {
      const userId = ctx.userId('gone');
      const mine = [await ctx.connect(), await ctx.connect()];
      const survivor = await ctx.connect();
      for (const c of mine) await signin(c, userId);
      await signin(survivor, ctx.userId('stays'));
      const res = await settle(sdk.server.terminateUserConnections(userId));
      check(res.ok, 'terminateUserConnections resolves', res.ok ? '' : `it rejected with ${res.error}`);
      // which code it closes with is clause terminate.fatal-close-code (sdk/pusher-js-terminated)
      for (const c of mine) await c.expectClose();
      check(await survivor.wsPing(), 'the other user\'s connection stays open', 'closed');
      check(survivor.isOpen, 'the other user\'s connection stays open', `closed ${show(survivor.closeInfo)}`);
      return `terminateUserConnections resolved with ${await returned(res.value)}`;
    },
  }),

  sdkCase({
    id: 'sdk/pusher-server-authorize-channel',
    clause: 'channel-auth.private-valid',
    level: 'MUST',
    features: ['private-channels'],
    action: `${SDK}: authorizeChannel(socketId, channel[, presenceData]) for a private channel whose name holds = @ , . ; and, where supported, a presence and a private-encrypted- channel; the output is sent as the subscription's auth (and channel_data)`,
    requirement: 'The server MUST accept the SDK\'s signatures',
    async run(ctx, sdk) {
      const c = await ctx.connect();
      const attempts: [string, () => Record<string, unknown>][] = [];
      const priv = `${ctx.channelName(ChannelPrefix.Private)}-a=b@c,d.e;f`;
      attempts.push([priv, () => ({ ...sdk.server.authorizeChannel(c.socketId, priv) })]);
      if (ctx.target.features.has('presence')) {
        const presence = ctx.channelName(ChannelPrefix.Presence);
        attempts.push([presence, () => ({ ...sdk.server.authorizeChannel(c.socketId, presence, { user_id: ctx.userId('sdk'), user_info: { name: 'SDK' } }) })]);
      }
      if (ctx.target.features.has('encrypted')) {
        const enc = ctx.channelName(ChannelPrefix.Encrypted);
        attempts.push([enc, () => ({ ...sdk.server.authorizeChannel(c.socketId, enc) })]);
      }
      for (const [channel, authorize] of attempts) {
        const out = authorize();
        ctx.note(`${SDK} authorizeChannel(${channel}) returned ${show(out)}`);
        const r = await c.subscribe(channel, { auth: String(out.auth), ...(typeof out.channel_data === 'string' ? { channelDataRaw: out.channel_data } : {}) });
        check(r.ok, `the SDK's authorizeChannel output opens ${channel}`, show(r));
      }
    },
  }),

  sdkCase({
    id: 'sdk/pusher-server-authenticate-user',
    clause: 'signin.valid-signature',
    level: 'MUST',
    features: ['user-auth'],
    action: `${SDK}: authenticateUser(socketId, { id, user_info, watchlist }) and a pusher:signin with its output`,
    requirement: 'The server MUST accept the SDK\'s user signature and answer with pusher:signin_success',
    async run(ctx, sdk) {
      const c = await ctx.connect();
      const userData = { id: ctx.userId('sdk'), user_info: { name: 'SDK user' }, ...(ctx.target.features.has('watchlist') ? { watchlist: [ctx.userId('w')] } : {}) };
      const out = sdk.server.authenticateUser(c.socketId, userData);
      ctx.note(`${SDK} authenticateUser returned ${show(out)}`);
      const r = await c.signin(userData, { auth: out.auth, userDataRaw: out.user_data });
      check(r.ok, `the SDK's authenticateUser output signs in`, r.ok ? '' : `refused: ${show(r.signal)}`);
    },
  }),

  sdkCase({
    id: 'sdk/pusher-server-webhook-valid',
    clause: 'webhooks.signature',
    level: 'MUST',
    features: ['webhooks'],
    action: `Occupies a channel, then hands the channel_occupied webhook the target sent (headers and raw body, from the suite's receiver) to ${SDK}'s webhook(…).isValid() and getEvents()`,
    requirement: 'The server MUST sign webhooks so that the SDK accepts them and reads their events',
    async run(ctx, sdk) {
      const hooks = ctx.webhooks;
      if (!hooks) return ctx.unsupported('the target sends no webhooks to the suite\'s receiver');
      const name = ctx.channelName('');
      const c = await ctx.connect();
      await c.subscribeOk(name);
      const got = await hooks.expect((e) => e.name === WebhookEventName.ChannelOccupied && (e as { channel?: string }).channel === name, { description: `channel_occupied for ${name}` });
      const hook = sdk.server.webhook({ headers: got.headers as Record<string, string>, rawBody: got.raw });
      const valid = hook.isValid();
      check(valid, `${SDK}'s webhook(…).isValid() is true`, `false (headers ${show(got.headers)})`);
      const events = hook.getEvents() as unknown as { name?: string; channel?: string }[];
      check(events.some((e) => e.name === WebhookEventName.ChannelOccupied && e.channel === name), `getEvents() holds channel_occupied for ${name}`, show(events));
    },
  }),
];
