import type { Interval, Warning } from '../metrics/model.js';

const CPU_SATURATED = 0.95;
const LAG_MS = 50;
const SHORTFALL = 0.05;

/** Warnings about the measurement itself, derived from the timeline. */
export function timelineWarnings(timeline: readonly Interval[], dropped: number, late: number, missed = 0): Warning[] {
  const out: Warning[] = [];
  const full = timeline.length;
  const saturated = timeline.filter((i) => i.generator.cpu >= CPU_SATURATED).length;
  if (saturated > 0) {
    out.push({
      code: 'GENERATOR_CPU_SATURATED',
      severity: 'warn',
      message: `load generator CPU saturated (≥${Math.round(CPU_SATURATED * 100)}% busy) in ${saturated} of ${full} intervals: figures may reflect loadctl's limits, not the target's; add --workers or a shard`,
    });
  }
  const lagged = timeline.filter((i) => i.generator.eventLoopLagMs > LAG_MS);
  if (lagged.length > 0) {
    const worst = Math.max(...lagged.map((i) => i.generator.eventLoopLagMs));
    out.push({
      code: 'EVENT_LOOP_LAG',
      severity: 'warn',
      message: `worker event-loop lag above ${LAG_MS} ms in ${lagged.length} intervals (worst p99 ${worst.toFixed(0)} ms): latencies include generator delay`,
    });
  }
  if (missed > 0) {
    out.push({
      code: 'GENERATOR_SHORTFALL',
      severity: 'warn',
      message: `${missed} arrivals were not started before the end of the load: the generator fell behind the requested rate (counted as dropped; add --workers or shards, or lower the rate)`,
    });
  }
  if (dropped - missed > 0) {
    out.push({ code: 'DROPPED_ITERATIONS', severity: 'warn', message: `${dropped - missed} iterations dropped: the in-flight cap (maxInFlight) was reached` });
  }
  if (late > 0) {
    out.push({ code: 'LATE_ITERATIONS', severity: 'info', message: `${late} iterations started more than 10 ms after their scheduled time` });
  }
  const shortfall = rateShortfall(timeline);
  if (shortfall !== null && shortfall > SHORTFALL) {
    out.push({
      code: 'RATE_SHORTFALL',
      severity: 'warn',
      message: `achieved rate ${(shortfall * 100).toFixed(1)}% below the requested rate over the run`,
    });
  }
  return out;
}

/** Fraction by which iterations started fell short of those requested (open model), or null. */
export function rateShortfall(timeline: readonly Interval[]): number | null {
  let wanted = 0;
  let got = 0;
  for (const i of timeline) {
    if (i.targetRate === undefined || i.achievedRate === undefined) continue;
    const s = (i.end - i.start) / 1000;
    wanted += i.targetRate * s;
    got += i.achievedRate * s;
  }
  if (wanted <= 0) return null;
  return Math.max(0, 1 - got / wanted);
}
