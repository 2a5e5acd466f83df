/**
 * The seam between the cluster logic (node.ts) and the engine that joins the nodes. A server
 * without `cluster` has no bus at all: every hook is `app.cluster?.…`, so the single-node path
 * does no extra work.
 * @module
 */
import type { CachedWire, ClusterMessage } from './messages.ts';

/** What a cluster-wide set transition is about: a channel's occupancy or a user's presence. */
export type TransitionSubject =
  | { readonly kind: 'occupancy'; readonly app: string; readonly channel: string }
  | { readonly kind: 'member'; readonly app: string; readonly channel: string; readonly user: string };

export interface ClusterBus {
  /** this node's id, unique in the cluster */
  readonly nodeId: string;
  /** fan a message out to every other node (order per sender is kept); resolves once the engine has dispatched it */
  publish(message: ClusterMessage): Promise<void>;
  /** every message from the other nodes, already validated */
  onMessage(handler: (message: ClusterMessage) => void): void;
  /**
   * Atomically add (join) or remove this node from the set of nodes holding `subject`; true
   * when the set went from empty to non-empty (join) or from non-empty to empty (leave).
   */
  transition(subject: TransitionSubject, join: boolean): Promise<boolean>;
  /** Remove a dead node from every set it held; the subjects that became empty (each returned to one caller only). */
  reap(deadNode: string): Promise<TransitionSubject[]>;
  /**
   * Atomically count one more connection of `app` for this node if the cluster-wide count is
   * below `max` (clause connection.over-quota): true when it was counted, false when over quota.
   */
  reserveConnection(app: string, max: number): Promise<boolean>;
  /** one connection of `app` counted by reserveConnection closed */
  releaseConnection(app: string): Promise<void>;
  /** drop a dead node's connection counts of these apps */
  reapConnections(deadNode: string, apps: readonly string[]): Promise<void>;
  /** store a cache channel's last event for ttlMs */
  cacheSet(app: string, channel: string, value: CachedWire, ttlMs: number): Promise<void>;
  /** true for the first caller since the channel's cache was last stored (cacheSet re-arms it) */
  claimMiss(app: string, channel: string): Promise<boolean>;
  /** every live cached event: app, channel, value and the ms it has left */
  cacheLoad(): Promise<{ app: string; channel: string; value: CachedWire; ttlMs: number }[]>;
  /** ids of the nodes whose liveness key is set */
  liveNodes(): Promise<string[]>;
  /** refresh this node's liveness key */
  alive(ttlMs: number): Promise<void>;
  close(): Promise<void>;
  /** drop both connections at once, with no goodbye: what a killed process does */
  abandon(): void;
}
