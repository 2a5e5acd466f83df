#!/usr/bin/env node
// Entry point of `npx pusher-conformance`: plain node runs dist/ in an installed package; a
// checkout runs the TypeScript sources through tsx (see load-entry.js).
import { installCrashHandlers, loadEntry } from './load-entry.js';

const crash = installCrashHandlers('pusher-conformance');

try {
  const { main } = await loadEntry('suites/src/cli/main');
  const code = await main(process.argv);
  process.exitCode = code;
  // Exit once stdout/stderr have drained, even if a stray handle would keep the loop alive.
  setTimeout(() => process.exit(code), 1000).unref();
} catch (e) {
  crash(e);
}
