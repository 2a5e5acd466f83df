/**
 * The benchmark's server side, run as a child process so that its memory and CPU are its own
 * (read by the bench engine from /proc through the child's pid).
 * Talks to the parent over IPC: sends `ready` with its URLs; `stop` closes it.
 * @module
 */
import { startReferenceServer } from '../src/server.ts';

export interface BenchApp {
  id: string;
  key: string;
  secret: string;
}

export type ParentMessage = { cmd: 'stop' };
export type ChildMessage = { type: 'ready'; wsUrl: string; httpUrl: string; app: BenchApp } | { type: 'error'; message: string };

const APP: BenchApp = { id: 'bench-app', key: 'bench-key', secret: 'bench-secret' };

async function main(): Promise<void> {
  const send = (m: ChildMessage): void => void process.send?.(m);
  const server = await startReferenceServer({
    host: '127.0.0.1',
    port: 0,
    // soketi, the peer it is compared with, has no subscription_count: neither side sends one.
    // No connection cap: the bench opens 10,000 idle connections plus its own.
    apps: [{ ...APP, subscriptionCount: false, maxConnections: null }],
    maxConnections: null,
  });
  process.on('message', (m: ParentMessage) => {
    if (m.cmd === 'stop') void server.close().finally(() => process.exit(0));
  });
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
  send({ type: 'ready', wsUrl: server.wsUrl, httpUrl: server.httpUrl, app: APP });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies ChildMessage);
  process.exit(1);
});
