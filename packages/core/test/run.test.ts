import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario, run } from '@loadctl/core';
import { collectIntervals } from '../../../test/support/reporters.js';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});


/** A CRUD server that issues ids and checks that PUT/DELETE only ever get ids it issued. */
async function crudServer(): Promise<TestServer & { issued: Set<string>; unknown: number }> {
  const issued = new Set<string>();
  const state = { unknown: 0 };
  let next = 1;
  const s = await startServer((_n, req, res, body) => {
    const m = /^\/items\/([^/?]+)/.exec(req.url ?? '');
    if (req.method === 'POST' && req.url === '/items') {
      const id = `it-${next++}`;
      issued.add(id);
      const parsed = JSON.parse(body) as { name?: string };
      return json(res, 201, { id, name: parsed.name });
    }
    if (req.method === 'GET' && req.url?.startsWith('/items')) return json(res, 200, { items: [] });
    if (m && (req.method === 'PUT' || req.method === 'DELETE')) {
      if (!issued.has(m[1])) {
        state.unknown++;
        return json(res, 404, { error: 'unknown id' });
      }
      if (req.method === 'DELETE') {
        issued.delete(m[1]);
        res.writeHead(204).end();
        return;
      }
      return json(res, 200, { id: m[1] });
    }
    return json(res, 404, {});
  });
  return Object.assign(s, { issued, get unknown() { return state.unknown; } });
}

describe('run: weighted flows, captures, checks', () => {
  it('runs flows in their weight ratio and passes captured ids from POST into PUT and DELETE', async () => {
    const crud = await crudServer();
    server = crud;
    const scenario = parseScenario(
      `
name: crud
target: ${crud.url}
load: { users: 6, iterations: 600 }
flows:
  - name: store
    weight: 1
    steps:
      - post: /items
        json: { name: "item-\${randomInt(1, 1000)}" }
        capture: { json: $.id, as: id }
        check: { status: 201 }
      - put: /items/\${id}
        json: { name: renamed }
        check: { status: 200 }
      - delete: /items/\${id}
        check: { status: 204 }
  - name: query
    weight: 2
    steps:
      - get: /items?page=1
        check: { status: 200, bodyContains: items }
thresholds:
  - checks > 99%
  - error_rate < 1%
`,
      { env: {} },
    );
    const r = await run(scenario, { workers: 2 });
    const s = r.summary;
    // 600 iterations over two workers, each with smooth weighted round robin: exactly 1 : 2.
    expect(s.flows.store.iterations).toBe(200);
    expect(s.flows.query.iterations).toBe(400);
    expect(s.flows.store.failed).toBe(0);
    expect(crud.byRoute.get('POST /items')).toBe(200);
    expect(crud.byRoute.get('GET /items?page=1')).toBe(400);
    expect(crud.unknown).toBe(0);
    expect(crud.issued.size).toBe(0); // every created item was deleted with its own id
    // Request names come from the templates, never the rendered ids.
    expect(Object.keys(s.requests).sort()).toEqual(['DELETE /items/{id}', 'GET /items?page=1', 'POST /items', 'PUT /items/{id}'].sort());
    expect(s.requests['PUT /items/{id}'].count).toBe(200);
    const checks = Object.values(s.checks);
    expect(checks.reduce((n, c) => n + c.passes, 0)).toBe(200 * 3 + 400 * 2);
    expect(checks.reduce((n, c) => n + c.fails, 0)).toBe(0);
    expect(s.verdict.passed).toBe(true);
    expect(s.verdict.thresholds.map((t) => t.passed)).toEqual([true, true]);
    // The redacted config is kept for the result file.
    expect((r.config as { name: string }).name).toBe('crud');
  });

  it('failing checks and thresholds decide the verdict; abortOnFail stops the run early', async () => {
    server = await startServer((_n, _req, res) => json(res, 503, { busy: true }));
    const scenario = parseScenario(
      `
target: ${server.url}
load: { users: 2, duration: 20s }
steps:
  - get: /
    check: { status: 200 }
thresholds:
  - { expression: "error_rate < 10%", abortOnFail: true, delayAbortEval: 1s }
  - p(99) < 10s
`,
      { env: {}, file: 'abort.yml' },
    );
    const r = await run(scenario, { workers: 1 });
    expect(r.summary.verdict.endReason).toBe('threshold_abort');
    expect(r.summary.verdict.passed).toBe(false);
    const [errorRate, p99] = r.summary.verdict.thresholds;
    expect(errorRate).toMatchObject({ passed: false, aborted: true, actual: 1 });
    expect(p99.passed).toBe(true);
    expect(Object.values(r.summary.checks)[0].passes).toBe(0);
  });
});

