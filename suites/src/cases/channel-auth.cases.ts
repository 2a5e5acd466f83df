/**
 * Channel authorization: valid signatures accepted for private, encrypted, presence and cache
 * channels, and every mutation of a valid auth refused, the connection kept and the channel silent.
 * @module
 */
import fc from 'fast-check';
import { signChannel } from '../../../spec/src/crypto/channel-auth.ts';
import { ChannelEventFrameLenient } from '../../../spec/src/frames/events.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client, SubscribeOutcome } from '../harness/types.ts';
import { carriesToken, describeOutcome, subscribeRaw } from './helpers/channel-sync.ts';
import { CHANNEL_NAME_CHARS, TEST_EVENT, authRefusalSignalled, expectAuthRefused, publishOk, uniqueToken } from './helpers/first-areas.ts';

const HEX = '0123456789abcdef';

/** A connection holding a public control channel (the barrier of expectAuthRefused). */
async function withControl(ctx: CaseContext): Promise<{ client: Client; control: string }> {
  const client = await ctx.connect();
  const control = ctx.channelName('');
  await client.subscribeOk(control);
  return { client, control };
}

/** The hex part of an auth value "key:hex". */
const hexOf = (auth: string): string => auth.slice(auth.indexOf(':') + 1);

/** Channel prefixes that need a signature, by the features the target has. */
function signedPrefixes(ctx: CaseContext): string[] {
  const f = ctx.target.features;
  const out: string[] = [ChannelPrefix.Private];
  if (f.has('encrypted')) out.push(ChannelPrefix.Encrypted);
  if (f.has('presence')) out.push(ChannelPrefix.Presence);
  return out;
}

/** channel_data for a presence subscription (undefined for other channels). */
function channelDataFor(ctx: CaseContext, channel: string): string | undefined {
  return channel.startsWith(ChannelPrefix.Presence) || channel.startsWith(ChannelPrefix.PresenceCache)
    ? JSON.stringify({ user_id: ctx.userId('a'), user_info: {} })
    : undefined;
}

/** Subscribe with an explicit auth value (and channel_data for presence). */
function subscribeWith(client: Client, channel: string, auth: string, channelData: string | undefined): Promise<SubscribeOutcome> {
  return client.subscribe(channel, channelData === undefined ? { auth } : { auth, channelDataRaw: channelData });
}

/** Random formattings of one channel_data object: key order, indentation, \u escapes. */
const channelDataArb = fc
  .record({
    name: fc.string({ unit: 'grapheme', maxLength: 12 }),
    extra: fc.dictionary(fc.string({ unit: fc.constantFrom(...CHANNEL_NAME_CHARS), minLength: 1, maxLength: 6 }), fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 })), { maxKeys: 3 }),
    infoFirst: fc.boolean(),
    indent: fc.nat({ max: 3 }),
    escape: fc.boolean(),
  })
  .map((r) => (userId: string): string => {
    const info = { name: r.name, ...r.extra };
    const obj = r.infoFirst ? { user_info: info, user_id: userId } : { user_id: userId, user_info: info };
    const text = JSON.stringify(obj, null, r.indent);
    return r.escape ? text.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
  });

