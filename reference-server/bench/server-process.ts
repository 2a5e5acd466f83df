/**
 * The benchmark's server side, run as a child process so its memory is measured alone.
 * Talks to the parent over IPC: sends `ready` with its URLs, answers `mem` (after a GC) and `stop`.
 * @module
 */
import { startReferenceServer } from '../src/server.ts';

export interface BenchApp {
  id: string;
  key: string;
  secret: string;
}

export type ParentMessage = { cmd: 'mem' } | { cmd: 'stop' };
export type ChildMessage =
  | { type: 'ready'; wsUrl: string; httpUrl: string; app: BenchApp }
  | { type: 'mem'; rss: number; heapUsed: number; external: number }
  | { type: 'error'; message: string };

const APP: BenchApp = { id: 'bench-app', key: 'bench-key', secret: 'bench-secret' };

async function main(): Promise<void> {
  const send = (m: ChildMessage): void => void process.send?.(m);
  const server = await startReferenceServer({
    host: '127.0.0.1',
    port: 0,
    // the broadcast of subscription_count on every join would dominate a 1,000-subscriber fan-out
    apps: [{ ...APP, subscriptionCount: false, maxConnections: null }],
  });
  process.on('message', (m: ParentMessage) => {
    if (m.cmd === 'mem') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const u = process.memoryUsage();
      send({ type: 'mem', rss: u.rss, heapUsed: u.heapUsed, external: u.external });
    } else if (m.cmd === 'stop') {
      void server.close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
  send({ type: 'ready', wsUrl: server.wsUrl, httpUrl: server.httpUrl, app: APP });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies ChildMessage);
  process.exit(1);
});
