/**
 * Loads side by side against a real loopback server: an open load (a rate with at most 7
 * in flight) and a closed load (users) run at once, each load's figures are exactly what
 * the server received of it (told apart by path), the run's figures are their sums, a
 * threshold scoped to one load fails while the other load's passes, and a one-load
 * scenario's result keeps today's shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { merge, parseScenario, parseSegment, run, validateResult, type Interval, type RunResult } from '@loadctl/core';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Requests and the most in flight at once, per path prefix. */
interface PathCounts {
  byPath: Map<string, number>;
  maxInFlightByPath: Map<string, number>;
}

/** /api/* answers 200, /write/* 503 (so the writers' error rate is 100 %), after 2 ms. */
async function twoPathServer(): Promise<TestServer & PathCounts> {
  const counts: PathCounts = { byPath: new Map(), maxInFlightByPath: new Map() };
  const inFlight = new Map<string, number>();
  const s = await startServer((_n, req: IncomingMessage, res: ServerResponse) => {
    const key = (req.url ?? '').split('/')[1];
    counts.byPath.set(key, (counts.byPath.get(key) ?? 0) + 1);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    counts.maxInFlightByPath.set(key, Math.max(counts.maxInFlightByPath.get(key) ?? 0, inFlight.get(key)!));
    res.on('close', () => inFlight.set(key, inFlight.get(key)! - 1));
    setTimeout(() => json(res, key === 'api' ? 200 : 503, { ok: key === 'api' }), 2);
  });
  return Object.assign(s, counts);
}

const sideBySide = (url: string, extra = '') =>
  parseScenario(
    `name: side-by-side
target: ${url}
loads:
  - name: api
    load: { rate: 150, duration: 1500ms, maxInFlight: 7 }
    steps:
      - get: /api/items
        check: { status: 200 }
    thresholds: ['error_rate < 1%', { expression: 'checks > 99%' }]
  - name: writers
    load: { users: 2, duration: 1s }
    tags: { team: data }
    flows:
      - name: write
        pace: 10ms
        steps:
          - post: /write/items
            json: { n: 1 }
thresholds:
  - { expression: 'error_rate < 1%', scope: 'load:writers'${extra} }
  - count > 0
`,
    { env: {} },
  );

const loadCount = (i: Interval, name: string): number => i.loads?.[name]?.total.count ?? 0;

