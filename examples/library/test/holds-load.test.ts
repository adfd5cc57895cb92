/**
 * A load test inside a test suite (docs/library.md): the behaviour example service, started
 * in-process on a free port, must hold 100 requests/s with p95 < 100 ms and no errors.
 *
 * The figures are illustrative: 100/s is far below what the service holds on a quiet machine
 * (docs/library.md), so the test passes on a busy one too. Pick yours from a capacity search.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { start, type RunningService } from '@loadctl-example/behaviour';
import { defineScenario, run } from '@loadctl/core';
import '@loadctl/core/testing/vitest'; // expect(result).toPass()

let service: RunningService;
beforeAll(async () => {
  service = await start(); // 127.0.0.1, a free port
});
afterAll(async () => {
  await service.close();
});

it('the behaviour service holds 100 requests/s at p95 < 100 ms', async () => {
  const scenario = defineScenario({
    name: 'behaviour holds 100/s',
    target: service.url,
    load: { rate: 100, duration: '3s' },
    steps: [
      {
        name: 'store a reaction',
        post: '/v1/behaviors',
        json: { user: 'user-${randomInt(1, 50)}', article: 'a-${randomInt(1, 500)}', status: 'like' },
        check: { status: 201 },
      },
    ],
    thresholds: ['p(95) < 100ms', 'error_rate < 1%', 'checks == 100%'],
  });
  const result = await run(scenario, { workers: 1 });
  expect(result).toPass(); // fails listing each failing threshold with its measured value
  expect(result.summary.total.count).toBeGreaterThan(0);
});
