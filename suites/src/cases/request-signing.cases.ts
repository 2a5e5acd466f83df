/**
 * REST request signing: correctly signed requests accepted, every tampering refused with 401 and
 * without effect, and the auth_timestamp window from the target's profile.
 * @module
 */
import fc from 'fast-check';
import { md5Hex } from '../../../spec/src/crypto/hmac.ts';
import { signRestRequest } from '../../../spec/src/crypto/rest-signing.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import { AuthParam, InfoAttribute, RestStatus } from '../../../spec/src/rest/endpoints.ts';
import { ChannelsResponse } from '../../../spec/src/rest/schemas.ts';
import { defineArea, defineCase } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client, HttpResult, SignOptions } from '../harness/types.ts';
import { barrier } from './helpers/channel-sync.ts';
import { CHANNEL_NAME_CHARS, TEST_EVENT, deliveries, httpSummary, uniqueToken } from './helpers/first-areas.ts';
import { limitOrPusher } from './helpers/limit-or-pusher.ts';
import { batchEndpointMissing } from './helpers/rest-refusal.ts';

const HEX = '0123456789abcdef';
/** Allowance for clock skew between the suite and the target when probing the timestamp window. */
const SKEW_MARGIN_SECONDS = 30;

const now = (): number => Math.floor(Date.now() / 1000);

/** The profile's window, or Pusher's 600 s where the profile declares none (a missing check is then a departure). */
const timestampWindow = (ctx: CaseContext): number => limitOrPusher(ctx, 'timestampWindowSeconds').value;

/** A channel held by one connection, to prove a refused publish had no effect. */
async function watched(ctx: CaseContext): Promise<{ client: Client; channel: string }> {
  const client = await ctx.connect();
  const channel = ctx.channelName('');
  await client.subscribeOk(channel);
  return { client, channel };
}

/** POST /events of one event, with `sign` applied; returns the response and the data sent. */
async function publishSigned(ctx: CaseContext, channel: string, sign: SignOptions | ((body: string) => SignOptions)): Promise<{ res: HttpResult; data: string; body: string }> {
  const data = uniqueToken('signed');
  const body = JSON.stringify({ name: TEST_EVENT, channel, data });
  const options = typeof sign === 'function' ? sign(body) : sign;
  const res = await ctx.rest.request({ method: 'POST', path: ctx.rest.path('events'), body, sign: options });
  return { res, data, body };
}

/** The signature the harness would compute for POST /events with this body and timestamp. */
function validSignature(ctx: CaseContext, body: string | undefined, timestamp: number, params: Record<string, string> = {}, path = ctx.rest.path('events'), method = 'POST'): string {
  const signed = signRestRequest({ key: ctx.target.key, secret: ctx.target.secret, method, path, params, ...(body === undefined ? {} : { body }), timestamp });
  return signed.params[AuthParam.Signature]!;
}

/** 401, and the event published by the refused request never reaches the subscriber. */
async function expectRefusedWithoutEffect(ctx: CaseContext, w: { client: Client; channel: string }, sent: { res: HttpResult; data: string }, what: string): Promise<void> {
  check(sent.res.status === RestStatus.Unauthorized, `${what}: ${RestStatus.Unauthorized}`, () => httpSummary(sent.res));
  await barrier(ctx, w.channel, [w.client]);
  const leaked = deliveries(w.client, w.channel, TEST_EVENT, sent.data);
  check(leaked.length === 0, `${what}: the refused publish delivers nothing`, 'the event was delivered');
}

