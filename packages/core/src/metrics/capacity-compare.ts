/**
 * Comparing two capacity results (`loadctl compare` when both files come from
 * `loadctl capacity`): the maximum RPS, and the latency of the steps run at the
 * same offered load in both.
 *
 * A capacity that is only a lower bound (limited by the generator or the range)
 * can still show that nothing regressed (it reaches the allowed minimum), but
 * never that something did: then the verdict is `inconclusive`.
 */
import { badInput } from '../errors.js';
import type { CapacityLatency, CapacityReport, CapacityStep } from './capacity-model.js';
import type { RunResult } from './model.js';

export interface CapacityCompareOptions {
  /** Allowed relative drop of the maximum RPS (0.05 = 5%). Default 0.10. */
  maxRpsDrop?: number;
  /** Allowed relative increase of p99 (a ratio: 0.2 = 20 %) at an offered load both runs held; undefined: shown, not judged. */
  maxLatencyIncrease?: number;
}

/** One side of a capacity comparison. */
export interface CapacitySide {
  /** Requests/s at the highest rate that met the SLOs. */
  maxRps: number;
  /** The highest offered rate that met the SLOs (iterations/s). */
  maxRate: number;
  status: CapacityReport['status'];
  limitedBy: CapacityReport['limitedBy'];
  confirmed: boolean;
}

/** How a step ended, beside its latency. */
export interface StepOutcome {
  /** Failed requests / requests (ratio 0..1). */
  errorRate: number;
  verdict: CapacityStep['verdict'];
}

export interface CapacityStepComparison {
  /** Offered rate (iterations/s), the base's. */
  rate: number;
  base: CapacityLatency & StepOutcome;
  current: CapacityLatency & StepOutcome;
  /** Relative changes of the percentiles (current / base − 1). */
  change: {
    /** Ratio (0.1 = 10 % slower). */
    p50: number;
    /** Ratio. */
    p95: number;
    /** Ratio. */
    p99: number;
  };
  regressions: string[];
}

export interface CapacityComparison {
  kind: 'capacity';
  base: CapacitySide;
  current: CapacitySide;
  /** Relative change of max RPS (a ratio: −0.1 = 10 % fewer), or null when the base has none. */
  change: number | null;
  steps: CapacityStepComparison[];
  regressions: string[];
  warnings: string[];
  verdict: 'ok' | 'regressed' | 'inconclusive';
  regressed: boolean;
  /** The limits judged against. */
  options: {
    /** Ratio (0.1 = 10 %). */
    maxRpsDrop: number;
    /** Ratio, or null when latency was not judged. */
    maxLatencyIncrease: number | null;
  };
}

export function isCapacityResult(r: RunResult): boolean {
  return r.summary.capacity !== undefined;
}

const side = (c: CapacityReport): CapacitySide => ({ maxRps: c.maxRps, maxRate: c.maxRate, status: c.status, limitedBy: c.limitedBy, confirmed: c.confirmed });
const rel = (a: number, b: number): number => (a === 0 ? (b === 0 ? 0 : Infinity) : b / a - 1);
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const n1 = (x: number): string => (x >= 100 ? Math.round(x).toString() : x.toFixed(1));

/** The judged step at each offered rate (the last one run there). */
function judgedByRate(steps: readonly CapacityStep[]): Map<number, CapacityStep> {
  const m = new Map<number, CapacityStep>();
  for (const s of steps) if (s.verdict === 'pass' || s.verdict === 'fail') m.set(s.rate, s);
  return m;
}

/** Steps at the same offered load (within 1%), by rate. */
function pairSteps(base: readonly CapacityStep[], current: readonly CapacityStep[]): Array<[CapacityStep, CapacityStep]> {
  const cur = [...judgedByRate(current).values()];
  const out: Array<[CapacityStep, CapacityStep]> = [];
  for (const b of [...judgedByRate(base).values()].sort((x, y) => x.rate - y.rate)) {
    const c = cur.find((s) => Math.abs(s.rate - b.rate) <= 0.01 * b.rate);
    if (c) out.push([b, c]);
  }
  return out;
}

export function compareCapacity(base: RunResult, current: RunResult, options: CapacityCompareOptions = {}): CapacityComparison {
  const a = base.summary.capacity;
  const b = current.summary.capacity;
  if (!a || !b) {
    throw badInput('E_COMPARE_KINDS', `cannot compare a capacity result with a run result: ${a ? 'current' : 'base'} is not from \`loadctl capacity\``);
  }
  const maxRpsDrop = options.maxRpsDrop ?? 0.1;
  const maxLatencyIncrease = options.maxLatencyIncrease ?? null;
  const regressions: string[] = [];
  const warnings: string[] = [];
  let inconclusive = false;

  const floor = a.maxRps * (1 - maxRpsDrop);
  const change = a.maxRps > 0 ? b.maxRps / a.maxRps - 1 : null;
  if (a.status !== 'found') warnings.push(`base capacity is ${a.status === 'none' ? 'zero: no rate met its SLOs' : `only a lower bound (limited by the ${a.limitedBy})`}`);
  if (b.status !== 'found' && b.status !== 'none') warnings.push(`current capacity is only a lower bound (limited by the ${b.limitedBy})`);
  if (a.slos.join('|') !== b.slos.join('|')) warnings.push(`the SLOs differ (base: ${a.slos.join(', ')}; current: ${b.slos.join(', ')})`);
  if (b.maxRps < floor) {
    const text = `max RPS ${n1(a.maxRps)} → ${n1(b.maxRps)} (${pct(change ?? 0)}, allowed -${(maxRpsDrop * 100).toFixed(0)}%)`;
    if (b.status === 'found' || b.status === 'none') regressions.push(text);
    else {
      inconclusive = true;
      warnings.push(`cannot tell whether ${text}: the current search did not reach its capacity`);
    }
  }

  const steps: CapacityStepComparison[] = pairSteps(a.steps, b.steps).map(([x, y]) => {
    const c = { p50: rel(x.latency.p50, y.latency.p50), p95: rel(x.latency.p95, y.latency.p95), p99: rel(x.latency.p99, y.latency.p99) };
    const stepRegressions: string[] = [];
    if (maxLatencyIncrease !== null && x.verdict === 'pass' && y.verdict === 'pass' && c.p99 > maxLatencyIncrease) {
      stepRegressions.push(`p99 at ${n1(x.rate)}/s ${x.latency.p99.toFixed(2)} → ${y.latency.p99.toFixed(2)} ms (${pct(c.p99)}, allowed +${(maxLatencyIncrease * 100).toFixed(0)}%)`);
    }
    return {
      rate: x.rate,
      base: { ...x.latency, errorRate: x.errorRate, verdict: x.verdict },
      current: { ...y.latency, errorRate: y.errorRate, verdict: y.verdict },
      change: c,
      regressions: stepRegressions,
    };
  });
  for (const s of steps) regressions.push(...s.regressions);
  if (steps.length === 0) warnings.push('no offered load was run in both searches: latency at equal load cannot be compared');

  const verdict = regressions.length > 0 ? 'regressed' : inconclusive ? 'inconclusive' : 'ok';
  return { kind: 'capacity', base: side(a), current: side(b), change, steps, regressions, warnings, verdict, regressed: verdict === 'regressed', options: { maxRpsDrop, maxLatencyIncrease } };
}
