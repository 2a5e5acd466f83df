/**
 * Small helpers shared by the presence, client-events, cache, encrypted and subscription-count
 * cases: a publish barrier (so "nothing else arrived" is checked without sleeping), a raw
 * subscribe for malformed subscriptions, and decoding of `data`.
 * @module
 */
import { Event } from '../../../../spec/src/events.ts';
import type { AnyFrame } from '../../../../spec/src/frames/generic.ts';
import { ChannelEventFrameLenient } from '../../../../spec/src/frames/events.ts';
import { check } from '../../model/outcome.ts';
import type { CaseContext, Client, SubscribeOutcome } from '../../harness/types.ts';
import { isAccepted } from '../../harness/rest.ts';
import { isValidErrorFrame } from '../../harness/client.ts';
import { carries, dataLayers, departuresOf } from '../../harness/departures.ts';

/**
 * Does a delivered `data` carry the string the case published? Harness mechanics (barriers,
 * markers, delivery counts) match this way: by a token the case controls, recognised in every
 * encoding pusher-js tolerates and through a double encoding, so that a departure in how `data`
 * is encoded is judged only by the data-encoding cases (clause subscription.data-verbatim).
 */
export const carriesToken = carries;

/** Name of the marker event the suite publishes; any name without a protocol prefix would do. */
export const SYNC_EVENT = 'conformance-sync';

let syncCounter = 0;

/**
 * Publish a marker on `channel` and wait until every client in `clients` has received it.
 * A server delivers a channel's frames to one connection in order, so anything it sent them on
 * that channel before the marker is then in their buffers. Returns, per client, the index in
 * `frames()` just past the marker.
 */
export async function barrier(ctx: CaseContext, channel: string, clients: readonly Client[], within = 3000): Promise<number[]> {
  const token = `sync-${process.pid}-${++syncCounter}`;
  const res = await ctx.rest.trigger({ name: SYNC_EVENT, channel, data: token });
  check(isAccepted(res), `POST /events to ${channel} accepted (2xx, no error body)`, `HTTP ${res.status} ${res.text.slice(0, 200)}`);
  const out: number[] = [];
  for (const client of clients) {
    await client.expectFrame(ChannelEventFrameLenient, {
      event: SYNC_EVENT,
      channel,
      where: (f) => carries(f.data, token),
      within,
      description: `the marker event ${SYNC_EVENT} (${token}) on ${channel} at ${client.label}`,
    });
    const idx = client.frames().findIndex((f) => f.event === SYNC_EVENT && f.channel === channel && carries(f.data, token));
    out.push(idx + 1);
  }
  return out;
}

