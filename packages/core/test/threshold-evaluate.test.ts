import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordMicros, summarizeHistogram } from '../src/metrics/histogram.js';
import type { CumulativeRequestStats, FlowStats, LatencySummary, Summary } from '../src/metrics/model.js';
import type { ThresholdSpec } from '../src/thresholds/spec.js';
import { buildThresholdStats, evaluateThresholds, thresholdsToAbort, thresholdStatsFromSummary, type ThresholdStats } from '../src/thresholds/evaluate.js';

const lat = (p: Record<string, number>, o: Partial<LatencySummary> = {}): LatencySummary => ({ count: 100, min: 1000, mean: 50_000, stdev: 1, max: 900_000, percentiles: p, ...o });
const P = { '50': 40_000, '75': 60_000, '90': 150_000, '95': 200_000, '99': 500_000, '99.9': 800_000, '99.99': 900_000 };

function req(count: number, failed: number, latency = lat(P), extra: Partial<CumulativeRequestStats> = {}): CumulativeRequestStats {
  return {
    count,
    responses: count,
    errorCount: 0,
    failed,
    statuses: {},
    errors: {},
    bytesIn: 0,
    bytesOut: 0,
    latency,
    serviceTime: lat({ ...P, '99': 40_000 }),
    latencyHistogram: '',
    serviceTimeHistogram: '',
    rps: count / 10,
    ...extra,
  };
}

const flow = (iterations: number, failed: number): FlowStats => ({ iterations, failed, duration: lat({ ...P, '95': 2_000_000 }, { count: iterations }) });

function summary(): Summary {
  return {
    meta: { runId: 'r', scenario: 's', target: 't', kind: 'scenario', startedAt: 0, workers: 1, intervalMs: 1000, segment: '0/1', loadctlVersion: '0', model: 'open', tags: {} },
    endedAt: 10_000,
    durationMs: 10_000,
    total: req(1000, 10),
    requests: { 'GET /users/{id}': req(600, 0), 'POST /users': req(400, 10, lat({ ...P, '95': 250_000 })) },
    flows: { store: flow(400, 20), query: flow(0, 0) },
    checks: { a: { passes: 990, fails: 5 }, b: { passes: 4, fails: 1 } },
    rps: { mean: 100, min: 90, max: 110, stdev: 5 },
    dropped: 3,
    late: 0,
    verdict: { passed: true, thresholds: [], endReason: 'completed' },
    warnings: [],
    reporters: {},
  };
}

const spec = (expression: string, scope = 'total', abortOnFail = false, delayAbortEvalMs = 0): ThresholdSpec => ({ expression, scope, abortOnFail, delayAbortEvalMs });
const evalOne = (stats: ThresholdStats, expression: string, scope = 'total') => evaluateThresholds([spec(expression, scope)], stats)[0];

