/**
 * Think time and pacing as documented (issue 9): `think` on a flow's last step paces the
 * next iteration; in the open model the step after a think is timed from when it was due.
 * Bounds are counts that delays can only lower, never wall-clock durations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario, run } from '@loadctl/core';
import { deadPort, json, startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('think time', () => {
  it('think on the last step paces a closed-model user: 1 user, think 200ms, 3s sends at most 15 requests', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const scenario = parseScenario(`target: ${server.url}\nload: { users: 1, duration: 3s }\nsteps:\n  - get: /\n    think: 200ms\n`, { env: {} });
    const r = await run(scenario, { workers: 1, warmupMs: 0 });
    // Each iteration takes at least its 200 ms of think time and none starts after 3 s: at most 15.
    expect(server.received).toBeGreaterThanOrEqual(1);
    expect(server.received).toBeLessThanOrEqual(15);
    expect(r.summary.total.count).toBe(server.received);
    const f = r.summary.flows.default;
    expect(f.iterations).toBe(server.received);
    // The iteration duration includes the think time after the last step.
    expect(f.duration.min).toBeGreaterThanOrEqual(199_000);
  });

  it('a step that fails still waits its think time: a refused target is not hammered', async () => {
    const port = await deadPort();
    const scenario = parseScenario(`target: http://127.0.0.1:${port}\nload: { users: 1, duration: 2s }\nsteps:\n  - get: /\n    think: 200ms\n  - get: /next\n`, { env: {} });
    const r = await run(scenario, { workers: 1, preflight: false });
    expect(r.summary.total.count).toBeGreaterThanOrEqual(1);
    expect(r.summary.total.count).toBeLessThanOrEqual(10);
    expect(r.summary.total.errors.connect_refused).toBe(r.summary.total.count);
  });

  it('open model: the step after a think is timed from when it was due, so iteration = latency + think + latency', async () => {
    // A 1 MB JSON body with a check: parsing it delays the worker's event loop before the think
    // timer is even set, so a timer-relative measurement would miss that time.
    const big = JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `item-${i}-${'x'.repeat(30)}` })) });
    server = await startServer((_n, req, res) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) });
        res.end(big);
      } else json(res, 200, {});
    });
    const scenario = parseScenario(
      `target: ${server.url}\nload: { rate: 1, duration: 1s }\nsteps:\n  - get: /big\n    check: { json: "$.items[19999].id" }\n    think: 20ms\n  - get: /small\n`,
      { env: {} },
    );
    const r = await run(scenario, { workers: 1 });
    const s = r.summary;
    expect(s.flows.default.iterations).toBe(1);
    expect(Object.values(s.checks)[0]).toEqual({ passes: 1, fails: 0 });
    const l1 = s.requests['GET /big'].latency.max / 1000;
    const l2 = s.requests['GET /small'].latency.max / 1000;
    const d = s.flows.default.duration.max / 1000;
    // Exact up to histogram precision (3 significant digits per value).
    expect(Math.abs(d - (l1 + 20 + l2))).toBeLessThanOrEqual((d + l1 + l2) / 1000 + 0.01);
  });
});
