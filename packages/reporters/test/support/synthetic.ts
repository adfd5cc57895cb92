/**
 * Synthetic-but-real run data for reporter tests: latencies are recorded into
 * real HDR histograms (the same helpers the engine uses), and every Interval /
 * Summary figure is computed from them, so tests can assert exact values.
 */
import { ERROR_KINDS, type CheckCounts, type CumulativeRequestStats, type ErrorKind, type FlowStats, type Interval, type RequestStats, type RunMeta, type Summary, type ThresholdResult, type Verdict } from '@loadctl/core';
import { createHistogram, encodeHistogram, recordMicros, summarizeHistogram, type Histogram, seededRandom } from '@loadctl/core/internal';

/** Deterministic PRNG (the engine's own mulberry32). */
export const rng = seededRandom;

export interface RequestSpec {
  name: string;
  /** Requests per interval (default 100). */
  perInterval?: number;
  /** Base latency in µs (default 20 000); values spread 1x..3x with a tail. */
  baseUs?: number;
  /** Share of responses with status 500 (default 0.02). */
  serverErrorRate?: number;
  /** Share of responses with status 404 (default 0). */
  notFoundRate?: number;
  /** Transport errors per interval by kind (default none). */
  errorsPerInterval?: Partial<Record<ErrorKind, number>>;
  bytesInPerRequest?: number;
  bytesOutPerRequest?: number;
}

export interface SyntheticOptions {
  intervals?: number;
  intervalMs?: number;
  startedAt?: number;
  runId?: string;
  scenario?: string;
  requests?: RequestSpec[];
  checks?: Record<string, { passesPerInterval: number; failsPerInterval: number }>;
  tags?: Record<string, string>;
  thresholds?: ThresholdResult[];
  endReason?: Verdict['endReason'];
  /** Open model target rate (default 150/s); null for a closed model. */
  targetRate?: number | null;
  seed?: number;
}

export interface SyntheticRun {
  meta: RunMeta;
  intervals: Interval[];
  summary: Summary;
  /** The raw latencies recorded per request name (µs), for independent checks. */
  latencies: Record<string, number[]>;
}

const DEFAULT_REQUESTS: RequestSpec[] = [
  { name: 'GET /users/{id}', perInterval: 120, baseUs: 15_000, serverErrorRate: 0.02, errorsPerInterval: { timeout: 1 } },
  { name: 'POST /orders', perInterval: 40, baseUs: 60_000, serverErrorRate: 0.05, notFoundRate: 0.05, errorsPerInterval: { connect_refused: 1, reset: 1 } },
];

interface Acc {
  stats: RequestStats;
  latency: Histogram;
  service: Histogram;
}

function emptyStats(): RequestStats {
  return {
    count: 0,
    responses: 0,
    errorCount: 0,
    failed: 0,
    statuses: {},
    errors: {},
    bytesIn: 0,
    bytesOut: 0,
    latency: summarizeHistogram(createHistogram()),
    serviceTime: summarizeHistogram(createHistogram()),
  };
}

