/**
 * Webhooks: every event type (occupancy, presence membership, client events, cache misses,
 * subscription counts), the envelope, the signature headers and content type, ordering, and the
 * grace window for channel_vacated / member_removed.
 *
 * The suite hosts the receiver; the target must be configured to POST to `ctx.webhooks.url`. Only
 * events naming this case's channels are routed to the case.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import { verifyWebhook, WebhookHeader } from '../../../spec/src/crypto/index.ts';
import { limits } from '../../../spec/src/limits.ts';
import { EventPrefix } from '../../../spec/src/events.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import {
  CacheMissEvent,
  ChannelOccupiedEvent,
  ChannelVacatedEvent,
  ClientEventEvent,
  MemberAddedEvent,
  MemberRemovedEvent,
  SubscriptionCountEvent,
  WEBHOOK_CONTENT_TYPE,
  WebhookBody,
  WebhookEventName,
  type WebhookEvent,
} from '../../../spec/src/webhooks.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client, ReceivedWebhook, Webhooks } from '../harness/types.ts';
import { closeAll } from './helpers/channel-sync.ts';

/** Slack on top of the grace window for a delayed webhook to arrive, before time-scale. */
const MARGIN_MS = 3000;
/** How long "no further webhook of that kind" is watched for, before time-scale. */
const QUIET_MS = 1200;
/** Largest accepted difference between time_ms and the local clock. */
const CLOCK_SKEW_MS = 60_000;
/** A client event name for these cases. */
const CLIENT_EVENT = `${EventPrefix.Client}conformance-hook`;

function hooksOf(ctx: CaseContext): Webhooks {
  const hooks = ctx.webhooks;
  if (hooks === undefined) return ctx.unsupported('the target has no webhooks configured to the suite\'s receiver (set its webhook URL to the receiver the suite prints)');
  return hooks;
}

/** The grace window the profile declares (Pusher's documented value where it declares none), in ms. */
const graceMs = (ctx: CaseContext): number => (ctx.limits.webhookGraceSeconds ?? limits.webhookGraceSeconds.pusher) * 1000;
/** Bound for channel_vacated / member_removed: the grace window plus a margin. */
const delayedBound = (ctx: CaseContext): number => graceMs(ctx) + MARGIN_MS;
/** How long to watch for a webhook that must not come after the grace window: the window plus QUIET_MS. */
const quietAfterGrace = (ctx: CaseContext): number => graceMs(ctx) + QUIET_MS;

const is =
  (name: WebhookEventName, channel: string, userId?: string) =>
  (e: WebhookEvent): boolean =>
    e.name === name && e.channel === channel && (userId === undefined || ('user_id' in e && String(e.user_id) === userId));

const describeHook = (r: ReceivedWebhook): string => JSON.stringify(r.event).slice(0, 300);

/** Every received event of this case matching `where`, in arrival order. */
const all = (hooks: Webhooks, where: (e: WebhookEvent) => boolean): ReceivedWebhook[] => hooks.received().filter((r) => where(r.event));

/** Validate one event with its spec schema. */
function shape(r: ReceivedWebhook, schema: { safeParse(v: unknown): { success: boolean; error?: { message: string } } }, what: string): void {
  const parsed = schema.safeParse(r.event);
  check(parsed.success, `${what} valid against the spec schema`, () => `${describeHook(r)}: ${parsed.error?.message.slice(0, 300) ?? ''}`);
}

/** Subscribe to a fresh channel and wait for its channel_occupied; returns the client and the hook. */
async function occupy(ctx: CaseContext, hooks: Webhooks, prefix: string): Promise<{ channel: string; client: Client; hook: ReceivedWebhook }> {
  const channel = ctx.channelName(prefix);
  const client = await ctx.connect();
  await client.subscribeOk(channel);
  const hook = await hooks.expect(is(WebhookEventName.ChannelOccupied, channel), { description: `${WebhookEventName.ChannelOccupied} for ${channel}` });
  return { channel, client, hook };
}

