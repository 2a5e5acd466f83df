/**
 * The result of `pusher-conformance bench`: what was measured on a target, how (bounds, load
 * steps, latency ceiling) and on what machine, so that results of two implementations compare.
 * Every phase is optional: a phase not asked for, or cut short by the time budget or a target
 * that died, is absent or carries its partial figures and a `stopped` reason.
 * @module
 */
import { z } from 'zod';
import { publish } from './registry.ts';

export const BENCH_SCHEMA_VERSION = 1;

const Ms = z.number().nonnegative().meta({ description: 'milliseconds' });

export const LatencySummary = z
  .object({
    samples: z.number().int().nonnegative(),
    p50: Ms.nullable(),
    p90: Ms.nullable(),
    p99: Ms.nullable(),
    max: Ms.nullable(),
  })
  .meta({ description: 'Latency percentiles (nearest rank) in ms; null when there was no sample.' });
export type LatencySummary = z.infer<typeof LatencySummary>;

export const BenchMachine = z.object({
  cpus: z.number().int().positive(),
  /** 1, 5 and 15 minute load averages at the start of the run (the machine may be shared) */
  loadAverage: z.tuple([z.number(), z.number(), z.number()]),
  node: z.string(),
  platform: z.string(),
});

export const BenchBounds = z.object({
  maxSeconds: z.number().positive(),
  idleConnections: z.number().int().nonnegative(),
  subscriberCounts: z.array(z.number().int().positive()),
  /** publish rates (events/s) tried in turn at each subscriber count */
  rateSteps: z.array(z.number().positive()),
  stepSeconds: z.number().positive(),
  /** a step whose last-subscriber p99 exceeds this (or that loses an event) ends the ramp */
  latencyCeilingMs: z.number().positive(),
  latencySamples: z.number().int().nonnegative(),
  presenceMembers: z.number().int().nonnegative(),
  clientEventSamples: z.number().int().nonnegative(),
});
export type BenchBounds = z.infer<typeof BenchBounds>;

export const IdleResult = z.object({
  requested: z.number().int().nonnegative(),
  connected: z.number().int().nonnegative(),
  /** failure reason → count */
  failures: z.record(z.string(), z.number().int().positive()),
  connectSeconds: z.number().nonnegative(),
  connectsPerSecond: z.number().nonnegative(),
  /** local target given --pid: VmRSS from /proc/PID/status */
  rssBeforeBytes: z.number().int().nonnegative().optional(),
  rssAfterBytes: z.number().int().nonnegative().optional(),
  rssPerConnectionBytes: z.number().optional(),
  /** local target given --pid: server CPU (user+system) spent accepting, per 1,000 connections */
  cpuMsPerThousandConnections: z.number().nonnegative().optional(),
  stopped: z.string().optional(),
});
export type IdleResult = z.infer<typeof IdleResult>;

export const RampVerdict = z.enum(['ok', 'publisher-bound', 'loss', 'slow', 'rest-errors', 'closed']);
export type RampVerdict = z.infer<typeof RampVerdict>;

export const RampStep = z.object({
  rate: z.number().positive(),
  published: z.number().int().nonnegative(),
  deliveriesPerSecond: z.number().nonnegative(),
  /** publish → receipt by the last subscriber, per event fully delivered */
  last: LatencySummary,
  /** publish → receipt, every receipt of the sampled subscribers */
  each: LatencySummary,
  lost: z.number().int().nonnegative(),
  restErrors: z.number().int().nonnegative(),
  /** CPU time of the bench process during the step over its wall time (1 = one core busy): near 1 on a one-core load generator, the bench is the limit */
  loadCpuShare: z.number().nonnegative().optional(),
  /** the same for the server, when its pid is known */
  serverCpuShare: z.number().nonnegative().optional(),
  verdict: RampVerdict,
});
export type RampStep = z.infer<typeof RampStep>;

export const FanoutResult = z.object({
  subscribers: z.number().int().positive(),
  connected: z.number().int().nonnegative(),
  /** one event at a time, publish → receipt */
  single: z.object({ each: LatencySummary, last: LatencySummary }),
  ramp: z.array(RampStep),
  /** highest step that held (events/s); null if the first step already failed */
  maxSustainedRate: z.number().nullable(),
  maxSustainedDeliveriesPerSecond: z.number().nullable(),
  /** p99 (every receipt of the sampled subscribers) of the first step that did not hold */
  overloadP99Ms: Ms.nullable(),
  stopped: z.string(),
});
export type FanoutResult = z.infer<typeof FanoutResult>;

export const ClientEventResult = z.object({
  senders: z.number().int().nonnegative(),
  receivers: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  /** sender's send → each receiver's receipt */
  latency: LatencySummary,
  lost: z.number().int().nonnegative(),
  /** pusher:error frames answered to the senders (a rate limit, client events off) */
  errors: z.number().int().nonnegative(),
  stopped: z.string().optional(),
});
export type ClientEventResult = z.infer<typeof ClientEventResult>;

export const PresenceResult = z.object({
  members: z.number().int().nonnegative(),
  channels: z.number().int().nonnegative(),
  joined: z.number().int().nonnegative(),
  joinSeconds: z.number().nonnegative(),
  joinsPerSecond: z.number().nonnegative(),
  /** member_removed frames seen by the observers for the members that left */
  leavesSeen: z.number().int().nonnegative(),
  leaveSeconds: z.number().nonnegative(),
  leavesPerSecond: z.number().nonnegative(),
  stopped: z.string().optional(),
});
export type PresenceResult = z.infer<typeof PresenceResult>;

export const BenchResult = publish(
  z.object({
    schemaVersion: z.literal(BENCH_SCHEMA_VERSION),
    tool: z.object({ name: z.string(), version: z.string() }),
    target: z.object({
      name: z.string(),
      ws: z.string(),
      http: z.string(),
      pid: z.number().int().positive().optional(),
    }),
    startedAt: z.string(),
    durationSeconds: z.number().nonnegative(),
    machine: BenchMachine,
    bounds: BenchBounds,
    /** false when the time budget ran out or the target died before every phase ran */
    complete: z.boolean(),
    /** why the run stopped early (the target died, the budget ran out) */
    aborted: z.string().optional(),
    idle: IdleResult.optional(),
    fanout: z.array(FanoutResult),
    clientEvents: ClientEventResult.optional(),
    presence: PresenceResult.optional(),
  }),
  { id: 'BenchResult', kind: 'report', description: 'Result of `pusher-conformance bench` against one target: what was measured, how, and on what machine.' },
);
export type BenchResult = z.infer<typeof BenchResult>;
