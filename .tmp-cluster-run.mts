import { startRedis } from './test-support/redis.ts';
import { runConformance } from './suites/src/runner/run.ts';
const redis = await startRedis();
const only = process.argv.slice(2);
const t0 = Date.now();
try {
  const report = await runConformance({ profile: 'pusher', only, exclude: [], level: 'may', strict: false, seed: 1, timeScale: 1, concurrency: 4, handleSigint: false, embeddedCluster: { redis: redis.url, nodes: Number(process.env.NODES ?? 2) }, faults: process.env.FAULTS ? process.env.FAULTS.split(',') : [] });
  const bad = report.cases.filter((c) => c.verdict !== 'pass' && c.verdict !== 'info' && c.verdict !== 'skipped');
  console.log(JSON.stringify(report.summary.byVerdict), 'ms', Date.now() - t0);
  for (const c of bad) console.log(c.id, c.verdict, c.actual.slice(0, 300), c.message?.slice(0, 200) ?? '');
  if (process.env.SHOW) for (const c of report.cases.filter((c) => c.id === process.env.SHOW)) console.log(JSON.stringify(c.transcript.slice(0, 40), null, 1));
} finally {
  await redis.stop();
}
