/**
 * "Failed requests vanish from latency and checks" (issue 9): a target that never answers
 * one request in ten. Timeouts are timed until they were given up and counted in every
 * latency figure; the checks of a request that got no response fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario, run } from '@loadctl/core';
import { decodeHistogram } from '@loadctl/core/internal';
import { deadPort, json, startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('failed requests count in latency and checks', () => {
  it('a silent 1-in-10 target with timeout 500ms: p99 and max include the timeouts, checks fail, FAILED', async () => {
    server = await startServer((n, _req, res) => {
      if (n % 10 !== 0) json(res, 200, { n });
    });
    const scenario = parseScenario(
      `
target: ${server.url}
timeout: 500ms
load: { users: 4, iterations: 200 }
steps:
  - get: /
    check: { status: 200 }
thresholds:
  - p(99) < 100ms
  - checks > 99%
  - success.p(99) < 10s
`,
      { env: {} },
    );
    const r = await run(scenario, { workers: 1 });
    const t = r.summary.total;
    expect(t.count).toBe(200);
    expect(t.errors).toEqual({ timeout: 20 });
    // Every request counted has a latency; the successful-only distribution sits beside it.
    expect(t.latency.count).toBe(200);
    expect(decodeHistogram(t.latencyHistogram).totalCount).toBe(200);
    expect(t.successLatency?.count).toBe(180);
    expect(decodeHistogram(t.successLatencyHistogram!).totalCount).toBe(180);
    // A timeout is given up no earlier than its timeout: 10% of requests >= 500 ms puts p99 and max there.
    expect(t.latency.max).toBeGreaterThanOrEqual(500_000);
    expect(t.latency.percentiles['99']).toBeGreaterThanOrEqual(500_000);
    expect(t.successLatency!.max).toBeLessThanOrEqual(t.latency.max);
    // Service time: only requests written to a connection (all of them here).
    expect(t.serviceTime.count).toBe(200);
    // Checks of the requests that got no response failed, counted under the check's name.
    const checks = Object.entries(r.summary.checks);
    expect(checks).toHaveLength(1);
    expect(checks[0][1]).toEqual({ passes: 180, fails: 20 });
    expect(r.summary.flows.default).toMatchObject({ iterations: 200, failed: 20 });
    const [p99, checkRate, successP99] = r.summary.verdict.thresholds;
    expect(p99.passed).toBe(false);
    expect(p99.actual!).toBeGreaterThanOrEqual(500);
    expect(checkRate).toMatchObject({ passed: false, actual: 0.9 });
    expect(successP99.passed).toBe(true);
    expect(r.summary.verdict.passed).toBe(false);
  });

  it('a refused connection fails the checks of its step (by name) and is timed', async () => {
    const port = await deadPort();
    const scenario = parseScenario(
      `
target: http://127.0.0.1:${port}
load: { users: 2, iterations: 10 }
steps:
  - get: /
    check: [{ status: 200, name: ok }, { maxDuration: 5s, name: fast }]
  - get: /never
`,
      { env: {} },
    );
    const r = await run(scenario, { workers: 1, preflight: false });
    const t = r.summary.total;
    expect(t.count).toBe(10);
    expect(t.errors).toEqual({ connect_refused: 10 });
    expect(t.latency.count).toBe(10);
    expect(t.successLatency?.count).toBe(0);
    expect(r.summary.checks).toEqual({ ok: { passes: 0, fails: 10 }, fast: { passes: 0, fails: 10 } });
    expect(r.summary.requests['GET /never']).toBeUndefined();
  });
});
