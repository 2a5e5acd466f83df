#!/usr/bin/env node
// Entry point of `npx pusher-conformance`. An installed package runs its built JavaScript
// (dist/, made by `npm run build`, which `prepack` runs) on plain node. A development checkout
// (the TypeScript sources beside this file and tsx installed) runs the sources through tsx, so a
// stale dist/ is never used there. Paths resolve from this file, so any working directory works.
import { existsSync } from 'node:fs';

const firstLine = (e) => String((e && e.message) || e).split('\n')[0];
const crash = (e) => {
  process.stderr.write(`pusher-conformance: unexpected error: ${firstLine(e)}\n`);
  if (process.env.PUSHER_CONFORMANCE_DEBUG && e && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(2);
};
process.on('uncaughtException', crash);
// a reader that stops early (`… list | head`) is not an error
process.stdout.on('error', (e) => (e.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : crash(e)));
process.on('unhandledRejection', crash);

const source = new URL('../suites/src/cli/main.ts', import.meta.url);
const built = new URL('../dist/suites/src/cli/main.js', import.meta.url);

/** tsx's loader when this is a checkout with tsx installed; undefined otherwise */
async function tsxRegister() {
  if (!existsSync(source)) return undefined;
  try {
    return (await import('tsx/esm/api')).register;
  } catch {
    return undefined;
  }
}

try {
  const register = await tsxRegister();
  let entry;
  if (register) {
    register();
    entry = source;
  } else if (existsSync(built)) {
    entry = built;
  } else {
    process.stderr.write('pusher-conformance: this checkout has no dist/ and no tsx: run `npm ci` (tsx) or `npm run build` (dist/)\n');
    process.exit(2);
  }
  const { main } = await import(entry.href);
  const code = await main(process.argv);
  process.exitCode = code;
  // Exit once stdout/stderr have drained, even if a stray handle would keep the loop alive.
  setTimeout(() => process.exit(code), 1000).unref();
} catch (e) {
  crash(e);
}
