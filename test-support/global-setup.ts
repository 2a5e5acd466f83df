import { FAST_CHECK_SEED } from './seed.ts';

export default function setup(): void {
  process.stdout.write(`fast-check seed: ${FAST_CHECK_SEED} (replay with FC_SEED=${FAST_CHECK_SEED})\n`);
}
