/**
 * The Redis engine of the cluster (ioredis): one pub/sub channel for fan-out, sets of node ids
 * for the cluster-wide occupancy and presence transitions (changed by Lua scripts, so that
 * exactly one node sees each transition), a per-node index of those sets for reaping a dead
 * node, liveness keys with a TTL, and cache channel events with a PX TTL.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ClusterBus, TransitionSubject } from './bus.ts';
import { ClusterError } from './errors.ts';
import { CachedWire, ClusterMessage } from './messages.ts';

/** Bound of the first connection to Redis. */
export const REDIS_CONNECT_TIMEOUT_MS = 3000;
/** Bound of one command once connected (ioredis retries, then fails the command). */
const MAX_RETRIES_PER_REQUEST = 2;
/** Longest pause between reconnection attempts after Redis went away. */
const MAX_RECONNECT_DELAY_MS = 2000;
const PREFIX = 'pc:';
const BUS_CHANNEL = `${PREFIX}bus`;
const CACHE_PREFIX = `${PREFIX}cache:`;
const NODE_PREFIX = `${PREFIX}node:`;
const SCAN_COUNT = 200;

const setKey = (s: TransitionSubject): string => `${PREFIX}set:${JSON.stringify(s.kind === 'member' ? [s.kind, s.app, s.channel, s.user] : [s.kind, s.app, s.channel])}`;
const indexKey = (node: string): string => `${PREFIX}idx:${node}`;
const cacheKey = (app: string, channel: string): string => `${CACHE_PREFIX}${JSON.stringify([app, channel])}`;
const missKey = (app: string, channel: string): string => `${PREFIX}miss:${JSON.stringify([app, channel])}`;
/** a hash: node id → that node's open connections of the app (quota apps only) */
const connsKey = (app: string): string => `${PREFIX}conns:${JSON.stringify([app])}`;

function subjectOfKey(key: string): TransitionSubject | undefined {
  try {
    const parts = JSON.parse(key.slice(`${PREFIX}set:`.length)) as string[];
    if (parts[0] === 'occupancy' && parts.length === 3) return { kind: 'occupancy', app: parts[1]!, channel: parts[2]! };
    if (parts[0] === 'member' && parts.length === 4) return { kind: 'member', app: parts[1]!, channel: parts[2]!, user: parts[3]! };
  } catch {
    // not one of ours
  }
  return undefined;
}

/** KEYS: set, index of this node. ARGV: node, '1' join / '0' leave. Returns 1 on an empty ↔ non-empty transition. */
const TRANSITION_LUA = `
if ARGV[2] == '1' then
  local before = redis.call('SCARD', KEYS[1])
  local added = redis.call('SADD', KEYS[1], ARGV[1])
  redis.call('SADD', KEYS[2], KEYS[1])
  if added == 1 and before == 0 then return 1 end
  return 0
end
local removed = redis.call('SREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], KEYS[1])
if removed == 1 and redis.call('SCARD', KEYS[1]) == 0 then return 1 end
return 0
`;

/** KEYS: index of the dead node. ARGV: dead node. Returns the sets it left empty; deletes the index, so a second reaper gets nothing. */
const REAP_LUA = `
local emptied = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('SREM', key, ARGV[1]) == 1 and redis.call('SCARD', key) == 0 then table.insert(emptied, key) end
end
redis.call('DEL', KEYS[1])
return emptied
`;

/** KEYS: the app's connection hash. ARGV: node, max. Counts one more connection for the node unless the cluster is at max. */
const RESERVE_LUA = `
local total = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do total = total + tonumber(v) end
if total >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1
`;

/** KEYS: the app's connection hash. ARGV: node. One connection fewer, never below zero. */
const RELEASE_LUA = `
local n = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if n <= 1 then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HINCRBY', KEYS[1], ARGV[1], -1) end
return 0
`;

function redisOptions() {
  return {
    lazyConnect: true,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    retryStrategy: (times: number) => Math.min(times * 200, MAX_RECONNECT_DELAY_MS),
  };
}

/**
 * Connect both clients (commands and subscriber) within REDIS_CONNECT_TIMEOUT_MS.
 * Throws ClusterError naming the URL when Redis cannot be reached.
 */
