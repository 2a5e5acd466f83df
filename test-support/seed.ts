/** The one fast-check seed of this repository's tests; override with FC_SEED to replay. */
export const FAST_CHECK_SEED = Number(process.env.FC_SEED ?? 20261122);
