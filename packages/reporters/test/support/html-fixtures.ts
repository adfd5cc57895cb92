/**
 * RunResults for the HTML report tests, built with the same HDR helpers the
 * engine uses (createHistogram, recordMicros, encodeHistogram, summarizeHistogram).
 *
 * Short runs record every request into real per-interval histograms. Long runs
 * (soak: 10 800+ intervals) would spend minutes summarising tens of thousands of
 * interval histograms, so their per-interval latency figures are derived from the
 * drawn sample directly, while the cumulative per-request histograms (what the
 * latency-distribution chart decodes) stay real: every sample is recorded with
 * its weight.
 */
import { type CheckCounts, type CumulativeRequestStats, type ErrorKind, type FlowStats, type Interval, type LatencySummary, type RequestStats, type RunMeta, type RunResult, type ThresholdResult, type Warning } from '@loadctl/core';
import { createHistogram, encodeHistogram, recordMicros, summarizeHistogram, type Histogram, seededRandom } from '@loadctl/core/internal';

/** Deterministic PRNG (the engine's own mulberry32). */
export const prng = seededRandom;

export interface FixtureRequest {
  name: string;
  /** Requests per second. */
  rate: number;
  /** Typical latency in ms. */
  baseMs: number;
  /** Share answered 500. */
  serverErrors: number;
}

export interface FixtureOptions {
  intervals: number;
  intervalMs?: number;
  startedAt?: number;
  scenario?: string;
  requests?: FixtureRequest[];
  model?: 'open' | 'closed';
  /** Stage names and the interval index each starts at. */
  stages?: Array<{ name: string; from: number }>;
  /** One interval whose latency jumps to `spikeMs` (max) for every request name. */
  spike?: { at: number; ms: number };
  /** Record every request into per-interval histograms (default: when intervals ≤ 600). */
  exactIntervals?: boolean;
  thresholds?: (r: Omit<RunResult['summary'], 'verdict'>) => ThresholdResult[];
  warnings?: Warning[];
  checkName?: string;
  seed?: number;
}

export const DEFAULT_REQUESTS: FixtureRequest[] = [
  { name: 'GET /products/{id}', rate: 120, baseMs: 18, serverErrors: 0.01 },
  { name: 'POST /cart', rate: 40, baseMs: 55, serverErrors: 0.06 },
];

const SAMPLES_PER_INTERVAL = 12;

function emptyLatency(): LatencySummary {
  return summarizeHistogram(createHistogram());
}

function emptyStats(): RequestStats {
  return { count: 0, responses: 0, errorCount: 0, failed: 0, statuses: {}, errors: {}, bytesIn: 0, bytesOut: 0, latency: emptyLatency(), serviceTime: emptyLatency() };
}

function addCounts(into: RequestStats, from: RequestStats): void {
  into.count += from.count;
  into.responses += from.responses;
  into.errorCount += from.errorCount;
  into.failed += from.failed;
  into.bytesIn += from.bytesIn;
  into.bytesOut += from.bytesOut;
  for (const [k, v] of Object.entries(from.statuses)) into.statuses[k] = (into.statuses[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.errors) as Array<[ErrorKind, number]>) into.errors[k] = (into.errors[k] ?? 0) + v;
}

function record(h: Histogram, us: number, count: number): void {
  if (count === 1) recordMicros(h, us);
  else h.recordValueWithCount(Math.max(1, Math.min(3_600_000_000, Math.round(us))), count);
}

