// Reference server nodes as separate processes (`node bin/pusher-conformance.js serve --cluster …`),
// configured like the embedded target, for the external-cluster tests: the suite sees them only
// through --node URLs. Each is stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED } from '../../src/runner/embedded.ts';
import { stopChild } from '../../../test-support/redis.ts';
import { CLI_BIN } from './cli-process.ts';

/** tsx loads the sources first: seconds on a busy machine */
const START_TIMEOUT_MS = 45_000;
/** what `serve` prints once it listens (reference-server/src/serve.ts banner) */
const BANNER_WS = /WebSocket\s+(ws:\/\/\S+?)\/app\//;

export interface ServeNode {
  readonly ws: string;
  readonly http: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** The serve configuration of the embedded target (apps, short cache TTL and grace delay, webhooks to `webhookUrl`). */
export function embeddedLikeConfig(webhookUrl: string, encryptionMasterKey: string): unknown {
  return {
    host: '127.0.0.1',
    apps: [
      { ...EMBEDDED.main, clientEvents: true, subscriptionCount: true, cacheTtlSeconds: EMBEDDED.cacheTtlSeconds, encryptionMasterKey, webhooks: { url: webhookUrl, graceSeconds: EMBEDDED.webhookGraceSeconds } },
      { ...EMBEDDED.disabled, enabled: false },
      { ...EMBEDDED.limited },
      { ...EMBEDDED.clientEventsOff, clientEvents: false },
    ],
  };
}

/** Write the config into a fresh temporary directory; returns its path and a remover. */
export async function writeServeConfig(config: unknown): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pc-nodes-'));
  const file = join(dir, 'serve.json');
  await writeFile(file, JSON.stringify(config));
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The shell command that runs one node (for --node-cmd). */
export const serveCommand = (configFile: string, redisUrl: string, port: number, faults: readonly string[] = []): string =>
  `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_BIN)} serve --config ${JSON.stringify(configFile)} --cluster ${redisUrl} --port ${port}${faults.map((f) => ` --fault ${f}`).join('')}`;

/** Start one node on a free port (--port 0) and read its URLs from the banner. */
export async function startServeNode(configFile: string, redisUrl: string): Promise<ServeNode> {
  const child: ChildProcess = spawn(process.execPath, [CLI_BIN, 'serve', '--config', configFile, '--cluster', redisUrl, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  const ws = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL within ${START_TIMEOUT_MS} ms: ${out.slice(-500)}`)), START_TIMEOUT_MS);
    const onData = (b: Buffer): void => {
      out = (out + b.toString()).slice(-8000);
      const m = BANNER_WS.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-8000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${out.slice(-500)}`));
    });
  }).catch(async (e: unknown) => {
    await stopChild(child);
    throw e;
  });
  return { ws, http: ws.replace(/^ws:/, 'http:'), pid: child.pid!, stop: () => stopChild(child) };
}
