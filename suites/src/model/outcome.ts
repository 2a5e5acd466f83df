/**
 * What a case throws when it does not pass. The runner turns these into verdicts: a
 * ConformanceFailure becomes `fail` (MUST) or `warn` (SHOULD) or `info` (MAY); Unsupported
 * becomes `unsupported`; HarnessError and anything else becomes `error`.
 * Branded with Symbol.for so `instanceof`-like checks survive two copies of the module.
 * @module
 */
const kConformance = Symbol.for('pusher-conformance.ConformanceFailure');
const kUnsupported = Symbol.for('pusher-conformance.Unsupported');
const kHarness = Symbol.for('pusher-conformance.HarnessError');

export interface PropertyDetails {
  seed: number;
  path?: string;
  numRuns: number;
  counterexample?: string;
  shrinks?: number;
}

/** The target did not do what the clause requires. */
export class ConformanceFailure extends Error {
  readonly [kConformance] = true;
  override readonly name = 'ConformanceFailure';
  constructor(
    /** acceptable outcomes */
    readonly expected: readonly string[],
    /** what happened */
    readonly actual: string,
    readonly property?: PropertyDetails,
  ) {
    super(`expected ${expected.join(' | ')}; got ${actual}`);
  }
  static is(e: unknown): e is ConformanceFailure {
    return typeof e === 'object' && e !== null && kConformance in e;
  }
}

/** A capability the case needs is absent (declared or detected). Never counted as a pass. */
export class Unsupported extends Error {
  readonly [kUnsupported] = true;
  override readonly name = 'Unsupported';
  static is(e: unknown): e is Unsupported {
    return typeof e === 'object' && e !== null && kUnsupported in e;
  }
}

/** The harness or the target's setup broke, not the protocol (unreachable, setup timeout…). */
export class HarnessError extends Error {
  readonly [kHarness] = true;
  override readonly name = 'HarnessError';
  static is(e: unknown): e is HarnessError {
    return typeof e === 'object' && e !== null && kHarness in e;
  }
}

/** Fail the case unless `condition` holds. */
export function check(condition: boolean, expected: string | readonly string[], actual: string | (() => string)): asserts condition {
  if (!condition) {
    throw new ConformanceFailure(typeof expected === 'string' ? [expected] : expected, typeof actual === 'function' ? actual() : actual);
  }
}
