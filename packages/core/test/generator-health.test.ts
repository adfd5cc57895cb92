/**
 * The generator's own figures in a real run: the generator delay (how late each request was
 * sent after it was due), the main thread's pauses, the warm-up, and the client and timer in
 * the meta. Only what holds under any delay is asserted: per request latency = delay + service
 * time, so the delay's distribution never exceeds the latency's; a queue for one connection is
 * a delay whatever the machine; a main thread blocked on purpose is seen as a pause.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario, quick, run, type Reporter } from '@loadctl/core';
import { collectIntervals } from '../../../test/support/reporters.js';
import { delayed, failEvery, json, silent, startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('generator delay', () => {
  it('open model: every request sent is in it, and latency = delay + service time', async () => {
    server = await startServer(failEvery(1_000_000));
    const c = collectIntervals();
    const s = (await quick({ url: server.url, rate: 200, durationMs: 1500, workers: 1, warmupMs: 0, reporters: [c] })).summary;
    const g = s.generator!;
    expect(s.total.count).toBeGreaterThan(0);
    expect(g.delay.count).toBe(s.total.count);
    // Per request delay <= latency, so every percentile of the delay is at most the latency's.
    for (const p of ['50', '90', '99', '99.9']) expect(g.delay.percentiles[p]).toBeLessThanOrEqual(s.total.latency.percentiles[p]);
    // Means add up within the histograms' precision (3 significant digits each, and 1 µs).
    const lat = s.total.latency.mean;
    expect(Math.abs(lat - (g.delay.mean + s.total.serviceTime.mean))).toBeLessThanOrEqual(0.003 * lat + 3);
    // Per interval too: each interval that sent requests has its delay figures.
    for (const i of c.intervals) if (i.total.count > 0) expect(i.generator.delay!.p99).toBeLessThanOrEqual(i.generator.delay!.max);
    expect(c.intervals.every((i) => typeof i.generator.mainPauseMs === 'number')).toBe(true);
    expect(s.meta).toMatchObject({ httpClient: 'fast', arrivalTimer: 'precise', warmupMs: 0 });
  });

  it('closed model: measured from when the user asked to send; no arrival timer; undici named', async () => {
    server = await startServer(failEvery(1_000_000));
    const s = (await quick({ url: server.url, requests: 400, connections: 4, workers: 1, httpClient: 'undici' })).summary;
    expect(s.generator!.delay.count).toBe(400);
    for (const p of ['50', '99']) expect(s.generator!.delay.percentiles[p]).toBeLessThanOrEqual(s.total.latency.percentiles[p]);
    expect(s.meta.httpClient).toBe('undici');
    expect(s.meta.arrivalTimer).toBeUndefined();
  });

  it('a queue for one connection is generator delay, and a large one is warned about', async () => {
    // 100 arrivals/s, one connection, 50 ms per response: at most 20/s can be sent, so
    // requests wait for the connection (up to 10 in flight) on any machine.
    server = await startServer(delayed(() => 50));
    const s = (await quick({ url: server.url, rate: 100, durationMs: 2000, connections: 1, maxInFlight: 10, workers: 1, warmupMs: 0 })).summary;
    const g = s.generator!;
    expect(g.delay.count).toBeGreaterThan(0);
    expect(g.delay.percentiles['50']).toBeGreaterThanOrEqual(50_000);
    const w = s.warnings.find((x) => x.code === 'GENERATOR_DELAY');
    expect(w?.severity).toBe('warn');
    expect(w?.message).toMatch(/^generator delay p99 [\d.]+ ms against latency p50/);
  });
});

describe('main thread pauses', () => {
  it('a main thread blocked for 300 ms is the pause of an interval and a warning', async () => {
    // The block starts right after an interval's pause was taken: it must not be forgotten.
    server = await startServer(failEvery(1_000_000));
    let blocked = false;
    const blocker: Reporter = {
      name: 'blocker',
      interval: () => {
        if (blocked) return;
        blocked = true;
        const until = performance.now() + 300;
        while (performance.now() < until);
      },
    };
    const c = collectIntervals();
    const s = (await quick({ url: server.url, rate: 50, durationMs: 3000, workers: 1, warmupMs: 0, reporters: [blocker, c] })).summary;
    expect(blocked).toBe(true);
    expect(s.generator!.mainPause.maxMs).toBeGreaterThanOrEqual(250);
    expect(Math.max(...c.intervals.map((i) => i.generator.mainPauseMs ?? 0))).toBeGreaterThanOrEqual(250);
    expect(s.warnings.map((w) => w.code)).toContain('MAIN_THREAD_PAUSE');
  });
});

describe('warm-up', () => {
  it('asked for: its requests reach the server, are counted apart, and are in no figure', async () => {
    server = await startServer(failEvery(1_000_000));
    const c = collectIntervals();
    const s = (await quick({ url: server.url, rate: 100, durationMs: 1000, workers: 1, warmupMs: 500, reporters: [c] })).summary;
    expect(s.meta.warmupMs).toBe(500);
    expect(s.generator!.warmup.durationMs).toBe(500);
    expect(s.generator!.warmup.requests).toBeGreaterThan(0);
    expect(server.received).toBe(s.total.count + s.generator!.warmup.requests);
    expect(c.intervals.reduce((n, i) => n + i.total.count, 0)).toBe(s.total.count);
  });

  it('against a silent target it ends on time, abandoning what is in flight', async () => {
    server = await startServer(silent);
    // The warm-up has no timeout sweep of its own: without abandoning, its requests would wait forever.
    const s = (await quick({ url: server.url, rate: 20, durationMs: 500, maxInFlight: 5, connections: 5, timeoutMs: 1000, workers: 1, warmupMs: 300 })).summary;
    expect(s.generator!.warmup.requests).toBeGreaterThan(0);
    expect(s.verdict.endReason).toBe('completed');
    expect(s.total.errors.timeout).toBe(s.total.count); // the run's own requests timed out as usual
  }, 30_000);

  it('by default: a tenth of the run, at most 2 s; none for a run that writes, saying why', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const reads = (await quick({ url: server.url, rate: 50, durationMs: 1000, workers: 1 })).summary;
    expect(reads.meta.warmupMs).toBe(100);
    const writes = parseScenario(`target: ${server.url}\nload: { rate: 20, duration: 1s }\nsteps:\n  - post: /items\n    json: { a: 1 }\n  - get: /items\n`, { env: {} });
    const before = server.received;
    const r = await run(writes, { workers: 1 });
    expect(r.summary.meta.warmupMs).toBe(0);
    expect(r.summary.generator!.warmup).toEqual({ durationMs: 0, requests: 0 });
    expect(server.received - before).toBe(r.summary.total.count);
    expect(r.summary.warnings.find((w) => w.code === 'NO_WARMUP')?.message).toMatch(/the scenario sends POST/);
  });
});
