/**
 * One channel of one app: its subscribers and, for presence channels, its members.
 * @module
 */
import { channelKind, type ChannelKind } from '../../../spec/src/identifiers.ts';
import type { Connection } from '../connection.ts';

/** A distinct user on a presence channel, with every connection it joined through. */
export interface Member {
  /** as the first connection gave it: a string, or a number (kept as given) */
  readonly userId: string | number;
  /** the first connection's user_info wins (see presence.user-info-first-wins) */
  readonly userInfo: unknown;
  readonly connections: Set<Connection>;
}

export class Channel {
  readonly kind: ChannelKind;
  readonly subscribers = new Set<Connection>();
  /** presence only; keyed by String(user_id), so 10 and "10" are one user */
  readonly members = new Map<string, Member>();
  /** subscription_count throttling state */
  countSentAt = 0;
  countTimer: NodeJS.Timeout | undefined;

  constructor(readonly name: string) {
    this.kind = channelKind(name);
  }

  get isPresence(): boolean {
    return this.kind.type === 'presence';
  }

  dispose(): void {
    if (this.countTimer) clearTimeout(this.countTimer);
    this.countTimer = undefined;
  }
}

/** The channels of one app that have at least one subscriber. */
export class ChannelRegistry {
  readonly #channels = new Map<string, Channel>();

  get(name: string): Channel | undefined {
    return this.#channels.get(name);
  }

  getOrCreate(name: string): Channel {
    let channel = this.#channels.get(name);
    if (!channel) {
      channel = new Channel(name);
      this.#channels.set(name, channel);
    }
    return channel;
  }

  /** Drop a channel once its last subscriber has gone. */
  release(channel: Channel): void {
    if (channel.subscribers.size > 0) return;
    channel.dispose();
    this.#channels.delete(channel.name);
  }

  all(): IterableIterator<Channel> {
    return this.#channels.values();
  }

  dispose(): void {
    for (const channel of this.#channels.values()) channel.dispose();
    this.#channels.clear();
  }
}
