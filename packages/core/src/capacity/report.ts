/**
 * The capacity report from the judged steps and the search's outcome: the
 * answer, what limited it in plain words, the knee, the USL fit, sizing and the
 * --min-rps gate. Pure.
 */
import type { CapacityReport, CapacitySettings, CapacitySizing, CapacityStep } from '../metrics/capacity-model.js';
import type { SearchOutcome } from './search.js';
import { fitUsl } from './usl.js';

export interface ReportInput {
  outcome: SearchOutcome;
  steps: CapacityStep[];
  settings: CapacitySettings;
  slos: string[];
  elapsedMs: number;
  traffic?: number;
  /** 0..1 */
  headroom?: number;
  minRps?: number;
}

const judged = (s: CapacityStep): boolean => s.verdict === 'pass' || s.verdict === 'fail';
const r0 = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The step the answer comes from: the last passing step at the answer's rate (a confirmation when there is one). */
function answerStep(steps: readonly CapacityStep[], rate: number | null): CapacityStep | null {
  if (rate === null) return null;
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i].rate === rate && steps[i].verdict === 'pass') return steps[i];
  return null;
}

/**
 * The knee: the lowest offered rate at which throughput fell more than 5% short
 * of the offered requests, or the median latency more than doubled from the
 * lowest load (p50: steadier than the tail on a noisy machine).
 */
export function findKnee(steps: readonly CapacityStep[]): { rate: number; reason: string } | null {
  const byRate = steps.filter(judged).sort((a, b) => a.rate - b.rate);
  if (byRate.length < 2) return null;
  const base = byRate[0];
  const perIteration = requestsPerIteration(base);
  for (const s of byRate.slice(1)) {
    const offeredRps = s.rate * perIteration;
    if (s.throughputRps < 0.95 * offeredRps) return { rate: s.rate, reason: `throughput ${r0(s.throughputRps)} req/s fell short of the ${r0(offeredRps)} offered` };
    if (base.latency.p50 > 0 && s.latency.p50 > 2 * base.latency.p50) {
      return { rate: s.rate, reason: `median latency ${r0(s.latency.p50)} ms, more than twice the ${r0(base.latency.p50)} ms at ${r0(base.rate)}/s` };
    }
  }
  return null;
}

/** A failure at the rate that passed counts as drift only when its p99 is this many times worse (else: noise at the boundary). */
const DRIFT_SAME_RATE_FACTOR = 5;

/**
 * Did the target get slower during the search? The first judged step that failed at a lower
 * rate than an earlier step passed (a stationary target would have passed it too), or at the
 * same rate with a p99 DRIFT_SAME_RATE_FACTOR times worse.
 */
export function findDrift(steps: readonly CapacityStep[]): NonNullable<CapacityReport['drift']> | null {
  let best: CapacityStep | null = null; // the highest passing rate so far
  for (const s of steps) {
    if (!judged(s)) continue;
    const slower = best !== null && (s.rate < best.rate || (s.rate === best.rate && s.latency.p99 > DRIFT_SAME_RATE_FACTOR * best.latency.p99));
    if (s.verdict === 'fail' && best !== null && slower) {
      return { passedStep: best.index, failedStep: s.index, passedRate: best.rate, failedRate: s.rate, passedP99Ms: best.latency.p99, failedP99Ms: s.latency.p99 };
    }
    if (s.verdict === 'pass' && (best === null || s.rate >= best.rate)) best = s;
  }
  return null;
}

function driftSentence(d: NonNullable<CapacityReport['drift']>): string {
  return (
    ` The target got slower during the search: ${r0(d.passedRate)}/s passed at step ${d.passedStep + 1} (p99 ${r0(d.passedP99Ms)} ms) ` +
    `but ${r0(d.failedRate)}/s failed at step ${d.failedStep + 1} (p99 ${r0(d.failedP99Ms)} ms); its capacity depends on its state ` +
    `(data it accumulates, a leak, a cache), so restart it before searching again or read the answer as that of the state it was left in.`
  );
}

/** Mean requests per iteration in a step (a whole number when every flow sends the same count). */
export function requestsPerIteration(s: Pick<CapacityStep, 'requests' | 'iterations'>): number {
  if (s.iterations <= 0 || s.requests <= 0) return 1;
  const k = s.requests / s.iterations;
  // Iterations straddling the window's edges blur the ratio a little.
  return Math.abs(k - Math.round(k)) < 0.02 ? Math.round(k) : k;
}

