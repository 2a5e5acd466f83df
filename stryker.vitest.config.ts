// vitest config of the mutation driver only (stryker.config.mjs points here); `npm test` does not include it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['suites/test/mutation/*.mutation.ts'],
    setupFiles: ['test-support/fast-check-seed.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    // one case at a time: the cases share one server, as at --concurrency 1
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