/** Join a presence channel as `userId` on a new connection. */
async function join(ctx: CaseContext, channel: string, userId: string): Promise<Client> {
  const c = await ctx.connect();
  await c.subscribeOk(channel, { channelData: { user_id: userId, user_info: { name: userId } } });
  return c;
}

/**
 * Occupy a channel, unsubscribe and subscribe again at once; with presence, also join a presence
 * channel, leave it and rejoin as the same user. The grace-window cases judge what follows.
 */
async function rejoinAtOnce(ctx: CaseContext, hooks: Webhooks): Promise<{ channel: string; presence?: string; u?: string }> {
  const { channel, client } = await occupy(ctx, hooks, '');
  client.unsubscribe(channel);
  await client.subscribeOk(channel);
  if (!ctx.target.features.has('presence')) return { channel };
  const presence = ctx.channelName(ChannelPrefix.Presence);
  const u = ctx.userId('u');
  const cu = await join(ctx, presence, u);
  await hooks.expect(is(WebhookEventName.MemberAdded, presence, u), { description: `${WebhookEventName.MemberAdded} for ${u}` });
  cu.unsubscribe(presence);
  await cu.subscribeOk(presence, { channelData: { user_id: u, user_info: { name: u } } });
  return { channel, presence, u };
}

export default defineArea('webhooks', 'Webhooks', [
  defineCase({
    id: 'webhooks/channel-occupied',
    clause: 'webhooks.channel-occupied',
    level: 'MUST',
    features: ['webhooks'],
    action: 'Subscribes a connection to a fresh public channel, and to a fresh private channel',
    requirement: 'The server MUST send a channel_occupied webhook naming each channel',
    async run(ctx) {
      const hooks = hooksOf(ctx);
      for (const prefix of ['', ChannelPrefix.Private]) {
        const { hook } = await occupy(ctx, hooks, prefix);
        shape(hook, ChannelOccupiedEvent, WebhookEventName.ChannelOccupied);
      }
    },
  }),

  defineCase({
    id: 'webhooks/channel-vacated',
    clause: 'webhooks.channel-vacated',
    level: 'MUST',
    features: ['webhooks'],
    action: 'Occupies three fresh channels, then empties them three ways: unsubscribe, a clean close of the connection, and a TCP drop without a close frame',
    requirement: 'The server MUST send channel_vacated for each channel (after its grace delay, if any)',
    timeoutMs: 20_000,
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const byUnsubscribe = await occupy(ctx, hooks, '');
      const byClose = await occupy(ctx, hooks, '');
      const byDrop = await occupy(ctx, hooks, '');
      byUnsubscribe.client.unsubscribe(byUnsubscribe.channel);
      await byClose.client.close();
      byDrop.client.terminate();
      for (const [how, o] of [['unsubscribe', byUnsubscribe], ['close', byClose], ['TCP drop', byDrop]] as const) {
        const hook = await hooks.expect(is(WebhookEventName.ChannelVacated, o.channel), { within: delayedBound(ctx), description: `${WebhookEventName.ChannelVacated} for ${o.channel} after ${how}` });
        shape(hook, ChannelVacatedEvent, WebhookEventName.ChannelVacated);
      }
    },
  }),

  defineCase({
    id: 'webhooks/occupied-before-vacated',
    clause: 'webhooks.occupied-before-vacated',
    level: 'SHOULD',
    features: ['webhooks'],
    action: 'On one channel, twice: subscribes, waits for channel_occupied, unsubscribes and waits for channel_vacated; a second connection joins and leaves while the first is subscribed',
    requirement: 'The server SHOULD send occupied before vacated, alternating, never two of the same kind in a row',
    timeoutMs: 25_000,
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const channel = ctx.channelName('');
      const [a, b] = [await ctx.connect(), await ctx.connect()];
      for (let round = 1; round <= 2; round++) {
        const seen = all(hooks, is(WebhookEventName.ChannelOccupied, channel)).length;
        await a.subscribeOk(channel);
        await hooks.expect((e) => is(WebhookEventName.ChannelOccupied, channel)(e) && all(hooks, is(WebhookEventName.ChannelOccupied, channel)).length > seen, { description: `${WebhookEventName.ChannelOccupied} #${round}` });
        await b.subscribeOk(channel);
        b.unsubscribe(channel);
        const vacated = all(hooks, is(WebhookEventName.ChannelVacated, channel)).length;
        a.unsubscribe(channel);
        await hooks.expect((e) => is(WebhookEventName.ChannelVacated, channel)(e) && all(hooks, is(WebhookEventName.ChannelVacated, channel)).length > vacated, {
          within: delayedBound(ctx),
          description: `${WebhookEventName.ChannelVacated} #${round}`,
        });
      }
      await ctx.sleep(QUIET_MS, 'quiet');
      const order = all(hooks, (e) => e.channel === channel && (e.name === WebhookEventName.ChannelOccupied || e.name === WebhookEventName.ChannelVacated)).map((r) => r.event.name);
      const expected = [WebhookEventName.ChannelOccupied, WebhookEventName.ChannelVacated, WebhookEventName.ChannelOccupied, WebhookEventName.ChannelVacated];
      check(isDeepStrictEqual(order, expected), `webhooks in the order ${expected.join(', ')}`, order.join(', '));
    },
  }),

  defineCase({
    id: 'webhooks/member-added-first-connection',
    clause: 'webhooks.member-added',
    level: 'MUST',
    features: ['webhooks', 'presence'],
    action: 'User U joins a presence channel on two connections, then user V on one',
    requirement: 'The server MUST send exactly one member_added for U and one for V, each with channel and user_id',
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      await join(ctx, channel, u);
      await join(ctx, channel, u);
      await join(ctx, channel, v);
      for (const id of [u, v]) {
        const hook = await hooks.expect(is(WebhookEventName.MemberAdded, channel, id), { description: `${WebhookEventName.MemberAdded} for ${id}` });
        shape(hook, MemberAddedEvent, WebhookEventName.MemberAdded);
      }
      await ctx.sleep(QUIET_MS, 'quiet');
      const forU = all(hooks, is(WebhookEventName.MemberAdded, channel, u));
      check(forU.length === 1, `exactly one ${WebhookEventName.MemberAdded} for ${u}, who joined on two connections`, `${forU.length}: ${forU.map(describeHook).join(', ')}`);
    },
  }),

  defineCase({
    id: 'webhooks/member-removed-last-connection',
    clause: 'webhooks.member-removed',
    level: 'MUST',
    features: ['webhooks', 'presence'],
    action: 'User U joins a presence channel on two connections and user V on one; one of U\'s connections closes, then the other (by TCP drop)',
    requirement: 'The server MUST NOT send member_removed for U while U\'s second connection remains, and MUST send it (with channel and user_id) after the last one has gone',
    timeoutMs: 20_000,
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      const u1 = await join(ctx, channel, u);
      const u2 = await join(ctx, channel, u);
      await join(ctx, channel, v);
      await hooks.expect(is(WebhookEventName.MemberAdded, channel, u), { description: `${WebhookEventName.MemberAdded} for ${u}` });
      await u1.close();
      await hooks.expectNone(is(WebhookEventName.MemberRemoved, channel, u), { within: quietAfterGrace(ctx), description: `${WebhookEventName.MemberRemoved} for ${u} while ${u2.label} is still a member` });
      u2.terminate();
      const hook = await hooks.expect(is(WebhookEventName.MemberRemoved, channel, u), { within: delayedBound(ctx), description: `${WebhookEventName.MemberRemoved} for ${u} after its last connection dropped` });
      shape(hook, MemberRemovedEvent, WebhookEventName.MemberRemoved);
    },
  }),

  defineCase({
    id: 'webhooks/client-event',
    clause: 'webhooks.client-event',
    level: 'MUST',
    features: ['webhooks', 'client-events', 'presence'],
    action: 'Users U and V join a presence channel (and a private channel); U sends a client event with object data on each',
    requirement: 'The server MUST send a client_event webhook with channel, event, data as a string holding what was sent, the sender\'s socket_id, and on the presence channel the sender\'s user_id',
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const presence = ctx.channelName(ChannelPrefix.Presence);
      const priv = ctx.channelName(ChannelPrefix.Private);
      const [u, v] = [ctx.userId('u'), ctx.userId('v')];
      const cu = await join(ctx, presence, u);
      const cv = await join(ctx, presence, v);
      await cu.subscribeOk(priv);
      await cv.subscribeOk(priv);
      const sent = { text: 'h\u00e9llo \u4e16\u754c', n: 1, nested: { ok: true } };
      for (const channel of [presence, priv]) {
        cu.trigger(channel, CLIENT_EVENT, sent);
        await cv.waitFor({ event: CLIENT_EVENT, channel, within: 3000 });
        const hook = await hooks.expect(is(WebhookEventName.ClientEvent, channel), { description: `${WebhookEventName.ClientEvent} for ${channel}` });
        shape(hook, ClientEventEvent, WebhookEventName.ClientEvent);
        const e = hook.event as WebhookEvent & { event: string; data: unknown; socket_id: string; user_id?: unknown };
        check(e.event === CLIENT_EVENT, `event ${CLIENT_EVENT}`, describeHook(hook));
        check(typeof e.data === 'string', 'data as a string', describeHook(hook));
        let decoded: unknown;
        try {
          decoded = JSON.parse(e.data as string);
        } catch {
          decoded = e.data;
        }
        check(isDeepStrictEqual(decoded, sent), `data holding ${JSON.stringify(sent)}`, describeHook(hook));
        check(e.socket_id === cu.socketId, `socket_id of the sender (${cu.socketId})`, describeHook(hook));
        if (channel === presence) check(e.user_id !== undefined && String(e.user_id) === u, `user_id ${u} on the presence channel`, describeHook(hook));
      }
      await closeAll([cu, cv]);
    },
  }),

  defineCase({
    id: 'webhooks/cache-miss',
    clause: 'webhooks.cache-miss',
    level: 'SHOULD',
    features: ['webhooks', 'cache'],
    action: 'Subscribes to a fresh (empty) cache- channel',
    requirement: 'The server SHOULD send a cache_miss webhook naming the channel',
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const channel = ctx.channelName(ChannelPrefix.Cache);
      const c = await ctx.connect();
      await c.subscribeOk(channel);
      const hook = await hooks.expect(is(WebhookEventName.CacheMiss, channel), { description: `${WebhookEventName.CacheMiss} for ${channel}` });
      shape(hook, CacheMissEvent, WebhookEventName.CacheMiss);
    },
  }),

  defineCase({
    id: 'webhooks/cache-miss-deduplicated',
    clause: 'webhooks.cache-miss-dedup',
    level: 'SHOULD',
    features: ['webhooks', 'cache'],
    action: 'Four connections subscribe at once to the same fresh (empty) cache- channel',
    requirement: 'The server SHOULD send a single cache_miss webhook for them',
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const channel = ctx.channelName(ChannelPrefix.Cache);
      const clients = await Promise.all([0, 1, 2, 3].map(() => ctx.connect()));
      await Promise.all(clients.map((c) => c.subscribeOk(channel)));
      await hooks.expect(is(WebhookEventName.CacheMiss, channel), { description: `${WebhookEventName.CacheMiss} for ${channel}` });
      await ctx.sleep(QUIET_MS, 'quiet');
      const misses = all(hooks, is(WebhookEventName.CacheMiss, channel));
      check(misses.length === 1, `one ${WebhookEventName.CacheMiss} webhook for four subscriptions`, `${misses.length}`);
    },
  }),

  defineCase({
    id: 'webhooks/subscription-count',
    clause: 'webhooks.subscription-count',
    level: 'SHOULD',
    features: ['webhooks', 'subscription-count'],
    action: 'Two connections subscribe to a fresh public channel one after the other (and, with presence, two join a presence channel)',
    requirement: 'The server SHOULD send subscription_count webhooks with the channel and the integer count (1, then 2), and none for the presence channel',
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const channel = ctx.channelName('');
      const counts = (): unknown[] => all(hooks, is(WebhookEventName.SubscriptionCount, channel)).map((r) => (r.event as { subscription_count?: unknown }).subscription_count);
      for (const n of [1, 2]) {
        const c = await ctx.connect();
        await c.subscribeOk(channel);
        const hook = await hooks.expect((e) => is(WebhookEventName.SubscriptionCount, channel)(e) && counts().length >= n, { description: `${WebhookEventName.SubscriptionCount} #${n} for ${channel}` });
        shape(hook, SubscriptionCountEvent, WebhookEventName.SubscriptionCount);
        check(counts()[n - 1] === n, `subscription_count ${n} after ${n} subscriber(s)`, `counts received: ${counts().join(', ')}`);
      }
      if (ctx.target.features.has('presence')) {
        const presence = ctx.channelName(ChannelPrefix.Presence);
        await join(ctx, presence, ctx.userId('p'));
        await join(ctx, presence, ctx.userId('q'));
        await hooks.expect(is(WebhookEventName.MemberAdded, presence), { description: `${WebhookEventName.MemberAdded} on ${presence} (sync)` }).catch(() => undefined);
        await hooks.expectNone(is(WebhookEventName.SubscriptionCount, presence), { within: QUIET_MS, description: `${WebhookEventName.SubscriptionCount} for the presence channel ${presence}` });
      }
    },
  }),

  defineCase({
    id: 'webhooks/envelope',
    clause: 'webhooks.envelope',
    level: 'MUST',
    features: ['webhooks'],
    action: 'Occupies and vacates a fresh channel and inspects every webhook request that carried its events',
    requirement: 'Each request body MUST be a JSON object {time_ms, events[]} valid against WebhookBody, with time_ms the creation time in Unix milliseconds (within a minute of the local clock)',
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const { channel, client } = await occupy(ctx, hooks, '');
      client.unsubscribe(channel);
      await hooks.expect(is(WebhookEventName.ChannelVacated, channel), { within: delayedBound(ctx), description: `${WebhookEventName.ChannelVacated} for ${channel}` });
      const now = Date.now();
      for (const r of hooks.received()) {
        const body = WebhookBody.safeParse(r.body);
        check(body.success, 'a body valid against WebhookBody ({time_ms: integer, events: [{name, …}, …]})', () => `${r.raw.slice(0, 300)}: ${body.error?.message.slice(0, 300) ?? ''}`);
        const skew = Math.abs(body.data.time_ms - now);
        check(skew <= CLOCK_SKEW_MS, `time_ms in Unix milliseconds within ${CLOCK_SKEW_MS / 1000} s of the local clock (${now})`, `time_ms ${body.data.time_ms} (off by ${skew} ms${body.data.time_ms < 1e11 ? ': looks like seconds' : ''})`);
      }
    },
  }),

  defineCase({
    id: 'webhooks/signature',
    clause: 'webhooks.signature',
    level: 'MUST',
    features: ['webhooks'],
    action: 'Occupies a fresh channel and checks the headers of the webhook request',
    requirement: 'The request MUST carry X-Pusher-Key equal to the app key and X-Pusher-Signature, the HMAC-SHA256 hex of the raw body keyed by the app secret',
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const { hook } = await occupy(ctx, hooks, '');
      const key = hook.headers[WebhookHeader.Key.toLowerCase()];
      check(key === ctx.target.key, `${WebhookHeader.Key}: ${ctx.target.key}`, key === undefined ? 'header absent' : `${WebhookHeader.Key}: ${key}`);
      const verified = verifyWebhook({ key: ctx.target.key, secret: ctx.target.secret, headers: hook.headers, rawBody: hook.raw });
      check(verified.ok, `${WebhookHeader.Signature} verifying over the raw body with the app secret`, () =>
        verified.ok ? '' : `${verified.reason}; ${WebhookHeader.Signature}: ${hook.headers[WebhookHeader.Signature.toLowerCase()] ?? '(absent)'}`,
      );
    },
  }),

  defineCase({
    id: 'webhooks/content-type',
    clause: 'webhooks.content-type',
    level: 'MUST',
    features: ['webhooks'],
    action: 'Occupies a fresh channel and checks the Content-Type of the webhook request',
    requirement: `The request MUST carry Content-Type: ${WEBHOOK_CONTENT_TYPE} (pusher-http-node compares it exactly)`,
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const { hook } = await occupy(ctx, hooks, '');
      const type = hook.headers['content-type'];
      check(type !== undefined && type.trim().toLowerCase() === WEBHOOK_CONTENT_TYPE, `Content-Type: ${WEBHOOK_CONTENT_TYPE}`, type === undefined ? 'no Content-Type' : `Content-Type: ${type}`);
    },
  }),

  defineCase({
    id: 'webhooks/grace-rejoin',
    clause: 'webhooks.grace-delay',
    level: 'MAY',
    features: ['webhooks'],
    action: 'Unsubscribes from an occupied channel and subscribes again at once (and, with presence, leaves and rejoins a presence channel as the same user), then waits for the grace window to pass',
    requirement: 'A server with a grace window SHOULD then send neither channel_vacated nor member_removed',
    timeoutMs: 20_000,
    async run(ctx) {
      const hooks = hooksOf(ctx);
      if (graceMs(ctx) <= 0) return ctx.unsupported('the profile declares no webhook grace window (webhookGraceSeconds 0)');
      const { channel, presence, u } = await rejoinAtOnce(ctx, hooks);
      await hooks.expectNone(
        (e) => is(WebhookEventName.ChannelVacated, channel)(e) || (presence !== undefined && (is(WebhookEventName.ChannelVacated, presence)(e) || is(WebhookEventName.MemberRemoved, presence, u)(e))),
        { within: quietAfterGrace(ctx), description: 'channel_vacated or member_removed after a rejoin within the grace window' },
      );
    },
  }),

  defineCase({
    id: 'webhooks/grace-rejoin-no-duplicates',
    clause: 'webhooks.occupied-before-vacated',
    level: 'SHOULD',
    features: ['webhooks'],
    action: 'Unsubscribes from an occupied channel and subscribes again at once (and, with presence, leaves and rejoins a presence channel as the same user)',
    requirement: 'A server that suppresses channel_vacated (member_removed) for the rejoin SHOULD NOT send a second channel_occupied (member_added) either: receivers would see two of the same kind in a row',
    timeoutMs: 20_000,
    async run(ctx) {
      const hooks = hooksOf(ctx);
      const { channel, presence, u } = await rejoinAtOnce(ctx, hooks);
      await ctx.sleep(quietAfterGrace(ctx), 'quiet');
      const kinds: [WebhookEventName, WebhookEventName, string, string | undefined][] = [[WebhookEventName.ChannelOccupied, WebhookEventName.ChannelVacated, channel, undefined]];
      if (presence !== undefined) kinds.push([WebhookEventName.MemberAdded, WebhookEventName.MemberRemoved, presence, u]);
      for (const [up, down, ch, user] of kinds) {
        const seq = all(hooks, (e) => is(up, ch, user)(e) || is(down, ch, user)(e)).map((r) => r.event.name);
        const repeated = seq.some((name, i) => i > 0 && seq[i - 1] === name);
        check(!repeated, `${up} and ${down} for ${ch}${user ? ` (${user})` : ''} alternate`, seq.join(', '));
      }
    },
  }),
]);