describe('evaluateThresholds', () => {
  const stats = thresholdStatsFromSummary(summary());

  it.each([
    // latency in ms from µs; boundaries of < vs <=
    ['p(95) < 200ms', 'total', 200, false],
    ['p(95) <= 200ms', 'total', 200, true],
    ['p(95) < 0.2s', 'total', 200, false],
    ['p(95) <= 200000us', 'total', 200, true],
    ['p(95) > 199.999ms', 'total', 200, true],
    ['p(95) == 200', 'total', 200, true],
    ['p(95) != 200', 'total', 200, false],
    ['med < 41ms', 'total', 40, true],
    ['avg < 50ms', 'total', 50, false],
    ['min >= 1ms', 'total', 1, true],
    ['max < 900ms', 'total', 900, false],
    ['p(100) <= 900ms', 'total', 900, true],
    ['service_time.p(99) < 41ms', 'total', 40, true],
    // rates: 10 / 1000 = 1%
    ['error_rate < 1%', 'total', 0.01, false],
    ['error_rate <= 1%', 'total', 0.01, true],
    ['error_rate <= 0.01', 'total', 0.01, true],
    ['error_rate == 0%', 'GET /users/{id}', 0, true],
    ['error_rate < 2.5%', 'POST /users', 0.025, false],
    ['p(95) < 250ms', 'POST /users', 250, false],
    // checks 994 / 1000
    ['checks >= 99.4%', 'total', 0.994, true],
    ['checks > 99.4%', 'total', 0.994, false],
    ['rps >= 100', 'total', 100, true],
    ['count > 999', 'total', 1000, true],
    ['dropped == 0', 'total', 3, false],
    ['dropped <= 3', 'total', 3, true],
    // flows
    ['failed_rate < 5%', 'flow:store', 0.05, false],
    ['failed_rate <= 5%', 'flow:store', 0.05, true],
    ['p(95) < 2s', 'flow:store', 2000, false],
    ['iteration_duration.p(95) <= 2s', 'flow:store', 2000, true],
    ['count == 400', 'flow:store', 400, true],
    ['rps == 40', 'flow:store', 40, true],
  ])('%s [%s] -> actual %d, passed %s', (expression, scope, actual, passed) => {
    const r = evalOne(stats, expression, scope);
    expect(r.actual).toBeCloseTo(actual, 9);
    expect(r.passed).toBe(passed);
    expect(r.expression).toBe(expression);
    expect(r.scope).toBe(scope);
  });

  it('reports limit and unit in the metric unit', () => {
    expect(evaluateThresholds([spec('p(95) < 1.5s'), spec('error_rate < 2%'), spec('rps > 5/s'), spec('dropped == 0')], stats).map((r) => [r.limit, r.unit])).toEqual([
      [1500, 'ms'],
      [0.02, 'ratio'],
      [5, '1/s'],
      [0, 'count'],
    ]);
  });

  it('an unknown scope or no data fails with actual null, never passes silently', () => {
    expect(evalOne(stats, 'p(95) < 10s', 'GET /nope')).toMatchObject({ actual: null, passed: false });
    expect(evalOne(stats, 'failed_rate < 100%', 'flow:nope')).toMatchObject({ actual: null, passed: false });
    expect(evalOne(stats, 'failed_rate <= 100%', 'flow:query')).toMatchObject({ actual: null, passed: false });
    expect(evalOne(stats, 'p(95) < 10s', 'flow:query')).toMatchObject({ actual: null, passed: false });
    const empty = buildThresholdStats({ elapsedMs: 0, total: req(0, 0, lat(P, { count: 0 })), requests: {}, flows: {}, checks: {}, dropped: 0 });
    expect(evalOne(empty, 'error_rate < 1%')).toMatchObject({ actual: null, passed: false });
    expect(evalOne(empty, 'checks > 0%')).toMatchObject({ actual: null, passed: false });
    expect(evalOne(empty, 'count == 0')).toMatchObject({ actual: 0, passed: true });
    expect(evalOne(empty, 'rps == 0')).toMatchObject({ actual: 0, passed: true });
  });

  it('percentiles not in the summary come from the encoded histogram', () => {
    const h = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMicros(h, i * 1000); // 1ms .. 1000ms
    const s = summary();
    s.total = req(1000, 0, summarizeHistogram(h), { latencyHistogram: encodeHistogram(h) });
    const st = thresholdStatsFromSummary(s);
    const r = evalOne(st, 'p(97) < 971ms');
    expect(r.actual).toBeGreaterThanOrEqual(969);
    expect(r.actual).toBeLessThanOrEqual(971);
    expect(r.passed).toBe(true);
    // without a histogram an unknown percentile is null
    const noHist = summary();
    noHist.total = req(1000, 0, summarizeHistogram(h));
    expect(evalOne(thresholdStatsFromSummary(noHist), 'p(97) < 1s')).toMatchObject({ actual: null, passed: false });
    h.destroy();
  });

  it('mid-run stats compute rps from elapsed time', () => {
    const { latencyHistogram: _a, serviceTimeHistogram: _b, rps: _c, ...plain } = req(500, 0);
    const st = buildThresholdStats({ elapsedMs: 2000, total: plain, requests: {}, flows: {}, checks: {}, dropped: 0 });
    expect(evalOne(st, 'rps >= 250')).toMatchObject({ actual: 250, passed: true });
  });
});

describe('thresholdsToAbort', () => {
  const stats = thresholdStatsFromSummary(summary());
  const specs = [spec('p(95) < 100ms', 'total', true, 5000), spec('error_rate < 0.1%', 'total', false), spec('p(95) < 1s', 'total', true), spec('p(95) < 1ms', 'GET /never', true)];

  it('only failing abortOnFail thresholds past their delay, with data', () => {
    expect(thresholdsToAbort(specs, stats, 4999)).toEqual([]);
    expect(thresholdsToAbort(specs, stats, 5000)).toEqual([{ expression: 'p(95) < 100ms', scope: 'total', actual: 200, limit: 100, unit: 'ms', passed: false, aborted: true }]);
  });
});

describe('float boundaries', () => {
  it('ratios equal in decimal compare equal', async () => {
    const { compareThreshold } = await import('../src/thresholds/evaluate.js');
    expect(compareThreshold(994 / 1000, '>=', 0.994)).toBe(true);
    expect(compareThreshold(994 / 1000, '>', 0.994)).toBe(false);
    expect(compareThreshold(0.1 + 0.2, '==', 0.3)).toBe(true);
    expect(compareThreshold(0.3 + 1e-6, '<=', 0.3)).toBe(false);
    expect(compareThreshold(199.9999, '<', 200)).toBe(true);
  });
});
