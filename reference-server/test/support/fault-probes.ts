/**
 * One small probe per named fault: a scenario whose observation (a short string) differs between
 * the server with the fault switched on and the server without it. faults.test.ts runs each probe
 * both ways. Every probe finishes well under a second: limits and TTLs are shrunk through the
 * app config, and waits end at a ping/pong barrier rather than a timeout wherever ordering allows.
 * @module
 */
import { signChannel } from '../../../spec/src/crypto/channel-auth.ts';
import { signUser } from '../../../spec/src/crypto/user-auth.ts';
import { verifyWebhook } from '../../../spec/src/crypto/webhook-signing.ts';
import { ErrorCode } from '../../../spec/src/error-codes.ts';
import { Event, EventPrefix } from '../../../spec/src/events.ts';
import { ChannelPrefix, SOCKET_ID_PATTERN, serverToUserChannel } from '../../../spec/src/identifiers.ts';
import { InfoAttribute, RestPath, restPath } from '../../../spec/src/rest/endpoints.ts';
import { WebhookEventName } from '../../../spec/src/webhooks.ts';
import WebSocket from 'ws';
import type { AppConfigInput } from '../../src/app-config.ts';
import type { SingleNodeFaultName } from '../../src/faults.ts';
import { appUrl, ClientPool, dataOf, isEvent, tryOpen, type Frame, type RawClient } from './ws-client.ts';
import { batch, getChannel, getChannels, getUsers, publish, rest, terminate, type Creds, type WebhookReceiver } from './rest-client.ts';

export interface ProbeContext {
  /** ws://host:port */
  wsUrl: string;
  /** http://host:port */
  httpUrl: string;
  creds: Creds;
  /** present when the probe asked for webhooks */
  webhooks: WebhookReceiver | undefined;
  pool: ClientPool;
}

export interface FaultProbe {
  /** settings of the probe's app (merged over PROBE_APP) */
  app?: Partial<AppConfigInput>;
  /** more apps on the same server */
  extraApps?: AppConfigInput[];
  /** start a webhook receiver and point the app's webhooks at it */
  webhooks?: { graceSeconds?: number };
  run(ctx: ProbeContext): Promise<string>;
}

export const PROBE_APP = { id: 'probe-app', key: 'probe-key', secret: 'probe-secret' } as const;
const DISABLED_APP = { id: 'disabled-app', key: 'disabled-key', secret: 'disabled-secret', enabled: false } as const;

/** How long a barrier waits for its pong; only the no-pong fault makes it wait this long. */
const BARRIER_MS = 800;
const PROBE_EVENT = 'probe-event';
const CLIENT_EVENT = `${EventPrefix.Client}probe`;

// ---- helpers ------------------------------------------------------------------------------

const open = (ctx: ProbeContext): Promise<RawClient> => ctx.pool.open(ctx.wsUrl, ctx.creds.key);

/**
 * Everything the server sent this client before it answered a ping. A pong that never comes (the
 * no-pong fault) ends the wait after BARRIER_MS; a close ends it at once.
 */
async function barrier(c: RawClient): Promise<'pong' | 'closed' | 'timeout'> {
  const since = c.frames.length;
  c.send({ event: Event.Ping, data: {} });
  const f = await c.maybe(isEvent(Event.Pong), BARRIER_MS, since);
  if (f !== undefined) return 'pong';
  return c.ws.readyState === c.ws.OPEN ? 'timeout' : 'closed';
}

/** pusher:error or pusher:subscription_error about `channel`, or subscription_succeeded */
const subscriptionAnswer =
  (channel: string) =>
  (f: Frame): boolean =>
    (f.event === Event.SubscriptionSucceeded && f.channel === channel) ||
    ((f.event === Event.Error || f.event === Event.SubscriptionError) && (f.channel === channel || f.channel === undefined));

/** Subscribes and reports `ok` or `error:<code>`. */
async function subscribe(c: RawClient, channel: string, extra: { auth?: string; channel_data?: string } = {}): Promise<string> {
  const since = c.frames.length;
  c.send({ event: Event.Subscribe, data: { channel, ...extra } });
  const f = await c.maybe(subscriptionAnswer(channel), 1000, since);
  if (f === undefined) return 'no answer';
  if (f.event === Event.SubscriptionSucceeded) return 'ok';
  return `error:${String((dataOf(f) as { code?: unknown } | undefined)?.code ?? '?')}`;
}

async function mustSubscribe(c: RawClient, channel: string, extra?: { auth?: string; channel_data?: string }): Promise<void> {
  const result = await subscribe(c, channel, extra);
  if (result !== 'ok') throw new Error(`probe setup: subscribing to ${channel} gave ${result}`);
}

const privateAuth = (ctx: ProbeContext, socketId: string, channel: string): string =>
  signChannel({ key: ctx.creds.key, secret: ctx.creds.secret, socketId, channel });

const presenceAuth = (ctx: ProbeContext, socketId: string, channel: string, channelData: string): string =>
  signChannel({ key: ctx.creds.key, secret: ctx.creds.secret, socketId, channel, channelData });

async function joinPresence(ctx: ProbeContext, c: RawClient, channel: string, userId: string, userInfo: object = {}): Promise<string> {
  const channelData = JSON.stringify({ user_id: userId, user_info: userInfo });
  return subscribe(c, channel, { auth: presenceAuth(ctx, c.socketId, channel, channelData), channel_data: channelData });
}

async function mustJoin(ctx: ProbeContext, c: RawClient, channel: string, userId: string): Promise<void> {
  const result = await joinPresence(ctx, c, channel, userId);
  if (result !== 'ok') throw new Error(`probe setup: joining ${channel} as ${userId} gave ${result}`);
}

/** Signs in and reports `ok` or `error:<code>`. */
async function signin(ctx: ProbeContext, c: RawClient, userData: object, auth?: string): Promise<string> {
  const text = JSON.stringify(userData);
  const since = c.frames.length;
  c.send({ event: Event.Signin, data: { auth: auth ?? signUser({ key: ctx.creds.key, secret: ctx.creds.secret, socketId: c.socketId, userData: text }), user_data: text } });
  const f = await c.maybe((x) => x.event === Event.SigninSuccess || x.event === Event.Error, 1000, since);
  if (f === undefined) return 'no answer';
  if (f.event === Event.SigninSuccess) return 'ok';
  return `error:${String((dataOf(f) as { code?: unknown } | undefined)?.code ?? '?')}`;
}

