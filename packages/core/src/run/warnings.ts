import type { Interval, ReporterHealth, Warning } from '../metrics/model.js';
import { CPU_SATURATED, LAG_MS, TimelineStats } from '../metrics/timeline-stats.js';

const SHORTFALL = 0.05;

/** What the warnings say of each side-by-side load: its dropped and missed arrivals. */
export type LoadCounts = Record<string, { dropped: number; missed: number }>;

/** " (api 12, search 3)": how a count splits over the loads, those with any. */
function byLoad(loads: LoadCounts | undefined, count: (c: { dropped: number; missed: number }) => number): string {
  const parts = Object.entries(loads ?? {})
    .filter(([, c]) => count(c) > 0)
    .map(([name, c]) => `${name} ${count(c)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * Warnings about the measurement itself, from the timeline's running statistics. With loads
 * side by side (`loads`), dropped and missed arrivals are split by load and a rate shortfall
 * is said per load.
 */
export function timelineWarnings(stats: TimelineStats, dropped: number, late: number, missed = 0, loads?: LoadCounts): Warning[] {
  const out: Warning[] = [];
  if (stats.saturated > 0) {
    out.push({
      code: 'GENERATOR_CPU_SATURATED',
      severity: 'warn',
      message: `load generator CPU saturated (≥${Math.round(CPU_SATURATED * 100)}% busy) in ${stats.saturated} of ${stats.intervals} intervals: figures may reflect loadctl's limits, not the target's; add --workers or a shard`,
    });
  }
  if (stats.lagged > 0) {
    out.push({
      code: 'EVENT_LOOP_LAG',
      severity: 'warn',
      message: `worker event-loop lag above ${LAG_MS} ms in ${stats.lagged} intervals (worst p99 ${stats.worstLagMs.toFixed(0)} ms): latencies include generator delay`,
    });
  }
  if (missed > 0) {
    out.push({
      code: 'GENERATOR_SHORTFALL',
      severity: 'warn',
      message: `${missed} arrivals were not started before the end of the load${byLoad(loads, (c) => c.missed)}: the generator fell behind the requested rate (counted as dropped; add --workers or shards, or lower the rate)`,
    });
  }
  if (dropped - missed > 0) {
    out.push({ code: 'DROPPED_ITERATIONS', severity: 'warn', message: `${dropped - missed} iterations dropped${byLoad(loads, (c) => c.dropped - c.missed)}: the in-flight cap (maxInFlight) was reached` });
  }
  if (late > 0) {
    out.push({ code: 'LATE_ITERATIONS', severity: 'info', message: `${late} iterations started more than 10 ms after their scheduled time` });
  }
  for (const load of loads ? Object.keys(loads) : [undefined]) {
    const shortfall = stats.shortfall(load);
    if (shortfall !== null && shortfall > SHORTFALL) {
      out.push({
        code: 'RATE_SHORTFALL',
        severity: 'warn',
        message: `${load === undefined ? '' : `load "${load}": `}achieved rate ${(shortfall * 100).toFixed(1)}% below the requested rate over the run`,
      });
    }
  }
  return out;
}

/**
 * Warnings for reporters that lost data: calls that threw or timed out and intervals they
 * never got (REPORTER_FAILED), and what they failed to deliver on their side, e.g. InfluxDB
 * points dropped or write errors (REPORTER_DATA_LOST).
 */
export function reporterWarnings(health: Record<string, ReporterHealth>): Warning[] {
  const out: Warning[] = [];
  for (const [name, h] of Object.entries(health)) {
    if (h.errors > 0 || h.dropped > 0) {
      const last = h.notes.find((n) => n.startsWith('last error: '));
      out.push({
        code: 'REPORTER_FAILED',
        severity: 'warn',
        message: `reporter ${name}: ${h.errors} errors, ${h.dropped} intervals dropped${last ? ` (${last})` : ''}`,
      });
    }
    const l = h.losses;
    if (l && (l.lost > 0 || l.failures > 0)) {
      const what = l.lost > 0 ? `${l.lost} of ${l.total} ${l.unit} lost` : `no ${l.unit} lost`;
      out.push({
        code: 'REPORTER_DATA_LOST',
        severity: l.lost > 0 ? 'warn' : 'info',
        message: `reporter ${name}: ${what}, ${l.failures} failed writes${l.lastError ? ` (last error: ${l.lastError})` : ''}`,
      });
    }
  }
  return out;
}

/** Fraction by which iterations started fell short of those requested (open model) over a timeline, or null. */
export function rateShortfall(timeline: Iterable<Interval>): number | null {
  const stats = new TimelineStats(1);
  for (const i of timeline) stats.add(i);
  return stats.shortfall();
}
