/**
 * Declared limits at their boundary, from the target's profile: event data size (multi-byte
 * UTF-8 included), event name length, channel name length (REST and subscribe), channels per
 * publish and events per batch. Each limit has two cases: the boundary (MUST: exactly at the limit
 * accepted; where the limit is enforced at all, refused from one past it with the documented
 * status) and the enforcement (SHOULD: one past the limit refused).
 * @module
 */
import fc from 'fast-check';
import type { LimitKey } from '../../../spec/src/limits.ts';
import { ChannelEventFrameLenient } from '../../../spec/src/frames/events.ts';
import { RestStatus } from '../../../spec/src/rest/endpoints.ts';
import type { ClauseId } from '../../../spec/src/clauses/index.ts';
import { defineCase, defineArea, type CaseDef } from '../model/case.ts';
import { check } from '../model/outcome.ts';
import type { CaseContext, Client, HttpResult } from '../harness/types.ts';
import { Event, EventPrefix } from '../../../spec/src/events.ts';
import { ChannelPrefix } from '../../../spec/src/identifiers.ts';
import { asPublished, barrier, closeAll, describeOutcome } from './helpers/channel-sync.ts';
import { limitOrPusher } from './helpers/limit-or-pusher.ts';
import { CHAR_BY_BYTES, TEST_EVENT, dataMatches, httpSummary, padToBytes, uniqueToken } from './helpers/first-areas.ts';
import { isAccepted } from '../harness/rest.ts';
import { effectiveStatus } from './helpers/rest-refusal.ts';
import { isValidErrorFrame } from '../harness/client.ts';

/** What one request at a given size did. */
interface Probe {
  readonly accepted: boolean;
  /** the refusal carried the status or signal the limit documents */
  readonly documented: boolean;
  /** a refusal that is never acceptable (5xx, closed connection) */
  readonly broken: boolean;
  readonly detail: string;
}

/** A REST answer as a probe: 2xx accepted, 4xx refused (documented when `status`), anything else broken. */
function restProbe(ctx: CaseContext, res: HttpResult, status: number): Probe {
  const accepted = isAccepted(res);
  // a refusal answered 200 with an error body is judged by its code (the status is rest.bad-request's finding)
  const effective = effectiveStatus(ctx, res);
  return { accepted, documented: effective === status, broken: !accepted && (effective < 400 || effective >= 500), detail: httpSummary(res) };
}

/**
 * The profile's limit, or Pusher's documented value where it declares none: a server with no
 * limit then passes the boundary (MUST) and is told by the enforcement case (SHOULD, warn).
 */
const limitOrPusherValue = (ctx: CaseContext, key: LimitKey): number => limitOrPusher(ctx, key).value;

/**
 * At `limit` accepted; at `limit + 1` either refused with the documented status, or accepted and
 * then so is `2 × limit` (the limit is not enforced at all: the SHOULD case reports that).
 */
async function checkBoundary(what: string, limit: number, probe: (n: number) => Promise<Probe>, documentedText: string): Promise<void> {
  const at = await probe(limit);
  check(at.accepted, `${what} of exactly ${limit} accepted`, at.detail);
  const over = await probe(limit + 1);
  check(!over.broken, `${what} of ${limit + 1}: accepted or refused with ${documentedText}`, over.detail);
  if (over.accepted) {
    const far = await probe(2 * limit);
    check(far.accepted, `${what}: the limit enforced from ${limit + 1}, or not at all`, `${limit + 1} accepted but ${2 * limit} refused (${far.detail}): the enforced limit is not the declared one`);
  } else {
    check(over.documented, `${what} of ${limit + 1} refused with ${documentedText}`, over.detail);
  }
}

/** One past the limit refused with the documented status. */
async function checkEnforced(what: string, limit: number, probe: (n: number) => Promise<Probe>, documentedText: string): Promise<void> {
  const over = await probe(limit + 1);
  check(!over.accepted && over.documented, `${what} of ${limit + 1} refused with ${documentedText}`, over.detail);
}

interface LimitSpec {
  readonly slug: string;
  readonly key: LimitKey;
  readonly what: string;
  readonly boundaryClause: ClauseId;
  readonly enforcedClause: ClauseId;
  readonly documentedText: string;
  readonly action: (n: string) => string;
  readonly probe: (ctx: CaseContext) => Promise<(n: number) => Promise<Probe>>;
  readonly features?: CaseDef['features'];
  /** clauses the probe relies on as a means (see CaseDef.dependsOn) */
  readonly dependsOn?: CaseDef['dependsOn'];
}

