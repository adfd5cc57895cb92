/**
 * "Rate figures distorted at the edges" (issue 9): per-second figures divide by the
 * interval's real length and a short last interval is folded into the one before;
 * summary.rps is measured over the load window (graceful drain excluded); compare judges
 * throughput on successful requests and refuses runs with nothing in common.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compareResults, parseScenario, run, type RunResult } from '@loadctl/core';
import { execute, quickScenario } from '@loadctl/core/internal';
import { collectIntervals } from '../../../test/support/reporters.js';
import { delayed, failEvery, json, startServer, type TestServer } from '../../../test/support/servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(h: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(h);
  servers.push(s);
  return s;
}

describe('interval rates', () => {
  it('no interval shorter than 20% of an interval: the drain after the end is folded in, and rps = count / real length', async () => {
    // The load ends at 1 s; iterations in flight then take 100 ms more (a ~10% tail).
    const s = await server(delayed(() => 100));
    const c = collectIntervals();
    const scenario = parseScenario(`target: ${s.url}\nload: { users: 2, duration: 1s }\nsteps: [GET /]\n`, { env: {} });
    const r = await run(scenario, { workers: 1, reporters: [c] });
    expect(r.timeline.length).toBeGreaterThanOrEqual(1);
    for (const i of r.timeline) {
      if (r.timeline.length > 1) expect(i.end - i.start).toBeGreaterThanOrEqual(200);
      expect(i.rps).toBeCloseTo(i.total.count / ((i.end - i.start) / 1000), 9);
    }
    // Reporters (live line, InfluxDB, chart) get exactly the timeline, in order.
    expect(c.intervals).toEqual(r.timeline);
    expect(r.timeline.reduce((n, i) => n + i.total.count, 0)).toBe(r.summary.total.count);
    expect(r.timeline.map((i) => i.index)).toEqual(r.timeline.map((_, k) => k));
  });
});

describe('summary.rps over the load window', () => {
  it('a 100/s open run is 100/s: the graceful drain is not in the denominator', async () => {
    const s = await server(delayed(() => 1000));
    const scenario = parseScenario(`target: ${s.url}\nload: { rate: 100, duration: 2s }\nsteps: [GET /]\n`, { env: {} });
    const r = await run(scenario, { workers: 1 });
    const m = r.summary;
    // Every arrival sent, or missed by a generator that fell far behind at the end.
    expect(m.total.count + (m.missed ?? 0)).toBe(200);
    // The last requests are sent at ~2 s and answered 1 s later: the drain is long
    // (shorter only if the generator stalled for most of a second right at the end).
    expect(m.loadDurationMs).toBeGreaterThanOrEqual(2000);
    expect(m.durationMs - m.loadDurationMs!).toBeGreaterThanOrEqual(250);
    expect(m.rps.mean).toBeCloseTo(m.total.count / (m.loadDurationMs! / 1000), 9);
    expect(m.rps.mean).toBeLessThanOrEqual(100 + 1e-9);
    expect(m.total.rps).toBeCloseTo(m.rps.mean, 9);
    expect(m.requests['GET /'].rps).toBeCloseTo(m.rps.mean, 9);
  });
});

describe('compare', () => {
  async function quickRun(url: string): Promise<RunResult> {
    const o = { url, requests: 100, connections: 2, workers: 1 };
    return execute(quickScenario(o), { kind: 'quick', workers: 1, model: 'closed 2 connections' });
  }

  it('throughput counts successful requests only; runs with no request name in common are refused; differences are warned about', async () => {
    const ok = await server((_n, _req, res) => json(res, 200, {}));
    const half = await server(failEvery(2));
    const base = await quickRun(`${ok.url}/x`);
    const current = await quickRun(`${half.url}/x`);
    const c = compareResults(base, current, { maxErrorRateIncrease: 1 });
    const t = c.total;
    expect(t.base!.throughput).toBeCloseTo(t.base!.rps, 9);
    expect(t.current!.throughput).toBeCloseTo(t.current!.rps / 2, 9); // 50 of 100 failed
    expect(t.change!.throughput).toBeCloseTo(t.current!.throughput / t.base!.throughput - 1, 9);
    expect(c.warnings).toEqual([`target differs: ${ok.url} vs ${half.url}`]);

    const other = await quickRun(`${ok.url}/y`);
    expect(() => compareResults(base, other)).toThrow(expect.objectContaining({ code: 'E_NOT_COMPARABLE', exitCode: 2 }));
    expect(() => compareResults(base, other)).toThrow(/no request name in common \(base: "GET \/x"; current: "GET \/y"\)/);
  });
});
