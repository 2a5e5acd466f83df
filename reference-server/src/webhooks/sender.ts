/**
 * The webhook sender: turns the core's webhook-worthy events into signed HTTP POSTs.
 *
 * Per app it filters by event type, holds `channel_vacated` / `member_removed` for the grace
 * window (a re-occupation or re-join cancels them), optionally batches, signs the exact body
 * bytes, and retries failed deliveries with exponential back-off inside the retry window. The
 * queue is bounded: a dead receiver costs at most `maxQueuedEvents` events of memory.
 *
 * It only ever POSTs to the URL the app's config names.
 * @module
 */
import { channelKind } from '../../../spec/src/identifiers.ts';
import { limits } from '../../../spec/src/limits.ts';
import { WEBHOOK_CONTENT_TYPE, WebhookEventName, type WebhookBody, type WebhookEvent } from '../../../spec/src/webhooks.ts';
import { WebhookHeader, signWebhook } from '../../../spec/src/crypto/webhook-signing.ts';
import type { FaultSet, WebhookSink } from '../contracts.ts';

/** What the sender needs to know about one app. */
export interface WebhookApp {
  key: string;
  secret: string;
  /** absent or without `url`: the app sends no webhooks */
  webhooks?: WebhookTarget | undefined;
}

export interface WebhookTarget {
  url: string;
  /** only these event names are sent; absent or empty: all */
  eventTypes?: readonly WebhookEventName[] | undefined;
  /** collect events for `batchWindowMs` and send up to `batchMaxEvents` per request */
  batching?: boolean | undefined;
  /** delay of channel_vacated / member_removed; defaults to the `pusher` limit */
  graceSeconds?: number | undefined;
  /** how long a failing delivery is retried; overrides the sender's `retrySeconds` */
  retrySeconds?: number | undefined;
}

export type WebhookAppResolver =
  | ((appId: string) => WebhookApp | undefined)
  | ReadonlyMap<string, WebhookApp>
  | Readonly<Record<string, WebhookApp>>;

export interface WebhookSenderOptions {
  apps: WebhookAppResolver;
  faults: FaultSet;
  fetchImpl?: typeof fetch;
  /** clock for `time_ms` and the retry window (Unix ms) */
  now?: () => number;
  /** how long a failing delivery is retried; defaults to the `pusher` limit (300 s) */
  retrySeconds?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  requestTimeoutMs?: number;
  maxQueuedEvents?: number;
  batchWindowMs?: number;
  batchMaxEvents?: number;
  maxConcurrentRequests?: number;
  /** one line per delivery problem (failed attempt, drop); silent when absent */
  log?: (line: string) => void;
}

export interface WebhookSenderStats {
  /** requests answered 2xx */
  delivered: number;
  /** events delivered in those requests */
  deliveredEvents: number;
  /** attempts that failed (non-2xx, network error, timeout) */
  failedAttempts: number;
  /** events given up after the retry window */
  expiredEvents: number;
  /** events dropped because the queue was full (oldest first) */
  droppedEvents: number;
  /** events waiting: in grace, in a batch, queued, retrying or in flight */
  pendingEvents: number;
}

export interface WebhookSender extends WebhookSink {
  cancelPending(appId: string, match: { name: WebhookEvent['name']; channel: string; user_id?: string }): boolean;
  stats(): WebhookSenderStats;
}

export const WEBHOOK_DEFAULTS = {
  retryBaseMs: 250,
  retryMaxMs: 30_000,
  requestTimeoutMs: 5_000,
  maxQueuedEvents: 10_000,
  batchWindowMs: 50,
  batchMaxEvents: 100,
  maxConcurrentRequests: 16,
} as const;

/** events whose delivery waits for the grace window */
const GRACE_EVENTS: ReadonlySet<WebhookEventName> = new Set([WebhookEventName.ChannelVacated, WebhookEventName.MemberRemoved]);

interface Delivery {
  appId: string;
  url: string;
  retryWindowMs: number;
  events: WebhookEvent[];
  /** time_ms of the body; also the start of the retry window */
  createdAt: number;
  body: string;
  attempt: number;
  nextAt: number;
}

interface GraceItem {
  appId: string;
  event: WebhookEvent;
  timer: NodeJS.Timeout;
}

interface BatchBuffer {
  events: WebhookEvent[];
  timer: NodeJS.Timeout | undefined;
}