/** Latency figures of a weighted sample (µs) without a histogram: for long synthetic runs. */
function summarizeSample(values: Array<{ us: number; n: number }>): LatencySummary {
  const sorted = [...values].sort((a, b) => a.us - b.us);
  const total = sorted.reduce((s, v) => s + v.n, 0);
  if (total === 0) return emptyLatency();
  const at = (p: number): number => {
    const rank = Math.ceil((p / 100) * total);
    let seen = 0;
    for (const v of sorted) {
      seen += v.n;
      if (seen >= rank) return v.us;
    }
    return sorted[sorted.length - 1].us;
  };
  const mean = sorted.reduce((s, v) => s + v.us * v.n, 0) / total;
  const variance = sorted.reduce((s, v) => s + v.n * (v.us - mean) ** 2, 0) / total;
  const percentiles: Record<string, number> = {};
  for (const p of [50, 75, 90, 95, 99, 99.9, 99.99]) percentiles[String(p)] = at(p);
  return { count: total, min: sorted[0].us, mean, stdev: Math.sqrt(variance), max: sorted[sorted.length - 1].us, percentiles };
}

export function makeResult(options: FixtureOptions): RunResult {
  const n = options.intervals;
  const intervalMs = options.intervalMs ?? 1000;
  const startedAt = options.startedAt ?? Date.UTC(2026, 0, 15, 9, 0, 0);
  const specs = options.requests ?? DEFAULT_REQUESTS;
  const random = prng(options.seed ?? 7);
  const exact = options.exactIntervals ?? n <= 600;
  const open = (options.model ?? 'closed') === 'open';
  const stages = options.stages ?? [];
  const checkName = options.checkName ?? 'status is 2xx';

  const cumLatency = new Map<string, Histogram>(specs.map((s) => [s.name, createHistogram()]));
  const cumService = new Map<string, Histogram>(specs.map((s) => [s.name, createHistogram()]));
  const cumStats = new Map<string, RequestStats>(specs.map((s) => [s.name, emptyStats()]));
  const totalLatency = createHistogram();
  const totalService = createHistogram();
  const totalStats = emptyStats();
  const flowHist = createHistogram();
  const flow: FlowStats = { iterations: 0, failed: 0, duration: emptyLatency() };
  const checks: CheckCounts = { [checkName]: { passes: 0, fails: 0 } };
  const timeline: Interval[] = [];
  let dropped = 0;
  let late = 0;

  for (let i = 0; i < n; i++) {
    const start = startedAt + i * intervalMs;
    const sec = intervalMs / 1000;
    const spike = options.spike?.at === i;
    // Load shape: ramp over the first 10% of the run, then steady with a little noise.
    const ramp = Math.min(1, (i + 1) / Math.max(1, Math.round(n * 0.1)));
    const requests: Record<string, RequestStats> = {};
    const total = emptyStats();
    const totalSample: Array<{ us: number; n: number }> = [];
    const intervalTotalHist = exact ? createHistogram() : undefined;
    let intervalFailed = 0;
    let iterations = 0;

    for (const spec of specs) {
      const stats = emptyStats();
      const count = Math.max(0, Math.round(spec.rate * sec * ramp * (0.9 + 0.2 * random())));
      const sample: Array<{ us: number; n: number }> = [];
      const lat = exact ? createHistogram() : undefined;
      const svc = exact ? createHistogram() : undefined;
      const draw = (): number => {
        const r = random();
        return spec.baseMs * 1000 * (0.6 + 1.2 * r) * (r > 0.985 ? 4 : 1);
      };
      const add = (us: number, weight: number): void => {
        sample.push({ us, n: weight });
        totalSample.push({ us, n: weight });
        record(cumLatency.get(spec.name)!, us, weight);
        record(cumService.get(spec.name)!, us * 0.85, weight);
        record(totalLatency, us, weight);
        record(totalService, us * 0.85, weight);
        if (lat && svc && intervalTotalHist) {
          record(lat, us, weight);
          record(svc, us * 0.85, weight);
          record(intervalTotalHist, us, weight);
        }
      };
      if (exact) {
        for (let j = 0; j < count; j++) add(spike && j === 0 ? options.spike!.ms * 1000 : draw(), 1);
      } else if (count > 0) {
        // A weighted sample stands for the interval's requests.
        const k = Math.min(SAMPLES_PER_INTERVAL, count);
        let left = count;
        for (let j = 0; j < k; j++) {
          const w = j === k - 1 ? left : Math.floor(count / k);
          left -= w;
          add(spike && j === 0 ? options.spike!.ms * 1000 : draw(), w);
        }
      }
      const serverErrors = Math.round(count * spec.serverErrors * (0.5 + random()));
      const timeouts = spike ? Math.max(1, Math.round(count * 0.05)) : 0;
      const ok = Math.max(0, count - serverErrors - timeouts);
      if (ok) stats.statuses['200'] = ok;
      if (serverErrors) stats.statuses['500'] = serverErrors;
      if (timeouts) stats.errors.timeout = timeouts;
      stats.count = count;
      stats.responses = ok + serverErrors;
      stats.errorCount = timeouts;
      stats.failed = serverErrors + timeouts;
      stats.bytesIn = count * 740;
      stats.bytesOut = count * 160;
      stats.latency = lat ? summarizeHistogram(lat) : summarizeSample(sample);
      stats.serviceTime = svc ? summarizeHistogram(svc) : stats.latency;
      lat?.destroy();
      svc?.destroy();
      requests[spec.name] = stats;
      addCounts(total, stats);
      addCounts(cumStats.get(spec.name)!, stats);
      intervalFailed += stats.failed;
      if (spec === specs[0]) iterations = count;
    }
    total.latency = intervalTotalHist ? summarizeHistogram(intervalTotalHist) : summarizeSample(totalSample);
    total.serviceTime = total.latency;
    intervalTotalHist?.destroy();
    addCounts(totalStats, total);

    const flowFailed = Math.min(iterations, intervalFailed);
    record(flowHist, (specs.reduce((s, r) => s + r.baseMs, 0) + 50) * 1000 * (0.8 + 0.4 * random()), Math.max(1, iterations));
    flow.iterations += iterations;
    flow.failed += flowFailed;
    checks[checkName].passes += total.responses - (total.statuses['500'] ?? 0);
    checks[checkName].fails += (total.statuses['500'] ?? 0) + total.errorCount;
    const intervalDropped = spike ? 25 : 0;
    const intervalLate = spike ? 60 : random() < 0.02 ? 1 : 0;
    dropped += intervalDropped;
    late += intervalLate;
    const stage = [...stages].reverse().find((s) => i >= s.from)?.name;
    const targetRate = open ? Math.round(specs[0].rate * ramp) : undefined;

    timeline.push({
      index: i,
      start,
      end: start + intervalMs,
      elapsedMs: (i + 1) * intervalMs,
      total,
      requests,
      flows: { browse: { iterations, failed: flowFailed, duration: emptyLatency() } },
      checks: { [checkName]: { passes: total.responses - (total.statuses['500'] ?? 0), fails: (total.statuses['500'] ?? 0) + total.errorCount } },
      rps: total.count / sec,
      activeUsers: open ? Math.round(iterations * 0.05 * (spike ? 10 : 1)) : Math.round(20 * ramp),
      ...(open ? { targetRate, achievedRate: Math.max(0, iterations / sec - intervalDropped / sec) } : {}),
      dropped: intervalDropped,
      late: intervalLate,
      ...(stage !== undefined ? { stage } : {}),
      generator: { cpu: 0.3 + 0.2 * random(), eventLoopLagMs: 2 + 3 * random() },
    });
  }

  const durationMs = n * intervalMs;
  const cumulative = (stats: RequestStats, lat: Histogram, svc: Histogram): CumulativeRequestStats => ({
    ...stats,
    latency: summarizeHistogram(lat),
    serviceTime: summarizeHistogram(svc),
    latencyHistogram: encodeHistogram(lat),
    serviceTimeHistogram: encodeHistogram(svc),
    rps: stats.count / (durationMs / 1000),
  });
  flow.duration = summarizeHistogram(flowHist);
  const rpsValues = timeline.map((iv) => iv.rps);
  const mean = rpsValues.reduce((s, v) => s + v, 0) / Math.max(1, rpsValues.length);
  const meta: RunMeta = {
    runId: `fixture-${options.seed ?? 7}-${n}`,
    scenario: options.scenario ?? 'shop checkout',
    target: 'http://127.0.0.1:3000',
    kind: 'scenario',
    startedAt,
    workers: 2,
    plannedDurationMs: durationMs,
    intervalMs,
    segment: '0/1',
    loadctlVersion: '0.1.0',
    model: open ? `open ${specs[0].rate}/s` : 'closed 20 users',
    tags: { env: 'test' },
  };
  const summaryNoVerdict = {
    meta,
    endedAt: startedAt + durationMs,
    durationMs,
    total: cumulative(totalStats, totalLatency, totalService),
    requests: Object.fromEntries(specs.map((s) => [s.name, cumulative(cumStats.get(s.name)!, cumLatency.get(s.name)!, cumService.get(s.name)!)])),
    flows: { browse: flow },
    checks,
    rps: { mean, min: Math.min(...rpsValues), max: Math.max(...rpsValues), stdev: Math.sqrt(rpsValues.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, rpsValues.length)) },
    dropped,
    late,
    warnings: options.warnings ?? [],
    reporters: { console: { errors: 0, dropped: 0, notes: [] }, influxdb: { errors: 2, dropped: 0, notes: ['points written 120, retried 3, dropped 0'] } },
  };
  for (const h of [...cumLatency.values(), ...cumService.values(), totalLatency, totalService, flowHist]) h.destroy();
  const thresholds = options.thresholds ? options.thresholds(summaryNoVerdict) : [];
  return {
    schemaVersion: 1,
    summary: {
      ...summaryNoVerdict,
      verdict: { passed: thresholds.every((t) => t.passed), thresholds, endReason: 'completed' },
    },
    timeline,
    config: { name: summaryNoVerdict.meta.scenario, target: meta.target, headers: { authorization: '***' } },
  };
}

