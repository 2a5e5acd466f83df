#!/usr/bin/env node
// `npm test` runs this first (the `pretest` script): the site's browser test needs website/'s own
// packages and a build made from the spec and reports as they are now. Installs website/'s packages
// when they are missing (~90 s once) and rebuilds the site (~30 s), so that `npm test` alone
// works on a fresh clone. PUSHER_CONFORMANCE_SKIP_SITE=1 skips both (the site tests then say why).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (process.env.PUSHER_CONFORMANCE_SKIP_SITE === '1') process.exit(0);
const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const step = (label, args) => {
  process.stderr.write(`pretest: ${label}\n`);
  const r = spawnSync(npm, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } });
  if (r.status !== 0) {
    process.stderr.write(`pretest: ${label} failed (exit ${r.status ?? r.signal}); run \`${npm} ${args.join(' ')}\` to see why\n`);
    process.exit(1);
  }
};
if (!existsSync(new URL('../node_modules/@docusaurus/core/package.json', import.meta.url))) {
  // `npm install`, not `npm ci`: npm 11 leaves @swc/html's other-platform binaries out of the lock
  // file and `npm ci` then refuses it as out of sync; install still follows the lock for the rest.
  step('installing website/ packages (npm install --prefix website)', ['install', '--prefix', 'website', '--no-audit', '--no-fund']);
}
step('building the site (npm run site:build)', ['run', 'site:build']);
