import { afterEach, describe, expect, it } from 'vitest';
import { quick, type Reporter } from '@loadctl/core';
import { decodeHistogram } from '@loadctl/core/internal';
import { collectIntervals } from '../../../test/support/reporters.js';
import { deadPort, delayed, failEvery, silent, startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});


describe('quick: counts add up', () => {
  it('sends exactly -n requests, all answered and counted, statuses adding up', async () => {
    server = await startServer(failEvery(3));
    const c = collectIntervals();
    const { summary: s } = await quick({ url: `${server.url}/items?x=1`, requests: 1500, connections: 8, workers: 2, reporters: [c] });
    expect(server.received).toBe(1500);
    expect(s.total.count).toBe(1500);
    expect(s.total.responses).toBe(1500);
    expect(s.total.statuses).toEqual({ '200': 1000, '500': 500 });
    expect(s.total.failed).toBe(500);
    expect(s.total.errorCount).toBe(0);
    expect(Object.keys(s.requests)).toEqual(['GET /items?x=1']);
    // Intervals add up to the cumulative total, and the histogram holds every response.
    expect(c.intervals.reduce((n, i) => n + i.total.count, 0)).toBe(1500);
    const h = decodeHistogram(s.total.latencyHistogram);
    expect(h.totalCount).toBe(1500);
    expect(s.total.bytesIn).toBeGreaterThan(1500 * 20);
    expect(s.total.bytesOut).toBeGreaterThan(1500 * 20);
    expect(s.verdict.endReason).toBe('completed');
  });

  it('a warm-up sends load first but only the run is measured', async () => {
    server = await startServer(failEvery(1_000_000));
    const { summary: s } = await quick({ url: server.url, requests: 300, connections: 4, workers: 1, warmupMs: 500 });
    expect(s.total.count).toBe(300);
    expect(s.generator!.warmup.requests).toBeGreaterThan(0);
    expect(server.received).toBe(300 + s.generator!.warmup.requests); // the warm-up's requests reached the server...
    expect(decodeHistogram(s.total.latencyHistogram).totalCount).toBe(300); // ...but not the figures
  });

  it('counts connection refusals as errors and goes on', async () => {
    const port = await deadPort();
    const { summary: s } = await quick({ url: `http://127.0.0.1:${port}/`, requests: 40, connections: 4, workers: 1, preflight: false });
    expect(s.total.count).toBe(40);
    expect(s.total.errors).toEqual({ connect_refused: 40 });
    expect(s.total.responses).toBe(0);
    expect(s.total.failed).toBe(40);
  });

  it('refuses to start against an unreachable target (exit 3 error)', async () => {
    const port = await deadPort();
    await expect(quick({ url: `http://127.0.0.1:${port}/`, requests: 5 })).rejects.toMatchObject({ code: 'E_TARGET_UNREACHABLE', exitCode: 3 });
  });

  it('times out requests to a server that never answers', async () => {
    server = await startServer(silent);
    const { summary: s } = await quick({ url: server.url, requests: 6, connections: 3, workers: 1, timeoutMs: 300 });
    expect(s.total.count).toBe(6);
    expect(s.total.errors).toEqual({ timeout: 6 });
    // Timed until they were given up: no earlier than the timeout.
    expect(s.total.latency.count).toBe(6);
    expect(s.total.latency.min).toBeGreaterThanOrEqual(300_000);
  });

  it('rejects bad options with a clear message', async () => {
    await expect(quick({ url: 'not a url' })).rejects.toMatchObject({ code: 'E_BAD_URL', exitCode: 2 });
    await expect(quick({ url: 'ftp://x/' })).rejects.toMatchObject({ code: 'E_BAD_URL' });
    await expect(quick({ url: 'http://127.0.0.1/', connections: -1 })).rejects.toThrow('connections (-c) must be a positive whole number, got -1');
    await expect(quick({ url: 'http://127.0.0.1/', requests: 1.5 })).rejects.toThrow('requests (-n)');
    await expect(quick({ url: 'http://127.0.0.1/', rate: 0 })).rejects.toThrow('rate (-r) must be a positive number');
  });
});

