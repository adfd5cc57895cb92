/**
 * The figures of one capacity step from its run result: the summary covers the
 * measured window only (the warm-up was excluded by `execute`), the timeline
 * covers the whole step, so generator health and arrivals are read from the
 * intervals after the warm-up.
 */
import type { CapacityLatency, CapacityStep } from '../metrics/capacity-model.js';
import type { Interval, LatencySummary, RunResult } from '../metrics/model.js';

export type StepFigures = Omit<CapacityStep, 'index' | 'kind' | 'rate' | 'durationMs' | 'warmupMs' | 'startedAt' | 'slos' | 'verdict' | 'limitingSlo' | 'reasons'>;

function ms(l: LatencySummary): CapacityLatency {
  const p = (k: string): number => (l.percentiles[k] ?? 0) / 1000;
  return { p50: p('50'), p95: p('95'), p99: p('99'), mean: l.mean / 1000 };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Intervals of the measured window: those starting at or after the warm-up. */
export function measuredIntervals(timeline: readonly Interval[], intervalMs: number, warmupMs: number): Interval[] {
  return timeline.filter((iv) => iv.index * intervalMs >= warmupMs);
}

/** Figures of a step asked at `rate` whose first `warmupMs` were excluded. */
export function stepFigures(result: RunResult, rate: number, warmupMs: number): StepFigures {
  const s = result.summary;
  const measured = measuredIntervals(result.timeline, s.meta.intervalMs, warmupMs);
  let due = 0;
  let started = 0;
  let dropped = 0;
  for (const iv of measured) {
    const secs = (iv.end - iv.start) / 1000;
    due += (iv.targetRate ?? 0) * secs;
    started += (iv.achievedRate ?? 0) * secs;
    dropped += iv.dropped;
  }
  // Rates relative to what was due in the window: drain intervals (nothing due) do not dilute them.
  const scheduledRate = due > 0 ? (rate * (started + dropped)) / due : 0;
  const achievedRate = due > 0 ? (rate * started) / due : 0;
  const secs = s.durationMs / 1000;
  const throughputRps = secs > 0 ? s.total.count / secs : 0;
  const latency = ms(s.total.latency);
  const cpus = measured.map((iv) => iv.generator.cpu);
  const lags = measured.map((iv) => iv.generator.eventLoopLagMs);
  return {
    measuredMs: s.durationMs,
    scheduledRate,
    achievedRate,
    throughputRps,
    requests: s.total.count,
    errorRate: s.total.count > 0 ? s.total.failed / s.total.count : 0,
    latency,
    serviceTime: ms(s.total.serviceTime),
    concurrency: throughputRps * (latency.mean / 1000),
    started: Math.round(started),
    iterations: Object.values(s.flows).reduce((n, f) => n + f.iterations, 0),
    dropped,
    generator: {
      cpu: median(cpus),
      cpuMax: cpus.length ? Math.max(...cpus) : 0,
      eventLoopLagMs: median(lags),
      eventLoopLagMaxMs: lags.length ? Math.max(...lags) : 0,
    },
  };
}
