/**
 * Evaluate parsed thresholds over a flat view of the stats. The view is built from an
 * end-of-run `Summary` or from cumulative stats mid-run (for abortOnFail).
 *
 * Units of `actual`: ms for latency and iteration duration, a ratio 0..1 for
 * error_rate/failed_rate/checks, 1/s for rps, a plain number for count/dropped.
 * A threshold over no data (no requests in its scope, no checks) or over a scope that
 * names no known request or flow fails with `actual: null`: it never passes silently.
 */
import { percentileOfEncoded } from '../metrics/histogram.js';
import type { CheckCounts, FlowStats, LatencySummary, RequestStats, Summary, ThresholdResult, Trend } from '../metrics/model.js';
import type { ThresholdSpec } from './spec.js';
import { effectiveSource, parseThreshold, scopeKind, type ParsedThreshold, type ThresholdOp } from './parse.js';

/** Latency in ms. */
export interface LatencyView {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Value at percentile p (0..100] in ms, or null if it cannot be known. */
  percentile(p: number): number | null;
}

export interface RequestView {
  count: number;
  failed: number;
  rps: number;
  /** Every request, failed ones included. */
  latency: LatencyView;
  /** Successful requests only (status < 400). */
  successLatency: LatencyView;
  serviceTime: LatencyView;
}

export interface FlowView {
  iterations: number;
  failed: number;
  /** Iterations per second. */
  rps: number;
  duration: LatencyView;
}

/** What thresholds are evaluated against. */
export interface ThresholdStats {
  total: RequestView;
  /** Per request name. */
  requests: Record<string, RequestView>;
  /** Per flow name (without the "flow:" prefix). */
  flows: Record<string, FlowView>;
  checks: { passes: number; fails: number };
  dropped: number;
  /** Slope per hour of each trended series (Summary.trends), for trend(...) thresholds. */
  trends?: Record<string, number>;
  /** Side-by-side loads: each load's own view (thresholds with a `load`). */
  loads?: Record<string, ThresholdStats>;
}

/** A latency view from a summary (µs) plus, optionally, its encoded histogram for any percentile. */
export function latencyView(s: LatencySummary, encodedHistogram?: string): LatencyView {
  return {
    count: s.count,
    min: s.min / 1000,
    max: s.max / 1000,
    mean: s.mean / 1000,
    percentile(p) {
      const known = s.percentiles[String(p)];
      if (known !== undefined) return known / 1000;
      if (p === 100) return s.max / 1000;
      if (encodedHistogram) return percentileOfEncoded(encodedHistogram, p) / 1000;
      return null;
    },
  };
}

/** A request name's (or the total's) stats, cumulative ones with their encoded histograms. */
export type StatsOfRequests = RequestStats & {
  latencyHistogram?: string;
  serviceTimeHistogram?: string;
  successLatency?: LatencySummary;
  successLatencyHistogram?: string;
  rps?: number;
};

const NO_LATENCY: LatencySummary = { count: 0, min: 0, mean: 0, stdev: 0, max: 0, percentiles: {} };

export interface StatsInput {
  /** Time the stats cover, for rates. */
  elapsedMs: number;
  total: StatsOfRequests;
  requests: Record<string, StatsOfRequests>;
  flows: Record<string, FlowStats>;
  checks: CheckCounts;
  dropped: number;
  trends?: readonly Trend[];
  /** Side-by-side loads: each load's stats (its own time window). */
  loads?: Record<string, StatsInput>;
}

function requestView(r: StatsInput['total'], elapsedMs: number): RequestView {
  return {
    count: r.count,
    failed: r.failed,
    rps: r.rps ?? (elapsedMs > 0 ? r.count / (elapsedMs / 1000) : 0),
    latency: latencyView(r.latency, r.latencyHistogram),
    // Files of older versions have no successful-only distribution: no data, never a silent pass.
    successLatency: latencyView(r.successLatency ?? NO_LATENCY, r.successLatencyHistogram),
    serviceTime: latencyView(r.serviceTime, r.serviceTimeHistogram),
  };
}

/** Build the view from cumulative stats (end of run or mid-run). */
export function buildThresholdStats(input: StatsInput): ThresholdStats {
  const secs = input.elapsedMs / 1000;
  let passes = 0;
  let fails = 0;
  for (const c of Object.values(input.checks)) {
    passes += c.passes;
    fails += c.fails;
  }
  return {
    total: requestView(input.total, input.elapsedMs),
    requests: Object.fromEntries(Object.entries(input.requests).map(([k, r]) => [k, requestView(r, input.elapsedMs)])),
    flows: Object.fromEntries(
      Object.entries(input.flows).map(([k, f]) => [k, { iterations: f.iterations, failed: f.failed, rps: secs > 0 ? f.iterations / secs : 0, duration: latencyView(f.duration) }]),
    ),
    checks: { passes, fails },
    dropped: input.dropped,
    trends: input.trends ? Object.fromEntries(input.trends.map((t) => [t.metric, t.slopePerHour])) : undefined,
    loads: input.loads ? Object.fromEntries(Object.entries(input.loads).map(([k, l]) => [k, buildThresholdStats(l)])) : undefined,
  };
}

