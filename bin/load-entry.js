// Loads one entry module of the kit for the bins. An installed package runs its built
// JavaScript (dist/, made by `npm run build`, which `prepack` runs) on plain node. A development
// checkout (the TypeScript sources beside bin/ and tsx installed) runs the sources through tsx,
// so a stale dist/ is never used there. Paths resolve from this file, so any working directory works.
import { existsSync } from 'node:fs';

/** a setup problem of the checkout: one line, exit 2 */
export class EntryMissing extends Error {}

/** `relative`: the entry's path under the repository without extension, e.g. suites/src/cli/main */
export async function loadEntry(relative) {
  const source = new URL(`../${relative}.ts`, import.meta.url);
  const built = new URL(`../dist/${relative}.js`, import.meta.url);
  if (existsSync(source)) {
    let register;
    try {
      ({ register } = await import('tsx/esm/api'));
    } catch {
      // no tsx (production install of a checkout): the build, if there is one
    }
    if (register) {
      register();
      return import(source.href);
    }
  }
  if (existsSync(built)) return import(built.href);
  throw new EntryMissing('this checkout has no dist/ and no tsx: run `npm ci` (tsx) or `npm run build` (dist/)');
}

/** the crash and EPIPE handling both bins share */
export function installCrashHandlers(prefix) {
  const firstLine = (e) => String((e && e.message) || e).split('\n')[0];
  const crash = (e) => {
    if (e instanceof EntryMissing) process.stderr.write(`${prefix}: ${e.message}\n`);
    else process.stderr.write(`${prefix}: unexpected error: ${firstLine(e)}\n`);
    if (process.env.PUSHER_CONFORMANCE_DEBUG && e && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exit(2);
  };
  process.on('uncaughtException', crash);
  // a reader that stops early (`… list | head`) is not an error
  process.stdout.on('error', (e) => (e.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : crash(e)));
  process.on('unhandledRejection', crash);
  return crash;
}
