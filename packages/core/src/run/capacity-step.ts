/**
 * One step of a capacity search: the scenario's flows and weights as an open
 * model at the asked rate for the step's hold, through `execute`, with the
 * warm-up left out of the figures; then its SLOs, figures and judgement.
 */
import type { CapacityStep, CapacityStepKind } from '../metrics/capacity-model.js';
import type { Interval, RunResult, ThresholdResult } from '../metrics/model.js';
import type { Reporter } from '../reporting/reporter.js';
import type { LoadCeilingOption } from '../scenario/ceiling.js';
import type { SingleLoadScenario, ThresholdSpec } from '../scenario/model.js';
import { classifyStep, type GeneratorLimits } from '../capacity/classify.js';
import { stepFigures } from '../capacity/figures.js';
import { evaluateThresholds, thresholdStatsFromSummary, type ThresholdStats } from '../thresholds/evaluate.js';
import { parseThreshold } from '../thresholds/parse.js';
import { execute } from './execute.js';
import type { HookSession } from './hooks.js';

export interface StepRequest {
  index: number;
  kind: CapacityStepKind;
  rate: number;
  durationMs: number;
  warmupMs: number;
}

export interface StepContext {
  scenario: SingleLoadScenario;
  kind: 'quick' | 'scenario';
  slos: readonly ThresholdSpec[];
  limits: GeneratorLimits;
  workers?: number;
  intervalMs: number;
  /** In-flight cap and connections for a rate. */
  maxInFlight(rate: number): number;
  connections(rate: number): number;
  signal: AbortSignal;
  loadCeiling?: LoadCeilingOption;
  tags?: Record<string, string>;
  /** The scenario's hooks, set up once for the whole search. */
  hooks?: HookSession;
  /** Every interval of the step, warm-up included. */
  onInterval(i: Interval, step: StepRequest): void;
}

export interface StepOutcome {
  step: CapacityStep;
  result: RunResult;
  /** The step did not run to its end (interrupt, deadline, worker crash): it is not judged. */
  cut: boolean;
}

/** The scenario with its load replaced by a constant open-model rate. */
export function openAt(s: SingleLoadScenario, rate: number, durationMs: number, maxInFlight: number, connections: number): SingleLoadScenario {
  return {
    ...s,
    load: { model: 'open', startRate: rate, stages: [{ durationMs, rate, name: `${rate}/s` }], maxInFlight, connections: Math.max(1, Math.min(connections, maxInFlight)) },
    thresholds: [],
    rateShortfall: undefined,
  };
}

/** Largest latency limit among the SLOs (ms), or undefined when none is on latency. */
export function largestLatencySlo(slos: readonly ThresholdSpec[]): number | undefined {
  let max: number | undefined;
  for (const s of slos) {
    const t = parseThreshold(s.expression);
    if (t.unit === 'ms' && (t.op === '<' || t.op === '<=')) max = Math.max(max ?? 0, t.limit);
  }
  return max;
}

/** The same stats with service time in place of latency: what the SLOs would say without waiting for a connection. */
export function serviceTimeStats(stats: ThresholdStats): ThresholdStats {
  const swap = <T extends ThresholdStats['total']>(r: T): T => ({ ...r, latency: r.serviceTime });
  return { ...stats, total: swap(stats.total), requests: Object.fromEntries(Object.entries(stats.requests).map(([k, r]) => [k, swap(r)])) };
}

export async function runStep(req: StepRequest, ctx: StepContext): Promise<StepOutcome> {
  const startedAt = Date.now();
  const scenario = openAt(ctx.scenario, req.rate, req.durationMs, ctx.maxInFlight(req.rate), ctx.connections(req.rate));
  const forward: Reporter = { name: 'capacity-step', kind: 'output', interval: (i) => ctx.onInterval(i, req) };
  let sloResults: ThresholdResult[] = [];
  let onServiceTime: ThresholdResult[] | undefined;
  const result = await execute(scenario, {
    kind: ctx.kind,
    workers: ctx.workers,
    intervalMs: ctx.intervalMs,
    excludeFirstMs: req.warmupMs,
    // The step's own warm-up (under the real load, left out of its figures) warms the JIT too.
    warmupMs: 0,
    reporters: [forward],
    signal: ctx.signal,
    loadCeiling: ctx.loadCeiling,
    preflight: false,
    hookSession: ctx.hooks,
    tags: { ...ctx.tags, capacity_step: String(req.index + 1) },
    model: `capacity step ${req.index + 1}: open ${req.rate}/s`,
    judge: {
      evaluate: (summary) => {
        const stats = thresholdStatsFromSummary(summary);
        sloResults = evaluateThresholds(ctx.slos, stats);
        onServiceTime = evaluateThresholds(ctx.slos, serviceTimeStats(stats));
        return sloResults;
      },
    },
  });
  const figures = stepFigures(result, req.rate, req.warmupMs);
  const base = { index: req.index, kind: req.kind, rate: req.rate, durationMs: req.durationMs, warmupMs: req.warmupMs, startedAt, ...figures, slos: sloResults };
  const cut = result.summary.verdict.endReason !== 'completed';
  if (cut) {
    const why = result.summary.verdict.endReason === 'interrupted' ? 'stopped before its end' : `ended early (${result.summary.verdict.endReason})`;
    return { step: { ...base, verdict: 'aborted', reasons: [`step ${why}: not judged`] }, result, cut };
  }
  const j = classifyStep(req.rate, figures, sloResults, onServiceTime, ctx.limits);
  const step: CapacityStep = { ...base, verdict: j.verdict, reasons: j.reasons };
  if (j.limitingSlo !== undefined) step.limitingSlo = j.limitingSlo;
  return { step, result, cut };
}
