/**
 * Fan-out: N subscribers on one public channel, events published over signed REST. First one
 * event at a time (latency), then a stepped publish-rate ramp that stops at the first step whose
 * last-subscriber p99 passes the ceiling, or that loses an event, errs or closes a subscriber.
 * @module
 */
import type { FanoutResult, RampStep, RampVerdict } from '../../../../spec/src/bench.ts';
import { Event } from '../../../../spec/src/events.ts';
import { limits } from '../../../../spec/src/limits.ts';
import { BUDGET_REACHED, remainingMs, runTag, sleep, waitUntil, type BenchContext } from '../context.ts';
import type { PublishEvent } from '../rest.ts';
import { closeAll, connectMany, type BenchSocket } from '../socket.ts';
import { percentile, summarize } from '../stats.ts';
import { cpuMs } from '../proc.ts';

/** subscribers whose every receipt is timed (the others are only counted) */
const SAMPLED = 50;
const TICK_MS = 20;
/** requests in flight beyond this mean the publisher, not the target, is the limit */
const MAX_IN_FLIGHT = 256;
/** events per POST: Pusher's batch limit, which every server accepts */
const BATCH_MAX = limits.batchSize.pusher;
const EVENT_NAME = 'bench-fanout';
const SEQ = /seq\\?":(\d+)/;

class Deliveries {
  readonly sentAt: number[] = [];
  readonly count: number[] = [];
  readonly lastAt: number[] = [];
  sampled: number[] = [];
  closes = 0;

  receipt(subscriber: number, seq: number): void {
    const now = performance.now();
    this.count[seq] = (this.count[seq] ?? 0) + 1;
    this.lastAt[seq] = now;
    const sent = this.sentAt[seq];
    if (subscriber < SAMPLED && sent !== undefined) this.sampled.push(now - sent);
  }
}

const share = (cpu: number, wall: number): number => Math.round((cpu / Math.max(wall, 1)) * 100) / 100;

/** the server's CPU time so far, when its pid is known and readable */
function serverCpuMs(ctx: BenchContext): number | undefined {
  if (ctx.target.pid === undefined) return undefined;
  try {
    return cpuMs(ctx.target.pid);
  } catch {
    return undefined;
  }
}

