/**
 * The seams between the parts of the reference server: the protocol core (connections, channels,
 * REST) produces webhook events; the webhook sender delivers them.
 * @module
 */
import type { WebhookEvent } from '../../spec/src/webhooks.ts';
import type { FaultName } from './faults.ts';

/** Receives webhook-worthy events from the core; the sender applies filters, grace delay, batching, signing and retries. */
export interface WebhookSink {
  /** `channel_vacated` / `member_removed` are emitted when they happen; the sink applies the grace delay and cancels them if `cancel` arrives in time. */
  emit(appId: string, event: WebhookEvent): void;
  /**
   * A re-occupation / re-join within the grace window cancels a pending vacated / member_removed
   * for the same channel (and user); returns true when one was cancelled, so that the core sends
   * no occupied / member_added for what never visibly ended.
   */
  cancelPending(appId: string, match: { name: WebhookEvent['name']; channel: string; user_id?: string }): boolean;
  /** deliver everything queued (used on shutdown); resolves when done or after `timeoutMs` */
  flush(timeoutMs: number): Promise<void>;
  close(): void;
}

/** Faults switched on for this server instance. */
export interface FaultSet {
  has(name: FaultName): boolean;
}
