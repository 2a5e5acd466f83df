/**
 * Idle connections: how many the target holds, how fast it accepts them, and (with --pid) its RSS
 * and CPU per connection.
 * @module
 */
import type { IdleResult } from '../../../../spec/src/bench.ts';
import { remainingMs, sleep, type BenchContext } from '../context.ts';
import { cpuMs, rssBytes } from '../proc.ts';
import { closeAll, connectMany } from '../socket.ts';

/** after the last handshake, before RSS is read: lets the server finish per-connection setup */
const SETTLE_MS = 1000;

/**
 * Connections opened and closed before the measured ones: the server's runtime (JIT, heap
 * generations, allocator pools) reaches its working size first, so that what the measured
 * connections add is what they hold, not the one-off growth of a cold process.
 */
export const warmupCount = (count: number): number => Math.min(2000, Math.floor(count / 5));

export async function runIdle(ctx: BenchContext, count: number): Promise<IdleResult> {
  const pid = ctx.target.pid;
  const warm = await connectMany({ url: ctx.url, count: warmupCount(count), concurrency: ctx.connectConcurrency, timeoutMs: ctx.waitMs, stopAt: ctx.deadline - ctx.waitMs });
  await closeAll(warm.sockets);
  if (remainingMs(ctx) > SETTLE_MS) await sleep(SETTLE_MS);
  const rssBefore = pid !== undefined ? rssBytes(pid) : undefined;
  const cpuBefore = pid !== undefined ? cpuMs(pid) : undefined;
  const t0 = performance.now();
  const { sockets, failures, stopped } = await connectMany({ url: ctx.url, count, concurrency: ctx.connectConcurrency, timeoutMs: ctx.waitMs, stopAt: ctx.deadline - ctx.waitMs });
  const seconds = (performance.now() - t0) / 1000;
  try {
    const cpuAfter = pid !== undefined ? cpuMs(pid) : undefined;
    if (remainingMs(ctx) > SETTLE_MS) await sleep(SETTLE_MS);
    const rssAfter = pid !== undefined ? rssBytes(pid) : undefined;
    const n = sockets.length;
    ctx.log(`idle: ${n}/${count} connected in ${seconds.toFixed(1)} s${rssAfter !== undefined && rssBefore !== undefined && n > 0 ? `, ${((rssAfter - rssBefore) / n / 1024).toFixed(2)} KiB RSS each` : ''}`);
    return {
      requested: count,
      connected: n,
      failures,
      connectSeconds: round(seconds),
      connectsPerSecond: round(seconds > 0 ? n / seconds : 0),
      ...(rssBefore !== undefined && rssAfter !== undefined ? { rssBeforeBytes: rssBefore, rssAfterBytes: rssAfter, ...(n > 0 ? { rssPerConnectionBytes: Math.round((rssAfter - rssBefore) / n) } : {}) } : {}),
      ...(cpuBefore !== undefined && cpuAfter !== undefined && n > 0 ? { cpuMsPerThousandConnections: round(((cpuAfter - cpuBefore) / n) * 1000) } : {}),
      ...(stopped !== undefined ? { stopped } : {}),
    };
  } finally {
    await closeAll(sockets);
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;
