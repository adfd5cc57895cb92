/**
 * `import '@loadctl/core/testing/vitest'` (e.g. in a Vitest setup file) adds
 * `expect(result).toPass()` to Vitest's expect, typed. Needs vitest (a peer dependency).
 */
import { expect } from 'vitest';
import { loadctlMatchers } from './matchers.js';

expect.extend(loadctlMatchers);

declare module 'vitest' {
  interface Assertion<T> {
    /** The load test passed: every threshold held, the run was not stopped early. Fails listing the failing thresholds. */
    toPass(): T;
  }
  interface AsymmetricMatchersContaining {
    toPass(): void;
  }
}
