/**
 * One node of the cluster bench (cluster-bench.ts), run as a child process: the bench app on a
 * free loopback port, joined to the others through Redis when the parent gives a URL. Sends
 * `ready` with its URLs over IPC; stops on `stop` or when the parent goes away.
 * @module
 */
import { startReferenceServer } from '../src/server.ts';
import type { BenchApp } from './server-process.ts';

export type NodeParentMessage = { cmd: 'stop' };
export type NodeChildMessage = { type: 'ready'; wsUrl: string; httpUrl: string; app: BenchApp } | { type: 'error'; message: string };

const APP: BenchApp = { id: 'bench-app', key: 'bench-key', secret: 'bench-secret' };

async function main(): Promise<void> {
  const send = (m: NodeChildMessage): void => void process.send?.(m);
  const cluster = process.env.BENCH_CLUSTER || undefined;
  const server = await startReferenceServer({
    host: '127.0.0.1',
    port: 0,
    ...(cluster ? { cluster } : {}),
    // as bench.ts: the subscription_count broadcast on every join would dominate the fan-out
    apps: [{ ...APP, subscriptionCount: false, maxConnections: null }],
  });
  const stop = (): void => void server.close().finally(() => process.exit(0));
  process.on('message', (m: NodeParentMessage) => m.cmd === 'stop' && stop());
  process.on('disconnect', stop);
  send({ type: 'ready', wsUrl: server.wsUrl, httpUrl: server.httpUrl, app: APP });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies NodeChildMessage);
  process.exit(1);
});