/** `data` decoded the way pusher-js does: a JSON string is parsed, anything else kept. */
export function decodeData(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/** Send a subscribe frame with exactly `data` and wait for the answer (harness semantics). */
export async function subscribeRaw(client: Client, data: Record<string, unknown> & { channel: string }, within = 3000): Promise<SubscribeOutcome> {
  const channel = data.channel;
  client.send({ event: Event.Subscribe, data });
  const frame = await client.waitFor({
    where: (f) =>
      ((f.event === Event.SubscriptionSucceeded || f.event === Event.SubscriptionError) && f.channel === channel) ||
      // a refusal counts only when it validates (issue 8, defect 11): garbage is no answer
      (isValidErrorFrame(f) && (f.channel === undefined || f.channel === channel)),
    within,
  });
  if (frame === undefined) return client.isOpen ? { ok: false, via: 'timeout' } : { ok: false, via: 'close', code: client.closeInfo?.code ?? null };
  if (frame.event === Event.SubscriptionSucceeded) return { ok: true, frame };
  const d = decodeData(frame.data);
  const code = typeof d === 'object' && d !== null ? (d as { code?: unknown; status?: unknown }) : {};
  const value = frame.event === Event.SubscriptionError ? code.status : code.code;
  return { ok: false, via: frame.event === Event.SubscriptionError ? 'subscription-error' : 'error-frame', code: typeof value === 'number' ? value : null, frame };
}

export function describeOutcome(o: SubscribeOutcome): string {
  if (o.ok) return `subscription_succeeded ${JSON.stringify(o.frame).slice(0, 300)}`;
  if (o.via === 'timeout') return 'no answer to the subscribe';
  if (o.via === 'close') return `the connection closed (${o.code ?? 'no code'})`;
  return `${o.via === 'error-frame' ? Event.Error : Event.SubscriptionError} code ${o.code ?? 'null'}: ${JSON.stringify(o.frame).slice(0, 300)}`;
}

/**
 * A refused subscription: the answer was not subscription_succeeded, and the connection did not
 * become a subscriber. With `alone` (nobody else can be subscribed to the channel) the REST
 * channel info must say unoccupied; otherwise an event published afterwards must not reach it.
 */
export async function expectRefused(ctx: CaseContext, client: Client, channel: string, outcome: SubscribeOutcome, what: string, opts: { alone?: boolean } = {}): Promise<void> {
  check(!outcome.ok, `${what}: the subscription to ${channel} is refused`, () => describeOutcome(outcome));
  if (!client.isOpen) return;
  if (opts.alone) {
    const res = await ctx.rest.channel(channel);
    const occupied = (res.json as { occupied?: unknown } | undefined)?.occupied;
    if (res.status === 200 && typeof occupied === 'boolean') {
      check(!occupied, `${what}: ${channel} stays unoccupied after the refused subscription`, 'GET /channels/{name} says occupied: the connection was subscribed after all');
      return;
    }
  }
  const token = `after-refusal-${++syncCounter}`;
  await ctx.rest.trigger({ name: SYNC_EVENT, channel, data: token });
  await client.expectNoFrame({ event: SYNC_EVENT, channel, description: `events on ${channel}, to which the subscription was refused (${what})`, within: 500 });
}

/** Frames of `client` after index `from`, on `channel`, with one of `events`. */
export function framesSince(client: Client, from: number, channel: string, events: readonly string[]): AnyFrame[] {
  return client
    .frames()
    .slice(from)
    .filter((f) => f.channel === channel && events.includes(f.event));
}

/** UTF-8 byte length. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Close every client, ignoring errors. */
export async function closeAll(clients: Iterable<Client | undefined>): Promise<void> {
  await Promise.all([...clients].map((c) => (c ? c.close().catch(() => undefined) : undefined)));
}

/** The target's value of a limit, or `unsupported` when it declares none. */
export function requireLimit(ctx: CaseContext, key: Parameters<typeof limitOf>[1], what: string): number {
  const value = limitOf(ctx, key);
  if (value === null) return ctx.unsupported(`the target declares no ${what} (limit ${key})`);
  return value;
}

function limitOf(ctx: CaseContext, key: keyof CaseContext['limits']): number | null {
  return ctx.limits[key];
}

/**
 * The delivered `data` to judge a case's own clause with: as delivered, or, when the harness
 * recognised the double-encoding departure in this case (departures.ts) and one JSON layer less
 * gives exactly what was published, the published string, with a note. The departure itself is
 * judged by the data-encoding cases (clause subscription.data-verbatim), once.
 */
export function asPublished(ctx: CaseContext, delivered: unknown, published: string): unknown {
  if (delivered === published || typeof delivered !== 'string') return delivered;
  if (departuresOf(ctx)?.departureOf('subscription.data-verbatim') === undefined) return delivered;
  if (dataLayers(delivered)[1] !== published) return delivered;
  ctx.note(`data arrived JSON-encoded a second time (${JSON.stringify(delivered).slice(0, 120)}): judged here as published; the finding "data-double-encoded" reports it`);
  return published;
}

/**
 * `data` to read with a JSON-string schema (EncryptedData…): a string as delivered; an object (the
 * form pusher-js tolerates; whether it is allowed is clause subscription.data-verbatim's) serialized.
 */
export function dataText(data: unknown): unknown {
  return typeof data === 'string' || data === undefined ? data : JSON.stringify(data);
}
