// StrykerJS over reference-server/src, driven by suites/test/mutation/cases.mutation.ts (every
// suite case one vitest test). Run it scoped: `npm run mutation -- <file-or-area>` (suites/scripts/mutation.ts).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker.vitest.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner', './suites/test/mutation/stryker-ignorers.mjs'],
  ignorers: ['fault-branches', 'error-messages'],
  // the protocol-handling files; npm run mutation passes --mutate to narrow this
  mutate: [
    'reference-server/src/channels/**/*.ts',
    'reference-server/src/rest/**/*.ts',
    'reference-server/src/client-events.ts',
    'reference-server/src/users.ts',
    'reference-server/src/webhooks/**/*.ts',
    'reference-server/src/handshake.ts',
    'reference-server/src/connection.ts',
    'reference-server/src/dispatch.ts',
  ],
  coverageAnalysis: 'perTest',
  // the machine is shared: one test-runner process
  concurrency: 1,
  // a case waits for what should not arrive: a mutant's run is bounded by the dry run's time, not the default 5 s
  timeoutMS: 15_000,
  timeoutFactor: 1.5,
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // the sandbox needs only what the driver imports; node_modules is symlinked
  ignorePatterns: ['website', 'reports', 'dist', '.stryker-tmp', '.ci', '.peers', '*.md'],
  thresholds: { high: 90, low: 80, break: null },
};
