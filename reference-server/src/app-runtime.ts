/**
 * The live state of one app: its settings resolved against its profile, its connections,
 * channels, signed-in users and cache.
 * @module
 */
import type { Limits } from '../../spec/src/limits.ts';
import type { WebhookEvent } from '../../spec/src/webhooks.ts';
import type { AppConfig } from './app-config.ts';
import type { FaultSet, WebhookSink } from './contracts.ts';
import type { Connection } from './connection.ts';
import { ChannelRegistry } from './channels/channel.ts';
import { CacheStore } from './channels/cache.ts';
import type { AppCluster } from './cluster/node.ts';

export interface AppSettings {
  /** the profile's limits with the app's overrides applied */
  readonly limits: Limits;
  /** close code for a connection over the app's quota (pusher: 4004) */
  readonly overQuotaCode: number;
}

export class AppRuntime {
  readonly connections = new Map<string, Connection>();
  readonly channels = new ChannelRegistry();
  /** signed-in user id → every connection signed in as that user */
  readonly users = new Map<string, Set<Connection>>();
  readonly cache = new CacheStore();
  /** the other nodes, when the server runs as a cluster node (serve --cluster); undefined on a single node */
  cluster: AppCluster | undefined;

  constructor(
    readonly config: AppConfig,
    readonly settings: AppSettings,
    readonly faults: FaultSet,
    readonly webhooks: WebhookSink,
  ) {}

  get id(): string {
    return this.config.id;
  }

  get limits(): Limits {
    return this.settings.limits;
  }

  emit(event: WebhookEvent): void {
    this.webhooks.emit(this.config.id, event);
  }

  /** Cancel a vacated / member_removed still in its grace window; true when one was. */
  cancelPending(match: { name: WebhookEvent['name']; channel: string; user_id?: string }): boolean {
    return this.webhooks.cancelPending(this.config.id, match);
  }

  dispose(): void {
    this.channels.dispose();
    this.cache.clear();
  }
}
