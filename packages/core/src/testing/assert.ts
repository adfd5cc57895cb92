/** assertPassed: a failed load test verdict as a readable assertion error, for any test runner. */
import { AssertionError } from 'node:assert';
import type { ThresholdResult, Verdict } from '../metrics/model.js';
import { describeVerdict, verdictOf, type VerdictSource } from './verdict.js';

/** Thrown by assertPassed: an AssertionError (test runners show it as a failed assertion) with the verdict. */
export class LoadTestAssertionError extends AssertionError {
  override readonly name = 'LoadTestAssertionError';
  readonly verdict: Verdict;
  /** The thresholds that failed (measured value, limit and unit in each). */
  readonly failed: ThresholdResult[];

  constructor(verdict: Verdict) {
    super({ message: describeVerdict(verdict) });
    this.verdict = verdict;
    this.failed = verdict.thresholds.filter((t) => !t.passed);
  }
}

/**
 * Throw a LoadTestAssertionError unless the run passed: every threshold held and the
 * run was not stopped early. The message lists each failing threshold with what was
 * measured and its limit, e.g. `✗ p(95) < 200ms: measured 312.4 ms, limit 200 ms`.
 *
 * ```ts
 * const result = await run('scenarios/smoke.yml');
 * assertPassed(result);
 * ```
 */
export function assertPassed(result: VerdictSource): void {
  const verdict = verdictOf(result);
  if (!verdict.passed) throw new LoadTestAssertionError(verdict);
}