export default defineArea('request-signing', 'REST request signing', [
  defineCase({
    id: 'request-signing/valid-accepted',
    clause: 'request-signing.valid-accepted',
    level: 'MUST',
    features: [],
    action: 'Publishes with a request signed as the docs describe (auth_key, auth_timestamp, auth_version 1.0, body_md5, auth_signature)',
    requirement: 'The server MUST accept it (200) and deliver the event',
    async run(ctx) {
      const w = await watched(ctx);
      const { res, data } = await publishSigned(ctx, w.channel, {});
      check(res.status === RestStatus.Ok, `${RestStatus.Ok}`, () => httpSummary(res));
      await barrier(ctx, w.channel, [w.client]);
      check(deliveries(w.client, w.channel, TEST_EVENT, data).length === 1, 'the event delivered once', 'not delivered');
    },
  }),

  defineCase({
    id: 'request-signing/query-params-signed-unescaped',
    clause: 'request-signing.extra-params-signed',
    level: 'MUST',
    features: [],
    action: 'Lists GET /channels with a filter_by_prefix holding = @ , . ; (URL-escaped on the wire, signed unescaped)',
    requirement: 'The server MUST verify the signature over the unescaped, sorted parameters and answer 200',
    numRuns: 8,
    async run(ctx) {
      await ctx.property(fc.string({ unit: fc.constantFrom(...CHANNEL_NAME_CHARS), minLength: 1, maxLength: 12 }), async (suffix) => {
        const prefix = `${ctx.channelName('')}${suffix}`;
        const res = await ctx.rest.channels({ filter_by_prefix: prefix });
        check(res.status === RestStatus.Ok && ChannelsResponse.safeParse(res.json).success, `${RestStatus.Ok} with a channel list`, () => httpSummary(res));
      });
    },
  }),

  defineCase({
    id: 'request-signing/get-without-body-md5',
    clause: 'request-signing.empty-body-no-md5',
    level: 'MUST',
    features: [],
    action: 'Queries GET /channels/{name} and GET /channels, signed without body_md5 (no body)',
    requirement: 'The server MUST accept both',
    async run(ctx) {
      for (const res of [await ctx.rest.channel(ctx.channelName('')), await ctx.rest.channels()]) {
        check(res.status === RestStatus.Ok, `${RestStatus.Ok}`, () => httpSummary(res));
      }
    },
  }),

  defineCase({
    id: 'request-signing/bad-signature-refused',
    clause: 'request-signing.signature-invalid',
    level: 'MUST',
    features: [],
    action: 'Publishes with a wrong auth_signature: one hex digit changed, cut short, random, or made with another secret',
    requirement: 'The server MUST answer 401 and deliver nothing',
    numRuns: 12,
    timeoutMs: 20_000,
    async run(ctx) {
      const w = await watched(ctx);
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant('one-digit' as const), at: fc.nat({ max: 63 }), shift: fc.integer({ min: 1, max: 15 }) }),
        fc.record({ kind: fc.constant('truncated' as const), keep: fc.nat({ max: 63 }) }),
        fc.record({ kind: fc.constant('random' as const), hex: fc.string({ unit: fc.constantFrom(...HEX), minLength: 64, maxLength: 64 }) }),
        fc.record({ kind: fc.constant('other-secret' as const), secret: fc.string({ minLength: 1, maxLength: 40 }) }),
      );
      await ctx.property(mutation, async (m) => {
        const timestamp = now();
        const sent = await publishSigned(ctx, w.channel, (body): SignOptions => {
          if (m.kind === 'other-secret') return { secret: m.secret === ctx.target.secret ? `${m.secret}x` : m.secret, timestamp };
          if (m.kind === 'random') return { signature: m.hex, timestamp };
          const sig = validSignature(ctx, body, timestamp);
          if (m.kind === 'truncated') return { signature: sig.slice(0, m.keep), timestamp };
          const changed = HEX[(HEX.indexOf(sig[m.at]!) + m.shift) % HEX.length]!;
          return { signature: `${sig.slice(0, m.at)}${changed}${sig.slice(m.at + 1)}`, timestamp };
        });
        await expectRefusedWithoutEffect(ctx, w, sent, `signature ${m.kind}`);
      });
    },
  }),

  defineCase({
    id: 'request-signing/unknown-key-refused',
    clause: 'request-signing.unknown-key',
    level: 'MUST',
    features: [],
    action: 'Publishes with an auth_key the app does not have, signed with some secret',
    requirement: 'The server MUST answer 401 and deliver nothing',
    async run(ctx) {
      const w = await watched(ctx);
      const sent = await publishSigned(ctx, w.channel, { key: `${ctx.target.key}x${uniqueToken('k').replace(/\W/g, '')}`, secret: ctx.target.secret });
      await expectRefusedWithoutEffect(ctx, w, sent, 'unknown auth_key');
    },
  }),

  defineCase({
    id: 'request-signing/params-changed-after-signing',
    clause: 'request-signing.extra-params-signed',
    level: 'MUST',
    features: [],
    action: 'Signs GET /channels with one filter_by_prefix and sends another, and publishes with an info parameter added after signing',
    requirement: 'The server MUST answer 401 to both: every query parameter is covered by the signature',
    async run(ctx) {
      const timestamp = now();
      const signedPrefix = ctx.channelName('');
      const sig = validSignature(ctx, undefined, timestamp, { filter_by_prefix: signedPrefix }, ctx.rest.path('channels'), 'GET');
      const list = await ctx.rest.channels({ filter_by_prefix: `${signedPrefix}x` }, { timestamp, signature: sig });
      check(list.status === RestStatus.Unauthorized, `GET /channels with a changed filter_by_prefix: ${RestStatus.Unauthorized}`, () => httpSummary(list));

      const w = await watched(ctx);
      const sent = await publishSigned(ctx, w.channel, (body) => ({ timestamp, override: { info: InfoAttribute.UserCount }, signature: validSignature(ctx, body, timestamp) }));
      await expectRefusedWithoutEffect(ctx, w, sent, 'info added after signing');
    },
  }),

  defineCase({
    id: 'request-signing/method-and-path-signed',
    clause: 'request-signing.method-and-path',
    level: 'MUST',
    features: [],
    action: 'Publishes with a signature made for the same parameters and body but for GET, and one made for the batch_events path',
    requirement: 'The server MUST answer 401 to both and deliver nothing',
    async run(ctx) {
      const w = await watched(ctx);
      const timestamp = now();
      const wrongMethod = await publishSigned(ctx, w.channel, (body) => ({ timestamp, signature: validSignature(ctx, body, timestamp, {}, ctx.rest.path('events'), 'GET') }));
      await expectRefusedWithoutEffect(ctx, w, wrongMethod, 'signature for GET');
      const wrongPath = await publishSigned(ctx, w.channel, (body) => ({ timestamp, signature: validSignature(ctx, body, timestamp, {}, ctx.rest.path('batch_events')) }));
      await expectRefusedWithoutEffect(ctx, w, wrongPath, 'signature for batch_events');
    },
  }),

  defineCase({
    id: 'request-signing/body-md5-mismatch-refused',
    clause: 'request-signing.body-md5-match',
    level: 'MUST',
    features: [],
    action: 'Publishes with a signed body_md5 that does not match the body: the body changed after signing, a random MD5, or the MD5 of the empty body',
    requirement: 'The server MUST answer 401 and deliver nothing',
    numRuns: 8,
    timeoutMs: 20_000,
    async run(ctx) {
      const w = await watched(ctx);
      const variant = fc.oneof(
        fc.constant({ kind: 'body-changed' as const }),
        fc.string({ unit: fc.constantFrom(...HEX), minLength: 32, maxLength: 32 }).map((hex) => ({ kind: 'random' as const, hex })),
        fc.constant({ kind: 'empty-body-md5' as const }),
      );
      await ctx.property(variant, async (v) => {
        const sent = await publishSigned(ctx, w.channel, (body): SignOptions => {
          const md5 =
            v.kind === 'body-changed'
              ? md5Hex(body.replace(TEST_EVENT, `${TEST_EVENT}-original`))
              : v.kind === 'random'
                ? v.hex
                : md5Hex('');
          return { override: { [AuthParam.BodyMd5]: md5 === md5Hex(body) ? md5Hex(`${body} `) : md5 } };
        });
        await expectRefusedWithoutEffect(ctx, w, sent, `body_md5 ${v.kind}`);
      });
    },
  }),

  defineCase({
    id: 'request-signing/body-md5-missing-refused',
    clause: 'request-signing.body-md5-match',
    level: 'MUST',
    features: [],
    action: 'Publishes a non-empty body without body_md5, the signature valid over the parameters sent',
    requirement: 'The server MUST answer 401 and deliver nothing',
    async run(ctx) {
      const w = await watched(ctx);
      const timestamp = now();
      const sent = await publishSigned(ctx, w.channel, () => ({ timestamp, omit: [AuthParam.BodyMd5], signature: validSignature(ctx, undefined, timestamp) }));
      await expectRefusedWithoutEffect(ctx, w, sent, 'no body_md5');
    },
  }),

  defineCase({
    id: 'request-signing/missing-auth-params-refused',
    clause: 'request-signing.params-required',
    level: 'MUST',
    features: [],
    action: 'Publishes with one of auth_key, auth_timestamp, auth_version or auth_signature left out, and completely unsigned',
    requirement: 'The server MUST answer 401 to each and deliver nothing',
    async run(ctx) {
      const w = await watched(ctx);
      for (const omit of [AuthParam.Key, AuthParam.Timestamp, AuthParam.Version, AuthParam.Signature]) {
        await expectRefusedWithoutEffect(ctx, w, await publishSigned(ctx, w.channel, { omit: [omit] }), `without ${omit}`);
      }
      await expectRefusedWithoutEffect(ctx, w, await publishSigned(ctx, w.channel, { unsigned: true }), 'unsigned');
    },
  }),

  defineCase({
    id: 'request-signing/other-auth-version-refused',
    clause: 'request-signing.auth-version',
    level: 'SHOULD',
    features: [],
    action: 'Publishes with auth_version 2.0 (and 1), signed correctly over those parameters',
    requirement: 'The server SHOULD answer 401: 1.0 is the only signing version',
    async run(ctx) {
      const w = await watched(ctx);
      for (const version of ['2.0', '1']) {
        await expectRefusedWithoutEffect(ctx, w, await publishSigned(ctx, w.channel, { override: { [AuthParam.Version]: version } }), `auth_version ${version}`);
      }
    },
  }),

  defineCase({
    id: 'request-signing/timestamp-outside-window-refused',
    clause: 'request-signing.timestamp-window',
    level: 'SHOULD',
    features: [],
    action: 'Publishes, correctly signed, with auth_timestamp beyond the profile\'s window (Pusher\'s 600 s when it declares none; plus a skew margin), both in the past and in the future',
    requirement: 'The server SHOULD answer 401 to each side and deliver nothing',
    numRuns: 8,
    timeoutMs: 20_000,
    async run(ctx) {
      const window = timestampWindow(ctx);
      const w = await watched(ctx);
      // a window checked from one side only (stale refused, future accepted) is a real bug: every run probes both
      await ctx.property(fc.integer({ min: SKEW_MARGIN_SECONDS, max: 24 * 3600 }), async (beyond) => {
        for (const delta of [-(window + beyond), window + beyond]) {
          const sent = await publishSigned(ctx, w.channel, { timestamp: now() + delta });
          await expectRefusedWithoutEffect(ctx, w, sent, `auth_timestamp ${delta > 0 ? '+' : ''}${delta} s`);
        }
      });
    },
  }),

  defineCase({
    id: 'request-signing/timestamp-inside-window-accepted',
    clause: 'request-signing.timestamp-tolerance',
    level: 'MUST',
    features: [],
    action: 'Publishes, correctly signed, with auth_timestamp off by up to the profile\'s window (Pusher\'s 600 s when it declares none; minus a skew margin), in the past or the future',
    requirement: 'The server MUST accept each (200)',
    numRuns: 8,
    async run(ctx) {
      const window = timestampWindow(ctx);
      const w = await watched(ctx);
      const reach = Math.max(0, window - SKEW_MARGIN_SECONDS);
      await ctx.property(fc.integer({ min: -reach, max: reach }), async (delta) => {
        const { res } = await publishSigned(ctx, w.channel, { timestamp: now() + delta });
        check(res.status === RestStatus.Ok, `auth_timestamp ${delta > 0 ? '+' : ''}${delta} s: ${RestStatus.Ok}`, () => httpSummary(res));
      });
    },
  }),

  defineCase({
    id: 'request-signing/other-app-credentials-refused',
    clause: 'request-signing.signature-invalid',
    level: 'MUST',
    features: [],
    action: 'Publishes to this app\'s /events, and lists its channels, with requests signed correctly with the auth_key and secret of another app of the same server',
    requirement: 'The server MUST answer 401 to both and deliver nothing: only the addressed app\'s own key and secret sign for it',
    async run(ctx) {
      const other = ctx.target.extraApps?.clientEventsOff;
      if (!other) return ctx.unsupported('the target declares no second app with its secret (extraApps.clientEventsOff), so credentials cannot be confused across apps');
      const w = await watched(ctx);
      const sent = await publishSigned(ctx, w.channel, { key: other.key, secret: other.secret });
      await expectRefusedWithoutEffect(ctx, w, sent, `signed as app ${other.appId}`);
      const list = await ctx.rest.channels({}, { key: other.key, secret: other.secret });
      check(list.status === RestStatus.Unauthorized, `GET /channels signed as app ${other.appId}: ${RestStatus.Unauthorized}`, () => httpSummary(list));
    },
  }),

  defineCase({
    id: 'request-signing/every-endpoint-checked',
    clause: 'request-signing.signature-invalid',
    level: 'MUST',
    features: [],
    action: 'Calls every REST endpoint (POST /events, GET /channels, GET /channels/{name}, GET /channels/{presence}/users, and POST /batch_events and POST /users/{id}/terminate_connections where supported) signed with a wrong secret',
    requirement: 'The server MUST answer 401 on each endpoint, and the refused publishes MUST deliver nothing',
    async run(ctx) {
      const wrong: SignOptions = { secret: `${ctx.target.secret}-not` };
      const w = await watched(ctx);
      await expectRefusedWithoutEffect(ctx, w, await publishSigned(ctx, w.channel, wrong), 'POST /events');
      if (ctx.target.features.has('batch-events')) {
        const data = uniqueToken('batch');
        const batch = await ctx.rest.batch([{ name: TEST_EVENT, channel: w.channel, data }], wrong);
        if (!batchEndpointMissing(ctx, batch, 'POST /batch_events')) await expectRefusedWithoutEffect(ctx, w, { res: batch, data }, 'POST /batch_events');
      } else ctx.note('POST /batch_events not checked: the target does not declare batch-events');
      const gets: [string, () => Promise<HttpResult>][] = [
        ['GET /channels', () => ctx.rest.channels({}, wrong)],
        [`GET /channels/${w.channel}`, () => ctx.rest.channel(w.channel, {}, wrong)],
        ['GET /channels/{presence}/users', () => ctx.rest.users(ctx.channelName(ChannelPrefix.Presence), wrong)],
      ];
      if (ctx.target.features.has('terminate')) gets.push(['POST /users/{id}/terminate_connections', () => ctx.rest.terminate(ctx.userId('nobody'), wrong)]);
      for (const [what, call] of gets) {
        const res = await call();
        check(res.status === RestStatus.Unauthorized, `${what} with a wrong signature: ${RestStatus.Unauthorized}`, () => httpSummary(res));
      }
    },
  }),
]);
