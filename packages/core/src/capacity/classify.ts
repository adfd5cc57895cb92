/**
 * Judging one capacity step: pass, fail (the target missed an SLO) or generator
 * (the step says nothing about the target). The rules keep a capacity from ever
 * being claimed on load the target did not get:
 *
 * - the generator scheduled noticeably fewer arrivals than asked → generator;
 * - every SLO met, but arrivals were dropped at the in-flight cap → generator
 *   (the target got less than asked; raise --max-in-flight);
 * - an SLO missed while the generator was saturated (event-loop busy or lagging
 *   for most of the window) → generator: its own delays may be what failed;
 * - an SLO on latency missed, but met when measured from the hand-over to a
 *   connection (service time), and waiting for a connection is most of the mean
 *   latency → generator: requests queued for one of too few connections (raise
 *   --connections);
 * - otherwise an SLO missed → fail; all met → pass.
 */
import type { CapacityStepVerdict } from '../metrics/capacity-model.js';
import type { ThresholdResult } from '../metrics/model.js';
import type { StepFigures } from './figures.js';

export interface GeneratorLimits {
  /** Largest accepted shortfall of scheduled arrivals (0..1). Default 0.05. */
  maxShortfall: number;
  /** Largest accepted share of dropped arrivals while the SLOs hold. Default 0.001. */
  maxDropRatio: number;
  /** Median event-loop utilisation at or above this is saturation. Default 0.95. */
  cpuSaturated: number;
  /** Median event-loop lag p99 above this (ms) is saturation. Default 50. */
  maxLagMs: number;
}

export const DEFAULT_GENERATOR_LIMITS: GeneratorLimits = { maxShortfall: 0.05, maxDropRatio: 0.001, cpuSaturated: 0.95, maxLagMs: 50 };

export interface StepJudgement {
  verdict: Exclude<CapacityStepVerdict, 'aborted'>;
  limitingSlo?: string;
  reasons: string[];
}

export function sloLabel(t: Pick<ThresholdResult, 'scope' | 'expression'>): string {
  return t.scope === 'total' ? t.expression : `${t.scope}: ${t.expression}`;
}

const f1 = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/**
 * @param slos the SLOs evaluated on the step's measured window
 * @param slosOnServiceTime the same SLOs with latency replaced by service time (to tell connection queueing apart)
 */
export function classifyStep(
  rate: number,
  fig: StepFigures,
  slos: readonly ThresholdResult[],
  slosOnServiceTime: readonly ThresholdResult[] | undefined,
  limits: GeneratorLimits = DEFAULT_GENERATOR_LIMITS,
): StepJudgement {
  const reasons: string[] = [];
  const failed = slos.filter((t) => !t.passed);
  const limitingSlo = failed.length > 0 ? sloLabel(failed[0]) : undefined;

  const shortfall = rate > 0 ? 1 - fig.scheduledRate / rate : 0;
  if (shortfall > limits.maxShortfall) {
    reasons.push(`the generator scheduled ${f1(fig.scheduledRate)}/s of the ${f1(rate)}/s asked (${(shortfall * 100).toFixed(0)}% short): add --workers or a shard`);
    return { verdict: 'generator', limitingSlo, reasons };
  }

  const arrivals = fig.dropped > 0 ? fig.dropped / (fig.dropped + fig.started) : 0;
  if (failed.length === 0) {
    if (arrivals > limits.maxDropRatio) {
      reasons.push(`${fig.dropped} arrivals (${(arrivals * 100).toFixed(1)}%) dropped at the in-flight cap while every SLO held: raise --max-in-flight`);
      return { verdict: 'generator', reasons };
    }
    return { verdict: 'pass', reasons };
  }

  if (fig.generator.cpu >= limits.cpuSaturated) {
    reasons.push(`generator saturated (event loop ${(fig.generator.cpu * 100).toFixed(0)}% busy) while ${limitingSlo} failed: add --workers`);
  }
  if (fig.generator.eventLoopLagMs > limits.maxLagMs) {
    reasons.push(`generator event-loop lag ${f1(fig.generator.eventLoopLagMs)} ms while ${limitingSlo} failed: latencies include the generator's delay`);
  }
  if (reasons.length > 0) return { verdict: 'generator', limitingSlo, reasons };

  // Waiting for a connection must be most of the latency, not a few ms that tip a marginal step.
  const waitMs = fig.latency.mean - fig.serviceTime.mean;
  if (slosOnServiceTime && slosOnServiceTime.every((t) => t.passed) && waitMs > 0.5 * fig.latency.mean) {
    reasons.push(`${limitingSlo} failed only from waiting for a connection (service time meets it): raise --connections`);
    return { verdict: 'generator', limitingSlo, reasons };
  }

  for (const t of failed) {
    const actual = t.actual === null ? 'no data' : `${formatActual(t.actual, t.unit)}`;
    reasons.push(`${sloLabel(t)} failed (${actual})`);
  }
  return { verdict: 'fail', limitingSlo, reasons };
}

function formatActual(v: number, unit: string): string {
  if (unit === 'ms') return `${f1(v)} ms`;
  if (unit === 'ratio') return `${(v * 100).toFixed(2)}%`;
  if (unit === '1/s') return `${f1(v)}/s`;
  return String(v);
}
