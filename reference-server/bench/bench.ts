/**
 * `npm run bench:server`: the bench engine of `pusher-conformance bench` (suites/src/bench/)
 * against the reference server in a child process, server and load on separate CPUs where the
 * machine has two. RSS and CPU per connection come from the child's /proc entry.
 *
 *     npm run bench:server [-- --out DIR] [-- --max-seconds N]
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultBounds, runBench, benchPhases } from '../../suites/src/bench/engine.ts';
import { renderBenchMarkdown } from '../../suites/src/bench/markdown.ts';
import { pinSelf, startReferenceChild } from './reference-child.ts';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'max-seconds': { type: 'string' } } });
const maxSeconds = values['max-seconds'] !== undefined ? Number(values['max-seconds']) : defaultBounds.maxSeconds;
if (!(maxSeconds > 0)) {
  process.stderr.write(`bench: --max-seconds must be a positive number, got '${values['max-seconds']}'\n`);
  process.exit(2);
}

const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);

async function main(): Promise<number> {
  // server on the last CPU, this process (clients and publisher) on the others
  const split = cpus().length >= 2;
  const serverCpu = split ? String(cpus().length - 1) : undefined;
  const pinned = split && pinSelf(`0-${cpus().length - 2}`);
  log(pinned ? `server pinned to CPU ${serverCpu}, load to CPUs 0-${cpus().length - 2}` : 'server and load share the CPUs (no taskset, or one CPU)');
  const child = await startReferenceChild({ ...(pinned ? { cpus: serverCpu } : {}), name: 'reference' });
  try {
    const result = await runBench({ target: child.target, bounds: { ...defaultBounds, maxSeconds }, phases: benchPhases, log });
    const md = renderBenchMarkdown(result);
    if (values.out !== undefined) {
      await mkdir(values.out, { recursive: true });
      await writeFile(join(values.out, 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
      await writeFile(join(values.out, 'bench.md'), md);
    }
    process.stdout.write(md);
    return result.complete ? 0 : 3;
  } finally {
    await child.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