describe('loads side by side', () => {
  it("each load's counts are what the server received of it; the run's are their sums", async () => {
    const srv = (server = await twoPathServer());
    const r = await run(sideBySide(srv.url), { workers: 3, intervalMs: 250 });
    const s = r.summary;
    const api = s.loads!.api;
    const writers = s.loads!.writers;

    // exact per load, told apart by path at the server
    expect(api.total.count).toBe(srv.byPath.get('api'));
    expect(writers.total.count).toBe(srv.byPath.get('write'));
    expect(api.total.count).toBeGreaterThan(0);
    expect(writers.total.count).toBeGreaterThan(0);
    expect(Object.keys(api.requests)).toEqual(['GET /api/items']);
    expect(Object.keys(writers.requests)).toEqual(['POST /write/items']);
    expect(writers.flows.write.iterations).toBe(writers.total.count);
    expect(api.flows.default.iterations).toBe(api.total.count);
    // the run's figures are the sums; its requests by name are the loads' own
    expect(s.total.count).toBe(srv.received);
    expect(s.total.count).toBe(api.total.count + writers.total.count);
    expect(s.total.failed).toBe(api.total.failed + writers.total.failed);
    expect(s.requests['GET /api/items'].count).toBe(api.total.count);
    expect(s.requests['POST /write/items'].count).toBe(writers.total.count);
    expect(s.dropped).toBe(api.dropped + writers.dropped);
    expect(s.checks).toEqual(api.checks);
    // each load's model held: at most 7 api requests and 2 writers in flight at the server
    expect(srv.maxInFlightByPath.get('api')).toBeLessThanOrEqual(7);
    expect(srv.maxInFlightByPath.get('write')).toBeLessThanOrEqual(2);

    // each load's description, planned length and tags; the rate and its shortfall only for the open one
    const loads = s.meta.loads!;
    expect(Object.keys(loads)).toEqual(['api', 'writers']);
    expect([loads.api.model, loads.writers.model]).toEqual(['open up to 150/s, max 7 in flight', 'closed 2 users']);
    expect([loads.api.plannedDurationMs, loads.writers.plannedDurationMs, s.meta.plannedDurationMs]).toEqual([1500, 1000, 1500]);
    expect([loads.api.tags, loads.writers.tags]).toEqual([{}, { team: 'data' }]);
    expect(api.rateShortfall).toBeGreaterThanOrEqual(0);
    expect(writers.rateShortfall).toBeUndefined();
    expect(s.meta.model).toBe('2 loads: api open up to 150/s, max 7 in flight; writers closed 2 users');

    // every interval: the run's figures are the sums of the loads'; the intervals add up to the summary
    expect(r.timeline.length).toBeGreaterThan(0);
    for (const i of r.timeline) {
      expect(i.total.count).toBe(loadCount(i, 'api') + loadCount(i, 'writers'));
      expect(i.requests['GET /api/items']?.count ?? 0).toBe(loadCount(i, 'api'));
      expect(i.activeUsers).toBe((i.loads?.api?.activeUsers ?? 0) + (i.loads?.writers?.activeUsers ?? 0));
      expect(i.stage).toBeUndefined();
      if (i.loads?.api) expect(i.loads.api.targetRate).toBeGreaterThanOrEqual(0);
      if (i.loads?.writers) expect(i.loads.writers.targetRate).toBeUndefined();
    }
    expect(r.timeline.reduce((n, i) => n + loadCount(i, 'api'), 0)).toBe(api.total.count);
    expect(r.timeline.reduce((n, i) => n + loadCount(i, 'writers'), 0)).toBe(writers.total.count);
    expect(r.timeline.reduce((n, i) => n + (i.loads?.writers?.flows.write?.iterations ?? 0), 0)).toBe(writers.flows.write.iterations);

    // a threshold scoped to the writers fails (all 503) while the api's pass
    const th = s.verdict.thresholds.map((t) => [t.load ?? '-', t.scope, t.expression, t.passed]);
    expect(th).toEqual([
      ['writers', 'total', 'error_rate < 1%', false],
      ['-', 'total', 'count > 0', true],
      ['api', 'total', 'error_rate < 1%', true],
      ['api', 'total', 'checks > 99%', true],
    ]);
    expect(s.verdict.thresholds[0].actual).toBe(1);
    expect(s.verdict.thresholds[2].actual).toBe(0);
    expect(s.verdict.passed).toBe(false);
    expect(s.verdict.reasons).toEqual([{ code: 'THRESHOLDS_FAILED', message: '1 of 4 thresholds failed' }]);
  });

  it('an abort-on-fail threshold scoped to one load stops the run and is marked with its load', async () => {
    const srv = (server = await twoPathServer());
    const s = sideBySide(srv.url, ', abortOnFail: true');
    // long loads: the abort, not the planned end, ends the run
    for (const l of s.loads!) for (const st of l.load.stages) st.durationMs = 30_000;
    const r = await run(s, { workers: 2, intervalMs: 200 });
    expect(r.summary.verdict.endReason).toBe('threshold_abort');
    const aborted = r.summary.verdict.thresholds.filter((t) => t.aborted);
    expect(aborted.map((t) => [t.load, t.expression])).toEqual([['writers', 'error_rate < 1%']]);
    expect(r.summary.total.count).toBe(srv.received);
  });
});

describe('loads side by side in shards', () => {
  it("two shards merge into each load's figures, as one machine would have written them", async () => {
    const srv = (server = await twoPathServer());
    const s = sideBySide(srv.url);
    const shards: RunResult[] = [];
    for (const k of [1, 2]) shards.push(await run(s, { workers: 1, intervalMs: 250, segment: parseSegment(`${k}/2`) }));
    const merged = merge(shards);
    const m = merged.summary;
    expect(() => validateResult(JSON.parse(JSON.stringify(merged)))).not.toThrow();
    expect(m.loads!.api.total.count).toBe(srv.byPath.get('api'));
    expect(m.loads!.writers.total.count).toBe(srv.byPath.get('write'));
    expect(m.loads!.api.total.count).toBe(shards[0].summary.loads!.api.total.count + shards[1].summary.loads!.api.total.count);
    expect(m.total.count).toBe(srv.received);
    expect(m.meta.loads).toEqual(shards[0].summary.meta.loads);
    expect(merged.timeline.reduce((n, i) => n + loadCount(i, 'writers'), 0)).toBe(m.loads!.writers.total.count);
    // the thresholds are judged again on the merged figures, each on its load
    expect(m.verdict.thresholds.map((t) => [t.load ?? '-', t.expression, t.passed])).toEqual([
      ['writers', 'error_rate < 1%', false],
      ['-', 'count > 0', true],
      ['api', 'error_rate < 1%', true],
      ['api', 'checks > 99%', true],
    ]);
  });
});