export function thresholdStatsFromSummary(summary: Summary): ThresholdStats {
  return buildThresholdStats({
    elapsedMs: summary.loadDurationMs ?? summary.durationMs,
    total: summary.total,
    requests: summary.requests,
    flows: summary.flows,
    checks: summary.checks,
    dropped: summary.dropped,
    trends: summary.trends,
    loads: summary.loads
      ? Object.fromEntries(
          Object.entries(summary.loads).map(([k, l]) => [
            k,
            { elapsedMs: l.loadDurationMs, total: l.total, requests: l.requests, flows: l.flows, checks: l.checks, dropped: l.dropped },
          ]),
        )
      : undefined,
  });
}

/**
 * Compare with a relative tolerance of 1e-9, so that ratios and unit conversions that
 * are equal in decimal are equal here (994/1000 vs 99.4%, 1500us vs 1.5ms).
 */
export function compareThreshold(actual: number, op: ThresholdOp, limit: number): boolean {
  const eq = Math.abs(actual - limit) <= 1e-9 * Math.max(1, Math.abs(actual), Math.abs(limit));
  switch (op) {
    case '<':
      return actual < limit && !eq;
    case '<=':
      return actual < limit || eq;
    case '>':
      return actual > limit && !eq;
    case '>=':
      return actual > limit || eq;
    case '==':
      return eq;
    case '!=':
      return !eq;
  }
}

function aggregate(t: ParsedThreshold, v: LatencyView): number | null {
  if (v.count === 0) return null;
  switch (t.metric) {
    case 'p':
      return v.percentile(t.percentile!);
    case 'med':
      return v.percentile(50);
    case 'avg':
      return v.mean;
    case 'min':
      return v.min;
    case 'max':
      return v.max;
    default:
      return null;
  }
}

/**
 * The measured value of `t` in `scope` (of the load `load`, when given), or null (no data,
 * unknown scope or load, metric not measured there).
 */
export function thresholdActual(t: ParsedThreshold, scope: string, all: ThresholdStats, load?: string): number | null {
  const stats = load === undefined ? all : all.loads?.[load];
  if (stats === undefined) return null;
  const kind = scopeKind(scope);
  if (t.metric === 'trend' && load !== undefined) return null;
  if (t.metric === 'trend') return kind === 'total' ? (stats.trends?.[t.series ?? ''] ?? null) : null;
  const isAgg = t.metric === 'p' || t.metric === 'avg' || t.metric === 'min' || t.metric === 'max' || t.metric === 'med';
  if (kind === 'flow') {
    const f = stats.flows[scope.slice(5)];
    if (!f) return null;
    if (isAgg) return effectiveSource(t, kind) === 'iteration_duration' ? aggregate(t, f.duration) : null;
    if (t.metric === 'failed_rate') return f.iterations > 0 ? f.failed / f.iterations : null;
    if (t.metric === 'count') return f.iterations;
    if (t.metric === 'rps') return f.rps;
    return null;
  }
  const r = kind === 'total' ? stats.total : stats.requests[scope];
  if (!r) return null;
  if (isAgg) {
    const src = effectiveSource(t, kind);
    if (src === 'latency') return aggregate(t, r.latency);
    if (src === 'success') return aggregate(t, r.successLatency);
    return src === 'service_time' ? aggregate(t, r.serviceTime) : null;
  }
  switch (t.metric) {
    case 'error_rate':
      return r.count > 0 ? r.failed / r.count : null;
    case 'rps':
      return r.rps;
    case 'count':
      return r.count;
    case 'checks': {
      if (kind !== 'total') return null;
      const n = stats.checks.passes + stats.checks.fails;
      return n > 0 ? stats.checks.passes / n : null;
    }
    case 'dropped':
      return kind === 'total' ? stats.dropped : null;
    default:
      return null;
  }
}

const parsedCache = new Map<string, ParsedThreshold>();
function parsed(expression: string): ParsedThreshold {
  let p = parsedCache.get(expression);
  if (!p) {
    p = parseThreshold(expression);
    parsedCache.set(expression, p);
  }
  return p;
}

/** Evaluate every threshold. Specs come validated from the scenario; a bad expression throws ThresholdSyntaxError. */
export function evaluateThresholds(specs: readonly ThresholdSpec[], stats: ThresholdStats): ThresholdResult[] {
  return specs.map((spec) => {
    const t = parsed(spec.expression);
    const actual = thresholdActual(t, spec.scope, stats, spec.load);
    const r: ThresholdResult = {
      expression: spec.expression,
      scope: spec.scope,
      actual,
      limit: t.limit,
      unit: t.unit,
      passed: actual !== null && compareThreshold(actual, t.op, t.limit),
    };
    if (spec.load !== undefined) r.load = spec.load;
    return r;
  });
}

/**
 * Mid-run check for abortOnFail thresholds: the failing ones whose delayAbortEval has
 * passed, marked `aborted`. Thresholds without data yet (actual null) do not abort.
 * An empty result means: keep going.
 */
export function thresholdsToAbort(specs: readonly ThresholdSpec[], stats: ThresholdStats, elapsedMs: number): ThresholdResult[] {
  const due = specs.filter((s) => s.abortOnFail && elapsedMs >= s.delayAbortEvalMs);
  if (due.length === 0) return [];
  return evaluateThresholds(due, stats)
    .filter((r) => !r.passed && r.actual !== null)
    .map((r) => ({ ...r, aborted: true }));
}
