/**
 * `toPass`, for `expect.extend` of Vitest or Jest (the same matcher protocol):
 * `expect(result).toPass()` fails with the failing thresholds, their measured values
 * and limits; `expect(result).not.toPass()` fails when the run passed.
 */
import { describeVerdict, verdictOf, type VerdictSource } from './verdict.js';

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

export const loadctlMatchers = {
  toPass(received: VerdictSource): MatcherResult {
    const verdict = verdictOf(received);
    return { pass: verdict.passed, message: () => (verdict.passed ? `expected the load test to fail, but it passed:\n${describeVerdict(verdict)}` : describeVerdict(verdict)) };
  },
};