const BAD = `HTTP ${RestStatus.BadRequest}`;

/** The REST limits whose boundary is checked the same way. */
const restLimits: readonly LimitSpec[] = [
  {
    slug: 'event-name-length',
    key: 'eventNameLength',
    what: 'an event name',
    boundaryClause: 'limits.declared-boundary',
    enforcedClause: 'limits.event-name-length',
    documentedText: BAD,
    action: (n) => `Publishes events whose names are ${n} characters long`,
    probe: async (ctx) => {
      const channel = ctx.channelName('');
      return async (n) => restProbe(ctx, await ctx.rest.trigger({ name: `${TEST_EVENT}-${'n'.repeat(Math.max(0, n - TEST_EVENT.length - 1))}`.slice(0, n), channel, data: uniqueToken() }), RestStatus.BadRequest);
    },
  },
  {
    slug: 'channel-name-length-rest',
    key: 'channelNameLength',
    what: 'a channel name (REST)',
    boundaryClause: 'limits.channel-name-length',
    enforcedClause: 'limits.channel-name-length',
    documentedText: BAD,
    action: (n) => `Publishes to channels whose names are ${n} characters long`,
    probe: async (ctx) => async (n) => restProbe(ctx, await ctx.rest.trigger({ name: TEST_EVENT, channel: ctx.channelName('', { length: n }), data: uniqueToken() }), RestStatus.BadRequest),
  },
  {
    slug: 'channels-per-trigger',
    key: 'channelsPerTrigger',
    what: 'a channels array',
    boundaryClause: 'limits.channels-per-trigger',
    enforcedClause: 'limits.channels-per-trigger',
    documentedText: BAD,
    action: (n) => `Publishes one event to ${n} channels at once`,
    probe: async (ctx) => async (n) => {
      const channels = Array.from({ length: n }, () => ctx.channelName(''));
      return restProbe(ctx, await ctx.rest.trigger({ name: TEST_EVENT, channels, data: uniqueToken() }), RestStatus.BadRequest);
    },
  },
  {
    slug: 'batch-size',
    key: 'batchSize',
    features: ['batch-events'],
    // a missing endpoint (404) is clause rest.batch-events' finding; the limit cannot be judged without it
    dependsOn: ['rest.batch-events'],
    what: 'a batch',
    boundaryClause: 'limits.batch-size',
    enforcedClause: 'limits.batch-size',
    documentedText: BAD,
    action: (n) => `Publishes a batch of ${n} events`,
    probe: async (ctx) => {
      const channel = ctx.channelName('');
      return async (n) => restProbe(ctx, await ctx.rest.batch(Array.from({ length: n }, () => ({ name: TEST_EVENT, channel, data: uniqueToken() }))), RestStatus.BadRequest);
    },
  },
];

function restLimitCases(spec: LimitSpec): CaseDef[] {
  return [
    defineCase({
      id: `limits/${spec.slug}-boundary`,
      clause: spec.boundaryClause,
      level: 'MUST',
      features: spec.features ?? [],
      ...(spec.dependsOn ? { dependsOn: spec.dependsOn } : {}),
      action: `${spec.action('exactly the profile\'s limit and one more')} (and twice the limit when one more is accepted)`,
      requirement: `The server MUST accept ${spec.what} at the declared limit and, if it enforces the limit, MUST refuse it from one past the limit with ${spec.documentedText}`,
      async run(ctx) {
        const limit = limitOrPusherValue(ctx, spec.key);
        await checkBoundary(spec.what, limit, await spec.probe(ctx), spec.documentedText);
      },
    }),
    defineCase({
      id: `limits/${spec.slug}-enforced`,
      clause: spec.enforcedClause,
      level: 'SHOULD',
      features: spec.features ?? [],
      ...(spec.dependsOn ? { dependsOn: spec.dependsOn } : {}),
      action: spec.action('one more than the profile\'s limit'),
      requirement: `The server SHOULD refuse ${spec.what} one past the declared limit with ${spec.documentedText}`,
      async run(ctx) {
        const limit = limitOrPusherValue(ctx, spec.key);
        await checkEnforced(spec.what, limit, await spec.probe(ctx), spec.documentedText);
      },
    }),
  ];
}

/**
 * The payload sizes to probe: the limit in bytes, and where the profile's KB is 1000 bytes, the
 * lower reading of the same number of KB (ambiguity payload-size-limit: sizes between the two
 * readings are informational).
 */
