/**
 * The embedded target as a cluster: N reference server nodes in this process, joined through a
 * Redis the caller started, each with the embedded configuration and webhooks to the suite's
 * receiver. A node can be killed (it leaves without a goodbye, as a killed process would) and
 * restarted at the same port.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { HarnessError } from '../model/outcome.ts';
import type { NodeControl, TargetNode } from '../harness/types.ts';
import { startEmbedded, type EmbeddedTarget } from './embedded.ts';

export interface EmbeddedClusterOptions {
  /** redis://127.0.0.1:PORT */
  readonly redis: string;
  /** 2 or more */
  readonly nodes: number;
  readonly webhookUrl?: string;
  readonly faults?: readonly string[];
}

export interface EmbeddedCluster {
  /** the first node: its settings are every node's */
  readonly first: EmbeddedTarget;
  readonly nodes: readonly TargetNode[];
  readonly control: NodeControl;
  stop(): Promise<void>;
}

export async function startEmbeddedCluster(opts: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 2) throw new HarnessError(`a cluster needs at least 2 nodes, ${opts.nodes} asked`);
  const encryptionMasterKey = randomBytes(32).toString('base64');
  const start = (port?: number): Promise<EmbeddedTarget> =>
    startEmbedded({
      ...(opts.webhookUrl !== undefined ? { webhookUrl: opts.webhookUrl } : {}),
      ...(opts.faults ? { faults: opts.faults } : {}),
      node: { cluster: opts.redis, encryptionMasterKey, ...(port !== undefined ? { port } : {}) },
    });
  const running: (EmbeddedTarget | undefined)[] = [];
  try {
    // one after the other: each new node catches up with the ones already running
    for (let i = 0; i < opts.nodes; i++) running.push(await start());
  } catch (e) {
    await Promise.allSettled(running.map((n) => n?.stop()));
    throw e;
  }
  const first = running[0]!;
  const nodes: TargetNode[] = running.map((n, i) => ({ name: `n${i + 1}`, ws: n!.ws, http: n!.http }));
  const portOf = (i: number): number => Number(new URL(nodes[i]!.http).port);
  const control: NodeControl = {
    async kill(index) {
      const node = running[index];
      if (!node) throw new HarnessError(`node ${index + 1} is not running`);
      running[index] = undefined;
      await (node.crash ?? node.stop)();
    },
    async restart(index) {
      if (running[index]) return;
      running[index] = await start(portOf(index));
    },
  };
  return {
    first,
    nodes,
    control,
    async stop() {
      await Promise.allSettled(running.map((n) => n?.stop()));
    },
  };
}
