/**
 * laravel-echo (the version installed with the kit) with its pusher-js connector against the
 * target: what a Laravel front end sees through Echo's channel(), private(), join() and
 * encryptedPrivate() APIs.
 * @module
 */
import { ChannelPrefix } from '../../../../spec/src/identifiers.ts';
import { EventPrefix } from '../../../../spec/src/events.ts';
import { check } from '../../model/outcome.ts';
import { isAccepted } from '../../harness/rest.ts';
import { marker } from './pusher-js-steps.ts';
import { sdkCase, show, type SdkScope } from './scope.ts';

const ECHO = 'laravel-echo';

/** Echo's name for an event published without its namespace: a leading dot */
const asIs = (event: string): string => `.${event}`;

/** Echo's whisper name `typing` travels as the client event `client-typing` */
const WHISPER = 'typing';

async function echoFor(sdk: SdkScope, identity?: { userId: string; userInfo: Record<string, unknown> }) {
  const client = await sdk.connected(identity ? { identity } : {});
  return { client, echo: sdk.echo(client) };
}

/** resolves when Echo's subscribed() callback fires for `channel` */
function subscribedVia(sdk: SdkScope, what: string, channel: { subscribed(cb: () => void): unknown }): Promise<void> {
  return sdk.expect(`${ECHO} subscribed() on ${what}`, (done) => void channel.subscribed(() => done(undefined)));
}

