/**
 * npm run mutation -- <file-or-area>...: StrykerJS over the named files of reference-server/src
 * (stryker.config.mjs), at nice 10 and one test runner, then the committed summary
 * (suites/scripts/mutation-summary.ts). Without an argument every protocol-handling file is
 * mutated (hours on a 2-core machine: see reports/mutation/SUMMARY.md for seconds per mutant).
 *
 *   npm run mutation -- client-events            reference-server/src/client-events.ts
 *   npm run mutation -- channels/presence.ts      one file of an area
 *   npm run mutation -- rest                      every file of reference-server/src/rest/
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'reference-server', 'src');
const STRYKER = join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const SUMMARY = join(ROOT, 'suites', 'scripts', 'mutation-summary.ts');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** `client-events`, `client-events.ts`, `channels`, `reference-server/src/rest/events.ts` → files under reference-server/src */
export function resolveScope(arg: string): string[] {
  const candidates = [resolve(ROOT, arg), join(SRC, arg), join(SRC, `${arg}.ts`)];
  const hit = candidates.find((c) => existsSync(c) && c.startsWith(`${SRC}/`));
  if (!hit) throw new Error(`"${arg}" is not a file or folder of reference-server/src`);
  if (statSync(hit).isDirectory()) return readdirSync(hit).filter((f) => f.endsWith('.ts')).sort().map((f) => relative(ROOT, join(hit, f)));
  return [relative(ROOT, hit)];
}

function run(cmd: string, args: readonly string[]): Promise<number> {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (e) => {
      process.stderr.write(`mutation: could not start ${cmd}: ${e.message}\n`);
      res(2);
    });
    child.on('exit', (code, signal) => res(code ?? (signal ? 1 : 0)));
  });
}

async function main(args: readonly string[]): Promise<number> {
  let files: string[];
  try {
    files = args.flatMap(resolveScope);
  } catch (e) {
    process.stderr.write(`mutation: ${(e as Error).message}\n`);
    return 2;
  }
  const t0 = Date.now();
  // nice: the machine's cores are shared; stryker.config.mjs keeps one test runner
  const code = await run('nice', ['-n', '10', process.execPath, STRYKER, 'run', 'stryker.config.mjs', ...(files.length > 0 ? ['--mutate', files.join(',')] : [])]);
  if (code !== 0) {
    process.stderr.write(`mutation: stryker exited ${code}; the summary was not updated\n`);
    return code;
  }
  return run(process.execPath, [TSX, SUMMARY, '--seconds', String(Math.round((Date.now() - t0) / 1000))]);
}

process.exitCode = await main(process.argv.slice(2));
