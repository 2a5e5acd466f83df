/**
 * Cache channels: the last server-published event of each cache channel, kept for the TTL, and
 * the cache_miss webhook de-duplication marks. Both are dropped on a schedule, not only when
 * read, so channel names nobody asks for again do not stay in memory.
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

/**
 * How long a cache_miss webhook suppresses the next one for the same channel. The clause asks for
 * one webhook when subscriptions hit the empty channel "close together"; a bounded window keeps
 * a mark per missed name only that long (defect: one mark per name ever missed, for ever).
 */
export const MISS_DEDUP_WINDOW_MS = 10_000;
/** How often expired events and old miss marks are swept. */
export const SWEEP_INTERVAL_MS = 250;
/** Most entries one sweep looks at, so that a sweep never stalls the event loop. */
export const SWEEP_BATCH = 5000;

export class CacheStore {
  /**
   * Insertion order is expiry order while the TTL is the same for every entry (one app, one TTL):
   * `store` deletes before it sets, so a refreshed channel moves to the end. The sweep stops at
   * the first live entry; an entry with a longer TTL ahead (cluster-shared remaining TTLs) only
   * delays the others, which `get` still treats as absent once expired.
   */
  readonly #events = new Map<string, CachedEvent>();
  /** channel → epoch ms its cache_miss webhook was sent; cleared by a new event or after the window */
  readonly #missNotified = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  /** Keep the event; `keepFirst` models the cache-replays-first fault. */
  store(channel: string, frame: string, data: string, ttlMs: number, now: number, keepFirst = false): void {
    if (keepFirst && this.get(channel, now)) return;
    this.#events.delete(channel);
    this.#events.set(channel, { frame, data, expiresAt: now + ttlMs });
    // clause: webhooks.cache-miss-dedup (a filled cache re-arms the webhook)
    this.#missNotified.delete(channel);
    this.#schedule();
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

  /** True the first time a miss is reported for a channel within the de-duplication window. */
  markMiss(channel: string, now: number = Date.now()): boolean {
    const at = this.#missNotified.get(channel);
    if (at !== undefined && now - at < MISS_DEDUP_WINDOW_MS) return false;
    this.#missNotified.delete(channel);
    this.#missNotified.set(channel, now);
    this.#schedule();
    return true;
  }

  /** Entries held: cached events (live or not yet swept) and miss marks. */
  get size(): { readonly events: number; readonly missMarks: number } {
    return { events: this.#events.size, missMarks: this.#missNotified.size };
  }

  /** Drop expired events and old miss marks, looking at most at `SWEEP_BATCH` entries. */
  sweep(now: number = Date.now()): void {
    let budget = SWEEP_BATCH;
    for (const [channel, entry] of this.#events) {
      if (budget-- <= 0 || entry.expiresAt > now) break;
      this.#events.delete(channel);
    }
    for (const [channel, at] of this.#missNotified) {
      if (budget-- <= 0 || now - at < MISS_DEDUP_WINDOW_MS) break;
      this.#missNotified.delete(channel);
    }
    if (this.#events.size === 0 && this.#missNotified.size === 0) this.#stop();
  }

  clear(): void {
    this.#events.clear();
    this.#missNotified.clear();
    this.#stop();
  }

  /** The sweep timer runs only while something is held, and never keeps the process alive. */
  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.#timer.unref();
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
