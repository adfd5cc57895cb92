import { describe, expect, it } from 'vitest';
import { fitSlope, tQuantile975 } from '../src/soak/regression.js';
import { computeTrends, MIN_TREND_POINTS } from '../src/soak/trends.js';
import { soakVerdict } from '../src/soak/verdict.js';
import { defaultTrendWarmupMs, steadyWindow } from '../src/soak/window.js';
import type { Interval, LatencySummary, RequestStats, Trend } from '../src/metrics/model.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
/** Standard normal via Box-Muller. */
function gauss(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const latency = (p50: number, p99: number, count: number): LatencySummary => ({
  count,
  min: p50,
  mean: p50,
  stdev: 0,
  max: p99,
  percentiles: { '50': p50, '75': p50, '90': p99, '95': p99, '99': p99, '99.9': p99, '99.99': p99 },
});
const stats = (count: number, failed: number, p50: number, p99: number): RequestStats => ({
  count,
  responses: count,
  errorCount: 0,
  failed,
  statuses: { '200': count - failed, '500': failed },
  errors: {},
  bytesIn: 0,
  bytesOut: 0,
  latency: latency(p50, p99, count),
  serviceTime: latency(p50, p99, count),
});

/** A 1 s interval i with the given figures (latency in µs) and monitor values. */
/** Flat "<source>.<series>" names to the nested sample shape of Interval.monitor. */
function nest(flat: Record<string, number> | undefined): Interval['monitor'] {
  if (!flat) return undefined;
  const out: NonNullable<Interval['monitor']> = {};
  for (const [name, v] of Object.entries(flat)) {
    const dot = name.indexOf('.');
    (out[name.slice(0, dot)] ??= {})[name.slice(dot + 1)] = v;
  }
  return out;
}

function interval(i: number, o: { rps?: number; p99Us?: number; failed?: number; monitor?: Record<string, number>; lengthMs?: number }): Interval {
  const length = o.lengthMs ?? 1000;
  const rps = o.rps ?? 1000;
  const count = Math.round((rps * length) / 1000);
  return {
    index: i,
    start: 1e12 + i * 1000,
    end: 1e12 + i * 1000 + length,
    elapsedMs: i * 1000 + length,
    total: stats(count, o.failed ?? 0, 2000, o.p99Us ?? 8000),
    requests: {},
    flows: {},
    checks: {},
    rps,
    activeUsers: 10,
    dropped: 0,
    late: 0,
    generator: { cpu: 0.3, eventLoopLagMs: 1 },
    monitor: nest(o.monitor),
  };
}

const trend = (ts: Trend[], metric: string): Trend => {
  const t = ts.find((x) => x.metric === metric);
  if (!t) throw new Error(`no trend for ${metric}: ${ts.map((x) => x.metric).join(', ')}`);
  return t;
};

describe('fitSlope', () => {
  it('fits an exact line exactly, with a zero-width interval', () => {
    const xs = [0, 1, 2, 3, 4, 5];
    const f = fitSlope(xs, xs.map((x) => 3 + 2 * x))!;
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(3, 12);
    expect(f.high - f.low).toBeCloseTo(0, 9);
  });

  it('gives the textbook interval for independent residuals', () => {
    // y: alternating residuals ±1 around y = x (no lag-1 correlation: r clamps to 0).
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const ys = xs.map((x, i) => x + (i % 2 === 0 ? 1 : -1));
    const f = fitSlope(xs, ys)!;
    expect(f.autocorrelation).toBe(0);
    let sxx = 0;
    const mx = 5.5;
    for (const x of xs) sxx += (x - mx) ** 2;
    let sse = 0;
    for (let i = 0; i < xs.length; i++) sse += (ys[i] - (f.intercept + f.slope * xs[i])) ** 2;
    const se = Math.sqrt(sse / 8 / sxx);
    expect(f.high - f.slope).toBeCloseTo(2.306 * se, 9);
  });

  it('widens the interval for autocorrelated residuals', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    const smooth = xs.map((x) => Math.sin(x / 10)); // strongly autocorrelated
    const f = fitSlope(xs, smooth)!;
    expect(f.autocorrelation).toBeGreaterThan(0.9);
    expect(f.effectivePoints).toBeLessThan(10);
  });

  it('needs three points with distinct x', () => {
    expect(fitSlope([1, 2], [1, 2])).toBeNull();
    expect(fitSlope([1, 1, 1], [1, 2, 3])).toBeNull();
  });

  it('t quantiles: table, expansion, and monotone toward the normal one', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 3);
    expect(tQuantile975(0.3)).toBe(12.706);
    for (let d = 1; d < 500; d++) expect(tQuantile975(d + 1)).toBeLessThanOrEqual(tQuantile975(d));
  });
});

