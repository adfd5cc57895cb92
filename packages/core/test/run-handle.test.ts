/**
 * The run handle (start / startQuick): events, the async iterator of intervals, stop()
 * gently or at once, done = the result run() returns; and `seed`, which replays template
 * randomness. Real loopback servers; no assertion depends on timing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseScenario, run, start, startQuick, type Interval, type StageChange, type ThresholdResult, type Warning } from '@loadctl/core';
import { delayed, json, startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('run handle', () => {
  it('events, the iterator and done tell the same run: start, every interval, stage changes in order, the end', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const scenario = parseScenario(
      `target: ${server.url}\nload:\n  stages:\n    - { name: warm, users: 2, duration: 1s }\n    - { name: peak, users: 4, duration: 1s }\nsteps: [ { get: / } ]\n`,
      { env: {} },
    );
    const test = start(scenario, { workers: 1, intervalMs: 250 });
    const seen: string[] = [];
    const intervals: Interval[] = [];
    const stages: StageChange[] = [];
    let ended: unknown = null;
    test.on('start', (meta) => seen.push(`start ${meta.scenario}`));
    test.on('interval', (i) => intervals.push(i));
    test.on('stage', (s) => stages.push(s));
    test.on('end', (r) => (ended = r));
    const iterated: Interval[] = [];
    for await (const i of test) iterated.push(i);
    const result = await test.done;
    expect(seen).toEqual(['start scenario']);
    expect(ended).toBe(result);
    expect(iterated).toEqual(intervals);
    expect(intervals.map((i) => i.index)).toEqual(result.timeline.map((i) => i.index));
    expect(intervals.reduce((n, i) => n + i.total.count, 0)).toBe(result.summary.total.count);
    expect(stages.map((s) => s.name)).toEqual(['warm', 'peak']);
  });

  it('stop({ graceful: true }): no new request starts, those in flight complete and are all counted', async () => {
    let test: ReturnType<typeof start> | null = null;
    server = await startServer((n, _req, res) => {
      if (n === 40) void test!.stop({ graceful: true });
      setTimeout(() => json(res, 200, {}), 20);
    });
    // No warm-up: the stop must come during the run, and the server's count must be the run's.
    test = start(parseScenario(`target: ${server.url}\nload: { users: 4, duration: 5m }\nsteps: [ { get: / } ]\n`, { env: {} }), { workers: 1, warmupMs: 0 });
    const r = await test.done;
    expect(r.summary.verdict.endReason).toBe('interrupted');
    expect(r.summary.total.count).toBe(server.received);
    expect(r.summary.total.errorCount).toBe(0);
  });

  it('a stop during the warm-up ends it at once: nothing more is sent, the run is not started', async () => {
    let test: ReturnType<typeof start> | null = null;
    // From the 40th request on the server never answers: the users are stuck, so only a warm-up
    // that heeds the stop can end before its 10 minutes are up.
    server = await startServer((n, _req, res) => {
      if (n === 40) void test!.stop({ graceful: true });
      if (n < 40) json(res, 200, {});
    });
    const users = 4;
    test = start(parseScenario(`target: ${server.url}\nload: { users: ${users}, duration: 30m }\nsteps: [ { get: / } ]\n`, { env: {} }), { workers: 1, warmupMs: 600_000 });
    const r = await test.done;
    expect(r.summary.verdict.endReason).toBe('interrupted');
    expect(r.summary.total.count).toBe(0);
    expect(server.received).toBeLessThanOrEqual(39 + users); // 39 answered, then one stuck request per user
    // what the warm-up wrote: the 40 the server saw at the stop, at most one stuck per user beyond 39
    // (bounds, not equality with server.received: a written request may reach the server after `done`)
    expect(r.summary.generator!.warmup.requests).toBeGreaterThanOrEqual(40);
    expect(r.summary.generator!.warmup.requests).toBeLessThanOrEqual(39 + users);
  }, 60_000);

  it('stop({ graceful: false }) drops what is in flight; stop() before the start sends nothing; stop resolves with the result', async () => {
    let test: ReturnType<typeof start> | null = null;
    server = await startServer(delayed(() => 50));
    const scenario = parseScenario(`target: ${server.url}\nload: { users: 4, duration: 5m }\nsteps: [ { get: / } ]\n`, { env: {} });
    test = start(scenario, { workers: 1 });
    test.on('interval', () => void test!.stop({ graceful: false }));
    const r = await test.done;
    expect(r.summary.verdict.endReason).toBe('interrupted');
    expect(r.summary.total.count).toBeLessThanOrEqual(server.received);

    const before = server.received;
    const early = start(scenario, { workers: 1 });
    const stopped = await early.stop();
    expect(stopped).toBe(await early.done);
    expect(stopped.summary.verdict.endReason).toBe('interrupted');
    expect(server.received).toBe(before);
  });

  it('warnings and thresholds: each warning once, live or at the end; an abort-on-fail threshold mid-run, then every final result', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const hooks = fileURLToPath(new URL('./fixtures/hooks/failing.mjs', import.meta.url));
    const scenario = parseScenario(
      `target: ${server.url}\nhooks: ${hooks}\nload: { users: 2, duration: 5m }\nsteps: [ { get: / } ]\nthresholds:\n  - p(99) < 60s\n  - { expression: "error_rate > 50%", abortOnFail: true }\n`,
      { env: {} },
    );
    const test = start(scenario, { workers: 1 });
    const warnings: Warning[] = [];
    const thresholds: ThresholdResult[] = [];
    test.on('warning', (w) => warnings.push(w));
    test.on('threshold', (t) => thresholds.push(t));
    const r = await test.done;
    expect(r.summary.verdict.endReason).toBe('threshold_abort');
    expect(new Set(warnings)).toEqual(new Set(r.summary.warnings));
    expect(warnings).toHaveLength(r.summary.warnings.length);
    expect(warnings.filter((w) => w.code === 'HOOK_ERROR').length).toBeGreaterThan(0);
    expect(thresholds[0]).toMatchObject({ expression: 'error_rate > 50%', passed: false, aborted: true });
    expect(thresholds.slice(-2)).toEqual(r.summary.verdict.thresholds);
  });

  it('a listener that throws does not disturb the run: a LISTENER_FAILED warning in the returned result', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const test = startQuick({ url: server.url, requests: 100, connections: 2, workers: 1 });
    test.on('interval', () => {
      throw new Error('listener bug');
    });
    const r = await test.done;
    expect(r.summary.total.count).toBe(100);
    expect(r.summary.warnings.find((w) => w.code === 'LISTENER_FAILED')?.message).toContain('listener bug');
  });

  it('a run that cannot start rejects done, and its iterator throws the same error', async () => {
    const test = startQuick({ url: 'not a url' });
    const it = test.intervals();
    await expect(test.done).rejects.toMatchObject({ code: 'E_BAD_URL', exitCode: 2 });
    await expect(it.next()).rejects.toMatchObject({ code: 'E_BAD_URL' });
  });
});

describe('seed', () => {
  const paths = async (seed: number | undefined) => {
    const got: string[] = [];
    const s = await startServer((_n, req, res) => {
      got.push(req.url ?? '');
      json(res, 200, {});
    });
    try {
      const scenario = parseScenario(`target: ${s.url}\nload: { users: 1, iterations: 40 }\nsteps: [ { get: "/r/\${randomInt(1, 1000000)}/\${randomString(6)}" } ]\n`, { env: {} });
      const r = await run(scenario, { workers: 1, seed });
      return { got, seed: r.summary.meta.seed };
    } finally {
      await s.close();
    }
  };

  it('the same seed replays the same random values; the result records the seed it used', async () => {
    const a = await paths(7);
    const b = await paths(7);
    const c = await paths(8);
    expect(a.seed).toBe(7);
    expect(a.got).toHaveLength(40);
    expect(b.got).toEqual(a.got);
    expect(c.got).not.toEqual(a.got);
    const unseeded = await paths(undefined);
    expect(typeof unseeded.seed).toBe('number');
    expect((await paths(unseeded.seed)).got).toEqual(unseeded.got);
  });
});
