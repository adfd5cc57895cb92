import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Build (tsc -b) first: engine and CLI tests run the built dist, which must be current.
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Load tests share two cores: run files one after another so figures stay sane.
    fileParallelism: false,
    pool: 'forks',
  },
});
