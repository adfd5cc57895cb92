import { describe, expect, it } from 'vitest';
import { parseThreshold, checkThresholdScope, ThresholdSyntaxError } from '../src/thresholds/parse.js';
import { evaluateThresholds, thresholdStatsFromSummary } from '../src/thresholds/evaluate.js';
import { parseScenario } from '../src/scenario/load.js';
import { ScenarioError } from '../src/scenario/errors.js';
import type { Summary, Trend } from '../src/metrics/model.js';

describe('trend() thresholds: parse', () => {
  it.each([
    ['trend(target.rss) < 50MB/h', { series: 'target.rss', op: '<', limit: 50e6, unit: 'bytes/h' }],
    ['trend(target.rss) < 64MiB/h', { series: 'target.rss', op: '<', limit: 64 * 2 ** 20, unit: 'bytes/h' }],
    ['trend(generator.heap)<=5 MB / h', { series: 'generator.heap', op: '<=', limit: 5e6, unit: 'bytes/h' }],
    ['trend(p(99)) < 10ms/h', { series: 'latency.p99', op: '<', limit: 10, unit: 'ms/h' }],
    ['trend(latency.p(95)) < 1s/h', { series: 'latency.p95', op: '<', limit: 1000, unit: 'ms/h' }],
    ['trend( latency.p50 ) < 500us/h', { series: 'latency.p50', op: '<', limit: 0.5, unit: 'ms/h' }],
    ['trend(error_rate) < 0.5%/h', { series: 'error_rate', op: '<', limit: 0.005, unit: 'ratio/h' }],
    ['trend(rps) > -100/h', { series: 'rps', op: '>', limit: -100, unit: '1/s/h' }],
    ['trend(target.fds) < 10/h', { series: 'target.fds', op: '<', limit: 10, unit: 'count/h' }],
    ['trend(target.tcp.established) == 0/h', { series: 'target.tcp.established', op: '==', limit: 0, unit: 'count/h' }],
    ['trend(target.cpu) < 5%/h', { series: 'target.cpu', op: '<', limit: 0.05, unit: 'ratio/h' }],
    ['trend(target.nodejs_heap_size_used_bytes) < 1GB/h', { series: 'target.nodejs_heap_size_used_bytes', op: '<', limit: 1e9, unit: 'bytes/h' }],
    ['trend(target.nodejs_heap_space_size_used_bytes{space="old (x)"}) < 1MB/h', { series: 'target.nodejs_heap_space_size_used_bytes{space="old (x)"}', op: '<', limit: 1e6, unit: 'bytes/h' }],
  ])('%s', (src, want) => expect(parseThreshold(src)).toEqual({ metric: 'trend', ...want }));

  it.each([
    ['trend(target.rss) < 50MB', 'a trend is a change per hour: write "50MB/h"'],
    ['trend(target.rss) < 5ms/h', '"ms" is not a unit of target.rss (bytes)'],
    ['trend(target.fds) < 5MB/h', '"MB" is not a unit of target.fds (count)'],
    ['trend(p(99)) < 5MB/h', '"MB" is not a unit of latency.p99 (ms)'],
    ['trend(p(99.9)) < 1ms/h', 'no trend is kept for p(99.9)'],
    ['trend() < 1/h', 'trend() needs a series'],
    ['trend(target rss) < 1/h', '"target rss" is not a series name'],
    ['trend(target.rss < 1/h', '"trend(" is not closed'],
    ['trend(target.rss) 1/h', 'expected an operator'],
  ])('%s fails: %s', (src, message) => {
    let err: unknown;
    try {
      parseThreshold(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ThresholdSyntaxError);
    expect((err as Error).message).toContain(message);
  });

  it('applies to the whole run only', () => {
    const t = parseThreshold('trend(target.rss) < 50MB/h');
    expect(checkThresholdScope(t, 'total')).toBeUndefined();
    expect(checkThresholdScope(t, 'request')).toMatch(/scope "total"/);
    expect(checkThresholdScope(t, 'flow')).toMatch(/scope "total"/);
  });
});

const trend = (metric: string, slopePerHour: number, unit: Trend['unit']): Trend => ({
  metric,
  slopePerHour,
  low: slopePerHour - 1,
  high: slopePerHour + 1,
  unit,
  verdict: 'stable',
  mean: 1,
  points: 100,
  reason: '',
});

function summary(trends?: Trend[]): Summary {
  const lat = { count: 0, min: 0, mean: 0, stdev: 0, max: 0, percentiles: {} };
  const total = { count: 0, responses: 0, errorCount: 0, failed: 0, statuses: {}, errors: {}, bytesIn: 0, bytesOut: 0, latency: lat, serviceTime: lat, latencyHistogram: '', serviceTimeHistogram: '', rps: 0 };
  return {
    meta: { runId: 'r', scenario: 's', target: 't', kind: 'scenario', startedAt: 0, workers: 1, intervalMs: 1000, segment: '0/1', loadctlVersion: '0', model: 'open', tags: {} },
    endedAt: 0,
    durationMs: 3_600_000,
    total,
    requests: {},
    flows: {},
    checks: {},
    rps: { mean: 0, min: 0, max: 0, stdev: 0 },
    dropped: 0,
    late: 0,
    verdict: { passed: true, thresholds: [], endReason: 'completed' },
    warnings: [],
    reporters: {},
    trends,
  };
}

describe('trend() thresholds: evaluate', () => {
  const stats = thresholdStatsFromSummary(
    summary([trend('target.rss', 60e6, 'bytes'), trend('latency.p99', 4, 'ms'), trend('error_rate', 0.002, 'ratio'), trend('rps', -150, '1/s')]),
  );
  const one = (expression: string) => evaluateThresholds([{ expression, scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 }], stats)[0];

  it.each([
    ['trend(target.rss) < 50MB/h', 60e6, false],
    ['trend(target.rss) < 64MiB/h', 60e6, true],
    ['trend(p(99)) < 10ms/h', 4, true],
    ['trend(p(99)) < 4ms/h', 4, false],
    ['trend(p(99)) <= 4ms/h', 4, true],
    ['trend(error_rate) < 0.1%/h', 0.002, false],
    ['trend(error_rate) < 0.5%/h', 0.002, true],
    ['trend(rps) > -100/h', -150, false],
    ['trend(rps) > -200/h', -150, true],
  ])('%s: actual %d, passed %s', (expression, actual, passed) => {
    const r = one(expression);
    expect(r.actual).toBe(actual);
    expect(r.passed).toBe(passed);
    expect(r.unit).toMatch(/\/h$/);
  });

  it('a series the run did not record (or a run too short for trends) fails with actual null', () => {
    expect(one('trend(target.fds) < 10/h')).toMatchObject({ actual: null, passed: false });
    const none = thresholdStatsFromSummary(summary(undefined));
    const r = evaluateThresholds([{ expression: 'trend(target.rss) < 50MB/h', scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 }], none)[0];
    expect(r).toMatchObject({ actual: null, passed: false });
  });
});

describe('trend() thresholds in a scenario', () => {
  const base = 'name: s\ntarget: http://127.0.0.1:1\nload: { users: 1, duration: 1s }\nflows: [{ name: f, steps: [{ get: /x }] }]\n';
  it('load in the total scope', () => {
    const s = parseScenario(`${base}thresholds:\n  - trend(target.rss) < 50MB/h\n  - "trend(p(99)) < 10ms/h"\n`, { env: {} });
    expect(s.thresholds.map((t) => t.expression)).toEqual(['trend(target.rss) < 50MB/h', 'trend(p(99)) < 10ms/h']);
  });
  it('are refused in a request scope and for a unit that does not fit, with the position', () => {
    let err: unknown;
    try {
      parseScenario(`${base}thresholds:\n  "GET /x": ["trend(target.rss) < 50MB/h"]\n  total: ["trend(target.rss) < 5ms/h"]\n`, { env: {}, file: 'soak.yml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const issues = (err as ScenarioError).issues.map((i) => i.message);
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^soak\.yml:6:\d+: .*trend\(\) is measured over the whole run \(scope "total"\)/);
    expect(issues[1]).toMatch(/^soak\.yml:7:\d+: .*"ms" is not a unit of target\.rss/);
  });
});
