#!/usr/bin/env node
// Entry point of `npx pusher-conformance`: runs the TypeScript sources through tsx, so the
// package ships no build step. Paths resolve from this file, so any working directory works.
import { register } from 'tsx/esm/api';

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

register();

try {
  const { main } = await import(new URL('../suites/src/cli/main.ts', import.meta.url).href);
  const code = await main(process.argv);
  process.exitCode = code;
  // Exit once stdout/stderr have drained, even if a stray handle would keep the loop alive.
  setTimeout(() => process.exit(code), 1000).unref();
} catch (e) {
  crash(e);
}
