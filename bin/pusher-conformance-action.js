#!/usr/bin/env node
// Entry point of the GitHub Action (action.yml): runs the suite with the INPUT_* variables and
// writes the step summary, annotations and outputs (suites/src/action/main.ts).
import { installCrashHandlers, loadEntry } from './load-entry.js';

const crash = installCrashHandlers('pusher-conformance action');

try {
  const { runAction } = await loadEntry('suites/src/action/main');
  const code = await runAction({ env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1000).unref();
} catch (e) {
  crash(e);
}