export async function runFanout(ctx: BenchContext, subscribers: number): Promise<FanoutResult> {
  const channel = `bench-fanout-${runTag()}`;
  const d = new Deliveries();
  let subscribed = 0;
  const onText = (i: number) => (text: string) => {
    const m = SEQ.exec(text);
    if (m !== null) return d.receipt(i, Number(m[1]));
    if (text.includes(Event.SubscriptionSucceeded)) subscribed += 1;
  };
  const result: FanoutResult = {
    subscribers,
    connected: 0,
    single: { each: summarize([]), last: summarize([]) },
    ramp: [],
    maxSustainedRate: null,
    maxSustainedDeliveriesPerSecond: null,
    overloadP99Ms: null,
    stopped: 'not started',
  };
  const conn = await connectMany({ url: ctx.url, count: subscribers, concurrency: ctx.connectConcurrency, timeoutMs: ctx.waitMs, stopAt: ctx.deadline - ctx.waitMs, onText });
  const sockets: BenchSocket[] = conn.sockets;
  result.connected = sockets.length;
  try {
    if (sockets.length < subscribers) {
      result.stopped = `only ${sockets.length} of ${subscribers} subscribers connected (${conn.stopped ?? Object.keys(conn.failures).join(', ')})`;
      return result;
    }
    for (const s of sockets) s.ws.on('close', () => (d.closes += 1));
    for (const s of sockets) s.send({ event: Event.Subscribe, data: { channel } });
    if (!(await waitUntil(ctx, () => subscribed >= subscribers, ctx.waitMs))) {
      result.stopped = `only ${subscribed} of ${subscribers} subscriptions succeeded in time`;
      return result;
    }

    let seq = 0;
    const publish = async (n: number): Promise<void> => {
      const events: PublishEvent[] = [];
      for (let k = 0; k < n; k += 1) {
        const s = seq++;
        d.sentAt[s] = performance.now();
        events.push({ name: EVENT_NAME, channel, data: JSON.stringify({ seq: s }) });
      }
      const status = await ctx.publisher.publish(events);
      if (status < 200 || status > 299) throw new Error(`publish answered HTTP ${status}`);
    };
    const delivered = (from: number, to: number) => (): boolean => {
      for (let s = from; s < to; s += 1) if ((d.count[s] ?? 0) < subscribers) return false;
      return true;
    };
    const lastLatencies = (from: number, to: number): { last: number[]; lost: number } => {
      const last: number[] = [];
      let lost = 0;
      for (let s = from; s < to; s += 1) {
        const got = d.count[s] ?? 0;
        lost += subscribers - got;
        if (got === subscribers) last.push(d.lastAt[s]! - d.sentAt[s]!);
      }
      return { last, lost };
    };

    // one event at a time
    const singleFrom = seq;
    d.sampled = [];
    for (let i = 0; i < ctx.bounds.latencySamples && remainingMs(ctx) > ctx.waitMs; i += 1) {
      await publish(1);
      await waitUntil(ctx, delivered(seq - 1, seq), ctx.waitMs);
    }
    const single = lastLatencies(singleFrom, seq);
    result.single = { each: summarize(d.sampled), last: summarize(single.last) };
    ctx.log(`fan-out ${subscribers}: one at a time p50 ${result.single.last.p50 ?? 'n/a'} ms, p99 ${result.single.last.p99 ?? 'n/a'} ms (last subscriber)`);

    result.stopped = 'every step held';
    for (const rate of ctx.bounds.rateSteps) {
      const stepMs = ctx.bounds.stepSeconds * 1000;
      if (remainingMs(ctx) < stepMs + ctx.waitMs) {
        result.stopped = BUDGET_REACHED;
        break;
      }
      const from = seq;
      d.sampled = [];
      const closesBefore = d.closes;
      const inflight = new Set<Promise<void>>();
      let restErrors = 0;
      let planned = 0;
      let publisherBound = false;
      const start = performance.now();
      const loadCpu0 = process.cpuUsage();
      const serverCpu0 = serverCpuMs(ctx);
      // paced by elapsed time, not by timer ticks: a late tick is caught up with a burst
      while (performance.now() - start < stepMs) {
        let due = Math.floor(((performance.now() - start) / 1000) * rate) - planned;
        while (due > 0) {
          if (inflight.size >= MAX_IN_FLIGHT) {
            publisherBound = true;
            break;
          }
          const n = Math.min(BATCH_MAX, due);
          due -= n;
          planned += n;
          const p: Promise<void> = publish(n).catch(() => void (restErrors += 1)).finally(() => inflight.delete(p));
          inflight.add(p);
        }
        await sleep(TICK_MS);
      }
      const publishMs = performance.now() - start;
      await Promise.race([Promise.all(inflight), sleep(ctx.waitMs)]);
      await waitUntil(ctx, delivered(from, seq), ctx.waitMs);
      const wallMs = performance.now() - start;
      const loadCpu = process.cpuUsage(loadCpu0);
      const serverCpu1 = serverCpuMs(ctx);
      const published = seq - from;
      const { last, lost } = lastLatencies(from, seq);
      const lastSummary = summarize(last);
      const eachSummary = summarize(d.sampled);
      const p99 = percentile(last, 99);
      const closed = d.closes > closesBefore;
      const verdict: RampVerdict =
        restErrors > 0 ? 'rest-errors' : closed ? 'closed' : lost > 0 ? 'loss' : !(p99 <= ctx.bounds.latencyCeilingMs) ? 'slow' : publisherBound || published < rate * ctx.bounds.stepSeconds * 0.8 ? 'publisher-bound' : 'ok';
      const step: RampStep = {
        rate,
        published,
        deliveriesPerSecond: Math.round((published * subscribers - lost) / (publishMs / 1000)),
        last: lastSummary,
        each: eachSummary,
        lost,
        restErrors,
        loadCpuShare: share((loadCpu.user + loadCpu.system) / 1000, wallMs),
        ...(serverCpu0 !== undefined && serverCpu1 !== undefined ? { serverCpuShare: share(serverCpu1 - serverCpu0, wallMs) } : {}),
        verdict,
      };
      result.ramp.push(step);
      ctx.log(`fan-out ${subscribers}: ${rate} events/s → ${verdict} (p99 last ${lastSummary.p99 ?? 'n/a'} ms, lost ${lost})`);
      if (verdict !== 'ok' && verdict !== 'publisher-bound') {
        result.overloadP99Ms = eachSummary.p99;
        result.stopped = `${verdict} at ${rate} events/s (ceiling ${ctx.bounds.latencyCeilingMs} ms)`;
        break;
      }
      result.maxSustainedRate = rate;
      result.maxSustainedDeliveriesPerSecond = rate * subscribers;
      if (verdict === 'publisher-bound') {
        result.stopped = `the publisher could not keep up at ${rate} events/s (the bench, not the target, is the limit)`;
        break;
      }
    }
    return result;
  } finally {
    await closeAll(sockets);
  }
}
