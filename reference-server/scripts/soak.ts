/**
 * Bounded soak of the reference server (issue 8): starts it as a child process with a short cache
 * TTL, churns connections, distinct channel names of every prefix, cache publishes and stalled
 * REST bodies for N rounds, samples the child's VmRSS after each churn kind, prints a table and
 * exits 1 when RSS after the last round exceeds RSS after the first round by more than 10% for
 * any churn kind (and says which), 0 otherwise.
 *
 *   npm run soak -- [--rounds 5] [--size 2000] [--ttl 2]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { Event } from '../../spec/src/events.ts';
import { signChannel } from '../../spec/src/crypto/channel-auth.ts';
import { signRestRequest } from '../../spec/src/crypto/rest-signing.ts';

const APP = { id: 'app-id', key: 'app-key', secret: 'app-secret' };
const THRESHOLD = 0.1;
const KINDS = ['connections', 'channels', 'cache', 'stalled'] as const;
type Kind = (typeof KINDS)[number];
const PREFIXES = ['', 'private-', 'presence-', 'cache-', 'private-cache-', 'presence-cache-', 'private-encrypted-'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`--${name} must be a positive number`);
    process.exit(2);
  }
  return v;
}

async function main(): Promise<void> {
  const rounds = Math.min(flag('rounds', 5), 50);
  const size = Math.min(flag('size', 2000), 100_000);
  const ttl = flag('ttl', 2);
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child'], {
    env: { ...process.env, SOAK_TTL: String(ttl) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const kill = (): void => {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  process.on('exit', kill);
  process.on('SIGINT', () => {
    kill();
    process.exit(130);
  });
  process.on('SIGTERM', () => {
    kill();
    process.exit(143);
  });
  try {
    let out = '';
    const gcWaiters: (() => void)[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /PORT (\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
        for (const _ of out.match(/^gc$/gm) ?? []) gcWaiters.shift()?.();
        out = out.replace(/^gc\n/gm, '');
      });
      child.on('exit', (code) => reject(new Error(`server exited early (${code})`)));
    });
    child.on('exit', (code, sig) => {
      console.error(`server child exited unexpectedly (${code ?? sig})`);
      process.exit(1);
    });
    const base = `127.0.0.1:${port}`;
    const rss = async (): Promise<number> => {
      await new Promise<void>((r) => {
        gcWaiters.push(r);
        process.kill(child.pid!, 'SIGUSR2');
        setTimeout(r, 2000);
      });
      await sleep(300);
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    };

    const table: Record<Kind, number[]> = { connections: [], channels: [], cache: [], stalled: [] };
    const baseline = await rss();
    console.log(`soak: ${rounds} rounds, size ${size}, cache TTL ${ttl} s, server pid ${child.pid}, RSS at start ${baseline.toFixed(1)} MB`);
    for (let r = 0; r < rounds; r++) {
      for (const kind of KINDS) {
        const t0 = Date.now();
        await churn[kind](base, size, r);
        await sleep(ttl * 1000 + 1500); // cache TTL, sweep and stalled-body timeouts
        const mb = await rss();
        table[kind].push(mb);
        console.log(`  round ${r + 1} ${kind.padEnd(11)} ${mb.toFixed(1).padStart(7)} MB  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
    }
    console.log('\nRSS (MB) after each churn kind');
    console.log(['kind'.padEnd(12), ...table.connections.map((_, i) => `r${i + 1}`.padStart(8)), '  last/first'].join(''));
    const failed: string[] = [];
    for (const kind of KINDS) {
      const v = table[kind];
      const growth = v[v.length - 1]! / v[0]! - 1;
      if (growth > THRESHOLD) failed.push(`${kind} +${(growth * 100).toFixed(1)}%`);
      console.log([kind.padEnd(12), ...v.map((x) => x.toFixed(1).padStart(8)), `  ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%`].join(''));
    }
    console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s; threshold: per kind, last round vs first round, +${THRESHOLD * 100}%`);
    if (failed.length) {
      console.log(`FAIL: ${failed.join(', ')}`);
      process.exitCode = 1;
    } else console.log('PASS');
  } catch (e) {
    console.error(`soak error: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    child.removeAllListeners('exit');
    kill();
  }
}

// ---- churn kinds -----------------------------------------------------------------------------

function openWs(base: string): Promise<{ ws: WebSocket; socketId: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${base}/app/${APP.key}?protocol=7&client=js&version=8.6.0`);
    const t = setTimeout(() => {
      ws.terminate();
      reject(new Error('no connection_established within 10 s'));
    }, 10_000);
    ws.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    ws.once('message', (d) => {
      clearTimeout(t);
      const f = JSON.parse(d.toString()) as { event: string; data: string };
      if (f.event !== Event.ConnectionEstablished) return reject(new Error(`unexpected ${f.event}`));
      resolve({ ws, socketId: (JSON.parse(f.data) as { socket_id: string }).socket_id });
    });
  });
}
const closeWs = (ws: WebSocket): Promise<void> =>
  new Promise((r) => {
    if (ws.readyState === WebSocket.CLOSED) return r();
    ws.once('close', () => r());
    ws.close();
    setTimeout(() => (ws.terminate(), r()), 2000);
  });

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

const churn: Record<Kind, (base: string, size: number, round: number) => Promise<void>> = {
  async connections(base, size) {
    for (let b = 0; b < size; b += 100) {
      const open = await Promise.all(range(Math.min(100, size - b)).map(() => openWs(base)));
      await Promise.all(open.map((c) => closeWs(c.ws)));
    }
  },
  async channels(base, size, round) {
    await pool(range(Math.ceil(size / 100)), 4, async (batch) => {
      const { ws, socketId } = await openWs(base);
      const names = range(Math.min(100, size - batch * 100)).map((i) => `${PREFIXES[i % PREFIXES.length]}soak-${round}-${batch}-${i}`);
      let answered = 0;
      const done = new Promise<void>((r) => {
        const t = setTimeout(r, 10_000);
        ws.on('message', (d) => {
          const e = (JSON.parse(d.toString()) as { event: string }).event;
          if ((e === Event.SubscriptionSucceeded || e === Event.Error || e === Event.CacheMiss) && ++answered >= names.length) (clearTimeout(t), r());
        });
      });
      for (const channel of names) {
        const channelData = channel.startsWith('presence-') ? JSON.stringify({ user_id: `u-${channel}` }) : undefined;
        const auth = channel.startsWith('private-') || channel.startsWith('presence-') ? signChannel({ key: APP.key, secret: APP.secret, socketId, channel, channelData }) : undefined;
        ws.send(JSON.stringify({ event: Event.Subscribe, data: { channel, ...(auth ? { auth } : {}), ...(channelData ? { channel_data: channelData } : {}) } }));
      }
      await done;
      for (const channel of names) ws.send(JSON.stringify({ event: Event.Unsubscribe, data: { channel } }));
      await sleep(50);
      await closeWs(ws);
    });
  },
  async cache(base, size, round) {
    const path = `/apps/${APP.id}/batch_events`;
    await pool(range(Math.ceil(size / 10)), 8, async (b) => {
      const batch = range(Math.min(10, size - b * 10)).map((i) => ({ name: 'soak', channel: `cache-soak-${round}-${b}-${i}`, data: 'x'.repeat(200) }));
      const body = JSON.stringify({ batch });
      const { query } = signRestRequest({ key: APP.key, secret: APP.secret, method: 'POST', path, body });
      const res = await fetch(`http://${base}${path}?${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`batch_events answered ${res.status}`);
    });
  },
  async stalled(base, size) {
    const [host, port] = base.split(':') as [string, string];
    const path = `/apps/${APP.id}/events`;
    await pool(range(Math.ceil(size / 4)), 50, async (i) => {
      await new Promise<void>((r) => {
        const sock = tcpConnect(Number(port), host);
        const done = (): void => (clearTimeout(t), sock.destroy(), r());
        const t = setTimeout(done, 300);
        sock.on('error', done);
        sock.on('close', done);
        const head = i % 2 ? `POST ${path}?auth_key=${APP.key} HTTP/1.1` : `POST ${path} HTTP/1.1`;
        sock.write(`${head}\r\nHost: ${base}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"name":"e","data":"${'y'.repeat(4000)}`);
      });
    });
  },
};

// ---- child mode: the server itself, gc on SIGUSR2 ----------------------------------------------
if (process.argv.includes('--child')) {
  const { startReferenceServer } = await import('../src/server.ts');
  const ttl = Number(process.env.SOAK_TTL ?? 2);
  const s = await startReferenceServer({ host: '127.0.0.1', port: 0, apps: [{ ...APP, cacheTtlSeconds: ttl }] });
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('SIGUSR2', () => {
    gc?.();
    process.stdout.write('gc\n');
  });
  process.on('SIGTERM', () => void s.close().finally(() => process.exit(0)));
  process.stdout.write(`PORT ${s.port}\n`);
} else {
  await main();
}
