/**
 * End-to-end encrypted channels: the suite encrypts as a server SDK would (the target's master
 * key, per-channel shared secret from spec/) and checks the server relays the ciphertext
 * untouched, authorizes like a private channel, accepts batches, and how it treats a
 * multi-channel publish that includes an encrypted channel.
 * @module
 */
import fc from 'fast-check';
import { decryptPayload, signChannel } from '../../../spec/src/crypto/index.ts';
import { ChannelEventFrameLenient } from '../../../spec/src/frames/events.ts';
import { EncryptedData } from '../../../spec/src/frames/encrypted.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client } from '../harness/types.ts';
import { asPublished, barrier, carriesToken, closeAll, dataText, describeOutcome, expectRefused, framesSince, subscribeRaw, utf8Bytes } from './helpers/channel-sync.ts';
import { roomyPayloadBytes } from './helpers/roomy-sizes.ts';
import { isAccepted } from '../harness/rest.ts';
import { effectiveStatus } from './helpers/rest-refusal.ts';

/** `{"nonce":"<32 chars>","ciphertext":""}`: the JSON around the ciphertext. */
const ENVELOPE_BYTES = utf8Bytes(JSON.stringify({ nonce: 'A'.repeat(32), ciphertext: '' }));
/** secretbox MAC */
const MAC_BYTES = 16;

/** Largest plaintext whose encrypted `data` string still fits in `dataLimit` bytes. */
function maxPlaintextBytes(dataLimit: number): number {
  const base64Room = dataLimit - ENVELOPE_BYTES;
  return Math.floor(base64Room / 4) * 3 - MAC_BYTES;
}

/** Check a received encrypted event: byte-identical data, decryptable to `plaintext` with its own key only. */
function checkEncrypted(ctx: CaseContext, channel: string, foreign: string, received: unknown, sent: string, plaintext: string, what: string): void {
  check(received === sent, `${what}: data is the published string, byte for byte (clause encrypted.relay-opaque)`, `data ${JSON.stringify(received).slice(0, 300)}`);
  const payload = EncryptedData.safeParse(received);
  check(payload.success, `${what}: data {nonce, ciphertext}`, String(received).slice(0, 200));
  const opened = decryptPayload({ sharedSecret: ctx.sign.sharedSecret(channel), ...payload.data });
  check(opened.ok && opened.plaintext === plaintext, `${what}: decrypts with the channel's shared secret to exactly the payload`, opened.ok ? `plaintext ${opened.plaintext.slice(0, 200)}` : `decryption failed: ${opened.reason}`);
  // suite-side: the ciphertext is bound to this channel's key and to its bytes
  const other = decryptPayload({ sharedSecret: ctx.sign.sharedSecret(foreign), ...payload.data });
  check(!other.ok, `${what}: another channel's key does not decrypt it`, 'it decrypted');
  const box = Buffer.from(payload.data.ciphertext, 'base64');
  box[box.length - 1] = (box[box.length - 1] ?? 0) ^ 1;
  const tampered = decryptPayload({ sharedSecret: ctx.sign.sharedSecret(channel), nonce: payload.data.nonce, ciphertext: box.toString('base64') });
  check(!tampered.ok, `${what}: a tampered ciphertext does not decrypt`, 'it decrypted');
}

/** Payloads: arbitrary JSON values, and unicode strings sized up to the largest plaintext that fits. */
function payloadArb(maxPlain: number): fc.Arbitrary<unknown> {
  const units = ['a', '\u00e9', '\u20ac', '\u{1F600}', '\n', '"', '\u0000', '\u{10FFFF}'];
  const big = fc.record({ unit: fc.constantFrom(...units), slack: fc.nat({ max: 64 }) }).map(({ unit, slack }) => {
    const per = utf8Bytes(JSON.stringify(unit)) - 2;
    const n = Math.max(0, Math.floor((maxPlain - slack - 2) / per));
    return unit.repeat(n);
  });
  return fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }), weight: 2 },
    { arbitrary: big, weight: 2 },
  );
}