/** p95 < 200ms passes, error_rate < 1% fails (the fixture's error rate is about 2.5%). */
export function standardThresholds(s: Omit<RunResult['summary'], 'verdict'>): ThresholdResult[] {
  const p95 = (s.total.latency.percentiles['95'] ?? 0) / 1000;
  const errorRate = s.total.count ? s.total.failed / s.total.count : 0;
  return [
    { expression: 'p(95) < 200ms', scope: 'total', actual: p95, limit: 200, unit: 'ms', passed: p95 < 200 },
    { expression: 'error_rate < 1%', scope: 'total', actual: errorRate, limit: 0.01, unit: 'ratio', passed: errorRate < 0.01 },
  ];
}

/** 30 one-second intervals, two request names, closed model with two stages; one threshold passes, one fails. */
export function shortRun(overrides: Partial<FixtureOptions> = {}): RunResult {
  return makeResult({
    intervals: 30,
    stages: [
      { name: 'ramp-up', from: 0 },
      { name: 'steady', from: 10 },
    ],
    thresholds: standardThresholds,
    warnings: [{ code: 'generator_cpu', severity: 'warn', message: 'Generator CPU above 90% for 3 s; figures may be skewed.' }],
    ...overrides,
  });
}

export const SOAK_SPIKE = { at: 7777, ms: 4800 };

/** A 3-hour open-model soak at 1-s intervals with a single latency spike (interval 7777, max 4.8 s). */
export function soakRun(overrides: Partial<FixtureOptions> = {}): RunResult {
  return makeResult({
    intervals: 10_800,
    model: 'open',
    stages: [
      { name: 'warm-up', from: 0 },
      { name: 'soak', from: 600 },
      { name: 'cool-down', from: 10_500 },
    ],
    spike: SOAK_SPIKE,
    thresholds: (s) => {
      const p99 = (s.total.latency.percentiles['99'] ?? 0) / 1000;
      return [{ expression: 'p(99) < 500ms', scope: 'total', actual: p99, limit: 500, unit: 'ms', passed: p99 < 500 }];
    },
    seed: 11,
    ...overrides,
  });
}