function payloadBounds(ctx: CaseContext): { accept: number; refuseAbove: number } {
  const limit = limitOrPusherValue(ctx, 'eventDataBytes');
  const kb = ctx.profile.dialect.kilobyte;
  const binaryKb = 1024;
  const other = limit % binaryKb === 0 ? (limit / binaryKb) * kb : limit;
  return { accept: Math.min(limit, other), refuseAbove: Math.max(limit, other) };
}

/** Multi-byte character mixes: 1-4 byte characters, padded with ASCII to an exact byte count. */
const charMix = fc.array(fc.constantFrom(...CHAR_BY_BYTES[1], ...CHAR_BY_BYTES[2], ...CHAR_BY_BYTES[3], ...CHAR_BY_BYTES[4]), { minLength: 0, maxLength: 3000 });

const payloadProbe = (ctx: CaseContext, channel: string, chars: readonly string[]) => async (bytes: number): Promise<Probe> =>
  restProbe(ctx, await ctx.rest.trigger({ name: TEST_EVENT, channel, data: padToBytes(chars, bytes) }), RestStatus.PayloadTooLarge);

const channelNameProbe = (ctx: CaseContext) => {
  let client: Client | undefined;
  return async (n: number): Promise<Probe> => {
    client ??= await ctx.connect();
    const outcome = await client.subscribe(ctx.channelName('', { length: n }));
    const closed = !outcome.ok && outcome.via === 'close';
    // any explicit refusal or silence is a refusal of the name; a close is never acceptable
    return { accepted: outcome.ok, documented: !outcome.ok && !closed, broken: closed, detail: describeOutcome(outcome) };
  };
};