export function sizing(maxRps: number, traffic: number, headroom: number, upperBound: boolean): CapacitySizing {
  const perInstanceRps = maxRps * (1 - headroom);
  return { traffic, headroom, perInstanceRps, instances: perInstanceRps > 0 ? Math.max(1, Math.ceil(traffic / perInstanceRps - 1e-9)) : null, upperBound };
}

function explain(o: SearchOutcome, maxRate: number, maxRps: number, steps: readonly CapacityStep[], settings: CapacitySettings): string {
  const at = `${r0(maxRate)}/s${Math.abs(maxRps - maxRate) > 0.01 * maxRate ? ` (${r0(maxRps)} req/s)` : ''}`;
  const lastGen = [...steps].reverse().find((s) => s.verdict === 'generator');
  switch (o.stopReason) {
    case 'converged':
      return `Capacity ${at}: the highest rate that met every SLO${o.confirmed ? `, confirmed over ${settings.confirmMs / 1000} s` : ''}; ${r0(o.lowestFailing ?? 0)}/s failed.`;
    case 'no_passing_rate':
      return `No rate down to ${r0(settings.minRate)}/s met the SLOs: the target misses them even at light load.`;
    case 'max_rate':
      return `Not a capacity: the target met every SLO at the highest rate allowed (--max-rate ${r0(settings.maxRate)}/s); it holds at least ${at}.`;
    case 'generator':
      return `Not a capacity: the load generator, not the target, was the limit (${lastGen?.reasons[0] ?? 'see the steps'}); the target holds at least ${at}.`;
    case 'max_duration':
      return o.lowestFailing !== null
        ? `Out of time (--max-duration) before the answer was ${o.confirmed ? 'resolved' : 'confirmed'}: ${at} passed, ${r0(o.lowestFailing)}/s failed.`
        : `Out of time (--max-duration) before any rate failed: the target holds at least ${at}.`;
    case 'unstable':
      return `Confirmations kept failing: results are not stable at this load; the last rate that passed was ${at}.`;
    case 'interrupted':
      return `Interrupted: ${maxRate > 0 ? `${at} passed so far` : 'no rate passed so far'}.`;
    case 'error':
      return `The search stopped on an error: ${maxRate > 0 ? `${at} passed so far` : 'no rate passed so far'}.`;
  }
}

export function buildCapacityReport(x: ReportInput): CapacityReport {
  const o = x.outcome;
  const step = answerStep(x.steps, o.rate);
  const maxRate = o.rate ?? 0;
  const maxRps = step ? maxRate * requestsPerIteration(step) : 0;
  const usl = fitUsl(x.steps.filter(judged).map((s) => ({ concurrency: s.concurrency, throughput: s.throughputRps })));
  const drift = findDrift(x.steps);
  const report: CapacityReport = {
    status: o.status,
    limitedBy: o.limitedBy,
    stopReason: o.stopReason,
    maxRate,
    maxRps,
    confirmed: o.confirmed,
    answerStep: step ? step.index : null,
    lowestFailingRate: o.lowestFailing,
    knee: findKnee(x.steps),
    explanation: explain(o, maxRate, maxRps, x.steps, x.settings) + (drift ? driftSentence(drift) : ''),
    slos: x.slos,
    settings: x.settings,
    steps: x.steps,
    usl,
    elapsedMs: Math.round(x.elapsedMs),
  };
  if (drift) report.drift = drift;
  if (x.traffic !== undefined) report.sizing = sizing(maxRps, x.traffic, x.headroom ?? 0, o.status !== 'found');
  if (x.minRps !== undefined) report.gate = { minRps: x.minRps, passed: gatePassed(report, x.minRps) };
  return report;
}

/**
 * --min-rps: a found capacity is compared; no passing rate fails; otherwise the
 * answer is a lower bound — enough when it already reaches the minimum, unknown when not.
 */
export function gatePassed(r: Pick<CapacityReport, 'status' | 'maxRps'>, minRps: number): boolean | null {
  if (r.status === 'found') return r.maxRps >= minRps;
  if (r.status === 'none') return false;
  return r.maxRps >= minRps ? true : null;
}

/**
 * The CI view of a report: passed (a capacity found, or the --min-rps gate met),
 * failed (no rate met the SLOs, or the gate missed) or inconclusive (the answer
 * is only a lower bound below what was asked).
 */
export function capacityOutcome(r: Pick<CapacityReport, 'status' | 'gate'>): 'passed' | 'failed' | 'inconclusive' {
  if (r.gate) return r.gate.passed === true ? 'passed' : r.gate.passed === false ? 'failed' : 'inconclusive';
  return r.status === 'found' ? 'passed' : r.status === 'none' ? 'failed' : 'inconclusive';
}
