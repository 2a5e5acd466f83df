/**
 * One timer for many deadlines: items are kept in buckets of `resolutionMs`, and a single
 * setTimeout fires the earliest bucket. Used for connection liveness, where 10,000 idle
 * connections would otherwise hold 10,000 Timeout objects and closures.
 * @module
 */
export class TimerWheel<T> {
  readonly #buckets = new Map<number, Set<T>>();
  #timer: NodeJS.Timeout | undefined;
  #armedAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly resolutionMs: number,
    readonly fire: (item: T) => void,
  ) {}

  /** Schedules `item` at `at` (epoch ms, rounded up to the resolution); returns the key to remove it with. */
  add(item: T, at: number): number {
    const key = Math.ceil(at / this.resolutionMs) * this.resolutionMs;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new Set();
      this.#buckets.set(key, bucket);
    }
    bucket.add(item);
    if (key < this.#armedAt) this.#arm(key);
    return key;
  }

  remove(item: T, key: number): void {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return;
    bucket.delete(item);
    if (bucket.size > 0) return;
    this.#buckets.delete(key);
    // no timer keeps the process alive once nothing is scheduled
    if (this.#buckets.size === 0) this.#disarm();
  }

  get size(): number {
    let n = 0;
    for (const b of this.#buckets.values()) n += b.size;
    return n;
  }

  #arm(key: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedAt = key;
    this.#timer = setTimeout(() => this.#run(), Math.max(1, key - Date.now()));
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
  }

  #run(): void {
    this.#timer = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const due = [...this.#buckets.keys()].filter((k) => k <= now).sort((a, b) => a - b);
    let failure: { error: unknown } | undefined;
    for (const key of due) {
      const bucket = this.#buckets.get(key)!;
      this.#buckets.delete(key);
      // an item may schedule itself again (into a later bucket) from fire()
      for (const item of bucket) {
        try {
          this.fire(item);
        } catch (error) {
          // one item's failure must not cancel the others' deadlines; it is rethrown below
          failure ??= { error };
        }
      }
    }
    let next = Number.POSITIVE_INFINITY;
    for (const k of this.#buckets.keys()) if (k < next) next = k;
    if (next < this.#armedAt && Number.isFinite(next)) this.#arm(next);
    if (failure) throw failure.error;
  }
}
