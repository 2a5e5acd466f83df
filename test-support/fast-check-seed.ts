// Every property test in this repository runs with one fixed, printed seed so that a failure in
// CI replays exactly: FC_SEED=<n> npm test.
import fc from 'fast-check';
import { beforeAll } from 'vitest';
import { FAST_CHECK_SEED } from './seed.ts';

beforeAll(() => {
  fc.configureGlobal({ seed: FAST_CHECK_SEED });
});