/**
 * @example
 * const sink = createWebhookSender({ apps: { '1': { key, secret, webhooks: { url } } }, faults: new Set() });
 * startReferenceServer(config, { webhookSink: sink });
 */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const resolve = toResolver(options.apps);
  const faults = options.faults;
  const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const retryWindowMs = (options.retrySeconds ?? limits.webhookRetrySeconds.pusher) * 1000;
  const retryBaseMs = options.retryBaseMs ?? WEBHOOK_DEFAULTS.retryBaseMs;
  const retryMaxMs = options.retryMaxMs ?? WEBHOOK_DEFAULTS.retryMaxMs;
  const requestTimeoutMs = options.requestTimeoutMs ?? WEBHOOK_DEFAULTS.requestTimeoutMs;
  const maxQueued = options.maxQueuedEvents ?? WEBHOOK_DEFAULTS.maxQueuedEvents;
  const batchWindowMs = options.batchWindowMs ?? WEBHOOK_DEFAULTS.batchWindowMs;
  const batchMax = options.batchMaxEvents ?? WEBHOOK_DEFAULTS.batchMaxEvents;
  const maxConcurrent = options.maxConcurrentRequests ?? WEBHOOK_DEFAULTS.maxConcurrentRequests;
  const log = options.log ?? (() => {});

  const grace = new Map<string, GraceItem>();
  const batches = new Map<string, BatchBuffer>();
  /** formed deliveries due now, oldest first */
  const ready: Delivery[] = [];
  /** failed deliveries waiting for their back-off, ordered by nextAt */
  const retrying: Delivery[] = [];
  /** events in batches, ready, retrying and in flight (grace items are bounded by channels, not counted) */
  let held = 0;
  const inFlight = new Set<Delivery>();
  const aborts = new Set<AbortController>();
  let wakeTimer: NodeJS.Timeout | undefined;
  let wakeAt = Infinity;
  let closed = false;
  let idleWaiters: Array<() => void> = [];
  const counters = { delivered: 0, deliveredEvents: 0, failedAttempts: 0, expiredEvents: 0, droppedEvents: 0 };

  const pendingEvents = (): number => grace.size + held;

  function target(appId: string): { app: WebhookApp; hook: WebhookTarget } | undefined {
    const app = resolve(appId);
    const hook = app?.webhooks;
    // only the URL the config names, and only over HTTP(S)
    if (app === undefined || hook === undefined || !/^https?:\/\//i.test(hook.url)) return undefined;
    return { app, hook };
  }

  function wanted(hook: WebhookTarget, name: WebhookEventName): boolean {
    return hook.eventTypes === undefined || hook.eventTypes.length === 0 || hook.eventTypes.includes(name);
  }

  // ---- intake -----------------------------------------------------------------------------

  function emit(appId: string, event: WebhookEvent): void {
    if (closed) return;
    const t = target(appId);
    if (t === undefined || !wanted(t.hook, event.name)) return;
    // clause: webhooks.channel-occupied / webhooks.cache-miss
    if (event.name === WebhookEventName.ChannelOccupied && channelKind(event.channel).requiresAuth && faults.has('webhook-occupied-private-not-sent')) return;
    if (event.name === WebhookEventName.CacheMiss && faults.has('cache-miss-webhook-not-sent')) return;
    const graceMs = (t.hook.graceSeconds ?? limits.webhookGraceSeconds.pusher) * 1000;
    // clause: webhooks.grace-delay
    if (GRACE_EVENTS.has(event.name) && graceMs > 0 && !faults.has('webhook-no-grace')) {
      const key = graceKey(appId, event);
      const previous = grace.get(key);
      if (previous !== undefined) clearTimeout(previous.timer);
      const timer = setTimeout(() => {
        grace.delete(key);
        accept(appId, event);
      }, graceMs);
      timer.unref();
      grace.set(key, { appId, event, timer });
      return;
    }
    accept(appId, event);
  }

  /** true when something was cancelled (so a re-occupation need not be reported again) */
  function cancelPending(appId: string, match: { name: WebhookEvent['name']; channel: string; user_id?: string }): boolean {
    if (faults.has('webhook-no-grace')) return false;
    let cancelled = false;
    for (const [key, item] of grace) {
      const e = item.event;
      if (item.appId !== appId || e.name !== match.name || e.channel !== match.channel) continue;
      if (match.user_id !== undefined && (!('user_id' in e) || String(e.user_id) !== String(match.user_id))) continue;
      clearTimeout(item.timer);
      grace.delete(key);
      cancelled = true;
    }
    // clause: webhooks.occupied-before-vacated (a cancelled vacated / member_removed is not followed by a second occupied / member_added)
    if (faults.has('webhook-reoccupied-announced')) return false;
    return cancelled;
  }

  /** past grace: into the app's batch, or straight into a delivery */
  function accept(appId: string, event: WebhookEvent): void {
    if (closed) return;
    const t = target(appId);
    if (t === undefined) return;
    makeRoom(1);
    held += 1;
    if (!t.hook.batching) {
      enqueue(form(appId, t.hook, [event]));
      return;
    }
    let buffer = batches.get(appId);
    if (buffer === undefined) {
      buffer = { events: [], timer: undefined };
      batches.set(appId, buffer);
    }
    buffer.events.push(event);
    if (buffer.events.length >= batchMax) {
      flushBatch(appId);
    } else if (buffer.timer === undefined) {
      buffer.timer = setTimeout(() => flushBatch(appId), batchWindowMs);
      buffer.timer.unref();
    }
  }

  function flushBatch(appId: string): void {
    const buffer = batches.get(appId);
    if (buffer === undefined) return;
    if (buffer.timer !== undefined) clearTimeout(buffer.timer);
    batches.delete(appId);
    const t = target(appId);
    if (t === undefined) {
      held -= buffer.events.length;
      return;
    }
    for (let i = 0; i < buffer.events.length; i += batchMax) {
      enqueue(form(appId, t.hook, buffer.events.slice(i, i + batchMax)));
    }
  }

  /** drops the oldest waiting events (failed deliveries first, then never tried ones) until `incoming` more fit */
  function makeRoom(incoming: number): void {
    let over = held + incoming - maxQueued;
    while (over > 0) {
      let dropped = 0;
      const oldest = retrying.length > 0 ? retrying.splice(indexOfOldest(retrying), 1)[0] : ready.shift();
      if (oldest !== undefined) {
        dropped = oldest.events.length;
      } else {
        const buffer = [...batches.values()].find((b) => b.events.length > 0);
        if (buffer === undefined) return; // only in-flight events remain; they cannot be dropped
        buffer.events.shift();
        dropped = 1;
      }
      // one line per drop would flood the log
      if (Math.floor(counters.droppedEvents / 1000) !== Math.floor((counters.droppedEvents + dropped) / 1000) || counters.droppedEvents === 0) {
        log(`webhooks: queue full (${maxQueued} events); dropping the oldest (${counters.droppedEvents + dropped} dropped so far)`);
      }
      counters.droppedEvents += dropped;
      held -= dropped;
      over -= dropped;
    }
  }

  function form(appId: string, hook: WebhookTarget, events: WebhookEvent[]): Delivery {
    const createdAt = now();
    // clause: webhooks.envelope
    const timeMs = faults.has('webhook-time-ms-seconds') ? Math.floor(createdAt / 1000) : createdAt;
    const body: WebhookBody = { time_ms: timeMs, events };
    const retryWindow = hook.retrySeconds !== undefined ? hook.retrySeconds * 1000 : retryWindowMs;
    return { appId, url: hook.url, retryWindowMs: retryWindow, events, createdAt, body: JSON.stringify(body), attempt: 0, nextAt: createdAt };
  }

  function enqueue(delivery: Delivery): void {
    ready.push(delivery);
    pump();
  }

  // ---- delivery ---------------------------------------------------------------------------

  function pump(): void {
    if (closed) return;
    const t = now();
    while (retrying.length > 0 && retrying[0]!.nextAt <= t) ready.push(retrying.shift()!);
    while (ready.length > 0 && inFlight.size < maxConcurrent) void send(ready.shift()!);
    const earliest = retrying[0]?.nextAt ?? Infinity;
    if (earliest < Infinity && earliest < wakeAt) {
      if (wakeTimer !== undefined) clearTimeout(wakeTimer);
      wakeAt = earliest;
      wakeTimer = setTimeout(() => {
        wakeTimer = undefined;
        wakeAt = Infinity;
        pump();
      }, Math.max(0, earliest - t));
      wakeTimer.unref();
    }
    notifyIfIdle();
  }

  async function send(d: Delivery): Promise<void> {
    inFlight.add(d);
    d.attempt += 1;
    const app = resolve(d.appId);
    const abort = new AbortController();
    aborts.add(abort);
    let failure: string | undefined;
    try {
      if (app === undefined) throw new Error(`app ${d.appId} is no longer configured`);
      const headers: Record<string, string> = {
        // clause: webhooks.content-type
        'Content-Type': faults.has('webhook-content-type-text') ? 'text/plain' : WEBHOOK_CONTENT_TYPE,
        [WebhookHeader.Key]: app.key,
      };
      // clause: webhooks.signature
      if (!faults.has('webhook-unsigned')) {
        const secret = faults.has('webhook-wrong-signature') ? `${app.secret}-wrong` : app.secret;
        headers[WebhookHeader.Signature] = signWebhook(secret, d.body);
      }
      const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(requestTimeoutMs)]);
      const res = await fetchImpl(d.url, { method: 'POST', headers, body: d.body, signal, redirect: 'manual' });
      // drain the body so the connection can be reused
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status > 299) failure = `HTTP ${res.status}`;
    } catch (err) {
      failure = describe(err);
    } finally {
      aborts.delete(abort);
      inFlight.delete(d);
    }
    if (closed) return;
    if (failure === undefined) {
      held -= d.events.length;
      counters.delivered += 1;
      counters.deliveredEvents += d.events.length;
    } else {
      counters.failedAttempts += 1;
      scheduleRetry(d, failure);
    }
    pump();
  }

  function scheduleRetry(d: Delivery, failure: string): void {
    const delay = Math.min(retryBaseMs * 2 ** (d.attempt - 1), retryMaxMs);
    const t = now();
    if (t + delay > d.createdAt + d.retryWindowMs) {
      held -= d.events.length;
      counters.expiredEvents += d.events.length;
      log(`webhooks: giving up on ${d.events.length} event(s) to ${d.url} after ${d.attempt} attempt(s): ${failure}`);
      return;
    }
    log(`webhooks: attempt ${d.attempt} to ${d.url} failed (${failure}); retrying in ${delay} ms`);
    d.nextAt = t + delay;
    // keep retrying ordered by nextAt (binary search for the insertion point)
    let lo = 0;
    let hi = retrying.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (retrying[mid]!.nextAt <= d.nextAt) lo = mid + 1;
      else hi = mid;
    }
    retrying.splice(lo, 0, d);
  }

  function notifyIfIdle(): void {
    if (idleWaiters.length === 0) return;
    if (held > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  }

  // ---- lifecycle --------------------------------------------------------------------------

  async function flush(timeoutMs: number): Promise<void> {
    if (closed) return;
    for (const [key, item] of grace) {
      clearTimeout(item.timer);
      grace.delete(key);
      accept(item.appId, item.event);
    }
    for (const appId of [...batches.keys()]) flushBatch(appId);
    // retries are due now: shutdown will not wait for their back-off
    for (const d of retrying.splice(0)) ready.push(d);
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<void>((resolveIdle) => idleWaiters.push(resolveIdle));
    const timeout = new Promise<void>((resolveTimeout) => {
      timer = setTimeout(resolveTimeout, Math.max(0, timeoutMs));
    });
    pump();
    try {
      await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  function close(): void {
    if (closed) return;
    closed = true;
    for (const item of grace.values()) clearTimeout(item.timer);
    grace.clear();
    for (const b of batches.values()) if (b.timer !== undefined) clearTimeout(b.timer);
    batches.clear();
    if (wakeTimer !== undefined) clearTimeout(wakeTimer);
    ready.length = 0;
    retrying.length = 0;
    held = 0;
    for (const a of aborts) a.abort();
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  }

  function stats(): WebhookSenderStats {
    return { ...counters, pendingEvents: pendingEvents() };
  }

  return { emit, cancelPending, flush, close, stats };
}

function indexOfOldest(deliveries: readonly Delivery[]): number {
  let best = 0;
  for (let i = 1; i < deliveries.length; i += 1) if (deliveries[i]!.createdAt < deliveries[best]!.createdAt) best = i;
  return best;
}

function graceKey(appId: string, event: WebhookEvent): string {
  const user = 'user_id' in event && event.user_id !== undefined ? String(event.user_id) : '';
  return JSON.stringify([appId, event.name, event.channel, user]);
}

function toResolver(apps: WebhookAppResolver): (appId: string) => WebhookApp | undefined {
  if (typeof apps === 'function') return apps;
  if (apps instanceof Map) return (id) => apps.get(id);
  const record = apps as Readonly<Record<string, WebhookApp>>;
  return (id) => (Object.hasOwn(record, id) ? record[id] : undefined);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out';
    const cause = (err as { cause?: unknown }).cause;
    const code = cause instanceof Error && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
    return code !== undefined ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