export default defineArea('channel-auth', 'Channel authorization', [
  // --- valid signatures ----------------------------------------------------------------------------
  defineCase({
    id: 'channel-auth/private-valid',
    clause: 'channel-auth.private-valid',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Subscribes to private- channels with random valid names, signed "{socket_id}:{channel}" with the app secret',
    requirement: 'The server MUST confirm every correctly signed private subscription',
    numRuns: 10,
    async run(ctx) {
      const c = await ctx.connect();
      await ctx.property(fc.string({ unit: fc.constantFrom(...CHANNEL_NAME_CHARS), maxLength: 24 }), async (suffix) => {
        const channel = ctx.channelName(ChannelPrefix.Private) + suffix;
        const outcome = await c.subscribe(channel, { auth: ctx.sign.channel(c.socketId, channel) });
        check(outcome.ok, `subscription_succeeded for ${channel}`, () => describeOutcome(outcome));
      });
    },
  }),

  defineCase({
    id: 'channel-auth/encrypted-valid',
    clause: 'encrypted.auth-like-private',
    level: 'MUST',
    features: ['encrypted'],
    action: 'Subscribes to a private-encrypted- channel signed like a private channel',
    requirement: 'The server MUST confirm it: the shared secret is not part of the signature',
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName(ChannelPrefix.Encrypted);
      const outcome = await c.subscribe(channel, { auth: ctx.sign.channel(c.socketId, channel) });
      check(outcome.ok, `subscription_succeeded for ${channel}`, () => describeOutcome(outcome));
    },
  }),

  defineCase({
    id: 'channel-auth/presence-valid',
    clause: 'channel-auth.presence-valid',
    level: 'MUST',
    features: ['presence'],
    action: 'Subscribes to presence channels with channel_data in random formattings (key order, indentation, \\u escapes), each signed exactly as sent',
    requirement: 'The server MUST verify the signature over the channel_data string as received, and confirm the subscription',
    numRuns: 10,
    async run(ctx) {
      const c = await ctx.connect();
      await ctx.property(channelDataArb, async (format) => {
        const channel = ctx.channelName(ChannelPrefix.Presence);
        const raw = format(ctx.userId('fmt'));
        const outcome = await c.subscribe(channel, { channelDataRaw: raw });
        check(outcome.ok, `subscription_succeeded for ${channel} with channel_data ${raw}`, () => describeOutcome(outcome));
      });
    },
  }),

  // --- refusals ------------------------------------------------------------------------------------
  defineCase({
    id: 'channel-auth/missing-auth-refused',
    clause: 'channel-auth.private-required',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Subscribes to private, encrypted and presence channels with no auth field, and with auth ""',
    requirement: 'The server MUST NOT confirm any of them, MUST keep the connection and MUST deliver nothing of those channels',
    timeoutMs: 20_000,
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      for (const prefix of signedPrefixes(ctx)) {
        for (const auth of [undefined, '']) {
          const channel = ctx.channelName(prefix);
          const channelData = channelDataFor(ctx, channel);
          const data: Record<string, unknown> & { channel: string } = { channel };
          if (auth !== undefined) data.auth = auth;
          if (channelData !== undefined) data.channel_data = channelData;
          const outcome = await subscribeRaw(client, data);
          await expectAuthRefused(ctx, client, channel, outcome, control, auth === undefined ? 'no auth' : 'auth ""');
        }
      }
    },
  }),

  defineCase({
    id: 'channel-auth/wrong-socket-id-refused',
    clause: 'channel-auth.wrong-socket-id',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Subscribes to a private channel with a signature made for the socket_id of a second live connection',
    requirement: 'The server MUST refuse it, keep the connection, and deliver nothing of that channel',
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const other = await ctx.connect();
      for (const prefix of signedPrefixes(ctx)) {
        const channel = ctx.channelName(prefix);
        const channelData = channelDataFor(ctx, channel);
        const auth = ctx.sign.channel(other.socketId, channel, channelData);
        await expectAuthRefused(ctx, client, channel, await subscribeWith(client, channel, auth, channelData), control, `signature for socket ${other.socketId}`);
      }
    },
  }),

  defineCase({
    id: 'channel-auth/wrong-channel-refused',
    clause: 'channel-auth.wrong-channel',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Joins a private channel A, then subscribes to channel B with the (valid) signature for A',
    requirement: 'The server MUST refuse the subscription to B, keep the connection, and deliver nothing of B',
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      for (const prefix of signedPrefixes(ctx)) {
        const a = ctx.channelName(prefix);
        const channelData = channelDataFor(ctx, a);
        const authA = ctx.sign.channel(client.socketId, a, channelData);
        const first = await subscribeWith(client, a, authA, channelData);
        check(first.ok, `subscription_succeeded for ${a} (valid signature)`, () => describeOutcome(first));
        const b = ctx.channelName(prefix);
        await expectAuthRefused(ctx, client, b, await subscribeWith(client, b, authA, channelData), control, `signature for ${a}`);
      }
    },
  }),

  defineCase({
    id: 'channel-auth/wrong-secret-refused',
    clause: 'channel-auth.wrong-secret',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Subscribes to private channels with signatures made with random other secrets (and another app\'s secret when the target has one)',
    requirement: 'The server MUST refuse each, keep the connection, and deliver nothing of the channel',
    numRuns: 8,
    timeoutMs: 20_000,
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const otherApp = ctx.target.extraApps?.clientEventsOff?.secret;
      const secrets = fc.oneof(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ unit: fc.constantFrom(...HEX), minLength: 20, maxLength: 20 }),
        ...(otherApp !== undefined ? [fc.constant(otherApp)] : []),
      ).filter((s) => s !== ctx.target.secret);
      await ctx.property(secrets, async (secret) => {
        const channel = ctx.channelName(ChannelPrefix.Private);
        const auth = signChannel({ key: ctx.target.key, secret, socketId: client.socketId, channel });
        await expectAuthRefused(ctx, client, channel, await client.subscribe(channel, { auth }), control, 'signature with another secret');
      });
    },
  }),

  defineCase({
    id: 'channel-auth/one-hex-digit-changed-refused',
    clause: 'channel-auth.failure-no-subscription',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Subscribes to private channels with a valid auth in which one hex digit of the signature is replaced',
    requirement: 'The server MUST refuse every such subscription and deliver nothing of the channel',
    numRuns: 15,
    timeoutMs: 20_000,
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      await ctx.property(fc.record({ at: fc.nat({ max: 63 }), shift: fc.integer({ min: 1, max: 15 }) }), async ({ at, shift }) => {
        const channel = ctx.channelName(ChannelPrefix.Private);
        const valid = ctx.sign.channel(client.socketId, channel);
        const hex = hexOf(valid);
        const changed = HEX[(HEX.indexOf(hex[at]!) + shift) % HEX.length]!;
        const auth = `${ctx.target.key}:${hex.slice(0, at)}${changed}${hex.slice(at + 1)}`;
        await expectAuthRefused(ctx, client, channel, await client.subscribe(channel, { auth }), control, `hex digit ${at} changed`);
      });
    },
  }),

  defineCase({
    id: 'channel-auth/truncated-or-padded-refused',
    clause: 'channel-auth.truncated-signature',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Subscribes to private channels with the valid signature cut to 1-63 hex digits, or with extra hex digits appended',
    requirement: 'The server MUST refuse every signature that is not exactly the 64 expected hex digits',
    numRuns: 15,
    timeoutMs: 20_000,
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant('truncated' as const), keep: fc.integer({ min: 1, max: 63 }) }),
        fc.record({ kind: fc.constant('padded' as const), extra: fc.string({ unit: fc.constantFrom(...HEX), minLength: 1, maxLength: 8 }) }),
      );
      await ctx.property(mutation, async (m) => {
        const channel = ctx.channelName(ChannelPrefix.Private);
        const hex = hexOf(ctx.sign.channel(client.socketId, channel));
        const sig = m.kind === 'truncated' ? hex.slice(0, m.keep) : hex + m.extra;
        const auth = `${ctx.target.key}:${sig}`;
        await expectAuthRefused(ctx, client, channel, await client.subscribe(channel, { auth }), control, `${m.kind} signature (${sig.length} digits)`);
      });
    },
  }),

  defineCase({
    id: 'channel-auth/malformed-auth-refused',
    clause: 'channel-auth.truncated-signature',
    level: 'MUST',
    features: ['private-channels'],
    // sends auth values that are not strings: malformed input runs last, alone, liveness-checked
    hostile: true,
    action: 'Subscribes to private channels with garbage auth: random text, the key alone, ":" plus the signature, and values that are not strings',
    requirement: 'The server MUST refuse each without crashing, keep the connection, and deliver nothing of the channel',
    numRuns: 15,
    timeoutMs: 20_000,
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const garbage = fc.oneof(
        fc.string({ maxLength: 80 }).map((s) => ({ label: 'random text', make: (): unknown => s })),
        fc.constant({ label: 'the key alone', make: (): unknown => ctx.target.key }),
        fc.constant({ label: 'the key and a colon', make: (): unknown => `${ctx.target.key}:` }),
        fc.constant({ label: 'no key before the colon', make: (hex?: string): unknown => `:${hex}` }),
        fc.constant({ label: 'the signature without key', make: (hex?: string): unknown => hex }),
        fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.constant({}), fc.constant([])).map((v) => ({ label: `a ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`, make: (): unknown => v })),
      );
      await ctx.property(garbage, async (g) => {
        const channel = ctx.channelName(ChannelPrefix.Private);
        const auth = g.make(hexOf(ctx.sign.channel(client.socketId, channel)));
        const outcome = await subscribeRaw(client, { channel, auth });
        await expectAuthRefused(ctx, client, channel, outcome, control, `auth ${g.label}`);
      });
    },
  }),

  defineCase({
    id: 'channel-auth/wrong-key-prefix-refused',
    clause: 'channel-auth.wrong-key-prefix',
    level: 'SHOULD',
    features: ['private-channels'],
    action: 'Subscribes to a private channel with the correct signature behind another key',
    requirement: 'The server SHOULD refuse an auth whose part before the colon is not the app key',
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const channel = ctx.channelName(ChannelPrefix.Private);
      const auth = `not${ctx.target.key}x:${hexOf(ctx.sign.channel(client.socketId, channel))}`;
      await expectAuthRefused(ctx, client, channel, await client.subscribe(channel, { auth }), control, 'another key before the colon');
    },
  }),

  defineCase({
    id: 'channel-auth/presence-channel-data-tampered',
    clause: 'channel-auth.presence-tampered',
    level: 'MUST',
    features: ['presence'],
    action: 'Signs presence channel_data, then sends it changed: another user_id, changed user_info, added whitespace, or reordered keys',
    requirement: 'The server MUST refuse any channel_data that differs in a byte from the signed string',
    numRuns: 10,
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const tamper = fc.constantFrom('user-id', 'user-info', 'whitespace', 'key-order');
      await ctx.property(tamper, async (kind) => {
        const channel = ctx.channelName(ChannelPrefix.Presence);
        const userId = ctx.userId('t');
        const signed = { user_id: userId, user_info: { role: 'guest' } };
        const { auth, channel_data } = ctx.sign.presence(client.socketId, channel, signed);
        const sent =
          kind === 'user-id'
            ? JSON.stringify({ ...signed, user_id: ctx.userId('victim') })
            : kind === 'user-info'
              ? JSON.stringify({ ...signed, user_info: { role: 'admin' } })
              : kind === 'whitespace'
                ? `${channel_data} `
                : JSON.stringify({ user_info: signed.user_info, user_id: userId });
        const outcome = await client.subscribe(channel, { auth, channelDataRaw: sent });
        await expectAuthRefused(ctx, client, channel, outcome, control, `channel_data tampered (${kind})`);
      });
    },
  }),

  defineCase({
    id: 'channel-auth/presence-signature-covers-channel-data',
    clause: 'channel-auth.presence-valid',
    level: 'MUST',
    features: ['presence'],
    action: 'Subscribes to a presence channel with channel_data and a signature over "{socket_id}:{channel}" only',
    requirement: 'The server MUST refuse it: a presence signature covers "{socket_id}:{channel}:{channel_data}"',
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const channel = ctx.channelName(ChannelPrefix.Presence);
      const auth = ctx.sign.channel(client.socketId, channel);
      const outcome = await client.subscribe(channel, { auth, channelDataRaw: JSON.stringify({ user_id: ctx.userId('x'), user_info: {} }) });
      await expectAuthRefused(ctx, client, channel, outcome, control, 'signature without channel_data');
    },
  }),

  defineCase({
    id: 'channel-auth/cache-variants-signed',
    clause: 'channel-auth.cache-variants',
    level: 'MUST',
    features: ['private-channels', 'cache'],
    action: 'Subscribes to private-cache-, private-encrypted-cache- and presence-cache- channels without a valid signature, then with one',
    requirement: 'The server MUST refuse the unsigned subscriptions and confirm the signed ones, exactly as for the base channel types',
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const f = ctx.target.features;
      const prefixes: string[] = [ChannelPrefix.PrivateCache];
      if (f.has('encrypted')) prefixes.push(ChannelPrefix.EncryptedCache);
      if (f.has('presence')) prefixes.push(ChannelPrefix.PresenceCache);
      for (const prefix of prefixes) {
        const channel = ctx.channelName(prefix);
        const channelData = channelDataFor(ctx, channel);
        const bad = `${ctx.target.key}:${'0'.repeat(64)}`;
        await expectAuthRefused(ctx, client, channel, await subscribeWith(client, channel, bad, channelData), control, `${prefix} with a wrong signature`);
        const good = await subscribeWith(client, channel, ctx.sign.channel(client.socketId, channel, channelData), channelData);
        check(good.ok, `subscription_succeeded for ${channel} with a valid signature`, () => describeOutcome(good));
      }
    },
  }),

  // --- after a refusal -----------------------------------------------------------------------------
  defineCase({
    id: 'channel-auth/failure-keeps-connection',
    clause: 'channel-auth.failure-keeps-connection',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Holds a public and a private channel, then fails a signature check on a third channel',
    requirement: 'The server MUST keep the connection open and keep delivering on the channels it already holds',
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const held = ctx.channelName(ChannelPrefix.Private);
      await client.subscribeOk(held);
      const refused = ctx.channelName(ChannelPrefix.Private);
      const outcome = await client.subscribe(refused, { auth: `${ctx.target.key}:${'f'.repeat(64)}` });
      // this case's own clause: the other refusal cases leave a close to it
      check(client.isOpen && (outcome.ok || outcome.via !== 'close'), 'wrong signature: the connection stays open after the refusal', () => `${describeOutcome(outcome)}; close ${client.closeInfo?.code ?? '?'}`);
      await expectAuthRefused(ctx, client, refused, outcome, control, 'wrong signature');
      const data = uniqueToken('held');
      await publishOk(ctx, { name: TEST_EVENT, channel: held, data });
      await client.expectFrame(ChannelEventFrameLenient, { event: TEST_EVENT, channel: held, where: (f) => carriesToken(f.data, data), description: `the event published on ${held}, which the connection still holds` });
    },
  }),

  defineCase({
    id: 'channel-auth/failure-signalled',
    clause: 'channel-auth.failure-signalled',
    level: 'SHOULD',
    features: ['private-channels'],
    action: 'Subscribes to a private channel with a wrong signature',
    requirement: 'The server SHOULD report the refusal with pusher:error (code null or 4009) or pusher:subscription_error for the channel',
    async run(ctx) {
      const c = await ctx.connect();
      const channel = ctx.channelName(ChannelPrefix.Private);
      const outcome = await c.subscribe(channel, { auth: `${ctx.target.key}:${'0'.repeat(64)}` });
      check(authRefusalSignalled(outcome), ['pusher:error with code null or 4009', 'pusher:subscription_error naming the channel'], () => describeOutcome(outcome));
    },
  }),

  defineCase({
    id: 'channel-auth/retry-after-failure',
    clause: 'channel-auth.retry-after-failure',
    level: 'MUST',
    features: ['private-channels'],
    action: 'Fails a signature check on a private channel, then subscribes to it again with a valid signature',
    requirement: 'The server MUST confirm the valid retry and deliver the channel\'s events',
    async run(ctx) {
      const { client, control } = await withControl(ctx);
      const channel = ctx.channelName(ChannelPrefix.Private);
      const first = await client.subscribe(channel, { auth: `${ctx.target.key}:${'0'.repeat(64)}` });
      await expectAuthRefused(ctx, client, channel, first, control, 'wrong signature');
      const retry = await client.subscribe(channel);
      check(retry.ok, `subscription_succeeded for ${channel} on the valid retry`, () => describeOutcome(retry));
      const data = uniqueToken('retry');
      await publishOk(ctx, { name: TEST_EVENT, channel, data });
      const n = await client.waitFor({ event: TEST_EVENT, channel, where: (f) => carriesToken(f.data, data) });
      check(n !== undefined, `the event published on ${channel} after the retry`, 'nothing arrived');
    },
  }),
]);
