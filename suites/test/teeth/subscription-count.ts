/**
 * Teeth of the subscription-count cases: for each case, the reference-server faults that make it
 * fail (verified by running).
 */
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'subscription-count/exact-after-each-change': ['subscription-count-never-sent', 'subscription-count-off-by-one', 'unsubscribe-ignored', 'leak-on-disconnect'],
  'subscription-count/not-on-presence': ['subscription-count-on-presence'],
  'subscription-count/above-threshold-final-value': ['subscription-count-off-by-one', 'subscription-count-never-sent'],
} satisfies Record<string, FaultName[]>;