describe('run: the end of the load', () => {
  it('open model: iterations running when the last arrival comes finish their remaining steps', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const scenario = parseScenario(`target: ${server.url}\nload: { rate: 10, duration: 1s }\nsteps:\n  - get: /first\n    think: 300ms\n  - get: /second\n`, { env: {} });
    // No warm-up: the server's counts are the run's own.
    const r = await run(scenario, { workers: 1, warmupMs: 0 });
    // Every arrival started (or, by a generator far behind at the end, missed) runs both steps.
    const started = server.byRoute.get('GET /first') ?? 0;
    expect(started + (r.summary.missed ?? 0)).toBe(10);
    expect(server.byRoute.get('GET /second')).toBe(started);
    expect(r.summary.flows.default.iterations).toBe(started);
  });

  it('closed model: at the end of the duration, users finish the iteration they are in', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const scenario = parseScenario(`target: ${server.url}\nload: { users: 3, duration: 1s }\nsteps:\n  - get: /a\n    think: 400ms\n  - get: /b\n`, { env: {} });
    const r = await run(scenario, { workers: 1, warmupMs: 0 });
    expect(server.byRoute.get('GET /a')).toBe(server.byRoute.get('GET /b'));
    expect(r.summary.flows.default.iterations).toBe(server.byRoute.get('GET /b'));
  });
});

describe('run: closed model', () => {
  it('spawns users at the spawn rate and never runs more than the stage count', async () => {
    server = await startServer((_n, _req, res) => setTimeout(() => json(res, 200, {}), 20));
    const c = collectIntervals();
    // 2 users/s up to 6: the ramp takes 3 s of the 5.
    const scenario = parseScenario(`target: ${server.url}\nload: { users: 6, spawnRate: 2, duration: 5s }\nsteps: [GET /]\n`, { env: {} });
    const r = await run(scenario, { workers: 2, reporters: [c] });
    expect(server.maxConcurrent).toBeLessThanOrEqual(6);
    const users = c.intervals.map((i) => i.activeUsers);
    expect(Math.max(...users)).toBe(6);
    // Users are spawned over time, not all at once (the first snapshot would need a 2 s delay to see 6)...
    expect(users[0]).toBeLessThan(6);
    // ...and their number never goes down while the load runs.
    const ramp = users.slice(0, users.indexOf(6) + 1);
    expect(ramp).toEqual([...ramp].sort((a, b) => a - b));
    expect(r.summary.total.count).toBeGreaterThan(0);
  });
});

describe('run: coordinated omission', () => {
  it('open model: a 1 s stall shows in latency p99 though only 2 connections (100/s × 1 s = 100 would be needed) were blocked', async () => {
    // The server holds every response from its 100th request on for STALL_MS, then answers all.
    // With 2 connections, a tool timing from the send would see 2 slow requests out of 400;
    // timed from when each request was due, the ~100 that were due during the stall show it.
    const STALL_MS = 1000;
    let held: Array<() => void> | null = null;
    let stalled = false;
    server = await startServer((n, _req, res) => {
      const answer = (): void => json(res, 200, {});
      if (n === 100 && !stalled) {
        stalled = true;
        held = [];
        setTimeout(() => {
          const h = held!;
          held = null;
          for (const f of h) f();
        }, STALL_MS);
      }
      if (held) held.push(answer);
      else answer();
    });
    const scenario = parseScenario(`target: ${server.url}\nload: { rate: 100, duration: 4s, maxInFlight: 1000, connections: 2 }\nsteps: [GET /]\n`, { env: {} });
    const r = await run(scenario, { workers: 1 });
    const s = r.summary.total;
    expect(s.count + (r.summary.missed ?? 0)).toBe(400);
    expect(r.summary.dropped).toBe(r.summary.missed); // never the in-flight cap
    expect(server.maxConcurrent).toBeLessThanOrEqual(2);
    const p99 = s.latency.percentiles['99'] / 1000;
    const svc99 = s.serviceTime.percentiles['99'] / 1000;
    // Delays only add latency: these lower bounds hold on a busy machine. The request that met
    // the stall waited all of it; ~1/4 of the requests were due during it, their latency spread
    // over (0, 1 s], so the top 1% (4 requests) waited at least ~0.9 s.
    expect(s.latency.max / 1000).toBeGreaterThanOrEqual(STALL_MS);
    expect(p99).toBeGreaterThanOrEqual(0.8 * STALL_MS);
    // Service time (from the write) saw only the 2 held requests: it stays small next to the latency.
    expect(svc99).toBeLessThan(p99 / 2);
  }, 60_000);
});
