/**
 * Comparing two runs from their result files: is today's build slower than
 * yesterday's? Per request name (and the total): latency percentiles, throughput
 * (successful requests per second) and error rate, each with its relative change,
 * and a regression verdict against tolerances. Two runs with no request name in
 * common are not comparable (bad input); differing scenario, load model or target
 * are warned about.
 */
import { badInput } from '../errors.js';
import type { CumulativeRequestStats, RunResult } from './model.js';

export interface CompareOptions {
  /** Allowed relative increase of p50/p95/p99 latency (0.10 = 10%). Default 0.10. */
  maxLatencyIncrease?: number;
  /** Allowed relative drop of throughput (successful requests/s). Default 0.10. */
  maxRpsDrop?: number;
  /** Allowed absolute increase of the error rate, a ratio (0.01 = one percentage point). Default 0.01. */
  maxErrorRateIncrease?: number;
}

/** The figures compared for one request name (or the total). */
export interface RunFigures {
  /** Requests (count). */
  count: number;
  /** All requests per second (over the load window). */
  rps: number;
  /** Successful requests per second (status < 400): what a regression in throughput is judged on. */
  throughput: number;
  /** Failed requests / requests (ratio 0..1). */
  errorRate: number;
  /** Latency median (ms). */
  p50: number;
  /** Latency p95 (ms). */
  p95: number;
  /** Latency p99 (ms). */
  p99: number;
}

export interface RequestComparison {
  name: string;
  base: RunFigures | null;
  current: RunFigures | null;
  /** Relative changes (current / base - 1); error rate as an absolute difference. */
  change: {
    /** Relative change of the median (ratio: 0.1 = 10 % slower). */
    p50: number;
    /** Relative change of p95 (ratio). */
    p95: number;
    /** Relative change of p99 (ratio). */
    p99: number;
    /** Relative change of requests/s (ratio). */
    rps: number;
    /** Relative change of successful requests/s (ratio). */
    throughput: number;
    /** Absolute change of the error rate (ratio: 0.01 = one percentage point). */
    errorRate: number;
  } | null;
  /** Human reasons this request regressed; empty when it did not. */
  regressions: string[];
}

export interface Comparison {
  total: RequestComparison;
  requests: RequestComparison[];
  regressed: boolean;
  options: Required<CompareOptions>;
  /** Why the two runs may not be like for like (scenario name, load model or target differ). */
  warnings: string[];
}

function figures(s: CumulativeRequestStats): RunFigures {
  const p = s.latency.percentiles;
  return {
    count: s.count,
    rps: s.rps,
    // rps divides all requests by the load window; the successful ones' share of it.
    throughput: s.count > 0 ? (s.rps * (s.count - s.failed)) / s.count : 0,
    errorRate: s.count > 0 ? s.failed / s.count : 0,
    p50: (p['50'] ?? 0) / 1000,
    p95: (p['95'] ?? 0) / 1000,
    p99: (p['99'] ?? 0) / 1000,
  };
}

const rel = (a: number, b: number): number => (a === 0 ? (b === 0 ? 0 : Infinity) : b / a - 1);
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

function compareOne(name: string, a: CumulativeRequestStats | undefined, b: CumulativeRequestStats | undefined, o: Required<CompareOptions>): RequestComparison {
  const base = a ? figures(a) : null;
  const current = b ? figures(b) : null;
  if (!base || !current) return { name, base, current, change: null, regressions: [] };
  const change = {
    p50: rel(base.p50, current.p50),
    p95: rel(base.p95, current.p95),
    p99: rel(base.p99, current.p99),
    rps: rel(base.rps, current.rps),
    throughput: rel(base.throughput, current.throughput),
    errorRate: current.errorRate - base.errorRate,
  };
  const regressions: string[] = [];
  for (const k of ['p50', 'p95', 'p99'] as const) {
    if (change[k] > o.maxLatencyIncrease) regressions.push(`${k} ${base[k].toFixed(2)} → ${current[k].toFixed(2)} ms (${pct(change[k])}, allowed +${(o.maxLatencyIncrease * 100).toFixed(0)}%)`);
  }
  if (change.throughput < -o.maxRpsDrop) {
    regressions.push(`throughput ${base.throughput.toFixed(1)} → ${current.throughput.toFixed(1)} successful req/s (${pct(change.throughput)}, allowed -${(o.maxRpsDrop * 100).toFixed(0)}%)`);
  }
  if (change.errorRate > o.maxErrorRateIncrease) {
    regressions.push(`error rate ${(base.errorRate * 100).toFixed(2)}% → ${(current.errorRate * 100).toFixed(2)}% (allowed +${(o.maxErrorRateIncrease * 100).toFixed(1)} points)`);
  }
  return { name, base, current, change, regressions };
}

/** Differences that make two runs not like for like (compare goes on, saying so). */
export function comparabilityWarnings(base: RunResult, current: RunResult): string[] {
  const out: string[] = [];
  const a = base.summary.meta;
  const b = current.summary.meta;
  if (a.scenario !== b.scenario) out.push(`scenario differs: "${a.scenario}" vs "${b.scenario}"`);
  if (a.model !== b.model) out.push(`load model differs: "${a.model}" vs "${b.model}"`);
  if (a.target !== b.target) out.push(`target differs: ${a.target} vs ${b.target}`);
  return out;
}

/**
 * Compare `current` against `base`. Requests present in only one run are listed without a
 * verdict; two runs without any request name in common are refused (E_NOT_COMPARABLE, exit 2).
 */
export function compareResults(base: RunResult, current: RunResult, options: CompareOptions = {}): Comparison {
  const o: Required<CompareOptions> = {
    maxLatencyIncrease: options.maxLatencyIncrease ?? 0.1,
    maxRpsDrop: options.maxRpsDrop ?? 0.1,
    maxErrorRateIncrease: options.maxErrorRateIncrease ?? 0.01,
  };
  const baseNames = Object.keys(base.summary.requests);
  const currentNames = Object.keys(current.summary.requests);
  if (!baseNames.some((n) => n in current.summary.requests)) {
    const list = (names: string[]): string => (names.length === 0 ? 'none' : names.slice(0, 5).map((n) => `"${n}"`).join(', ') + (names.length > 5 ? ', …' : ''));
    throw badInput(
      'E_NOT_COMPARABLE',
      `the two runs have no request name in common (base: ${list(baseNames)}; current: ${list(currentNames)})`,
      'compare runs of the same scenario or URL',
    );
  }
  const names = [...new Set([...baseNames, ...currentNames])].sort();
  const requests = names.map((n) => compareOne(n, base.summary.requests[n], current.summary.requests[n], o));
  const total = compareOne('total', base.summary.total, current.summary.total, o);
  const regressed = total.regressions.length > 0 || requests.some((r) => r.regressions.length > 0);
  return { total, requests, regressed, options: o, warnings: comparabilityWarnings(base, current) };
}
