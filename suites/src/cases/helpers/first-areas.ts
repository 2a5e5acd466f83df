/**
 * Helpers shared by the subscription, channel-auth, rest, request-signing, limits and
 * echo-exclusion cases: publishing as a means (not the behaviour under test), counting
 * deliveries, the channel-name alphabet, and what counts as a refused subscription.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import { ErrorCode } from '../../../../spec/src/error-codes.ts';
import { Event } from '../../../../spec/src/events.ts';
import type { AnyFrame } from '../../../../spec/src/frames/generic.ts';
import { CHANNEL_NAME_PATTERN } from '../../../../spec/src/identifiers.ts';
import { check } from '../../model/outcome.ts';
import type { CaseContext, Client, HttpResult, SubscribeOutcome } from '../../harness/types.ts';
import { barrier, carriesToken, decodeData, describeOutcome } from './channel-sync.ts';
import { isAccepted } from '../../harness/rest.ts';

/** Name of the events these cases publish; any name outside the protocol prefixes would do. */
export const TEST_EVENT = 'conformance-event';

let tokenCounter = 0;
/** A value no other publish of this process carries (not JSON, so no server re-encodes it). */
export const uniqueToken = (hint = 't'): string => `${hint}-${process.pid}-${(++tokenCounter).toString(36)}`;

/** The body of an HTTP exchange, shortened for failure messages. */
export const httpSummary = (res: HttpResult): string => `HTTP ${res.status}${res.text ? ` ${res.text.slice(0, 300)}` : ''}`;

/** POST /events and require a 2xx: the publish is how the case drives the target, not what it checks. */
export async function publishOk(ctx: CaseContext, body: Record<string, unknown>): Promise<HttpResult> {
  const res = await ctx.rest.trigger(body);
  check(isAccepted(res), `POST /events ${JSON.stringify(body).slice(0, 200)} accepted (2xx, no error body)`, () => httpSummary(res));
  return res;
}

/**
 * Frames on `channel` named `event` received so far (consumed or not), optionally carrying the
 * published string `data` (in any encoding carriesToken recognises: a count, not a data check).
 */
export function deliveries(client: Client, channel: string, event: string, data?: string): AnyFrame[] {
  return client.frames().filter((f) => f.event === event && f.channel === channel && (data === undefined || carriesToken(f.data, data)));
}

/** Has `client` ever received subscription_succeeded for `channel`? */
export const confirmed = (client: Client, channel: string): boolean =>
  client.frames().some((f) => f.event === Event.SubscriptionSucceeded && f.channel === channel);

const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

/** Every printable ASCII character the spec allows in channel names. */
export const CHANNEL_NAME_CHARS: readonly string[] = PRINTABLE_ASCII.filter((ch) => CHANNEL_NAME_PATTERN.test(ch));

/** Characters outside the channel-name alphabet: the rest of printable ASCII, controls and multi-byte ones. */
export const NOT_CHANNEL_NAME_CHARS: readonly string[] = [
  ...PRINTABLE_ASCII.filter((ch) => !CHANNEL_NAME_PATTERN.test(ch)),
  '\t',
  '\n',
  '\u00e9',
  '\u4e2d',
  '\u{1F600}',
];

/**
 * The explicit refusals the ambiguity register (channel-auth-failure-signal) accepts for a bad
 * signature: pusher:error with code null or 4009, or a pusher:subscription_error frame.
 */
export function authRefusalSignalled(o: SubscribeOutcome): boolean {
  if (o.ok) return false;
  if (o.via === 'subscription-error') return true;
  return o.via === 'error-frame' && (o.code === null || o.code === undefined || o.code === ErrorCode.Unauthorized);
}

/**
 * A subscription refused for a bad signature: not confirmed, the connection kept open (close fails:
 * channel-auth.failure-keeps-connection), and an event published on the channel afterwards does not
 * reach the connection while one on `control` (a channel it holds) does. Silence passes here; the
 * signal is checked by channel-auth/failure-signalled.
 */
export async function expectAuthRefused(ctx: CaseContext, client: Client, channel: string, outcome: SubscribeOutcome, control: string, what: string): Promise<void> {
  check(!outcome.ok, `${what}: the subscription to ${channel} is refused`, () => describeOutcome(outcome));
  // refused by a close: the refusal holds; whether the connection must survive it is clause
  // channel-auth.failure-keeps-connection's, and the rest of the case needs the connection
  if (outcome.via === 'close' || !client.isOpen) {
    return ctx.unsupported(`${what}: refused by closing the connection (${describeOutcome(outcome)}); the rest of this case needs it open, and channel-auth/failure-keeps-connection judges the close`);
  }
  const data = uniqueToken('after-refusal');
  await publishOk(ctx, { name: TEST_EVENT, channel, data });
  await barrier(ctx, control, [client]);
  const leaked = deliveries(client, channel, TEST_EVENT, data);
  check(leaked.length === 0, `${what}: no event of ${channel} delivered after the refusal`, () => `received ${JSON.stringify(leaked[0]).slice(0, 300)}`);
  check(!confirmed(client, channel), `${what}: no subscription_succeeded for ${channel}, even late`, 'a late subscription_succeeded arrived');
}

/**
 * A refusal of a subscription to an invalid name: not confirmed and the connection kept open. Any
 * explicit error or silence is accepted (the names cannot be published to, so silence is taken at
 * its word); `usable` then proves the connection still serves a valid subscription.
 */
export async function expectNameRefused(client: Client, channel: string, outcome: SubscribeOutcome, usable: string, what: string): Promise<void> {
  check(!outcome.ok, `${what}: the subscription to ${JSON.stringify(channel)} is refused`, () => describeOutcome(outcome));
  check(outcome.via !== 'close' && client.isOpen, `${what}: the connection stays open after the refusal`, () => `${describeOutcome(outcome)}; close ${client.closeInfo?.code ?? '?'}`);
  const after = await client.subscribe(usable);
  check(after.ok, `${what}: a valid subscription on the same connection succeeds afterwards`, () => describeOutcome(after));
}

/**
 * A delivered `data` equals the published string. An object is the pusher-js-tolerated form (the
 * ambiguity data-encoding): accepted only if it is what pusher-js would decode from the string.
 */
export function dataMatches(delivered: unknown, published: string): boolean {
  if (typeof delivered === 'string') return delivered === published;
  const decoded = decodeData(published);
  return decoded !== published && isDeepStrictEqual(delivered, decoded);
}

/** UTF-8 byte length. */
export const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Characters of 1, 2, 3 and 4 UTF-8 bytes, none of which JSON escapes. */
export const CHAR_BY_BYTES: Readonly<Record<1 | 2 | 3 | 4, readonly string[]>> = {
  1: ['a', 'Z', '7', '-', ' '],
  2: ['\u00e9', '\u00df', '\u0416', '\u05d0'],
  3: ['\u4e2d', '\u20ac', '\u3042', '\uac00'],
  4: ['\u{1F600}', '\u{1F680}', '\u{10348}', '\u{20BB7}'],
};

/**
 * A string of exactly `bytes` UTF-8 bytes: the given multi-byte characters in order while they
 * fit, then ASCII padding.
 */
export function padToBytes(chars: readonly string[], bytes: number): string {
  let s = '';
  let used = 0;
  for (const ch of chars) {
    const b = utf8Length(ch);
    if (used + b > bytes) break;
    s += ch;
    used += b;
  }
  return s + 'a'.repeat(bytes - used);
}
