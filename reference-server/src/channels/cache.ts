/**
 * Cache channels: the last server-published event of each cache channel, kept for the TTL.
 * @module
 */

interface CachedEvent {
  /** the serialized frame exactly as subscribers received it */
  readonly frame: string;
  /** the published data string, for GET /channels/{name}?info=cache */
  readonly data: string;
  /** epoch ms; Infinity under the cache-never-expires fault */
  readonly expiresAt: number;
}

export class CacheStore {
  readonly #events = new Map<string, CachedEvent>();
  /** channels whose cache_miss webhook was sent and not re-armed by a new event */
  readonly #missNotified = new Set<string>();

  /** Keep the event; `keepFirst` models the cache-replays-first fault. */
  store(channel: string, frame: string, data: string, ttlMs: number, now: number, keepFirst = false): void {
    if (keepFirst && this.get(channel, now)) return;
    this.#events.set(channel, { frame, data, expiresAt: now + ttlMs });
    // clause: webhooks.cache-miss-dedup (a filled cache re-arms the webhook)
    this.#missNotified.delete(channel);
  }

  /** The live cached event, dropping an expired one. */
  get(channel: string, now: number): CachedEvent | undefined {
    const entry = this.#events.get(channel);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#events.delete(channel);
      return undefined;
    }
    return entry;
  }

  /** Whole seconds the cached event has left, or undefined when there is none. */
  ttlSeconds(channel: string, now: number): number | undefined {
    const entry = this.get(channel, now);
    if (!entry) return undefined;
    return entry.expiresAt === Infinity ? Number.MAX_SAFE_INTEGER : Math.max(0, Math.ceil((entry.expiresAt - now) / 1000));
  }

  /** True the first time a miss is reported for a channel since its cache was last filled. */
  markMiss(channel: string): boolean {
    if (this.#missNotified.has(channel)) return false;
    this.#missNotified.add(channel);
    return true;
  }

  clear(): void {
    this.#events.clear();
    this.#missNotified.clear();
  }
}