function newAcc(): Acc {
  return { stats: emptyStats(), latency: createHistogram(), service: createHistogram() };
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

function finish(acc: Acc): RequestStats {
  return { ...acc.stats, latency: summarizeHistogram(acc.latency), serviceTime: summarizeHistogram(acc.service) };
}

function cumulative(acc: Acc, durationMs: number): CumulativeRequestStats {
  return {
    ...finish(acc),
    latencyHistogram: encodeHistogram(acc.latency),
    serviceTimeHistogram: encodeHistogram(acc.service),
    rps: acc.stats.count / (durationMs / 1000),
  };
}

export function makeRun(options: SyntheticOptions = {}): SyntheticRun {
  const n = options.intervals ?? 10;
  const intervalMs = options.intervalMs ?? 1000;
  const startedAt = options.startedAt ?? Date.now() - n * intervalMs - 60_000;
  const specs = options.requests ?? DEFAULT_REQUESTS;
  const random = rng(options.seed ?? 42);
  const targetRate = options.targetRate === undefined ? 150 : options.targetRate;
  const meta: RunMeta = {
    runId: options.runId ?? `run-${startedAt}-${Math.floor(random() * 1e6)}`,
    scenario: options.scenario ?? 'synthetic',
    target: 'http://127.0.0.1:3000',
    kind: 'scenario',
    startedAt,
    workers: 2,
    plannedDurationMs: n * intervalMs,
    intervalMs,
    segment: '0/1',
    loadctlVersion: '0.1.0',
    model: targetRate === null ? 'closed 20 users' : `open ${targetRate}/s`,
    tags: options.tags ?? { env: 'test' },
  };
  const checkSpec = options.checks ?? {
    'status is 200': { passesPerInterval: 150, failsPerInterval: 3 },
    'body has id': { passesPerInterval: 40, failsPerInterval: 0 },
  };

  const cumulativeByName = new Map<string, Acc>();
  const cumulativeTotal = newAcc();
  const cumulativeChecks: CheckCounts = {};
  const cumulativeFlow = { iterations: 0, failed: 0, h: createHistogram() };
  const latencies: Record<string, number[]> = {};
  const intervals: Interval[] = [];
  let dropped = 0;
  let late = 0;

  for (let i = 0; i < n; i++) {
    const start = startedAt + i * intervalMs;
    const end = start + intervalMs;
    const total = newAcc();
    const requests: Record<string, RequestStats> = {};
    for (const spec of specs) {
      const acc = newAcc();
      const cum = cumulativeByName.get(spec.name) ?? newAcc();
      cumulativeByName.set(spec.name, cum);
      const perInterval = spec.perInterval ?? 100;
      const base = spec.baseUs ?? 20_000;
      const list = (latencies[spec.name] ??= []);
      const record = (us: number, serviceUs: number): void => {
        list.push(us);
        for (const a of [acc, total, cum, cumulativeTotal]) {
          recordMicros(a.latency, us);
          recordMicros(a.service, serviceUs);
        }
      };
      for (let j = 0; j < perInterval; j++) {
        const r = random();
        const us = Math.round(base * (1 + 2 * r) * (r > 0.98 ? 5 : 1));
        record(us, Math.round(us * 0.8));
        const u = random();
        const status = u < (spec.serverErrorRate ?? 0.02) ? '500' : u > 1 - (spec.notFoundRate ?? 0) ? '404' : '200';
        acc.stats.statuses[status] = (acc.stats.statuses[status] ?? 0) + 1;
        acc.stats.responses++;
        acc.stats.count++;
        if (status !== '200') acc.stats.failed++;
        acc.stats.bytesIn += spec.bytesInPerRequest ?? 512;
        acc.stats.bytesOut += spec.bytesOutPerRequest ?? 128;
      }
      for (const [kind, count] of Object.entries(spec.errorsPerInterval ?? {}) as Array<[ErrorKind, number]>) {
        for (let k = 0; k < count; k++) {
          const us = base * 10;
          record(us, us);
          acc.stats.errors[kind] = (acc.stats.errors[kind] ?? 0) + 1;
          acc.stats.errorCount++;
          acc.stats.failed++;
          acc.stats.count++;
          acc.stats.bytesOut += spec.bytesOutPerRequest ?? 128;
        }
      }
      requests[spec.name] = finish(acc);
      addCounts(total.stats, acc.stats);
      addCounts(cum.stats, acc.stats);
      addCounts(cumulativeTotal.stats, acc.stats);
    }
    const checks: CheckCounts = {};
    for (const [name, c] of Object.entries(checkSpec)) {
      checks[name] = { passes: c.passesPerInterval, fails: c.failsPerInterval };
      const cc = (cumulativeChecks[name] ??= { passes: 0, fails: 0 });
      cc.passes += c.passesPerInterval;
      cc.fails += c.failsPerInterval;
    }
    const flowH = createHistogram();
    const iterations = Math.round(total.stats.count / Math.max(1, specs.length));
    for (let k = 0; k < iterations; k++) {
      const us = 100_000 + Math.round(random() * 50_000);
      recordMicros(flowH, us);
      recordMicros(cumulativeFlow.h, us);
    }
    const flowFailed = Math.min(iterations, total.stats.failed);
    cumulativeFlow.iterations += iterations;
    cumulativeFlow.failed += flowFailed;
    const flows: Record<string, FlowStats> = {
      default: { iterations, failed: flowFailed, duration: summarizeHistogram(flowH) },
    };
    const intervalDropped = i % 4 === 3 ? 2 : 0;
    const intervalLate = i % 3 === 2 ? 1 : 0;
    dropped += intervalDropped;
    late += intervalLate;
    const interval: Interval = {
      index: i,
      start,
      end,
      elapsedMs: end - startedAt,
      total: finish(total),
      requests,
      flows,
      checks,
      rps: total.stats.count / (intervalMs / 1000),
      activeUsers: 10 + (i % 5),
      dropped: intervalDropped,
      late: intervalLate,
      stage: i < n / 2 ? 'ramp' : 'steady',
      generator: { cpu: 0.25 + (i % 3) * 0.1, eventLoopLagMs: 1.5 + (i % 2), delay: { p50: 40 + i, p99: 300 + 10 * i, max: 900 + i }, mainPauseMs: 2 + (i % 4) },
    };
    if (targetRate !== null) interval.targetRate = targetRate;
    intervals.push(interval);
  }

  const durationMs = n * intervalMs;
  const rpsValues = intervals.map((iv) => iv.rps);
  const mean = rpsValues.reduce((a, b) => a + b, 0) / Math.max(1, rpsValues.length);
  const stdev = Math.sqrt(rpsValues.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, rpsValues.length));
  const requests: Record<string, CumulativeRequestStats> = {};
  for (const [name, acc] of cumulativeByName) requests[name] = cumulative(acc, durationMs);
  const thresholds = options.thresholds ?? [
    { expression: 'p(95) < 200ms', scope: 'total', actual: 120.5, limit: 200, unit: 'ms', passed: true },
    { expression: 'error_rate < 0.01', scope: 'POST /orders', actual: 0.087, limit: 0.01, unit: 'ratio', passed: false },
  ];
  const summary: Summary = {
    meta,
    endedAt: startedAt + durationMs,
    durationMs,
    total: cumulative(cumulativeTotal, durationMs),
    requests,
    flows: {
      default: {
        iterations: cumulativeFlow.iterations,
        failed: cumulativeFlow.failed,
        duration: summarizeHistogram(cumulativeFlow.h),
      },
    },
    checks: cumulativeChecks,
    rps: { mean, min: Math.min(...rpsValues), max: Math.max(...rpsValues), stdev },
    dropped,
    late,
    verdict: {
      passed: thresholds.every((t) => t.passed) && (options.endReason ?? 'completed') === 'completed',
      thresholds,
      endReason: options.endReason ?? 'completed',
    },
    warnings: [{ code: 'W_DROPPED', severity: 'warn', message: `${dropped} iterations dropped (in-flight cap reached)` }],
    reporters: {},
  };
  return { meta, intervals, summary, latencies };
}

/** Every error kind with 0, merged with the given counts (handy for exact field checks). */
export function errorKindCounts(errors: Partial<Record<ErrorKind, number>>): Record<ErrorKind, number> {
  return Object.fromEntries(ERROR_KINDS.map((k) => [k, errors[k] ?? 0])) as Record<ErrorKind, number>;
}

/** Poll `fn` until it returns a truthy value (returned) or `timeoutMs` passes (last value returned). */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!last && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    last = await fn();
  }
  return last;
}