export const laravelEchoCases = [
  sdkCase({
    id: 'sdk/laravel-echo-channel-listen',
    clause: 'subscription.data-verbatim',
    level: 'MUST',
    features: [],
    action: `Echo.channel(name).listen(".order-shipped", cb), then a REST publish of a JSON object on that channel`,
    requirement: `The server MUST deliver the data as published, so that ${ECHO}'s listener receives the same object`,
    async run(ctx, sdk) {
      const name = ctx.channelName('');
      const { echo } = await echoFor(sdk);
      const payload = { order: 17, items: ['a', 'b'] };
      let listen!: (v: unknown) => void;
      const got = sdk.expect<unknown>(`${ECHO} listen(".order-shipped")`, (done) => void (listen = done));
      const channel = echo.channel(name).listen(asIs('order-shipped'), (e: unknown) => listen(e));
      await subscribedVia(sdk, name, channel);
      const res = await ctx.rest.trigger({ name: 'order-shipped', channel: name, data: JSON.stringify(payload) });
      check(isAccepted(res), 'publish accepted', `HTTP ${res.status} ${res.text.slice(0, 200)}`);
      const data = await got;
      check(JSON.stringify(data) === JSON.stringify(payload), `${ECHO}'s listener receives ${show(payload)}`, show(data));
    },
  }),

  sdkCase({
    id: 'sdk/laravel-echo-private-whisper',
    clause: 'client-events.no-echo',
    level: 'MUST',
    // delivery is its means: a double encoding of data is judged by subscription.data-verbatim
    dependsOn: ['subscription.data-verbatim'],
    features: ['private-channels', 'client-events'],
    action: `Two ${ECHO} apps on Echo.private(name): a REST event through listen(), then one whispers "${WHISPER}" and both listenForWhisper("${WHISPER}")`,
    requirement: `The server MUST deliver the private event and relay the whisper to the other subscriber only, so that only the other ${ECHO} hears it`,
    async run(ctx, sdk) {
      const base = ctx.channelName('');
      const a = await echoFor(sdk);
      const b = await echoFor(sdk);
      const heardByA: unknown[] = [];
      let heard!: (v: unknown) => void;
      const heardByB = sdk.expect<unknown>(`${ECHO} listenForWhisper("${WHISPER}") at the other app`, (done) => void (heard = done));
      let news!: (v: unknown) => void;
      const gotNews = sdk.expect<unknown>(`${ECHO} private().listen(".news")`, (done) => void (news = done));
      const chA = a.echo.private(base).listenForWhisper(WHISPER, (e: unknown) => heardByA.push(e));
      const chB = b.echo.private(base).listenForWhisper(WHISPER, (e: unknown) => heard(e)).listen(asIs('news'), (e: unknown) => news(e));
      await subscribedVia(sdk, `private-${base} (a)`, chA);
      await subscribedVia(sdk, `private-${base} (b)`, chB);
      const name = `${ChannelPrefix.Private}${base}`;
      await ctx.rest.trigger({ name: 'news', channel: name, data: JSON.stringify({ n: 1 }) });
      check(JSON.stringify(await gotNews) === JSON.stringify({ n: 1 }), `${ECHO} private().listen receives {"n":1}`, show(await gotNews));
      chA.whisper(WHISPER, { typing: true });
      const data = await heardByB;
      check(JSON.stringify(data) === JSON.stringify({ typing: true }), `the other ${ECHO} hears {"typing":true}`, show(data));
      await marker(ctx, sdk, [a.client], name);
      check(heardByA.length === 0, `the whispering ${ECHO} does not hear its own whisper (${EventPrefix.Client}${WHISPER})`, `heard ${heardByA.length}×`);
    },
  }),

  sdkCase({
    id: 'sdk/laravel-echo-presence',
    clause: 'presence.succeeded-includes-self',
    level: 'MUST',
    features: ['presence'],
    timeoutMs: 12_000,
    action: `Echo.join(room) as frank, then as grace; then grace leaves (Echo.leave)`,
    requirement: `The server MUST list every member including the joiner and announce joins and leaves, so that ${ECHO}'s here() lists both users and joining()/leaving() fire once for grace`,
    async run(ctx, sdk) {
      const room = ctx.channelName('');
      const frank = ctx.userId('frank');
      const grace = ctx.userId('grace');
      const first = await echoFor(sdk, { userId: frank, userInfo: { name: 'Frank' } });
      const joining: unknown[] = [];
      const leaving: unknown[] = [];
      const hereFrank = await sdk.expect<unknown[]>(`${ECHO} here() for frank`, (done) => {
        first.echo
          .join(room)
          .here((members: unknown[]) => done(members))
          .joining((m: unknown) => joining.push(m))
          .leaving((m: unknown) => leaving.push(m));
      });
      check(JSON.stringify(hereFrank) === JSON.stringify([{ name: 'Frank' }]), `here() lists frank [{"name":"Frank"}]`, show(hereFrank));
      const second = await echoFor(sdk, { userId: grace, userInfo: { name: 'Grace' } });
      const hereGrace = await sdk.expect<unknown[]>(`${ECHO} here() for grace`, (done) => void second.echo.join(room).here((members: unknown[]) => done(members)));
      const names = (hereGrace as { name?: string }[]).map((m) => m.name).sort();
      check(JSON.stringify(names) === JSON.stringify(['Frank', 'Grace']), `here() for grace lists Frank and Grace`, show(hereGrace));
      const name = `${ChannelPrefix.Presence}${room}`;
      await marker(ctx, sdk, [first.client], name);
      check(JSON.stringify(joining) === JSON.stringify([{ name: 'Grace' }]), `joining() fired once with grace`, show(joining));
      second.echo.leave(room);
      // leave() is an unsubscribe: the server's member_removed follows it
      await sdk.waitUntil('leaving()', (done) => {
        const t = setInterval(() => (leaving.length > 0 ? done(undefined) : undefined), 20);
        return () => clearInterval(t);
      }, 2000);
      await marker(ctx, sdk, [first.client], name);
      check(JSON.stringify(leaving) === JSON.stringify([{ name: 'Grace' }]), `leaving() fired once with grace`, show(leaving));
    },
  }),

  sdkCase({
    id: 'sdk/laravel-echo-encrypted',
    clause: 'encrypted.auth-like-private',
    level: 'MUST',
    // delivery is its means: a double encoding of data is judged by subscription.data-verbatim
    dependsOn: ['subscription.data-verbatim'],
    features: ['encrypted'],
    action: `Echo.encryptedPrivate(name).listen(".sealed", cb), then the pusher server SDK publishes an object it encrypts with the suite's master key`,
    requirement: `The server MUST authorize the channel like a private one and relay the ciphertext untouched, so that ${ECHO}'s listener receives the decrypted object`,
    async run(ctx, sdk) {
      const base = ctx.channelName('');
      const { echo } = await echoFor(sdk);
      let listen!: (v: unknown) => void;
      const got = sdk.expect<unknown>(`${ECHO} encryptedPrivate().listen(".sealed")`, (done) => void (listen = done));
      const ch = echo.encryptedPrivate(base).listen(asIs('sealed'), (e: unknown) => listen(e));
      await subscribedVia(sdk, `${ChannelPrefix.Encrypted}${base}`, ch);
      const payload = { secret: 'for Echo' };
      await sdk.server.trigger(`${ChannelPrefix.Encrypted}${base}`, 'sealed', payload);
      const data = await got;
      check(JSON.stringify(data) === JSON.stringify(payload), `${ECHO} receives the decrypted ${show(payload)}`, show(data));
    },
  }),
];
