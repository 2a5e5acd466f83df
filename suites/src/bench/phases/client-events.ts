/**
 * Client-event relay: connections on one private channel send client events to each other; the
 * latency is the sender's send to each other member's receipt. Each sender stays under Pusher's
 * documented client-event rate, so a server enforcing it refuses nothing.
 * @module
 */
import type { ClientEventResult } from '../../../../spec/src/bench.ts';
import { signChannel } from '../../../../spec/src/crypto/channel-auth.ts';
import { Event, EventPrefix } from '../../../../spec/src/events.ts';
import { ChannelPrefix } from '../../../../spec/src/identifiers.ts';
import { limits } from '../../../../spec/src/limits.ts';
import { BUDGET_REACHED, remainingMs, runTag, sleep, waitUntil, type BenchContext } from '../context.ts';
import { closeAll, connectMany } from '../socket.ts';
import { summarize } from '../stats.ts';

const MEMBERS = 10;
/** each sender's spacing: 20% under the documented per-connection rate */
const SEND_INTERVAL_MS = Math.ceil((1000 / limits.clientEventsPerSecond.pusher) * 1.2);
const EVENT_NAME = `${EventPrefix.Client}bench`;
const SEQ = /seq\\?":(\d+)/;

export async function runClientEvents(ctx: BenchContext, samples: number): Promise<ClientEventResult> {
  const channel = `${ChannelPrefix.Private}bench-client-${runTag()}`;
  const sentAt: number[] = [];
  const latencies: number[] = [];
  let received = 0;
  let subscribed = 0;
  let errors = 0;
  const onText = () => (text: string) => {
    const m = SEQ.exec(text);
    if (m !== null) {
      const sent = sentAt[Number(m[1])];
      received += 1;
      if (sent !== undefined) latencies.push(performance.now() - sent);
      return;
    }
    if (text.includes(Event.SubscriptionSucceeded)) subscribed += 1;
    else if (text.includes(Event.Error)) errors += 1;
  };
  const result: ClientEventResult = { senders: 0, receivers: 0, sent: 0, latency: summarize([]), lost: 0, errors: 0 };
  const { sockets, stopped } = await connectMany({ url: ctx.url, count: MEMBERS, concurrency: MEMBERS, timeoutMs: ctx.waitMs, stopAt: ctx.deadline - ctx.waitMs, onText });
  try {
    if (sockets.length < 2) {
      result.stopped = `only ${sockets.length} connections opened${stopped ? ` (${stopped})` : ''}`;
      return result;
    }
    for (const s of sockets) s.send({ event: Event.Subscribe, data: { channel, auth: signChannel({ key: ctx.target.key, secret: ctx.target.secret, socketId: s.socketId, channel }) } });
    if (!(await waitUntil(ctx, () => subscribed >= sockets.length, ctx.waitMs))) {
      result.stopped = `only ${subscribed} of ${sockets.length} private subscriptions succeeded`;
      return result;
    }
    result.senders = sockets.length;
    result.receivers = sockets.length - 1;
    let seq = 0;
    // senders take turns, so that the channel carries sockets.length events per interval
    const rounds = Math.ceil(samples / sockets.length);
    for (let r = 0; r < rounds && seq < samples; r += 1) {
      if (remainingMs(ctx) < ctx.waitMs + SEND_INTERVAL_MS) {
        result.stopped = BUDGET_REACHED;
        break;
      }
      for (const s of sockets) {
        if (seq >= samples) break;
        const n = seq++;
        sentAt[n] = performance.now();
        s.send({ event: EVENT_NAME, channel, data: { seq: n } });
      }
      await sleep(SEND_INTERVAL_MS);
    }
    result.sent = seq;
    const expected = seq * (sockets.length - 1);
    await waitUntil(ctx, () => received >= expected, ctx.waitMs);
    result.latency = summarize(latencies);
    result.lost = Math.max(0, expected - received);
    result.errors = errors;
    ctx.log(`client events: ${seq} sent, p99 ${result.latency.p99 ?? 'n/a'} ms, ${result.lost} lost, ${errors} errors`);
    return result;
  } finally {
    await closeAll(sockets);
  }
}