describe('trend verdicts', () => {
  it('noise never trips a verdict: white, AR(1) and GC-sawtooth noise on flat series stay stable', () => {
    let verdicts = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const rand = rng(seed);
      const g = gauss(rand);
      const n = 30 + Math.floor(rand() * 600);
      let ar = 0;
      const timeline: Interval[] = [];
      for (let i = 0; i < n; i++) {
        ar = 0.9 * ar + g() * 0.05;
        const saw = ((i % 37) / 37) * 0.15; // a heap growing until GC, then dropping back
        timeline.push(
          interval(i, {
            rps: 1000 * (1 + 0.05 * g()),
            p99Us: 8000 * (1 + 0.3 * Math.abs(g())),
            failed: rand() < 0.2 ? 1 : 0,
            monitor: {
              'target.rss': 200e6 * (1 + ar),
              'target.heap': 50e6 * (1 + saw),
              'target.fds': 40 + Math.round(2 * g()),
              'target.tcp.established': 50 + Math.round(g()),
            },
          }),
        );
      }
      const ts = computeTrends(timeline, { fromMs: 0, intervalMs: 1000 });
      expect(ts.length).toBe(9);
      for (const t of ts) if (t.verdict !== 'stable') verdicts++;
      for (const t of ts) if (t.verdict !== 'stable') console.error(seed, n, t);
    }
    expect(verdicts).toBe(0);
  });

  it('a leak is growing; a small drift under the floor is stable; a falling series is stable', () => {
    const g = gauss(rng(7));
    const n = 120;
    const timeline = Array.from({ length: n }, (_, i) =>
      interval(i, {
        monitor: {
          'target.rss': 100e6 + i * 1e6 + 2e6 * g(), // +120 MB over 2 minutes: a leak
          'target.fds': 30 + i, // a descriptor per second
          'target.heap': 100e6 + i * 20e3 + 1e5 * g(), // +2.4 MB: real but below the 8 MiB / 10 % floor
          'generator.heap': 50e6 - i * 1e5, // shrinking
        },
      }),
    );
    const ts = computeTrends(timeline, { fromMs: 0, intervalMs: 1000 });
    const rss = trend(ts, 'target.rss');
    expect(rss.verdict).toBe('growing');
    expect(rss.unit).toBe('bytes');
    expect(rss.slopePerHour).toBeGreaterThan(3.0e9);
    expect(rss.slopePerHour).toBeLessThan(4.2e9); // 1 MB/s = 3.6 GB/h
    expect(rss.low).toBeGreaterThan(0);
    expect(rss.low).toBeLessThanOrEqual(rss.slopePerHour);
    expect(rss.high).toBeGreaterThanOrEqual(rss.slopePerHour);
    expect(rss.points).toBe(n);
    expect(trend(ts, 'target.fds').verdict).toBe('growing');
    expect(trend(ts, 'target.fds').unit).toBe('count');
    const heap = trend(ts, 'target.heap');
    expect(heap.low).toBeGreaterThan(0);
    expect(heap.verdict).toBe('stable');
    expect(heap.reason).toMatch(/under the floor/);
    expect(trend(ts, 'generator.heap').verdict).toBe('stable');
    expect(trend(ts, 'generator.heap').reason).toMatch(/falling/);

    const v = soakVerdict(ts, 0, n * 1000);
    expect(v.status).toBe('leaking');
    expect(v.headline).toMatch(/^target looked LEAKING over 2m: /);
    expect(v.headline).toMatch(/target\.rss growing \+3\.\d GB\/h \(95% CI/);
    expect(v.headline).toMatch(/target\.fds growing \+3600\/h/);
  });

  it('latency up, errors up or rps down is degrading; rps up is not', () => {
    const n = 100;
    const up = computeTrends(
      Array.from({ length: n }, (_, i) => interval(i, { p99Us: 8000 + i * 200, rps: 1000 + i * 5, failed: Math.floor(i / 4) })),
      { fromMs: 0, intervalMs: 1000 },
    );
    expect(trend(up, 'latency.p99').verdict).toBe('degrading');
    expect(trend(up, 'latency.p99').unit).toBe('ms');
    expect(trend(up, 'error_rate').verdict).toBe('degrading');
    expect(trend(up, 'rps').verdict).toBe('stable');
    expect(trend(up, 'latency.p50').verdict).toBe('stable');
    const down = computeTrends(
      Array.from({ length: n }, (_, i) => interval(i, { rps: 1000 - i * 3 })),
      { fromMs: 0, intervalMs: 1000 },
    );
    expect(trend(down, 'rps').verdict).toBe('degrading');
    const v = soakVerdict(down, 0, n * 1000);
    expect(v.status).toBe('degrading');
    expect(v.headline).toMatch(/DEGRADING.*rps degrading/);
  });

  it('leaves out the warm-up, partial intervals and series seen too rarely', () => {
    const timeline = Array.from({ length: 40 }, (_, i) =>
      // A steep warm-up in the first 10 s, flat afterwards; the last interval is partial.
      interval(i, { monitor: { 'target.rss': i < 10 ? 50e6 + i * 10e6 : 150e6, ...(i % 10 === 0 ? { 'target.rare': 1 } : {}) }, lengthMs: i === 39 ? 300 : 1000 }),
    );
    const all = computeTrends(timeline, { fromMs: 0, intervalMs: 1000 });
    expect(trend(all, 'target.rss').points).toBe(39);
    const steady = computeTrends(timeline, { fromMs: 10_000, intervalMs: 1000 });
    expect(trend(steady, 'target.rss').points).toBe(29);
    expect(trend(steady, 'target.rss').verdict).toBe('stable');
    expect(trend(steady, 'target.rss').slopePerHour).toBe(0);
    expect(steady.find((t) => t.metric === 'target.rare')).toBeUndefined();
    const short = computeTrends(timeline.slice(0, MIN_TREND_POINTS - 1), { fromMs: 0, intervalMs: 1000 });
    expect(short).toEqual([]);
    const v = soakVerdict(short, 0, 9000);
    expect(v.status).toBe('too_short');
  });

  it('places a sample at the time it was taken, not at its interval: late samples do not blur a leak', () => {
    // RSS grows exactly 1 MB per second of sample time; samples lag their interval by 0..900 ms.
    const rand = rng(3);
    const timeline = Array.from({ length: 30 }, (_, i) => {
      const iv = interval(i, {});
      const at = iv.start + Math.floor(rand() * 900);
      const t = (at - (iv.end - iv.elapsedMs)) / 1000;
      iv.monitor = { target: { rss: 100e6 + t * 1e6 } };
      iv.monitorAt = at;
      return iv;
    });
    const rss = trend(computeTrends(timeline, { fromMs: 0, intervalMs: 1000 }), 'target.rss');
    expect(rss.slopePerHour).toBeCloseTo(3.6e9, -3);
    expect(rss.high - rss.low).toBeLessThan(1e3);
  });

  it('a stable run says so, and names what it did not monitor', () => {
    const flat = computeTrends(
      Array.from({ length: 30 }, (_, i) => interval(i, {})),
      { fromMs: 0, intervalMs: 1000 },
    );
    const v = soakVerdict(flat, 0, 30_000);
    expect(v.status).toBe('stable');
    expect(v.headline).toMatch(/^target looked stable over 30s: .*no target resources were monitored/);
  });
});

describe('steady window', () => {
  it('defaults the warm-up to 10 % of the run, at most 5 minutes', () => {
    expect(defaultTrendWarmupMs(60_000)).toBe(6000);
    expect(defaultTrendWarmupMs(3 * 3600_000)).toBe(300_000);
    expect(steadyWindow({ stagesMs: [60_000], runMs: 60_000 })).toEqual({ fromMs: 6000, toMs: 60_000 });
    expect(steadyWindow({ stagesMs: [60_000], runMs: 60_000, warmupMs: 0 })).toEqual({ fromMs: 0, toMs: 60_000 });
  });
  it('uses the longest stage of several, and a run that ended early ends the window', () => {
    // ramp 1 m, hold 3 h, ramp down 1 m
    const stages = [60_000, 3 * 3600_000, 60_000];
    expect(steadyWindow({ stagesMs: stages, runMs: 3 * 3600_000 + 120_000, warmupMs: 120_000 })).toEqual({ fromMs: 120_000, toMs: 3 * 3600_000 + 60_000 });
    expect(steadyWindow({ stagesMs: stages, runMs: 30 * 60_000, warmupMs: 0 })).toEqual({ fromMs: 60_000, toMs: 30 * 60_000 });
  });
});
