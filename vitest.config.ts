import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/test/**/*.test.ts', 'reference-server/test/**/*.test.ts', 'suites/test/**/*.test.ts', 'website/test/**/*.test.ts'],
    setupFiles: ['test-support/fast-check-seed.ts'],
    globalSetup: ['test-support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    pool: 'forks',
  },
});