export default defineArea('limits', 'Limits', [
  defineCase({
    id: 'limits/event-data-size-boundary',
    clause: 'limits.payload-size',
    level: 'MUST',
    features: [],
    action: 'Publishes data of exactly the profile\'s payload limit in UTF-8 bytes, built from random mixes of 1-4 byte characters, then data one byte over',
    requirement: 'The server MUST accept and deliver data at the limit unchanged and, where it enforces the limit, MUST answer 413 from one byte over',
    numRuns: 5,
    timeoutMs: 20_000,
    async run(ctx) {
      const { accept, refuseAbove } = payloadBounds(ctx);
      const c = await ctx.connect();
      const channel = ctx.channelName('');
      await c.subscribeOk(channel);
      ctx.note(`payload limit: ${accept} bytes accepted, refused above ${refuseAbove} (KB = ${ctx.profile.dialect.kilobyte} bytes)`);
      let n = 0;
      await ctx.property(charMix, async (chars) => {
        const data = padToBytes(chars, accept);
        const name = `${TEST_EVENT}-${++n}`;
        const res = await ctx.rest.trigger({ name, channel, data });
        check(isAccepted(res), `data of exactly ${accept} bytes accepted`, () => httpSummary(res));
        const frame = await c.expectFrame(ChannelEventFrameLenient, { event: name, channel, description: `the ${accept}-byte event` });
        // a recognised double encoding of every publish is clause subscription.data-verbatim's finding
        check(dataMatches(asPublished(ctx, frame.data, data), data), `the ${accept}-byte data delivered unchanged`, `${typeof frame.data === 'string' ? Buffer.byteLength(frame.data) : 'non-string'} bytes delivered`);
        const probe = payloadProbe(ctx, channel, chars);
        const over = await probe(refuseAbove + 1);
        check(!over.broken, `data of ${refuseAbove + 1} bytes: accepted or refused with HTTP ${RestStatus.PayloadTooLarge}`, over.detail);
        if (over.accepted) {
          const far = await probe(2 * refuseAbove);
          check(far.accepted, `the payload limit enforced from ${refuseAbove + 1} bytes, or not at all`, `${refuseAbove + 1} bytes accepted but ${2 * refuseAbove} refused (${far.detail})`);
        } else {
          check(over.documented, `data of ${refuseAbove + 1} bytes refused with HTTP ${RestStatus.PayloadTooLarge}`, over.detail);
        }
      });
    },
  }),

  defineCase({
    id: 'limits/event-data-size-enforced',
    clause: 'limits.payload-size',
    level: 'SHOULD',
    features: [],
    action: 'Publishes data one UTF-8 byte over the profile\'s payload limit, built from a random mix of 1-4 byte characters',
    requirement: 'The server SHOULD refuse it with 413 (a server with no limit at all is told so here)',
    numRuns: 3,
    async run(ctx) {
      const { refuseAbove } = payloadBounds(ctx);
      const channel = ctx.channelName('');
      await ctx.property(charMix, async (chars) => {
        await checkEnforced('event data (bytes)', refuseAbove, payloadProbe(ctx, channel, chars), `HTTP ${RestStatus.PayloadTooLarge}`);
      });
    },
  }),

  ...restLimits.flatMap(restLimitCases),

  defineCase({
    id: 'limits/channel-name-length-subscribe-boundary',
    clause: 'limits.channel-name-length',
    level: 'MUST',
    features: [],
    action: 'Subscribes to public channels whose names are exactly the profile\'s limit long and one character longer (and twice the limit when one more is accepted)',
    requirement: 'The server MUST confirm the name at the limit and, if it enforces the limit, MUST refuse it from one character past it, keeping the connection',
    async run(ctx) {
      const limit = limitOrPusherValue(ctx, 'channelNameLength');
      await checkBoundary('a channel name (subscribe)', limit, channelNameProbe(ctx), 'a refusal that keeps the connection');
    },
  }),

  defineCase({
    id: 'limits/channel-name-length-subscribe-enforced',
    clause: 'limits.channel-name-length',
    level: 'SHOULD',
    features: [],
    action: 'Subscribes to a public channel whose name is one character longer than the profile\'s limit',
    requirement: 'The server SHOULD refuse the subscription and keep the connection',
    async run(ctx) {
      const limit = limitOrPusherValue(ctx, 'channelNameLength');
      await checkEnforced('a channel name (subscribe)', limit, channelNameProbe(ctx), 'a refusal that keeps the connection');
    },
  }),

  defineCase({
    id: 'limits/event-name-length-multibyte-boundary',
    clause: 'limits.declared-boundary',
    level: 'MUST',
    features: [],
    action: 'Publishes events whose names are exactly the profile\'s limit in characters, made of 2- and 3-byte UTF-8 characters (one UTF-16 unit each), and one character longer (and twice the limit when one more is accepted)',
    requirement: 'The server MUST count the event name limit in characters, not bytes: it MUST accept the name at the limit and, if it enforces the limit, refuse it from one character past it with HTTP 400',
    numRuns: 3,
    async run(ctx) {
      const limit = limitOrPusherValue(ctx, 'eventNameLength');
      const channel = ctx.channelName('');
      const units = fc.array(fc.constantFrom(...CHAR_BY_BYTES[2], ...CHAR_BY_BYTES[3]), { minLength: 1, maxLength: 8 });
      await ctx.property(units, async (chars) => {
        const nameOf = (n: number): string => Array.from({ length: n }, (_, i) => chars[i % chars.length]!).join('');
        await checkBoundary('a multi-byte event name (characters)', limit, async (n) => restProbe(ctx, await ctx.rest.trigger({ name: nameOf(n), channel, data: uniqueToken() }), RestStatus.BadRequest), BAD);
      });
    },
  }),

  defineCase({
    id: 'limits/batch-data-size-enforced',
    clause: 'limits.payload-size-batch',
    level: 'SHOULD',
    features: ['batch-events'],
    // a missing endpoint (404) is clause rest.batch-events' finding
    dependsOn: ['rest.batch-events'],
    action: 'Publishes a batch whose one item holds data of exactly the profile\'s payload limit in UTF-8 bytes (a mix of 1-4 byte characters), then one whose item is one byte over it',
    requirement: `The server SHOULD accept the item at the limit and refuse the batch with the item over it (HTTP ${RestStatus.PayloadTooLarge} or ${RestStatus.BadRequest}), as it does for POST /events`,
    numRuns: 3,
    async run(ctx) {
      const { accept, refuseAbove } = payloadBounds(ctx);
      const channel = ctx.channelName('');
      await ctx.property(charMix, async (chars) => {
        const batchOf = async (bytes: number) => ctx.rest.batch([{ name: TEST_EVENT, channel, data: uniqueToken() }, { name: TEST_EVENT, channel, data: padToBytes(chars, bytes) }]);
        const at = await batchOf(accept);
        check(isAccepted(at), `a batch item of exactly ${accept} bytes accepted`, () => httpSummary(at));
        const over = await batchOf(refuseAbove + 1);
        const status = effectiveStatus(ctx, over);
        check(status === RestStatus.PayloadTooLarge || status === RestStatus.BadRequest, `a batch item of ${refuseAbove + 1} bytes refused with ${RestStatus.PayloadTooLarge} or ${RestStatus.BadRequest}`, () => httpSummary(over));
      });
    },
  }),

  defineCase({
    id: 'limits/client-event-data-size-enforced',
    clause: 'limits.client-event-size',
    level: 'SHOULD',
    features: ['client-events', 'private-channels'],
    action: 'Two connections hold a private- channel; the first sends client events whose data string is exactly the profile\'s payload limit in UTF-8 bytes (2-4 byte characters), then one byte over it',
    requirement: `The server SHOULD relay the event at the limit and refuse the one over it with ${Event.Error} (4301 recommended) without relaying it, keeping the connection`,
    numRuns: 2,
    timeoutMs: 20_000,
    async run(ctx) {
      const { accept, refuseAbove } = payloadBounds(ctx);
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = [await ctx.connect(), await ctx.connect()];
      for (const c of [a, b]) await c.subscribeOk(channel);
      let n = 0;
      // multi-byte only: a server counting characters sees far fewer than the bytes sent
      const chars = fc.array(fc.constantFrom(...CHAR_BY_BYTES[2], ...CHAR_BY_BYTES[3], ...CHAR_BY_BYTES[4]), { minLength: 1, maxLength: 3000 });
      await ctx.property(chars, async (mix) => {
        const repeated = Array.from({ length: Math.ceil(accept / 2) }, (_, i) => mix[i % mix.length]!);
        const atName = `${EventPrefix.Client}size-at-${++n}`;
        const at = padToBytes(repeated, accept);
        a.trigger(channel, atName, at);
        const got = await b.expectFrame(ChannelEventFrameLenient, { event: atName, channel, description: `the ${accept}-byte client event at the other subscriber` });
        check(got.data === at, `the ${accept}-byte client event relayed unchanged`, `${typeof got.data === 'string' ? Buffer.byteLength(got.data) : typeof got.data} bytes relayed`);
        const overName = `${EventPrefix.Client}size-over-${n}`;
        const over = padToBytes(repeated, refuseAbove + 1);
        a.trigger(channel, overName, over);
        const error = await a.waitFor({ where: isValidErrorFrame, within: 2000 });
        await barrier(ctx, channel, [b]);
        const relayed = b.frames().filter((f) => f.event === overName);
        check(relayed.length === 0, `a client event of ${Buffer.byteLength(over)} bytes (${over.length} UTF-16 units) not relayed`, 'it was relayed');
        check(error !== undefined, `${Event.Error} at the sender for the ${refuseAbove + 1}-byte client event`, 'no error frame');
        check(a.isOpen, 'the sender\'s connection stays open', `closed ${JSON.stringify(a.closeInfo)}`);
      });
      await closeAll([a, b]);
    },
  }),

  defineCase({
    id: 'limits/client-event-name-length-enforced',
    clause: 'limits.event-name-length',
    level: 'SHOULD',
    features: ['client-events', 'private-channels'],
    action: 'Two connections hold a private- channel; the first sends a client event whose name is exactly the profile\'s event name limit in characters (client- included), then one a character longer',
    requirement: `The server SHOULD relay the first and refuse the second with ${Event.Error} without relaying it, as it refuses a long name over REST`,
    async run(ctx) {
      const limit = limitOrPusherValue(ctx, 'eventNameLength');
      const channel = ctx.channelName(ChannelPrefix.Private);
      const [a, b] = [await ctx.connect(), await ctx.connect()];
      for (const c of [a, b]) await c.subscribeOk(channel);
      const base = `${EventPrefix.Client}${uniqueToken('name').replace(/\W/g, '')}-`;
      const nameOf = (n: number): string => (base + 'n'.repeat(Math.max(0, n - base.length))).slice(0, n);
      const at = nameOf(limit);
      a.trigger(channel, at, { n: limit });
      await b.expectFrame(ChannelEventFrameLenient, { event: at, channel, description: `the client event named with ${limit} characters at the other subscriber` });
      const over = nameOf(limit + 1);
      a.trigger(channel, over, { n: limit + 1 });
      const error = await a.waitFor({ where: isValidErrorFrame, within: 2000 });
      await barrier(ctx, channel, [b]);
      check(b.frames().every((f) => f.event !== over), `a client event named with ${limit + 1} characters not relayed`, 'it was relayed');
      check(error !== undefined, `${Event.Error} at the sender for the ${limit + 1}-character name`, 'no error frame');
      await closeAll([a, b]);
    },
  }),
]);