describe('loads side by side with hooks, warm-up and generator delay', () => {
  it('every load runs the hooks (warm-up too), each warms up its own shape, and the generator delay counts both loads', async () => {
    let hooked = 0;
    const byPath = new Map<string, number>();
    const srv = (server = await startServer((_n, req: IncomingMessage, res: ServerResponse) => {
      if (req.headers['x-hooked'] !== undefined) hooked++;
      const key = (req.url ?? '').split('/')[1];
      byPath.set(key, (byPath.get(key) ?? 0) + 1);
      json(res, 200, {});
    }));
    const hooks = fileURLToPath(new URL('./fixtures/hooks/mark.mjs', import.meta.url));
    const s = parseScenario(
      `target: ${srv.url}\nhooks: ${hooks}\nloads:\n  - name: open\n    load: { rate: 100, duration: 1s, maxInFlight: 5 }\n    steps: [GET /open/x]\n  - name: closed\n    load: { users: 2, duration: 1s }\n    flows: [{ name: c, pace: 5ms, steps: [GET /closed/x] }]\n`,
      { env: {} },
    );
    const r = await run(s, { workers: 2, intervalMs: 250, warmupMs: 300 });
    const sum = r.summary;
    const g = sum.generator!;
    // the hooks module reached every runtime of every worker, the warm-up's included
    expect(hooked).toBe(srv.received);
    // the run's generator delay has a count per request sent, of both loads
    expect(sum.loads!.open.total.count).toBeGreaterThan(0);
    expect(sum.loads!.closed.total.count).toBeGreaterThan(0);
    expect(g.delay.count).toBe(sum.total.count);
    // each load warmed up its own shape: both paths got unmeasured requests, and the warm-up's count is what they add up to
    expect(g.warmup.durationMs).toBe(300);
    expect(byPath.get('open')!).toBeGreaterThan(sum.loads!.open.total.count);
    expect(byPath.get('closed')!).toBeGreaterThan(sum.loads!.closed.total.count);
    expect(srv.received).toBe(sum.total.count + g.warmup.requests);
    // every interval's generator delay is of the requests sent in it
    for (const i of r.timeline) if (i.total.count > 0) expect(i.generator.delay).toBeDefined();
  });
});

describe('one load: the result keeps its shape', () => {
  it('no loads grouping anywhere: summary, intervals, thresholds', async () => {
    const srv = (server = await twoPathServer());
    const s = parseScenario(`target: ${srv.url}\nload: { users: 2, duration: 600ms }\nsteps: [GET /api/x]\nthresholds: [count > 0, { expression: 'error_rate < 1%', scope: 'GET /api/x' }]\n`, { env: {} });
    // No warm-up: the server's count must be the run's.
    const r: RunResult = await run(s, { workers: 2, intervalMs: 200, warmupMs: 0 });
    const text = JSON.stringify({ summary: r.summary, timeline: r.timeline });
    expect(text).not.toContain('"loads"');
    expect(text).not.toContain('"load"');
    expect(Object.keys(r.summary).sort()).toEqual(
      ['checks', 'durationMs', 'dropped', 'endedAt', 'flows', 'generator', 'late', 'loadDurationMs', 'meta', 'missed', 'reporters', 'requests', 'rps', 'soak', 'total', 'trends', 'verdict', 'warnings'].sort(),
    );
    expect(Object.keys(r.summary.verdict.thresholds[1]).sort()).toEqual(['actual', 'expression', 'limit', 'passed', 'scope', 'unit']);
    for (const i of r.timeline) {
      expect(Object.keys(i).sort()).toEqual(
        ['activeUsers', 'checks', 'dropped', 'elapsedMs', 'end', 'flows', 'generator', 'index', 'late', 'missed', 'requests', 'rps', 'stage', 'start', 'total', ...(i.total.count > 0 ? ['latencyHistogram'] : [])].sort(),
      );
    }
    expect(r.summary.meta.model).toBe('closed 2 users');
    expect(r.summary.total.count).toBe(srv.received);
  });
});
