/**
 * pusher-js (the Node build, the version installed with the kit) against the target: what a
 * browser or Node application using pusher-js sees, in its own terms (connection states,
 * bindings, members, errors), with the frames in the transcript through the tap.
 * @module
 */
import { ClientFacingEvent, Event, EventPrefix, WatchlistEventName } from '../../../../spec/src/events.ts';
import { ErrorCode } from '../../../../spec/src/error-codes.ts';
import { ChannelPrefix } from '../../../../spec/src/identifiers.ts';
import { signChannel } from '../../../../spec/src/crypto/index.ts';
import { check } from '../../model/outcome.ts';
import { isAccepted } from '../../harness/rest.ts';
import type { CaseContext } from '../../harness/types.ts';
import { afterTargetClose, describeAfter, marker, promised, subscribe, subscribed, vacated, type AfterClose } from './pusher-js-steps.ts';
import { record, sdkCase, show, type PresenceLike, type PusherClient, type SdkScope } from './scope.ts';

/** the library, as failures and requirements name it */
const PJS = 'pusher-js';

/** Did pusher-js do what the close code promises? */
function checkAfterClose(a: AfterClose, expectedCode: number, what: string): string {
  check(a.code === expectedCode, `${what}: the target refuses pusher-js's connection with ${expectedCode} (close code, or pusher:error then close)`, describeAfter(a));
  const p = promised(expectedCode);
  if (p.action === 'refused') {
    check(a.retries.length === 0 && a.state !== 'connected', `${what}: pusher-js ${p.text} (close ${expectedCode})`, describeAfter(a));
  } else if (p.action === 'backoff') {
    check(a.retries.length > 0 && a.retries[0]! >= 900, `${what}: pusher-js ${p.text} (close ${expectedCode})`, describeAfter(a));
  }
  return `pusher-js ${p.text}: ${describeAfter(a)}`;
}

/** A fresh pusher-js client connecting with `key`, watched until the target closed it. */
async function refusedConnection(sdk: SdkScope, key: string, windowMs = 1800): Promise<AfterClose> {
  const first = sdk.tap.connections().length;
  const client = sdk.pusherJs({ key });
  return afterTargetClose(sdk, client, { firstConnection: first, windowMs });
}

async function signedIn(sdk: SdkScope, client: PusherClient): Promise<void> {
  await sdk.expect(`pusher-js receives ${Event.SigninSuccess}`, (done) => {
    const h = (m: { event: string }) => (m.event === Event.SigninSuccess ? done(undefined) : undefined);
    client.connection.bind('message', h);
    client.signin();
    return () => client.connection.unbind('message', h);
  });
}

const restUsers = async (ctx: CaseContext, channel: string): Promise<string[]> => {
  const res = await ctx.rest.users(channel);
  const users = (res.json as { users?: { id?: unknown }[] } | undefined)?.users;
  check(Array.isArray(users), `GET /channels/${channel}/users answers {users: [...]}`, `HTTP ${res.status} ${res.text.slice(0, 200)}`);
  return users.map((u) => String(u.id)).sort();
};

const membersOf = (ch: PresenceLike): string[] => {
  const ids: string[] = [];
  ch.members.each((m) => ids.push(m.id));
  return ids.sort();
};