describe('quick: measurement', () => {
  it('percentiles of known latencies land within histogram precision', async () => {
    // 9 of 10 requests take 20 ms, every 10th takes 120 ms.
    server = await startServer(delayed((n) => (n % 10 === 0 ? 120 : 20)));
    const { summary: s } = await quick({ url: server.url, requests: 400, connections: 10, workers: 1 });
    const p = s.total.latency.percentiles;
    expect(s.total.count).toBe(400);
    // Lower bounds are hard (a request cannot be faster than the server's delay); the only
    // upper bound is relative: the median and p85 are fast requests, not the 120 ms ones,
    // which holds unless the machine delays most requests by 100 ms.
    expect(p['50']).toBeGreaterThanOrEqual(20_000);
    expect(p['50']).toBeLessThan(120_000);
    expect(p['95']).toBeGreaterThanOrEqual(120_000);
    expect(s.total.latency.min).toBeGreaterThanOrEqual(19_000); // timers may fire up to 1 ms early
    expect(s.total.latency.max).toBeGreaterThanOrEqual(120_000);
    const h = decodeHistogram(s.total.latencyHistogram);
    expect(h.getValueAtPercentile(85)).toBeLessThan(120_000);
  });

  it('open model: sends exactly the scheduled arrivals and reports the target rate', async () => {
    server = await startServer(failEvery(1_000_000));
    const c = collectIntervals();
    const { summary: s } = await quick({ url: server.url, rate: 200, durationMs: 2000, workers: 2, reporters: [c] });
    // Every scheduled arrival is sent, or — when the generator fell behind past the end — missed
    // and counted; none is sent twice or lost, and none is dropped at the in-flight cap.
    expect(s.total.count + (s.missed ?? 0)).toBe(400);
    // The default warm-up (a tenth of the run, at the run's rate) reached the server too, counted apart.
    expect(s.generator!.warmup.durationMs).toBe(200);
    expect(s.generator!.warmup.requests).toBeGreaterThan(0);
    expect(server.received).toBe(s.total.count + s.generator!.warmup.requests);
    expect(s.dropped).toBe(s.missed);
    // Full intervals within the load ask for 200/s (a last one that runs past the end asks for less).
    const full = c.intervals.filter((i) => i.end - i.start >= 999 && i.elapsedMs <= 2000);
    expect(full.length).toBeGreaterThan(0);
    for (const i of full) expect(i.targetRate).toBeCloseTo(200, 5);
  });

  it('open model: arrivals beyond the in-flight cap are dropped and counted', async () => {
    server = await startServer(silent);
    const { summary: s } = await quick({ url: server.url, rate: 100, durationMs: 1000, maxInFlight: 10, timeoutMs: 1000, workers: 1, connections: 10 });
    // 100 arrivals: at most 10 start (and time out), the others are dropped at the cap
    // (or, on a very late generator, missed at the end): all are accounted for.
    expect(s.total.count).toBeLessThanOrEqual(10);
    expect(s.total.errorCount).toBe(s.total.count); // every started one timed out
    expect(s.dropped).toBe(100 - s.total.count);
    if (s.dropped > (s.missed ?? 0)) expect(s.warnings.map((w) => w.code)).toContain('DROPPED_ITERATIONS');
  });

  it('pipelining sends several requests per connection and still counts exactly', async () => {
    server = await startServer(failEvery(1_000_000));
    const { summary: s } = await quick({ url: server.url, requests: 500, connections: 2, pipelining: 4, workers: 1 });
    expect(s.total.count).toBe(500);
    expect(server.received).toBe(500);
  });
});

describe('quick: stopping', () => {
  it('an abort signal stops the run early and still returns the partial summary', async () => {
    server = await startServer(delayed(() => 5));
    const ac = new AbortController();
    // Abort once the run has measured something (not on a timer: a slow start would see nothing).
    const abortOnData: Reporter = { name: 'abort', interval: (i) => void (i.total.count > 0 && ac.abort()) };
    const { summary: s } = await quick({ url: server.url, durationMs: 60_000, connections: 4, workers: 1, signal: ac.signal, reporters: [abortOnData] });
    expect(s.verdict).toMatchObject({ endReason: 'interrupted', passed: false });
    expect(s.total.count).toBeGreaterThan(0);
    // Every answered request was counted; interrupted ones are not.
    expect(s.total.count).toBeLessThanOrEqual(server.received);
  });
});
