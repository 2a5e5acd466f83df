// The cluster area and the whole suite against 2 and 3 reference nodes joined on a throwaway
// redis-server (test-support/redis.ts), each cluster case against its killing faults, and the CLI
// against nodes that are separate processes: given with --node, and started by the runner with
// --node-cmd (node death).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../../spec/src/report.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';
import { EMBEDDED } from '../src/runner/embedded.ts';
import { FAST_CHECK_SEED } from '../../test-support/seed.ts';
import { freePort, redisAvailable, startRedis, type RunningRedis } from '../../test-support/redis.ts';
import { runCli } from './support/cli-process.ts';
import { embeddedLikeConfig, serveCommand, startServeNode, writeServeConfig, type ServeNode } from './support/reference-nodes.ts';
import teeth from './teeth/cluster.ts';

const base: RunOptions = { profile: 'pusher', only: [], exclude: [], level: 'may', strict: false, seed: FAST_CHECK_SEED, timeScale: 2, concurrency: 4, handleSigint: false };
const notClean = (r: Report): string[] => r.cases.filter((c) => !['pass', 'info', 'skipped'].includes(c.verdict)).map((c) => `${c.id}: ${c.verdict}: ${c.actual}`);

describe.skipIf(!redisAvailable())('a cluster of reference nodes on Redis', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  }, 10_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('passes the whole suite spread over 2 nodes', async () => {
    const report = await runConformance({ ...base, embeddedCluster: { redis: redis.url, nodes: 2 } });
    expect(notClean(report)).toEqual([]);
    expect(report.cases.filter((c) => c.id.startsWith('cluster/') && c.verdict === 'pass').length).toBe(Object.keys(teeth).length);
  }, 240_000);

  it('passes the whole suite spread over 3 nodes', async () => {
    const report = await runConformance({ ...base, embeddedCluster: { redis: redis.url, nodes: 3 } });
    expect(notClean(report)).toEqual([]);
    expect(report.cases.filter((c) => c.id.startsWith('cluster/') && c.verdict === 'pass').length).toBe(Object.keys(teeth).length);
  }, 300_000);

  it('fails every cluster case against each of its faults', async () => {
    const survivors: string[] = [];
    for (const [id, faults] of Object.entries(teeth)) {
      for (const fault of faults) {
        const report = await runConformance({ ...base, only: [id], faults: [fault], embeddedCluster: { redis: redis.url, nodes: 2 } });
        const r = report.cases.find((c) => c.id === id)!;
        if (r.verdict === 'pass' || r.verdict === 'skipped' || r.verdict === 'unsupported') survivors.push(`${id} / ${fault}: ${r.verdict}`);
      }
    }
    expect(survivors).toEqual([]);
  }, 240_000);

  describe('nodes as separate processes', () => {
    let configFile: { file: string; remove: () => Promise<void> };
    let out: string;
    let webhookPort: number;
    const key = randomBytes(32).toString('base64');
    const credentials = ['--app-id', EMBEDDED.main.id, '--key', EMBEDDED.main.key, '--secret', EMBEDDED.main.secret, '--encryption-master-key', key];
    beforeAll(async () => {
      webhookPort = await freePort();
      configFile = await writeServeConfig(embeddedLikeConfig(`http://127.0.0.1:${webhookPort}/webhooks`, key));
      out = await mkdtemp(join(tmpdir(), 'pc-cluster-out-'));
    });
    afterAll(async () => {
      await configFile?.remove();
      if (out) await rm(out, { recursive: true, force: true });
    });
    const runArgs = (dir: string) => [
      'run', ...credentials, '--webhook-port', String(webhookPort), '--limit', `cacheTtlSeconds=${EMBEDDED.cacheTtlSeconds}`, '--limit', `webhookGraceSeconds=${EMBEDDED.webhookGraceSeconds}`,
      '--seed', String(FAST_CHECK_SEED), '--time-scale', '2', '--level', 'may', '--report', 'json', '--out', dir,
    ];
    const readReport = async (dir: string): Promise<Report> => Report.parse(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')));

    it('runs the cluster and presence areas spread over two --node processes, and records the node of every client and request', async () => {
      const nodes: ServeNode[] = [];
      try {
        for (let i = 0; i < 2; i++) nodes.push(await startServeNode(configFile.file, redis.url));
        const dir = join(out, 'spread');
        const res = await runCli([...runArgs(dir), ...nodes.flatMap((n) => ['--node', `ws=${n.ws},http=${n.http}`]), '--only', 'cluster/*', '--only', 'presence/*', '--transcripts', 'all'], { cwd: out, timeout: 200_000 });
        const report = await readReport(dir);
        expect(notClean(report).filter((l) => !l.startsWith('cluster/dead-node-members-removed: unsupported'))).toEqual([]);
        expect(res.code).toBe(0);
        // without node commands the runner cannot kill a node: unsupported, not passed
        expect(report.cases.find((c) => c.id === 'cluster/dead-node-members-removed')?.verdict).toBe('unsupported');
        expect(report.target.nodes?.map((n) => n.ws)).toEqual(nodes.map((n) => n.ws));
        const used = new Set(report.cases.flatMap((c) => c.transcript.filter((e) => e.kind === 'ws-open' || e.kind === 'http-out').map((e) => e.node)));
        expect([...used].sort()).toEqual(['n1', 'n2']);
        // the settings file the reproduce commands name holds the same nodes, in order
        const settings = JSON.parse(await readFile(join(dir, 'target.json'), 'utf8')) as { target?: { nodes?: { ws: string; http: string }[] } };
        expect(settings.target?.nodes).toEqual(nodes.map((n) => ({ ws: n.ws, http: n.http })));
      } finally {
        await Promise.all(nodes.map((n) => n.stop()));
      }
    }, 240_000);

    it('starts the nodes with --node-cmd, restarts a node that crashed, kills one for the node-death case, and stops them all', async () => {
      const ports = [await freePort(), await freePort()];
      const dir = join(out, 'death');
      // node 1 dies on a malformed subscribe (the first connection of every case goes to node 1)
      const commands = [serveCommand(configFile.file, redis.url, ports[0]!, ['crash-on-malformed-subscribe']), serveCommand(configFile.file, redis.url, ports[1]!)];
      const res = await runCli(
        [
          ...runArgs(dir),
          ...ports.flatMap((p, i) => ['--node', `ws=ws://127.0.0.1:${p},http=http://127.0.0.1:${p}`, '--node-cmd', commands[i]!]),
          '--only', 'cluster/dead-node-members-removed', '--only', 'cluster/publish-reaches-every-node', '--only', 'subscription/missing-channel-refused',
        ],
        { cwd: out, timeout: 200_000 },
      );
      const report = await readReport(dir);
      expect(report.complete).toBe(true);
      expect(report.crashes?.map((c) => [c.afterCase, c.recovered])).toEqual([['subscription/missing-channel-refused', true]]);
      expect(report.cases.filter((c) => c.verdict === 'pass').map((c) => c.id).sort()).toEqual(['cluster/dead-node-members-removed', 'cluster/publish-reaches-every-node']);
      expect(res.code).toBe(1);
      // every node the runner started is gone: nothing answers on their ports
      for (const p of ports) await expect(fetch(`http://127.0.0.1:${p}/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    }, 240_000);

    it('refuses a half-given cluster with one plain line', async () => {
      const one = await runCli(['run', ...credentials, '--node', 'ws=ws://127.0.0.1:1,http=http://127.0.0.1:1'], { cwd: out });
      expect(one.code).toBe(2);
      expect(one.stderr).toContain('at least 2 --node');
      const bad = await runCli(['run', ...credentials, '--node', 'ws=ws://127.0.0.1:1', '--node', 'ws=ws://127.0.0.1:2,http=http://127.0.0.1:2'], { cwd: out });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("missing http=URL");
      const cmds = await runCli(['run', ...credentials, '--node', 'ws=ws://127.0.0.1:1,http=http://127.0.0.1:1', '--node', 'ws=ws://127.0.0.1:2,http=http://127.0.0.1:2', '--node-cmd', 'true'], { cwd: out });
      expect(cmds.code).toBe(2);
      expect(cmds.stderr).toContain('1 --node-cmd for 2 nodes');
    }, 120_000);
  });
});