export const pusherJsCases = [
  sdkCase({
    id: 'sdk/pusher-js-connect-idle',
    clause: 'connection.ping-pong',
    level: 'MUST',
    features: [],
    timeoutMs: 12_000,
    action: `Connects with ${PJS} (activityTimeout 400 ms, pongTimeout 1500 ms) and leaves it idle for 2.5 s, so that it pings the target several times`,
    requirement: `The server MUST answer every pusher:ping, so that ${PJS} stays in state connected on its first connection`,
    async run(ctx, sdk) {
      const client = await sdk.connected({ activityTimeoutMs: 400, pongTimeoutMs: 1500 });
      const states = record<{ current: string }>(client.connection, 'state_change');
      const socketId = client.connection.socket_id;
      await ctx.sleep(2500);
      const frames = sdk.tap.frames();
      const pings = frames.filter((f) => f.dir === 'out' && f.event === Event.Ping).length;
      const pongs = frames.filter((f) => f.dir === 'in' && f.event === Event.Pong).length;
      check(pings >= 2, 'pusher-js pings an idle connection (suite: activityTimeout 400 ms)', `${pings} pusher:ping sent`);
      check(
        states.length === 0 && client.connection.state === 'connected' && client.connection.socket_id === socketId && sdk.tap.connections().length === 1,
        `${PJS} stays connected on its first connection (every ping answered: ${pings} pings)`,
        () => `states ${states.map((s) => s.current).join(' → ') || 'none'}; now ${client.connection.state}; ${sdk.tap.connections().length} connection(s); ${pongs} pong(s) for ${pings} ping(s)`,
      );
      return `${pings} pings, ${pongs} pongs, still connected as ${socketId}`;
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-unknown-key',
    clause: 'connection.unknown-app-key',
    level: 'MUST',
    features: [],
    action: `Connects with ${PJS} using an app key the target does not know, and watches it for 1.8 s after the target closes`,
    requirement: `The server MUST close with ${ErrorCode.AppNotFound}, so that ${PJS} surfaces the error and does not reconnect`,
    async run(ctx, sdk) {
      const a = await refusedConnection(sdk, `unknown-${ctx.userId('key')}`);
      return checkAfterClose(a, ErrorCode.AppNotFound, 'unknown key');
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-disabled-app',
    clause: 'connection.app-disabled',
    level: 'MUST',
    features: ['app-management'],
    action: `Connects with ${PJS} using the key of an app disabled on the target, and watches it for 1.8 s after the target closes`,
    requirement: `The server MUST close with ${ErrorCode.AppDisabled}, so that ${PJS} surfaces the error and does not reconnect`,
    async run(ctx, sdk) {
      const disabled = ctx.target.extraApps?.disabled;
      if (!disabled) return ctx.unsupported('the target declares no disabled app (extraApps.disabled)');
      return checkAfterClose(await refusedConnection(sdk, disabled.key), ErrorCode.AppDisabled, 'disabled app');
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-over-quota',
    clause: 'connection.over-quota',
    level: 'MUST',
    features: ['app-management'],
    // the limited app's quota is shared only with connection/over-quota-refused, which runs alone
    // before every pool case (runner/schedule.ts); against an external target both run alone
    exclusive: 'external',
    action: `Fills an app's connection quota, then connects with ${PJS} and watches it for 1.8 s after the target closes`,
    requirement: `The server MUST close with the over-quota code of the profile, and ${PJS} MUST then do what that code promises (4000-4099: no reconnection; 4100-4199: reconnect after a back-off)`,
    async run(ctx, sdk) {
      const limited = ctx.target.extraApps?.limitedConnections;
      if (!limited) return ctx.unsupported('the target declares no app with a connection quota (extraApps.limitedConnections)');
      for (let i = 0; i < limited.max; i++) await ctx.connect({ key: limited.key });
      return checkAfterClose(await refusedConnection(sdk, limited.key), ctx.profile.dialect.overQuotaCode, 'over quota');
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-terminated',
    clause: 'terminate.fatal-close-code',
    level: 'SHOULD',
    features: ['user-auth', 'terminate'],
    action: `Signs in with ${PJS}, terminates the user's connections over REST, and watches ${PJS} for 1.8 s`,
    requirement: `The server SHOULD close a terminated connection with a 4000-4099 code, so that ${PJS} does not reconnect`,
    async run(ctx, sdk) {
      const userId = ctx.userId('term');
      const client = await sdk.connected({ identity: { userId } });
      await signedIn(sdk, client);
      const watching = afterTargetClose(sdk, client, { firstConnection: 0 });
      // awaited below; a failed terminate request must not leave it unhandled
      watching.catch(() => {});
      const res = await ctx.rest.terminate(userId);
      check(isAccepted(res), 'terminate_connections accepted', `HTTP ${res.status} ${res.text.slice(0, 200)}`);
      const a = await watching;
      check(a.code !== undefined && promised(a.code).action === 'refused' && a.retries.length === 0, `${PJS} does not reconnect after terminate_connections (close 4000-4099)`, describeAfter(a));
      return describeAfter(a);
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-public',
    clause: 'subscription.data-verbatim',
    level: 'MUST',
    features: [],
    action: `Subscribes with ${PJS} to a public channel and publishes a JSON object over REST`,
    requirement: `The server MUST deliver the data as published, so that the ${PJS} binding receives the same object`,
    async run(ctx, sdk) {
      const name = ctx.channelName('');
      const client = await sdk.connected();
      const channel = await subscribed(sdk, client, name);
      const payload = { hello: 'world', n: [1, 2.5, null], nested: { 'é': '€' } };
      const got = sdk.expect<unknown>(`the ${PJS} binding of "greeting" on ${name}`, (done) => void channel.bind('greeting', done));
      const res = await ctx.rest.trigger({ name: 'greeting', channel: name, data: JSON.stringify(payload) });
      check(isAccepted(res), 'publish accepted', `HTTP ${res.status} ${res.text.slice(0, 200)}`);
      const data = await got;
      check(JSON.stringify(data) === JSON.stringify(payload), `the ${PJS} binding receives ${show(payload)}`, show(data));
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-private',
    clause: 'channel-auth.private-required',
    level: 'MUST',
    features: ['private-channels'],
    action: `Subscribes with ${PJS} to a private channel through an authorizer that signs with a wrong secret, then with a second client whose authorizer the suite signs correctly`,
    requirement: `The server MUST refuse the wrong signature (${PJS} never reports subscription_succeeded nor delivers events) and MUST accept the correct one`,
    async run(ctx, sdk) {
      const name = ctx.channelName(ChannelPrefix.Private);
      const intruder = await sdk.connected({ authorize: (socketId, channel) => ({ auth: signChannel({ key: ctx.target.key, secret: `${ctx.target.secret}-wrong`, socketId, channel }) }) });
      const refused = await subscribe(sdk, intruder, name, 1500);
      check(!refused.ok, `${PJS} with a wrongly signed authorizer is not subscribed to ${name}`, 'pusher:subscription_succeeded');
      const leaked = record(refused.channel, 'news');
      const client = await sdk.connected();
      await subscribed(sdk, client, name);
      await marker(ctx, sdk, [client], name);
      const news = sdk.expect<unknown>(`"news" at the authorized ${PJS}`, (done) => void client.channel(name).bind('news', done));
      await ctx.rest.trigger({ name: 'news', channel: name, data: JSON.stringify({ n: 1 }) });
      await news;
      await marker(ctx, sdk, [client], name);
      check(leaked.length === 0, `no event reaches the ${PJS} client whose authorizer signed wrongly`, `${leaked.length} delivered`);
      return `refused: ${refused.ok ? '' : refused.why}`;
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-auth-refusal-surfaced',
    clause: 'channel-auth.failure-signalled',
    level: 'SHOULD',
    features: ['private-channels'],
    action: `Subscribes with ${PJS} to a private channel through an authorizer that signs with a wrong secret`,
    requirement: `The server SHOULD answer the refused subscription, so that ${PJS} surfaces an error (pusher:subscription_error, pusher:error or a connection error) to the application`,
    async run(ctx, sdk) {
      const name = ctx.channelName(ChannelPrefix.Private);
      const client = await sdk.connected({ authorize: (socketId, channel) => ({ auth: signChannel({ key: ctx.target.key, secret: `${ctx.target.secret}-wrong`, socketId, channel }) }) });
      const r = await subscribe(sdk, client, name);
      check(!r.ok && !r.why.startsWith('pusher-js reported nothing'), `${PJS} surfaces an error for the refused subscription`, r.ok ? 'subscribed' : r.why);
      return r.ok ? '' : r.why;
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-presence-members',
    clause: 'presence.succeeded-data',
    level: 'MUST',
    features: ['presence'],
    action: `Joins a presence channel with ${PJS} as alice (two connections) and bob, then compares members.count, members.each and members.me of every client with GET /channels/{name}/users`,
    requirement: `The server MUST send each subscriber the member list, so that ${PJS}'s members equal the server's own view over REST`,
    async run(ctx, sdk) {
      const name = ctx.channelName(ChannelPrefix.Presence);
      const alice = ctx.userId('alice');
      const bob = ctx.userId('bob');
      const clients: [PusherClient, string][] = [];
      for (const [userId, label] of [[alice, 'Alice'], [alice, 'Alice'], [bob, 'Bob']] as const) {
        const c = await sdk.connected({ identity: { userId, userInfo: { name: label } } });
        await subscribed(sdk, c, name);
        clients.push([c, userId]);
      }
      await marker(ctx, sdk, clients.map(([c]) => c), name);
      const rest = await restUsers(ctx, name);
      check(JSON.stringify(rest) === JSON.stringify([alice, bob].sort()), 'REST lists alice and bob once each', show(rest));
      // the last to join sees everyone in its subscription_succeeded; earlier ones through member events
      for (const [c, userId] of clients) {
        const ch = c.channel(name) as unknown as PresenceLike;
        const ids = membersOf(ch);
        check(ch.members.count === rest.length, `members.count of ${userId}'s ${PJS} equals REST's ${rest.length} users`, `members.count ${ch.members.count}`);
        check(JSON.stringify(ids) === JSON.stringify(rest), `members.each of ${userId}'s ${PJS} lists REST's users ${show(rest)}`, show(ids));
        check(ch.members.me?.id === userId && JSON.stringify(ch.members.me.info) === JSON.stringify({ name: userId === alice ? 'Alice' : 'Bob' }), `members.me of ${userId}'s ${PJS} is ${userId} with its user_info`, show(ch.members.me));
      }
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-presence-events',
    clause: 'presence.member-removed-last-connection',
    level: 'MUST',
    features: ['presence'],
    timeoutMs: 15_000,
    action: `Watches ${PJS}'s pusher:member_added / pusher:member_removed bindings while bob joins a presence channel on two connections and leaves them one by one`,
    requirement: `The server MUST announce bob once when his first connection joins and once when his last leaves, so that ${PJS}'s bindings and members.count follow the server's view over REST`,
    async run(ctx, sdk) {
      const name = ctx.channelName(ChannelPrefix.Presence);
      const bob = ctx.userId('bob');
      const watcher = await sdk.connected({ identity: { userId: ctx.userId('alice') } });
      const ch = (await subscribed(sdk, watcher, name)) as unknown as PresenceLike & { bind(e: string, cb: (m: { id: string }) => void): void };
      const added = record<{ id: string }>(ch, ClientFacingEvent.MemberAdded);
      const removed = record<{ id: string }>(ch, ClientFacingEvent.MemberRemoved);
      const bobs: [PusherClient, string][] = [];
      for (let i = 0; i < 2; i++) {
        const c = await sdk.connected({ identity: { userId: bob, userInfo: { name: 'Bob' } } });
        await subscribed(sdk, c, name);
        const track = ctx.channelName('');
        await subscribed(sdk, c, track);
        bobs.push([c, track]);
      }
      await marker(ctx, sdk, [watcher], name);
      const view = async (step: string, expectAdded: number, expectRemoved: number) => {
        const rest = await restUsers(ctx, name);
        check(added.filter((m) => m.id === bob).length === expectAdded && removed.filter((m) => m.id === bob).length === expectRemoved, `${step}: ${PJS} saw member_added for bob ${expectAdded}×, member_removed ${expectRemoved}×`, `added ${show(added.map((m) => m.id))}, removed ${show(removed.map((m) => m.id))}`);
        check(ch.members.count === rest.length && JSON.stringify(membersOf(ch)) === JSON.stringify(rest), `${step}: ${PJS}'s members equal REST's ${show(rest)}`, `members.count ${ch.members.count}, members.each ${show(membersOf(ch))}`);
      };
      await view('bob joined twice', 1, 0);
      for (const [i, [c, track]] of bobs.entries()) {
        c.disconnect();
        check(await vacated(ctx, track), `the target processes bob's disconnect ${i + 1} (GET /channels/${track} occupied false)`, 'still occupied');
        await marker(ctx, sdk, [watcher], name);
        await view(i === 0 ? "bob's first connection left" : "bob's last connection left", 1, i);
      }
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-encrypted',
    clause: 'encrypted.auth-like-private',
    level: 'MUST',
    // delivery is its means: a double encoding of data is judged by subscription.data-verbatim
    dependsOn: ['subscription.data-verbatim'],
    features: ['encrypted'],
    action: `Subscribes with ${PJS} to a private-encrypted- channel (authorizer returns the suite's shared secret), then publishes with the pusher server SDK, which encrypts with the suite's master key`,
    requirement: `The server MUST authorize the channel like a private one and relay the ciphertext untouched, so that ${PJS} decrypts the object the server SDK published`,
    async run(ctx, sdk) {
      const name = ctx.channelName(ChannelPrefix.Encrypted);
      const client = await sdk.connected();
      const channel = await subscribed(sdk, client, name);
      const payload = { secret: 'sealed €', n: 42 };
      const got = sdk.expect<unknown>(`the decrypted "sealed" event at ${PJS}`, (done) => void channel.bind('sealed', done));
      await sdk.server.trigger(name, 'sealed', payload);
      const data = await got;
      check(JSON.stringify(data) === JSON.stringify(payload), `${PJS} decrypts ${show(payload)}`, show(data));
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-client-events',
    clause: 'client-events.no-echo',
    level: 'MUST',
    features: ['client-events', 'private-channels'],
    action: `Two ${PJS} clients on a private channel; one calls channel.trigger("client-typing", …)`,
    requirement: `The server MUST relay the client event to the other subscriber only, so that its ${PJS} binding receives the data and the sender's does not`,
    async run(ctx, sdk) {
      const name = ctx.channelName(ChannelPrefix.Private);
      const sender = await sdk.connected();
      const receiver = await sdk.connected();
      const out = await subscribed(sdk, sender, name);
      const inbox = await subscribed(sdk, receiver, name);
      const event = `${EventPrefix.Client}typing`;
      const echoed = record(out, event);
      const got = sdk.expect<unknown>(`${event} at the other ${PJS}`, (done) => void inbox.bind(event, done));
      check(out.trigger(event, { typing: true }) === true, `${PJS} channel.trigger returns true`, 'false');
      const data = await got;
      check(JSON.stringify(data) === JSON.stringify({ typing: true }), `the other ${PJS} receives {"typing":true}`, show(data));
      await marker(ctx, sdk, [sender], name);
      check(echoed.length === 0, `the sender's ${PJS} binding does not fire for its own event`, `fired ${echoed.length}×`);
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-client-event-refused',
    clause: 'client-events.enabled-flag',
    level: 'MUST',
    features: ['private-channels'],
    action: `On an app with client events disabled, two ${PJS} clients subscribe to a private channel and one triggers a client event`,
    requirement: `The server MUST NOT relay the client event; the error ${PJS} surfaces (if any) is recorded`,
    async run(ctx, sdk) {
      const off = ctx.target.extraApps?.clientEventsOff;
      if (!off) return ctx.unsupported('the target declares no app with client events disabled (extraApps.clientEventsOff)');
      const name = ctx.channelName(ChannelPrefix.Private);
      const authorize = (socketId: string, channel: string) => ({ auth: signChannel({ key: off.key, secret: off.secret, socketId, channel }) });
      const sender = await sdk.connected({ key: off.key, authorize });
      const receiver = await sdk.connected({ key: off.key, authorize });
      const out = await subscribed(sdk, sender, name);
      const inbox = await subscribed(sdk, receiver, name);
      const event = `${EventPrefix.Client}refused`;
      const relayed = record(inbox, event);
      const errors = record<unknown>(sender.connection, 'error');
      out.trigger(event, { x: 1 });
      await ctx.sleep(800);
      check(relayed.length === 0, `the other ${PJS} does not receive the client event`, `received ${relayed.length}×`);
      return errors.length ? `${PJS} surfaced ${show(errors[0])}` : `${PJS} surfaced no error`;
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-cache',
    clause: 'cache.last-event-replayed',
    level: 'MUST',
    // delivery is its means: a double encoding of data is judged by subscription.data-verbatim
    dependsOn: ['subscription.data-verbatim'],
    features: ['cache'],
    action: `Subscribes with ${PJS} to an empty cache channel, publishes two events, then subscribes a second ${PJS} client`,
    requirement: `The server MUST send pusher:cache_miss on the empty channel and replay the last event to the later subscriber, so that both ${PJS} bindings fire`,
    async run(ctx, sdk) {
      const name = ctx.channelName(ChannelPrefix.Cache);
      const first = await sdk.connected();
      const empty = first.subscribe(name);
      await sdk.expect(`${Event.CacheMiss} at ${PJS} on the empty ${name}`, (done) => void empty.bind(Event.CacheMiss, () => done(undefined)));
      // no marker here: it would become the cached event; the first client's own delivery orders the steps
      const live = sdk.expect(`"latest" live at the first ${PJS}`, (done) => void empty.bind('latest', () => done(undefined)));
      await ctx.rest.trigger({ name: 'old', channel: name, data: JSON.stringify({ v: 1 }) });
      await ctx.rest.trigger({ name: 'latest', channel: name, data: JSON.stringify({ v: 2 }) });
      await live;
      const second = await sdk.connected();
      const ch = second.subscribe(name);
      const old = record(ch, 'old');
      const misses = record(ch, Event.CacheMiss);
      const replayed = await sdk.expect<unknown>(`the replayed "latest" at the second ${PJS}`, (done) => void ch.bind('latest', done));
      check(JSON.stringify(replayed) === JSON.stringify({ v: 2 }) && old.length === 0 && misses.length === 0, `the second ${PJS} gets only the last event {"v":2}`, `latest ${show(replayed)}, old ${old.length}×, cache_miss ${misses.length}×`);
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-user-events',
    clause: 'server-to-user.delivery',
    level: 'MUST',
    // delivery is its means: a double encoding of data is judged by subscription.data-verbatim
    dependsOn: ['subscription.data-verbatim'],
    features: ['user-auth', 'server-to-user'],
    action: `Signs in as one user on two ${PJS} clients (pusher.signin()), binds on pusher.user, and sends an event to that user with the pusher server SDK (sendToUser)`,
    requirement: `The server MUST deliver the event to every connection of the user, so that both ${PJS} user bindings fire with the data`,
    async run(ctx, sdk) {
      const userId = ctx.userId('carol');
      const clients = [await sdk.connected({ identity: { userId } }), await sdk.connected({ identity: { userId } })];
      for (const c of clients) await signedIn(sdk, c);
      const got = clients.map((c, i) => sdk.expect<unknown>(`"direct" on pusher.user of ${PJS} ${i + 1}`, (done) => void c.user.bind('direct', done)));
      await sdk.server.sendToUser(userId, 'direct', { hi: userId });
      for (const data of await Promise.all(got)) check(JSON.stringify(data) === JSON.stringify({ hi: userId }), `pusher.user binding receives {"hi":…}`, show(data));
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-watchlist',
    clause: 'watchlist.online',
    level: 'MUST',
    features: ['user-auth', 'watchlist'],
    action: `Signs in with ${PJS} with a watchlist naming erin, then erin signs in on another ${PJS} and disconnects`,
    requirement: `The server MUST send online (and then offline) for erin, so that pusher.user.watchlist's bindings fire with user_ids ["erin"]`,
    async run(ctx, sdk) {
      const erin = ctx.userId('erin');
      const watcher = await sdk.connected({ identity: { userId: ctx.userId('dave'), watchlist: [erin] } });
      const online = sdk.expect<{ user_ids: string[] }>(`watchlist "${WatchlistEventName.Online}" at ${PJS}`, (done) => void watcher.user.watchlist.bind(WatchlistEventName.Online, done));
      await signedIn(sdk, watcher);
      const other = await sdk.connected({ identity: { userId: erin } });
      await signedIn(sdk, other);
      check(JSON.stringify((await online).user_ids) === JSON.stringify([erin]), `online user_ids [${erin}]`, show(await online));
      const offline = sdk.expect<{ user_ids: string[] }>(`watchlist "${WatchlistEventName.Offline}" at ${PJS}`, (done) => void watcher.user.watchlist.bind(WatchlistEventName.Offline, done), undefined, 6000);
      other.disconnect();
      check(JSON.stringify((await offline).user_ids) === JSON.stringify([erin]), `offline user_ids [${erin}]`, show(await offline));
    },
  }),

  sdkCase({
    id: 'sdk/pusher-js-resubscribe',
    clause: 'connection.close-releases-state',
    level: 'MUST',
    features: ['private-channels'],
    timeoutMs: 15_000,
    action: `Subscribes ${PJS} to a public and a private channel, cuts its connection (network loss), lets ${PJS} reconnect and resubscribe by itself, then publishes once on each channel`,
    requirement: `The server MUST drop the lost connection's subscriptions and accept the resubscription, so that ${PJS} gets every later event exactly once`,
    async run(ctx, sdk) {
      const names = [ctx.channelName(''), ctx.channelName(ChannelPrefix.Private)];
      const client = await sdk.connected();
      const channels = [];
      for (const n of names) channels.push(await subscribed(sdk, client, n));
      const before = client.connection.socket_id;
      const back = sdk.expect(`${PJS} connected again after the network loss`, (done) => {
        const h = (s: { current: string }) => (s.current === 'connected' ? done(undefined) : undefined);
        client.connection.bind('state_change', h);
        return () => client.connection.unbind('state_change', h);
      }, undefined, 5000);
      sdk.tap.dropAll();
      await back;
      check(client.connection.socket_id !== before, `${PJS} has a new socket id`, `same socket id ${before}`);
      // pusher-js resubscribes on connect: its confirmations come through the channels' bindings
      for (const [i, n] of names.entries()) {
        const ch = channels[i]!;
        if (!ch.subscribed) await sdk.expect(`${PJS} resubscribed to ${n}`, (done) => void ch.bind(ClientFacingEvent.SubscriptionSucceeded, () => done(undefined)));
      }
      for (const [i, n] of names.entries()) {
        const seen = record(channels[i]!, 'after');
        await ctx.rest.trigger({ name: 'after', channel: n, data: JSON.stringify({ n }) });
        await marker(ctx, sdk, [client], n);
        check(seen.length === 1, `${PJS} gets "after" on ${n} exactly once after resubscribing`, `${seen.length}×`);
      }
      const count = await ctx.rest.channel(names[0]!, { info: 'subscription_count' });
      const sc = (count.json as { subscription_count?: unknown } | undefined)?.subscription_count;
      if (typeof sc === 'number') check(sc === 1, `the target counts 1 subscription on ${names[0]} (the lost connection left)`, `subscription_count ${sc}`);
    },
  }),
];