export default defineArea('encrypted', 'End-to-end encrypted channels', [
  defineCase({
    id: 'encrypted/relay-opaque',
    clause: 'encrypted.relay-opaque',
    level: 'MUST',
    features: ['encrypted'],
    action:
      'For arbitrary payloads (JSON values, unicode text, sizes up to half the smallest payload limit of any profile after encryption, base64 and JSON), encrypts as a server SDK does and publishes to a private-encrypted- channel',
    requirement: 'The server MUST deliver the data string exactly as published, so that it decrypts with the channel\'s shared secret to exactly the payload',
    numRuns: 15,
    timeoutMs: 20_000,
    // the ciphertext must arrive as published: a recognised double encoding is that clause's finding
    dependsOn: ['subscription.data-verbatim'],
    async run(ctx) {
      // the payload limit is not what this case tests: stay well inside every profile's
      const dataLimit = roomyPayloadBytes(ctx);
      const maxPlain = maxPlaintextBytes(dataLimit);
      const channel = ctx.channelName(ChannelPrefix.Encrypted);
      const foreign = ctx.channelName(ChannelPrefix.Encrypted);
      const sub = await ctx.connect();
      await sub.subscribeOk(channel);
      let k = 0;
      await ctx.property(payloadArb(maxPlain), async (payload) => {
        const plaintext = JSON.stringify(payload);
        const data = ctx.sign.encrypt(channel, plaintext);
        check(utf8Bytes(data) <= dataLimit, `suite: encrypted data within ${dataLimit} bytes`, `${utf8Bytes(data)} bytes`);
        const event = `secret-${++k}`;
        const res = await ctx.rest.trigger({ name: event, channel, data });
        check(isAccepted(res), `publish of ${utf8Bytes(data)} bytes of encrypted data (limit ${dataLimit}) accepted (2xx, no error body)`, `HTTP ${res.status} ${res.text.slice(0, 200)}`);
        const f = await sub.expectFrame(ChannelEventFrameLenient, { event, channel, description: `${event} at the subscriber` });
        checkEncrypted(ctx, channel, foreign, f.data, data, plaintext, event);
      });
      await sub.close();
    },
  }),

  defineCase({
    id: 'encrypted/auth-like-private',
    clause: 'encrypted.auth-like-private',
    level: 'MUST',
    features: ['encrypted'],
    action:
      'Subscribes to a private-encrypted- channel without auth, with empty auth, with a valid signature for another occupied channel, with a signature made with a wrong secret, with the first 16 hex digits of the right signature, and finally with the correct private-channel signature (no shared_secret sent)',
    requirement: 'The server MUST refuse the missing and wrong signatures and MUST accept the plain private signature over "{socket_id}:{channel}"',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Encrypted);
      // another channel that exists (has a subscriber), whose valid signature must not open this one
      const lookalike = ChannelPrefix.Private + channel.slice(ChannelPrefix.Encrypted.length);
      const holder = await ctx.connect();
      await holder.subscribeOk(lookalike);
      const c = await ctx.connect();
      const right = ctx.sign.channel(c.socketId, channel);
      const hex = right.slice(right.indexOf(':') + 1);
      const attempts: [string, Record<string, unknown> & { channel: string }][] = [
        ['no auth', { channel }],
        ['empty auth', { channel, auth: '' }],
        [`a valid signature for ${lookalike}`, { channel, auth: ctx.sign.channel(c.socketId, lookalike) }],
        ['a signature made with a wrong secret', { channel, auth: signChannel({ key: ctx.target.key, secret: `${ctx.target.secret}-wrong`, socketId: c.socketId, channel }) }],
        ['the first 16 hex digits of the right signature', { channel, auth: `${ctx.target.key}:${hex.slice(0, 16)}` }],
      ];
      for (const [what, data] of attempts) {
        const outcome = await subscribeRaw(c, data);
        await expectRefused(ctx, c, channel, outcome, what, { alone: true });
        if (!c.isOpen) return ctx.unsupported('the connection closed after a refused subscription; the channel-auth cases judge that');
      }
      const ok = await subscribeRaw(c, { channel, auth: right });
      check(ok.ok, 'the correct private-channel signature is accepted', () => describeOutcome(ok));
      await closeAll([c, holder]);
    },
  }),

  defineCase({
    id: 'encrypted/batch-accepted',
    clause: 'encrypted.batch-accepted',
    level: 'MUST',
    features: ['encrypted', 'batch-events'],
    action: 'Publishes one batch_events request with an item for each of two encrypted channels, each encrypted with its own channel key',
    requirement: 'The server MUST accept the batch and deliver each item\'s ciphertext untouched to its own channel',
    // the batch endpoint and the data string as published are the means, judged by their own cases
    dependsOn: ['rest.batch-events', 'subscription.data-verbatim'],
    async run(ctx) {
      const channels = [ctx.channelName(ChannelPrefix.Encrypted), ctx.channelName(ChannelPrefix.Encrypted)];
      const subs: Client[] = [];
      for (const ch of channels) {
        const c = await ctx.connect();
        subs.push(c);
        await c.subscribeOk(ch);
      }
      const items = channels.map((ch, i) => {
        const plaintext = JSON.stringify({ item: i, text: `h\u00e9llo ${i} \u{1F512}` });
        return { channel: ch, name: 'batch-secret', data: ctx.sign.encrypt(ch, plaintext), plaintext };
      });
      const res = await ctx.rest.batch(items.map(({ channel, name, data }) => ({ channel, name, data })));
      check(isAccepted(res), 'batch_events with encrypted items accepted (2xx, no error body)', `HTTP ${res.status} ${res.text.slice(0, 200)}`);
      for (const [i, item] of items.entries()) {
        const f = await subs[i]!.expectFrame(ChannelEventFrameLenient, { event: item.name, channel: item.channel });
        checkEncrypted(ctx, item.channel, channels[1 - i]!, f.data, item.data, item.plaintext, `batch item ${i}`);
      }
      await closeAll(subs);
    },
  }),

  defineCase({
    id: 'encrypted/multi-channel-publish',
    clause: 'encrypted.multi-channel-publish',
    level: 'MAY',
    features: ['encrypted'],
    action: 'Publishes one event (encrypted for the encrypted channel) to a private-encrypted- channel and a private channel in one POST /events',
    requirement: 'The server MAY refuse the request with 400 or accept it; if it accepts it, it delivers the data unchanged to both channels, and if it refuses it, to neither',
    dependsOn: ['subscription.data-verbatim'],
    async run(ctx) {
      const enc = ctx.channelName(ChannelPrefix.Encrypted);
      const priv = ctx.channelName(ChannelPrefix.Private);
      const [ce, cp] = [await ctx.connect(), await ctx.connect()];
      await ce.subscribeOk(enc);
      await cp.subscribeOk(priv);
      const plaintext = JSON.stringify({ multi: true });
      const data = ctx.sign.encrypt(enc, plaintext);
      const res = await ctx.rest.trigger({ name: 'multi', channels: [enc, priv], data });
      let observation: string;
      if (isAccepted(res)) {
        const f = await ce.expectFrame(ChannelEventFrameLenient, { event: 'multi', channel: enc });
        checkEncrypted(ctx, enc, priv, f.data, data, plaintext, 'encrypted channel');
        const g = await cp.expectFrame(ChannelEventFrameLenient, { event: 'multi', channel: priv });
        check(g.data === data, 'private channel: the same data string', `data ${JSON.stringify(g.data).slice(0, 200)}`);
        observation = 'accepted (alternative "accept"): delivered unchanged to both channels';
      } else {
        // a refusal answered 200 with an error body is judged by its code (the status is rest.bad-request's finding)
        const status = effectiveStatus(ctx, res);
        check(status >= 400 && status < 500, 'a 4xx refusal (400 expected)', `HTTP ${res.status}`);
        // a barrier per channel, not a window: a marker published after the refusal reaches each
        // subscriber after anything the refused request delivered on that channel
        await barrier(ctx, enc, [ce]);
        await barrier(ctx, priv, [cp]);
        const delivered = [...framesSince(ce, 0, enc, ['multi']), ...framesSince(cp, 0, priv, ['multi'])];
        check(delivered.length === 0, 'a refused publish delivered to neither channel', () => JSON.stringify(delivered[0]).slice(0, 300));
        observation = `refused with HTTP ${status} (alternative "refuse-400")`;
      }
      await closeAll([ce, cp]);
      return observation;
    },
  }),
  defineCase({
    id: 'encrypted/names-in-clear',
    clause: 'encrypted.names-in-clear',
    level: 'MUST',
    features: ['encrypted'],
    action: 'Subscribes to a private-encrypted- channel and publishes on it an event whose data is encrypted as a server SDK does',
    requirement: 'The server MUST deliver the event with its event and channel names in clear, only the data being ciphertext',
    async run(ctx) {
      const channel = ctx.channelName(ChannelPrefix.Encrypted);
      const sub = await ctx.connect();
      await sub.subscribeOk(channel);
      const event = `secret-${ctx.userId('clear')}`;
      const plaintext = JSON.stringify({ message: 'in the clear?' });
      const data = ctx.sign.encrypt(channel, plaintext);
      const res = await ctx.rest.trigger({ name: event, channel, data });
      check(isAccepted(res), 'the publish of encrypted data accepted (2xx, no error body)', `HTTP ${res.status} ${res.text.slice(0, 200)}`);
      const f = await sub.expectFrame(ChannelEventFrameLenient, { where: (x) => carriesToken(x.data, data), description: 'the event carrying the published ciphertext' });
      check(f.event === event, `event ${JSON.stringify(event)} in clear`, `event ${JSON.stringify(f.event)}`);
      check(f.channel === channel, `channel ${channel} in clear`, `channel ${JSON.stringify(f.channel)}`);
      // an object {nonce, ciphertext} is the form pusher-js tolerates (clause subscription.data-verbatim judges it)
      const delivered = dataText(asPublished(ctx, f.data, data));
      check(EncryptedData.safeParse(delivered).success, 'data {nonce, ciphertext}', String(delivered).slice(0, 200));
      await sub.close();
    },
  }),
]);
