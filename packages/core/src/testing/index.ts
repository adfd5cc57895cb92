/**
 * @loadctl/core/testing: load tests inside test suites (Vitest, Jest, node:test, ...).
 *
 * ```ts
 * import { assertPassed } from '@loadctl/core/testing';
 * assertPassed(await run('scenarios/smoke.yml'));
 * ```
 * With Vitest, `import '@loadctl/core/testing/vitest'` adds `expect(result).toPass()`;
 * with Jest, `expect.extend(loadctlMatchers)`.
 */
export { assertPassed, LoadTestAssertionError } from './assert.js';
export { loadctlMatchers, type MatcherResult } from './matchers.js';
export { describeVerdict, describeThreshold, formatMeasure, verdictOf, type VerdictSource } from './verdict.js';