export async function connectRedisBus(url: string, log: (line: string) => void = () => {}): Promise<ClusterBus> {
  const cmd = new Redis(url, redisOptions());
  const sub = new Redis(url, redisOptions());
  let reported = false;
  const onError = (err: Error): void => {
    // ioredis reconnects by itself; say it once, not on every retry
    if (!reported) log(`cluster: Redis ${url}: ${err.message} (reconnecting)`);
    reported = true;
  };
  cmd.on('error', onError);
  sub.on('error', onError);
  cmd.on('ready', () => (reported = false));
  try {
    await withTimeout(Promise.all([cmd.connect(), sub.connect()]), REDIS_CONNECT_TIMEOUT_MS + 500, `no answer within ${REDIS_CONNECT_TIMEOUT_MS} ms`);
    await sub.subscribe(BUS_CHANNEL);
  } catch (err) {
    cmd.disconnect();
    sub.disconnect();
    throw new ClusterError(`cannot reach Redis at ${url}: ${(err as Error).message}`);
  }
  cmd.defineCommand('pcTransition', { numberOfKeys: 2, lua: TRANSITION_LUA });
  cmd.defineCommand('pcReap', { numberOfKeys: 1, lua: REAP_LUA });
  cmd.defineCommand('pcReserve', { numberOfKeys: 1, lua: RESERVE_LUA });
  cmd.defineCommand('pcRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
  const scripts = cmd as unknown as {
    pcTransition(set: string, index: string, node: string, join: string): Promise<number>;
    pcReap(index: string, node: string): Promise<string[]>;
    pcReserve(conns: string, node: string, max: string): Promise<number>;
    pcRelease(conns: string, node: string): Promise<number>;
  };
  /** the apps this node counted connections of: their fields are dropped on close */
  const counted = new Set<string>();

  const nodeId = randomBytes(6).toString('hex');
  const handlers: ((m: ClusterMessage) => void)[] = [];
  sub.on('message', (_channel: string, text: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = ClusterMessage.safeParse(raw);
    if (!parsed.success || parsed.data.node === nodeId) return;
    for (const h of handlers) h(parsed.data);
  });

  return {
    nodeId,
    async publish(message) {
      await cmd.publish(BUS_CHANNEL, JSON.stringify(message)).catch(onError);
    },
    onMessage(handler) {
      handlers.push(handler);
    },
    async transition(subject, join) {
      return (await scripts.pcTransition(setKey(subject), indexKey(nodeId), nodeId, join ? '1' : '0')) === 1;
    },
    async reap(deadNode) {
      const keys = await scripts.pcReap(indexKey(deadNode), deadNode);
      return keys.map(subjectOfKey).filter((s): s is TransitionSubject => s !== undefined);
    },
    async reserveConnection(app, max) {
      counted.add(app);
      return (await scripts.pcReserve(connsKey(app), nodeId, String(max))) === 1;
    },
    async releaseConnection(app) {
      await scripts.pcRelease(connsKey(app), nodeId);
    },
    async reapConnections(deadNode, apps) {
      for (const app of apps) await cmd.hdel(connsKey(app), deadNode);
    },
    async claimMiss(app, channel) {
      return (await cmd.set(missKey(app, channel), '1', 'NX')) === 'OK';
    },
    async cacheSet(app, channel, value, ttlMs) {
      // clause: webhooks.cache-miss-dedup (a filled cache re-arms the webhook)
      await cmd.del(missKey(app, channel));
      if (!Number.isFinite(ttlMs)) await cmd.set(cacheKey(app, channel), JSON.stringify(value));
      else await cmd.set(cacheKey(app, channel), JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async cacheLoad() {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await cmd.scan(cursor, 'MATCH', `${CACHE_PREFIX}*`, 'COUNT', SCAN_COUNT);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      const out: { app: string; channel: string; value: CachedWire; ttlMs: number }[] = [];
      for (const key of keys) {
        const [text, ttl] = await Promise.all([cmd.get(key), cmd.pttl(key)]);
        const value = text === null ? undefined : CachedWire.safeParse(safeJson(text));
        if (!value?.success || ttl === -2) continue;
        const [app, channel] = JSON.parse(key.slice(CACHE_PREFIX.length)) as [string, string];
        out.push({ app, channel, value: value.data, ttlMs: ttl < 0 ? Number.POSITIVE_INFINITY : ttl });
      }
      return out;
    },
    async liveNodes() {
      const ids: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await cmd.scan(cursor, 'MATCH', `${NODE_PREFIX}*`, 'COUNT', SCAN_COUNT);
        cursor = next;
        ids.push(...batch.map((k) => k.slice(NODE_PREFIX.length)));
      } while (cursor !== '0');
      return ids.filter((id) => id !== nodeId);
    },
    async alive(ttlMs) {
      await cmd.set(`${NODE_PREFIX}${nodeId}`, '1', 'PX', ttlMs);
    },
    async close() {
      await cmd.del(`${NODE_PREFIX}${nodeId}`).catch(() => {});
      for (const app of counted) await cmd.hdel(connsKey(app), nodeId).catch(() => {});
      await Promise.allSettled([withTimeout(cmd.quit(), 1000, 'quit'), withTimeout(sub.quit(), 1000, 'quit')]);
      cmd.disconnect();
      sub.disconnect();
    },
    abandon() {
      cmd.disconnect();
      sub.disconnect();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
      timer.unref();
    }),
  ]);
}