const count = (c: RawClient, match: (f: Frame) => boolean, since = 0): number => c.frames.slice(since).filter(match).length;

const outcome = async (url: string): Promise<string> => {
  const o = await tryOpen(url, 1000);
  if (o.ok) {
    o.client.terminate();
    return 'established';
  }
  return o.observation;
};

/** A sent client event, with barriers on the sender and then the receiver so relaying has happened. */
/** Subscribe a fresh connection to `channel`, publish `data` there over REST, return the frame it receives. */
async function relayed(ctx: ProbeContext, channel: string, data: string) {
  const c = await open(ctx);
  await mustSubscribe(c, channel);
  const since = c.frames.length;
  await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel, data });
  return c.next(isEvent(PROBE_EVENT), 1000, since);
}

async function clientEvent(from: RawClient, to: RawClient, channel: string, name = CLIENT_EVENT, data: unknown = { probe: true }): Promise<void> {
  from.send({ event: name, channel, data });
  await barrier(from);
  await barrier(to);
}

/** Webhooks named `name`: waits for `atLeast` (loopback delivery takes milliseconds), then a little more. */
async function webhookEvents(ctx: ProbeContext, name: string, atLeast: number, settleMs = 100): Promise<Array<Record<string, unknown>>> {
  const hooks = ctx.webhooks!;
  const matching = (): Array<Record<string, unknown>> => hooks.events().filter((e) => e.name === name);
  await hooks.until(() => matching().length >= atLeast, BARRIER_MS);
  await new Promise((r) => setTimeout(r, settleMs));
  return matching();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- shared probes ------------------------------------------------------------------------

const unknownKey: FaultProbe = { run: (ctx) => outcome(appUrl(ctx.wsUrl, 'no-such-key')) };

const subscriptionCountValue: FaultProbe = {
  app: { subscriptionCount: true },
  async run(ctx) {
    const c = await open(ctx);
    await mustSubscribe(c, 'probe-count');
    await barrier(c);
    const f = c.frames.find(isEvent(Event.SubscriptionCount, 'probe-count'));
    return f === undefined ? 'none' : String((dataOf(f) as { subscription_count?: unknown }).subscription_count);
  },
};

const restStatus = (body: (ctx: ProbeContext) => Record<string, unknown>, app?: Partial<AppConfigInput>): FaultProbe => ({
  ...(app ? { app } : {}),
  async run(ctx) {
    return String((await publish(ctx.httpUrl, ctx.creds, body(ctx))).status);
  },
});

const webhookSignature: FaultProbe = {
  webhooks: {},
  async run(ctx) {
    const c = await open(ctx);
    await mustSubscribe(c, 'probe-hook');
    await ctx.webhooks!.until((r) => r.received.length > 0, 1500);
    const req = ctx.webhooks!.received[0];
    if (req === undefined) return 'no webhook';
    const v = verifyWebhook({ key: ctx.creds.key, secret: ctx.creds.secret, headers: req.headers, rawBody: req.rawBody });
    return v.ok ? 'valid' : v.reason;
  },
};

// ---- the probes ---------------------------------------------------------------------------

const PRIVATE = `${ChannelPrefix.Private}probe`;
const PRESENCE = `${ChannelPrefix.Presence}probe`;

/** cluster-* faults are probed on a cluster, by suites/test/cluster.test.ts */
export const faultProbes: Record<SingleNodeFaultName, FaultProbe> = {
  // connection
  'socket-id-malformed': {
    async run(ctx) {
      const c = await open(ctx);
      return SOCKET_ID_PATTERN.test(c.socketId) ? 'digits.digits' : 'malformed';
    },
  },
  'activity-timeout-zero': {
    async run(ctx) {
      const c = await open(ctx);
      return String((dataOf(c.frames[0]) as { activity_timeout?: unknown }).activity_timeout);
    },
  },
  'handshake-data-object': {
    async run(ctx) {
      return typeof (await open(ctx)).frames[0]!.data;
    },
  },
  'no-pong': {
    async run(ctx) {
      return barrier(await open(ctx));
    },
  },
  'unknown-app-accepted': unknownKey,
  'unknown-app-wrong-code': unknownKey,
  'disabled-app-accepted': {
    extraApps: [DISABLED_APP],
    run: (ctx) => outcome(appUrl(ctx.wsUrl, DISABLED_APP.key)),
  },
  'bad-path-accepted': {
    run: (ctx) => outcome(`${ctx.wsUrl}/not-app/${ctx.creds.key}`),
  },
  'quota-not-enforced': {
    app: { maxConnections: 1 },
    async run(ctx) {
      await open(ctx);
      return outcome(appUrl(ctx.wsUrl, ctx.creds.key));
    },
  },
  'error-data-string': {
    async run(ctx) {
      const c = await open(ctx);
      c.send('this is not JSON');
      const f = await c.next(isEvent(Event.Error));
      return typeof f.data;
    },
  },
  'invalid-json-closes': {
    async run(ctx) {
      const c = await open(ctx);
      c.send('{"event":');
      return barrier(c);
    },
  },
  'no-protocol-pong': {
    async run(ctx) {
      const c = await open(ctx);
      const pong = new Promise<string>((resolve) => c.ws.once('pong', (payload: Buffer) => resolve(`pong:${payload.toString()}`)));
      c.ws.ping('probe');
      return Promise.race([pong, sleep(BARRIER_MS).then(() => 'no pong')]);
    },
  },

  // subscription and channel auth
  'signature-not-checked': {
    async run(ctx) {
      const c = await open(ctx);
      return subscribe(c, PRIVATE, { auth: `${ctx.creds.key}:${'0'.repeat(64)}` });
    },
  },
  'other-socket-signature-accepted': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      return subscribe(b, PRIVATE, { auth: privateAuth(ctx, a.socketId, PRIVATE) });
    },
  },
  'other-channel-signature-accepted': {
    async run(ctx) {
      const c = await open(ctx);
      const other = `${PRIVATE}-other`;
      await mustSubscribe(c, other, { auth: privateAuth(ctx, c.socketId, other) });
      return subscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, other) });
    },
  },
  'channel-data-not-signed': {
    async run(ctx) {
      const c = await open(ctx);
      // signed without channel_data, sent with channel_data the signer never saw
      return subscribe(c, PRESENCE, { auth: privateAuth(ctx, c.socketId, PRESENCE), channel_data: JSON.stringify({ user_id: 'admin' }) });
    },
  },
  'truncated-signature-accepted': {
    async run(ctx) {
      const c = await open(ctx);
      return subscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE).slice(0, ctx.creds.key.length + 1 + 8) });
    },
  },
  'auth-key-ignored': {
    async run(ctx) {
      const c = await open(ctx);
      const [, hex] = privateAuth(ctx, c.socketId, PRIVATE).split(':');
      return subscribe(c, PRIVATE, { auth: `not-the-key:${hex}` });
    },
  },
  'unsubscribe-ignored': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-unsub');
      c.send({ event: Event.Unsubscribe, data: { channel: 'probe-unsub' } });
      await barrier(c);
      await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'probe-unsub', data: '{}' });
      await barrier(c);
      return String(count(c, isEvent(PROBE_EVENT)));
    },
  },
  'channel-name-unchecked': {
    async run(ctx) {
      return subscribe(await open(ctx), 'bad channel name!');
    },
  },
  'subscription-succeeded-no-channel': {
    async run(ctx) {
      const c = await open(ctx);
      c.send({ event: Event.Subscribe, data: { channel: 'probe-succeeded' } });
      const f = await c.next(isEvent(Event.SubscriptionSucceeded));
      return String(f.channel);
    },
  },
  'succeeded-data-absent': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-succeeded');
      return JSON.stringify(c.frames.find(isEvent(Event.SubscriptionSucceeded, 'probe-succeeded'))?.data) ?? 'no data';
    },
  },
  'resubscribe-silent': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-again');
      return subscribe(c, 'probe-again');
    },
  },
  'reserved-names-accepted': {
    async run(ctx) {
      return subscribe(await open(ctx), `${ChannelPrefix.Reserved}probe`);
    },
  },
  'channel-data-reserialized': {
    async run(ctx) {
      const c = await open(ctx);
      // signed exactly as sent; the indentation does not survive a JSON round trip
      const channelData = JSON.stringify({ user_id: 'u-fmt', user_info: {} }, null, 2);
      return subscribe(c, PRESENCE, { auth: presenceAuth(ctx, c.socketId, PRESENCE, channelData), channel_data: channelData });
    },
  },
  'auth-refusal-silent': {
    async run(ctx) {
      return subscribe(await open(ctx), PRIVATE, { auth: `${ctx.creds.key}:${'0'.repeat(64)}` });
    },
  },
  'auth-refusal-closes': {
    async run(ctx) {
      const c = await open(ctx);
      c.send({ event: Event.Subscribe, data: { channel: PRIVATE, auth: `${ctx.creds.key}:${'0'.repeat(64)}` } });
      return barrier(c);
    },
  },
  'private-auth-name-escaped': {
    async run(ctx) {
      const c = await open(ctx);
      const channel = `${PRIVATE}=@,;`;
      return subscribe(c, channel, { auth: privateAuth(ctx, c.socketId, channel) });
    },
  },
  'encrypted-auth-wrong-string': {
    async run(ctx) {
      const c = await open(ctx);
      const channel = `${ChannelPrefix.Encrypted}probe`;
      return subscribe(c, channel, { auth: privateAuth(ctx, c.socketId, channel) });
    },
  },
  'channel-name-charset-narrow': {
    async run(ctx) {
      return subscribe(await open(ctx), 'probe=@,.;');
    },
  },

  // presence
  'member-added-every-connection': {
    async run(ctx) {
      const watcher = await open(ctx);
      await mustJoin(ctx, watcher, PRESENCE, 'watcher');
      const b1 = await open(ctx);
      const b2 = await open(ctx);
      await mustJoin(ctx, b1, PRESENCE, 'u-b');
      await mustJoin(ctx, b2, PRESENCE, 'u-b');
      await barrier(watcher);
      return String(count(watcher, isEvent(Event.MemberAdded, PRESENCE)));
    },
  },
  'member-removed-early': {
    async run(ctx) {
      const watcher = await open(ctx);
      await mustJoin(ctx, watcher, PRESENCE, 'watcher');
      const b1 = await open(ctx);
      const b2 = await open(ctx);
      await mustJoin(ctx, b1, PRESENCE, 'u-b');
      await mustJoin(ctx, b2, PRESENCE, 'u-b');
      b2.send({ event: Event.Unsubscribe, data: { channel: PRESENCE } });
      await barrier(b2);
      await barrier(watcher);
      return String(count(watcher, isEvent(Event.MemberRemoved, PRESENCE)));
    },
  },
  'subscribe-missing-channel-closes': {
    async run(ctx) {
      const c = await open(ctx);
      c.send({ event: Event.Subscribe, data: { auth: '' } });
      return barrier(c);
    },
  },
  // embedded, the crash fault drops the connection that sent the input (serve exits instead)
  'crash-on-malformed-subscribe': {
    async run(ctx) {
      const c = await open(ctx);
      c.send({ event: Event.Subscribe, data: { channel: 42 } });
      return barrier(c);
    },
  },
  'member-added-no-user-info': {
    async run(ctx) {
      const a = await open(ctx);
      await mustJoin(ctx, a, PRESENCE, 'u-a');
      const b = await open(ctx);
      await joinPresence(ctx, b, PRESENCE, 'u-b', { name: 'B' });
      await barrier(a);
      return JSON.stringify(dataOf(a.frames.find(isEvent(Event.MemberAdded, PRESENCE))));
    },
  },
  'member-removed-socket-id': {
    async run(ctx) {
      const a = await open(ctx);
      await mustJoin(ctx, a, PRESENCE, 'u-a');
      const b = await open(ctx);
      await mustJoin(ctx, b, PRESENCE, 'u-b');
      b.send({ event: Event.Unsubscribe, data: { channel: PRESENCE } });
      await barrier(b);
      await barrier(a);
      return JSON.stringify(dataOf(a.frames.find(isEvent(Event.MemberRemoved, PRESENCE))));
    },
  },
  'presence-hash-array-when-empty': {
    async run(ctx) {
      const c = await open(ctx);
      const channelData = JSON.stringify({ user_id: 'bare' });
      await mustSubscribe(c, PRESENCE, { auth: presenceAuth(ctx, c.socketId, PRESENCE, channelData), channel_data: channelData });
      const f = c.frames.find(isEvent(Event.SubscriptionSucceeded, PRESENCE));
      return JSON.stringify((dataOf(f) as { presence?: { hash?: unknown } }).presence?.hash);
    },
  },
  'handshake-deferred': {
    async run(ctx) {
      // a ping sent the moment the upgrade completes: the first frame back must still be the handshake
      const ws = new WebSocket(appUrl(ctx.wsUrl, ctx.creds.key));
      try {
        return await new Promise<string>((resolve) => {
          ws.once('open', () => ws.send(JSON.stringify({ event: Event.Ping, data: {} })));
          ws.once('message', (raw) => resolve(String((JSON.parse(String(raw)) as Frame).event)));
          ws.once('error', (err) => resolve(`error:${err.message}`));
          setTimeout(() => resolve('nothing'), BARRIER_MS);
        });
      } finally {
        ws.terminate();
      }
    },
  },
  'one-channel-per-connection': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-first');
      await mustSubscribe(c, 'probe-second');
      await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'probe-first', data: '{}' });
      await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'probe-second', data: '{}' });
      await c.maybe(isEvent(PROBE_EVENT, 'probe-second'), BARRIER_MS, 0);
      return String(count(c, isEvent(PROBE_EVENT, 'probe-first')));
    },
  },
  'member-added-to-joiner': {
    async run(ctx) {
      const c = await open(ctx);
      await mustJoin(ctx, c, PRESENCE, 'joiner');
      await barrier(c);
      return String(count(c, isEvent(Event.MemberAdded, PRESENCE)));
    },
  },
  'presence-hash-missing-subscriber': {
    async run(ctx) {
      const c = await open(ctx);
      await mustJoin(ctx, c, PRESENCE, 'me');
      const f = c.frames.find(isEvent(Event.SubscriptionSucceeded, PRESENCE));
      const hash = (dataOf(f) as { presence?: { hash?: Record<string, unknown> } }).presence?.hash ?? {};
      return Object.keys(hash).sort().join(',');
    },
  },
  'presence-count-connections': {
    async run(ctx) {
      const a1 = await open(ctx);
      const a2 = await open(ctx);
      await mustJoin(ctx, a1, PRESENCE, 'u-a');
      await mustJoin(ctx, a2, PRESENCE, 'u-a');
      const c = await open(ctx);
      await mustJoin(ctx, c, PRESENCE, 'u-c');
      const f = c.frames.find(isEvent(Event.SubscriptionSucceeded, PRESENCE));
      return String((dataOf(f) as { presence?: { count?: unknown } }).presence?.count);
    },
  },
  'presence-member-limit-off-by-one': {
    app: { limits: { presenceMembers: 2 } },
    async run(ctx) {
      for (const user of ['u1', 'u2']) await mustJoin(ctx, await open(ctx), PRESENCE, user);
      return joinPresence(ctx, await open(ctx), PRESENCE, 'u3');
    },
  },
  'presence-user-info-unchecked': {
    app: { limits: { userInfoBytes: 32 } },
    async run(ctx) {
      return joinPresence(ctx, await open(ctx), PRESENCE, 'big', { name: 'x'.repeat(64) });
    },
  },
  'presence-channel-data-optional': {
    async run(ctx) {
      const c = await open(ctx);
      return subscribe(c, PRESENCE, { auth: privateAuth(ctx, c.socketId, PRESENCE) });
    },
  },
  'presence-channel-data-unvalidated': {
    async run(ctx) {
      const c = await open(ctx);
      const results: string[] = [];
      for (const [i, channelData] of [JSON.stringify({ user_info: {} }), JSON.stringify({ user_id: 'u', user_info: 'name' })].entries()) {
        const channel = `${PRESENCE}-${i}`;
        results.push(await subscribe(c, channel, { auth: presenceAuth(ctx, c.socketId, channel, channelData), channel_data: channelData }));
      }
      return results.join(' ');
    },
  },
  'presence-user-id-length-off-by-one': {
    app: { limits: { userIdLength: 8 } },
    async run(ctx) {
      return joinPresence(ctx, await open(ctx), PRESENCE, 'u'.repeat(9));
    },
  },
  'presence-member-limit-too-low': {
    app: { limits: { presenceMembers: 2 } },
    async run(ctx) {
      await mustJoin(ctx, await open(ctx), PRESENCE, 'u1');
      return joinPresence(ctx, await open(ctx), PRESENCE, 'u2');
    },
  },
  'numeric-user-id-stringified': {
    async run(ctx) {
      const c = await open(ctx);
      const channelData = JSON.stringify({ user_id: 10 });
      await mustSubscribe(c, PRESENCE, { auth: presenceAuth(ctx, c.socketId, PRESENCE, channelData), channel_data: channelData });
      const f = c.frames.find(isEvent(Event.SubscriptionSucceeded, PRESENCE));
      return JSON.stringify((dataOf(f) as { presence?: { ids?: unknown } }).presence?.ids);
    },
  },

  // client events
  'client-event-echo': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      await clientEvent(a, b, PRIVATE);
      return `sender:${count(a, isEvent(CLIENT_EVENT))} other:${count(b, isEvent(CLIENT_EVENT))}`;
    },
  },
  'client-events-on-public': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, 'probe-public');
      await clientEvent(a, b, 'probe-public');
      return String(count(b, isEvent(CLIENT_EVENT)));
    },
  },
  'client-events-unsubscribed': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      await mustSubscribe(b, PRIVATE, { auth: privateAuth(ctx, b.socketId, PRIVATE) });
      await clientEvent(a, b, PRIVATE);
      return String(count(b, isEvent(CLIENT_EVENT)));
    },
  },
  'client-event-rate-limit-off': {
    app: { limits: { clientEventsPerSecond: 2 } },
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      for (let i = 0; i < 5; i += 1) a.send({ event: CLIENT_EVENT, channel: PRIVATE, data: { i } });
      await barrier(a);
      await barrier(b);
      return `relayed:${count(b, isEvent(CLIENT_EVENT))} rejected:${count(a, (f) => f.event === Event.Error && (dataOf(f) as { code?: unknown }).code === ErrorCode.ClientEventRejected)}`;
    },
  },
  'client-event-no-user-id': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      await mustJoin(ctx, a, PRESENCE, 'u-a');
      await mustJoin(ctx, b, PRESENCE, 'u-b');
      await clientEvent(a, b, PRESENCE);
      return String(b.frames.find(isEvent(CLIENT_EVENT))?.user_id);
    },
  },
  'client-event-user-id-passed-through': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      a.send({ event: CLIENT_EVENT, channel: PRIVATE, data: {}, user_id: 'forged' });
      await barrier(a);
      await barrier(b);
      return String(b.frames.find(isEvent(CLIENT_EVENT))?.user_id);
    },
  },
  'client-events-cached': {
    async run(ctx) {
      const channel = `${ChannelPrefix.PrivateCache}probe`;
      const a = await open(ctx);
      await mustSubscribe(a, channel, { auth: privateAuth(ctx, a.socketId, channel) });
      await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel, data: '{}' });
      await barrier(a);
      const b = await open(ctx);
      await clientEvent(a, b, channel);
      const since = b.frames.length;
      await mustSubscribe(b, channel, { auth: privateAuth(ctx, b.socketId, channel) });
      await barrier(b);
      return b.frames.slice(since + 1, since + 2).map((f) => f.event).join() || 'nothing replayed';
    },
  },
  'client-events-on-encrypted': {
    async run(ctx) {
      const channel = `${ChannelPrefix.Encrypted}probe`;
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, channel, { auth: privateAuth(ctx, c.socketId, channel) });
      await clientEvent(a, b, channel);
      return String(count(b, isEvent(CLIENT_EVENT)));
    },
  },
  'client-events-flag-ignored': {
    app: { clientEvents: false },
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      await clientEvent(a, b, PRIVATE);
      return String(count(b, isEvent(CLIENT_EVENT)));
    },
  },
  'internal-event-relayed': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      await clientEvent(a, b, PRIVATE, Event.MemberAdded, JSON.stringify({ user_id: 'ghost' }));
      return String(count(b, isEvent(Event.MemberAdded)));
    },
  },
  'client-event-rate-limit-closes': {
    app: { limits: { clientEventsPerSecond: 2 } },
    async run(ctx) {
      const a = await open(ctx);
      await mustSubscribe(a, PRIVATE, { auth: privateAuth(ctx, a.socketId, PRIVATE) });
      for (let i = 0; i < 3; i += 1) a.send({ event: CLIENT_EVENT, channel: PRIVATE, data: { i } });
      const state = await barrier(a);
      return state === 'closed' ? `closed:${await a.closed}` : state;
    },
  },
  'client-event-data-altered': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      await clientEvent(a, b, PRIVATE, CLIENT_EVENT, 'text');
      return JSON.stringify(b.frames.find(isEvent(CLIENT_EVENT))?.data);
    },
  },
  'client-event-echo-other-connections-skipped': {
    async run(ctx) {
      const a1 = await open(ctx);
      const a2 = await open(ctx);
      for (const c of [a1, a2]) await mustJoin(ctx, c, PRESENCE, 'u-a');
      await clientEvent(a1, a2, PRESENCE);
      return String(count(a2, isEvent(CLIENT_EVENT)));
    },
  },

  // cache
  'cache-never-expires': {
    app: { cacheTtlSeconds: 0.1 },
    async run(ctx) {
      const channel = `${ChannelPrefix.Cache}probe`;
      await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel, data: '{}' });
      await sleep(200);
      const c = await open(ctx);
      await mustSubscribe(c, channel);
      await barrier(c);
      return c.frames.slice(2).map((f) => f.event).filter((e) => e !== Event.Pong).join();
    },
  },
  'cache-replays-first': {
    async run(ctx) {
      const channel = `${ChannelPrefix.Cache}probe`;
      await publish(ctx.httpUrl, ctx.creds, { name: 'first', channel, data: '{}' });
      await publish(ctx.httpUrl, ctx.creds, { name: 'second', channel, data: '{}' });
      const c = await open(ctx);
      await mustSubscribe(c, channel);
      await barrier(c);
      return c.frames.slice(2).map((f) => f.event).filter((e) => e !== Event.Pong).join();
    },
  },
  'cache-miss-not-sent': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, `${ChannelPrefix.Cache}probe`);
      await barrier(c);
      return String(count(c, isEvent(Event.CacheMiss)));
    },
  },
  'cache-replay-on-plain-channels': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-plain');
      await barrier(c);
      return String(count(c, isEvent(Event.CacheMiss)));
    },
  },
  'cache-miss-webhook-every-time': {
    webhooks: {},
    async run(ctx) {
      const channel = `${ChannelPrefix.Cache}probe`;
      const c = await open(ctx);
      await mustSubscribe(c, channel);
      c.send({ event: Event.Unsubscribe, data: { channel } });
      await barrier(c);
      await mustSubscribe(c, channel);
      return String((await webhookEvents(ctx, WebhookEventName.CacheMiss, 2)).length);
    },
  },

  // subscription count
  'subscription-count-never-sent': subscriptionCountValue,
  'subscription-count-on-presence': {
    app: { subscriptionCount: true },
    async run(ctx) {
      const c = await open(ctx);
      await mustJoin(ctx, c, PRESENCE, 'u-a');
      await barrier(c);
      return String(count(c, isEvent(Event.SubscriptionCount)));
    },
  },
  'subscription-count-off-by-one': subscriptionCountValue,

  // publishing and REST
  'data-as-object': {
    async run(ctx) {
      return typeof (await relayed(ctx, 'probe-data', JSON.stringify({ a: 1 }))).data;
    },
  },
  'data-reserialized': {
    async run(ctx) {
      return String((await relayed(ctx, 'probe-data', '{ "a" : 1 }')).data);
    },
  },
  'data-double-encoded': {
    async run(ctx) {
      return String((await relayed(ctx, 'probe-data', 'sync-1')).data);
    },
  },
  'data-astral-replaced': {
    async run(ctx) {
      return String((await relayed(ctx, 'probe-data', 'emoji \u{1F600}')).data);
    },
  },
  'event-frame-no-channel': {
    async run(ctx) {
      return String((await relayed(ctx, 'probe-shape', '{}')).channel);
    },
  },
  'socket-id-exclusion-ignored': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-excl');
      await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'probe-excl', data: '{}', socket_id: c.socketId });
      await barrier(c);
      return String(count(c, isEvent(PROBE_EVENT)));
    },
  },
  'batch-socket-id-ignored': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-excl');
      await batch(ctx.httpUrl, ctx.creds, [{ name: PROBE_EVENT, channel: 'probe-excl', data: '{}', socket_id: c.socketId }]);
      await barrier(c);
      return String(count(c, isEvent(PROBE_EVENT)));
    },
  },
  'event-delivered-twice': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-once');
      await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'probe-once', data: '{}' });
      await barrier(c);
      return String(count(c, isEvent(PROBE_EVENT)));
    },
  },
  'multi-channel-partial-delivery': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-multi');
      const { status } = await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channels: ['probe-multi', `${ChannelPrefix.Encrypted}probe`], data: '{}' });
      await barrier(c);
      return `${status} delivered:${count(c, isEvent(PROBE_EVENT))}`;
    },
  },
  'rest-signature-not-checked': {
    async run(ctx) {
      return String((await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'c', data: '{}' }, { secret: 'wrong-secret' })).status);
    },
  },
  'rest-timestamp-not-checked': {
    async run(ctx) {
      const stale = Math.floor(Date.now() / 1000) - 3600;
      return String((await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'c', data: '{}' }, { timestamp: stale })).status);
    },
  },
  'rest-body-md5-not-checked': {
    async run(ctx) {
      const signedBody = JSON.stringify({ name: PROBE_EVENT, channel: 'c', data: 'signed' });
      return String((await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'c', data: 'sent' }, { signedBody })).status);
    },
  },
  'payload-limit-off-by-one': restStatus(() => ({ name: PROBE_EVENT, channel: 'c', data: 'x'.repeat(101) }), { limits: { eventDataBytes: 100 } }),
  'event-name-limit-off-by-one': restStatus(() => ({ name: 'e'.repeat(21), channel: 'c', data: '{}' }), { limits: { eventNameLength: 20 } }),
  'channel-name-limit-off-by-one': restStatus(() => ({ name: PROBE_EVENT, channel: 'c'.repeat(21), data: '{}' }), { limits: { channelNameLength: 20 } }),
  'channels-per-trigger-off-by-one': restStatus(() => ({ name: PROBE_EVENT, channels: ['a', 'b', 'c', 'd'], data: '{}' }), { limits: { channelsPerTrigger: 3 } }),
  'batch-size-off-by-one': {
    app: { limits: { batchSize: 2 } },
    async run(ctx) {
      const entries = ['a', 'b', 'c'].map((channel) => ({ name: PROBE_EVENT, channel, data: '{}' }));
      return String((await batch(ctx.httpUrl, ctx.creds, entries)).status);
    },
  },
  'payload-too-large-400': restStatus(() => ({ name: PROBE_EVENT, channel: 'c', data: 'x'.repeat(500) }), { limits: { eventDataBytes: 100 } }),
  'rest-info-ignored': {
    app: { subscriptionCount: true },
    async run(ctx) {
      return (await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'probe-info', data: '{}', info: InfoAttribute.SubscriptionCount })).body;
    },
  },
  'channels-list-includes-vacated': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-vacated');
      c.send({ event: Event.Unsubscribe, data: { channel: 'probe-vacated' } });
      await barrier(c);
      return (await getChannels(ctx.httpUrl, ctx.creds)).body;
    },
  },
  'users-endpoint-duplicates': {
    async run(ctx) {
      for (let i = 0; i < 2; i += 1) await mustJoin(ctx, await open(ctx), PRESENCE, 'same-user');
      return (await getUsers(ctx.httpUrl, ctx.creds, PRESENCE)).body;
    },
  },
  'error-status-200': {
    async run(ctx) {
      const res = await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, data: '{}' });
      return `${res.status} ${res.body}`;
    },
  },
  'batch-endpoint-missing': {
    async run(ctx) {
      return String((await batch(ctx.httpUrl, ctx.creds, [{ name: PROBE_EVENT, channel: 'probe-batch', data: '{}' }])).status);
    },
  },
  'rest-success-body-not-json': {
    async run(ctx) {
      return (await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'probe-body', data: '{}' })).body;
    },
  },
  'rest-info-not-validated': {
    async run(ctx) {
      return String((await getChannel(ctx.httpUrl, ctx.creds, 'probe-public', { info: InfoAttribute.UserCount })).status);
    },
  },
  'filter-by-prefix-substring': {
    async run(ctx) {
      const c = await open(ctx);
      for (const channel of ['probe-in', 'x-probe-mid']) await mustSubscribe(c, channel);
      return Object.keys((JSON.parse((await getChannels(ctx.httpUrl, ctx.creds, { filter_by_prefix: 'probe-' })).body) as { channels: object }).channels).sort().join();
    },
  },
  'unknown-app-rest-default': {
    async run(ctx) {
      return String((await publish(ctx.httpUrl, { ...ctx.creds, appId: 'no-such-app' }, { name: PROBE_EVENT, channel: 'c', data: '{}' })).status);
    },
  },
  'rest-query-signed-escaped': {
    async run(ctx) {
      // signed unescaped, sent escaped (= @ , ; all are)
      return String((await getChannels(ctx.httpUrl, ctx.creds, { filter_by_prefix: 'probe=@,;' })).status);
    },
  },
  'body-md5-required-on-get': {
    async run(ctx) {
      return String((await getChannel(ctx.httpUrl, ctx.creds, 'probe-md5')).status);
    },
  },
  'timestamp-window-narrow': {
    async run(ctx) {
      const timestamp = Math.floor(Date.now() / 1000) - 60;
      return String((await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'c', data: '{}' }, { timestamp })).status);
    },
  },

  // users
  // sdk: a correct sign-in, refused when the channel-auth string is checked instead
  'signin-channel-string-signed': {
    async run(ctx) {
      return signin(ctx, await open(ctx), { id: 'u1' });
    },
  },
  'signin-signature-not-checked': {
    async run(ctx) {
      return signin(ctx, await open(ctx), { id: 'u1' }, `${ctx.creds.key}:${'0'.repeat(64)}`);
    },
  },
  'signin-second-user-accepted': {
    async run(ctx) {
      const c = await open(ctx);
      if ((await signin(ctx, c, { id: 'u1' })) !== 'ok') throw new Error('probe setup: first sign-in failed');
      return signin(ctx, c, { id: 'u2' });
    },
  },
  'server-to-user-broadcast': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      await signin(ctx, a, { id: 'u1' });
      await signin(ctx, b, { id: 'u2' });
      await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: serverToUserChannel('u1'), data: '{}' });
      await barrier(a);
      await barrier(b);
      return `u1:${count(a, isEvent(PROBE_EVENT))} u2:${count(b, isEvent(PROBE_EVENT))}`;
    },
  },
  'terminate-all-users': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      await signin(ctx, a, { id: 'u1' });
      await signin(ctx, b, { id: 'u2' });
      await terminate(ctx.httpUrl, ctx.creds, 'u1');
      const codeA = await Promise.race([a.closed, sleep(1000).then(() => 'open')]);
      return `u1:${codeA} u2:${await barrier(b)}`;
    },
  },
  'watchlist-never-sent': {
    async run(ctx) {
      const a = await open(ctx);
      await signin(ctx, a, { id: 'u1', watchlist: ['u2'] });
      const b = await open(ctx);
      await signin(ctx, b, { id: 'u2' });
      await barrier(a);
      return String(count(a, isEvent(Event.WatchlistEvents)));
    },
  },
  'signin-user-data-reencoded': {
    async run(ctx) {
      const c = await open(ctx);
      const text = JSON.stringify({ id: 'u1' }, null, 2);
      const since = c.frames.length;
      c.send({ event: Event.Signin, data: { auth: signUser({ key: ctx.creds.key, secret: ctx.creds.secret, socketId: c.socketId, userData: text }), user_data: text } });
      const f = await c.next(isEvent(Event.SigninSuccess), 1000, since);
      return JSON.stringify((dataOf(f) as { user_data?: unknown }).user_data);
    },
  },
  'signin-user-id-charset-unchecked': {
    async run(ctx) {
      return signin(ctx, await open(ctx), { id: 'u 1' });
    },
  },
  'signin-user-data-unchecked': {
    async run(ctx) {
      return signin(ctx, await open(ctx), { user_info: {} });
    },
  },
  'signin-failure-closes': {
    async run(ctx) {
      const c = await open(ctx);
      await signin(ctx, c, { id: 'u1' }, `${ctx.creds.key}:${'0'.repeat(64)}`);
      return barrier(c);
    },
  },
  'server-to-user-first-connection-only': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      await signin(ctx, a, { id: 'u1' });
      await signin(ctx, b, { id: 'u1' });
      await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: serverToUserChannel('u1'), data: '{}' });
      await barrier(a);
      await barrier(b);
      return `a:${count(a, isEvent(PROBE_EVENT))} b:${count(b, isEvent(PROBE_EVENT))}`;
    },
  },
  'watchlist-over-limit-refused': {
    app: { limits: { watchlistSize: 2 } },
    async run(ctx) {
      return signin(ctx, await open(ctx), { id: 'u1', watchlist: ['w1', 'w2', 'w3'] });
    },
  },
  'terminate-first-connection-only': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      await signin(ctx, a, { id: 'u1' });
      await signin(ctx, b, { id: 'u1' });
      await terminate(ctx.httpUrl, ctx.creds, 'u1');
      const closed = (c: RawClient): Promise<string> => Promise.race([c.closed.then(() => 'closed'), sleep(BARRIER_MS).then(() => 'open')]);
      return `a:${await closed(a)} b:${await closed(b)}`;
    },
  },
  'terminate-close-1000': {
    async run(ctx) {
      const c = await open(ctx);
      await signin(ctx, c, { id: 'u1' });
      await terminate(ctx.httpUrl, ctx.creds, 'u1');
      return String(await Promise.race([c.closed, sleep(BARRIER_MS).then(() => 'open')]));
    },
  },
  'terminate-unknown-user-404': {
    async run(ctx) {
      return String((await terminate(ctx.httpUrl, ctx.creds, 'nobody')).status);
    },
  },

  // webhooks
  'webhook-unsigned': webhookSignature,
  'webhook-wrong-signature': webhookSignature,
  'webhook-no-grace': {
    webhooks: { graceSeconds: 2 },
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-grace');
      c.send({ event: Event.Unsubscribe, data: { channel: 'probe-grace' } });
      await barrier(c);
      await mustSubscribe(c, 'probe-grace');
      // a vacated sent at once goes out before the second occupied
      await webhookEvents(ctx, WebhookEventName.ChannelOccupied, 2);
      return `vacated:${ctx.webhooks!.events().filter((e) => e.name === WebhookEventName.ChannelVacated).length}`;
    },
  },
  'webhook-time-ms-seconds': {
    webhooks: {},
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-hook');
      await ctx.webhooks!.until((r) => r.received.length > 0, 1500);
      const t = ctx.webhooks!.received[0]?.body?.time_ms;
      return typeof t !== 'number' ? 'none' : Math.abs(t - Date.now()) < 60_000 ? 'ms' : 'not ms';
    },
  },
  'webhook-member-added-every-connection': {
    webhooks: {},
    async run(ctx) {
      for (let i = 0; i < 2; i += 1) await mustJoin(ctx, await open(ctx), PRESENCE, 'same-user');
      return String((await webhookEvents(ctx, WebhookEventName.MemberAdded, 2)).length);
    },
  },
  'webhook-occupied-private-not-sent': {
    webhooks: {},
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      return String((await webhookEvents(ctx, WebhookEventName.ChannelOccupied, 1)).length);
    },
  },
  'cache-miss-webhook-not-sent': {
    webhooks: {},
    async run(ctx) {
      await mustSubscribe(await open(ctx), `${ChannelPrefix.Cache}probe`);
      return String((await webhookEvents(ctx, WebhookEventName.CacheMiss, 1)).length);
    },
  },
  'webhook-content-type-text': {
    webhooks: {},
    async run(ctx) {
      await mustSubscribe(await open(ctx), 'probe-hook');
      await ctx.webhooks!.until((r) => r.received.length > 0, 1500);
      return String(ctx.webhooks!.received[0]?.headers['content-type']);
    },
  },
  'webhook-reoccupied-announced': {
    webhooks: { graceSeconds: 2 },
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-grace');
      c.send({ event: Event.Unsubscribe, data: { channel: 'probe-grace' } });
      await barrier(c);
      await mustSubscribe(c, 'probe-grace');
      return `occupied:${(await webhookEvents(ctx, WebhookEventName.ChannelOccupied, 2)).length}`;
    },
  },

  // robustness
  'leak-on-disconnect': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-leak');
      c.terminate();
      await c.closed;
      const deadline = Date.now() + BARRIER_MS;
      let occupied = true;
      while (occupied && Date.now() < deadline) {
        occupied = (JSON.parse((await getChannel(ctx.httpUrl, ctx.creds, 'probe-leak')).body) as { occupied: boolean }).occupied;
        if (occupied) await sleep(20);
      }
      return occupied ? 'occupied' : 'vacated';
    },
  },
  'wrong-types-close': {
    async run(ctx) {
      const c = await open(ctx);
      c.send('[1,2]');
      return barrier(c);
    },
  },
  'unknown-event-relayed': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      await clientEvent(a, b, PRIVATE, PROBE_EVENT);
      return String(count(b, isEvent(PROBE_EVENT)));
    },
  },
  'binary-frame-drop': {
    async run(ctx) {
      const c = await open(ctx);
      c.ws.send(Buffer.from(JSON.stringify({ event: Event.Ping, data: {} })), { binary: true });
      return (await barrier(c)) === 'pong' ? 'pong' : `close:${await c.closed}`;
    },
  },
  'rest-malformed-body-500': {
    async run(ctx) {
      return String((await publish(ctx.httpUrl, ctx.creds, { name: 42, channel: 'c', data: '{}' })).status);
    },
  },

  // anchored prefixes, sibling endpoints, other apps' credentials, both sides of windows
  'presence-hash-omits-members-without-info': {
    async run(ctx) {
      const c = await open(ctx);
      const channelData = JSON.stringify({ user_id: 'u-bare' });
      await subscribe(c, PRESENCE, { auth: presenceAuth(ctx, c.socketId, PRESENCE, channelData), channel_data: channelData });
      const f = c.frames.find(isEvent(Event.SubscriptionSucceeded));
      return Object.keys((dataOf(f!) as { presence: { hash: object } }).presence.hash).join() || 'no keys';
    },
  },
  'presence-member-limit-counts-connections': {
    app: { limits: { presenceMembers: 1 } },
    async run(ctx) {
      await mustJoin(ctx, await open(ctx), PRESENCE, 'u-a');
      return joinPresence(ctx, await open(ctx), PRESENCE, 'u-a');
    },
  },
  'channel-type-unanchored': {
    async run(ctx) {
      return subscribe(await open(ctx), `x-${ChannelPrefix.Private}probe`);
    },
  },
  'client-event-name-unanchored': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      const name = `x-${CLIENT_EVENT}`;
      await clientEvent(a, b, PRIVATE, name);
      return String(count(b, isEvent(name)));
    },
  },
  'reserved-event-prefix-unanchored': {
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      const name = `${CLIENT_EVENT}-${EventPrefix.Pusher}x`;
      await clientEvent(a, b, PRIVATE, name);
      return String(count(b, isEvent(name)));
    },
  },
  'client-event-size-chars': {
    app: { limits: { eventDataBytes: 100 } },
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      // 60 characters, 120 bytes
      await clientEvent(a, b, PRIVATE, CLIENT_EVENT, '\u00e9'.repeat(60));
      return String(count(b, isEvent(CLIENT_EVENT)));
    },
  },
  'client-event-name-limit-unchecked': {
    app: { limits: { eventNameLength: 20 } },
    async run(ctx) {
      const a = await open(ctx);
      const b = await open(ctx);
      for (const c of [a, b]) await mustSubscribe(c, PRIVATE, { auth: privateAuth(ctx, c.socketId, PRIVATE) });
      const name = `${CLIENT_EVENT}-${'n'.repeat(20)}`;
      await clientEvent(a, b, PRIVATE, name);
      return String(count(b, isEvent(name)));
    },
  },
  'future-timestamp-not-checked': {
    async run(ctx) {
      const future = Math.floor(Date.now() / 1000) + 3600;
      return String((await publish(ctx.httpUrl, ctx.creds, { name: PROBE_EVENT, channel: 'c', data: '{}' }, { timestamp: future })).status);
    },
  },
  'other-app-credentials-accepted': {
    extraApps: [{ id: 'other-app', key: 'other-key', secret: 'other-secret' }],
    async run(ctx) {
      return String((await publish(ctx.httpUrl, { appId: ctx.creds.appId, key: 'other-key', secret: 'other-secret' }, { name: PROBE_EVENT, channel: 'c', data: '{}' })).status);
    },
  },
  'batch-signature-not-checked': {
    async run(ctx) {
      return String((await batch(ctx.httpUrl, ctx.creds, [{ name: PROBE_EVENT, channel: 'c', data: '{}' }], { secret: 'wrong-secret' })).status);
    },
  },
  'channel-get-signature-not-checked': {
    async run(ctx) {
      const path = restPath(RestPath.Channel, { app: ctx.creds.appId, channel_name: 'probe-get' });
      return String((await rest(ctx.httpUrl, ctx.creds, 'GET', path, undefined, { secret: 'wrong-secret' })).status);
    },
  },
  'batch-payload-unchecked': {
    app: { limits: { eventDataBytes: 100 } },
    async run(ctx) {
      return String((await batch(ctx.httpUrl, ctx.creds, [{ name: PROBE_EVENT, channel: 'c', data: 'x'.repeat(101) }])).status);
    },
  },
  'event-name-limit-bytes': restStatus(() => ({ name: '\u00e9'.repeat(20), channel: 'c', data: '{}' }), { limits: { eventNameLength: 20 } }),
  'channels-list-phantom': {
    async run(ctx) {
      const c = await open(ctx);
      await mustSubscribe(c, 'probe-phantom');
      c.send({ event: Event.Unsubscribe, data: { channel: 'probe-phantom' } });
      await barrier(c);
      return (await getChannels(ctx.httpUrl, ctx.creds)).body;
    },
  },  // mutation survivors
  'client-event-malformed-silent': {
    async run(ctx) {
      const a = await open(ctx);
      await mustSubscribe(a, PRIVATE, { auth: privateAuth(ctx, a.socketId, PRIVATE) });
      a.send({ event: CLIENT_EVENT, data: { probe: true } });
      await barrier(a);
      return String(count(a, isEvent(Event.Error)));
    },
  },
  'signin-user-id-length-unchecked': {
    app: { limits: { userIdLength: 8 } },
    async run(ctx) {
      return signin(ctx, await open(ctx), { id: 'u'.repeat(9) });
    },
  },
  'watchlist-over-limit-silent': {
    app: { limits: { watchlistSize: 2 } },
    async run(ctx) {
      const c = await open(ctx);
      await signin(ctx, c, { id: 'u1', watchlist: ['w1', 'w2', 'w3'] });
      await barrier(c);
      return String(count(c, isEvent(Event.Error)));
    },
  },
  'watchlist-online-every-signin': {
    async run(ctx) {
      const watcher = await open(ctx);
      await signin(ctx, watcher, { id: 'watcher', watchlist: ['watched'] });
      for (let i = 0; i < 2; i += 1) await signin(ctx, await open(ctx), { id: 'watched' });
      await barrier(watcher);
      return String(count(watcher, isEvent(Event.WatchlistEvents)));
    },
  },
};
