import type { Interval, ReporterHealth, Summary, Warning } from '../metrics/model.js';
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

/** Generator delay p99 below this (µs) is never worth a warning: the issue-15 precision target. */
export const GENERATOR_DELAY_FLOOR_US = 1000;
/** …nor below this fraction of the measured latency p50. */
export const GENERATOR_DELAY_RATIO = 0.25;
/** A main-thread pause at least this long (ms) in some interval is warned about. */
export const MAIN_PAUSE_WARN_MS = 100;

const ms = (us: number): string => (us / 1000).toFixed(us < 10_000 ? 2 : 0);

/**
 * Warnings about the generator's own error: GENERATOR_DELAY when the generator delay's p99
 * is at least GENERATOR_DELAY_FLOOR_US and at least GENERATOR_DELAY_RATIO of the latency
 * p50 (the latency figures then carry a visible part of the generator's own delay);
 * MAIN_THREAD_PAUSE when the main thread paused MAIN_PAUSE_WARN_MS or more in an interval.
 */
export function generatorWarnings(summary: Summary): Warning[] {
  const g = summary.generator;
  if (!g) return [];
  const out: Warning[] = [];
  const p99 = g.delay.percentiles['99'] ?? 0;
  const p50Latency = summary.total.latency.percentiles['50'] ?? 0;
  if (g.delay.count > 0 && p99 >= GENERATOR_DELAY_FLOOR_US && p99 >= GENERATOR_DELAY_RATIO * p50Latency) {
    out.push({
      code: 'GENERATOR_DELAY',
      severity: 'warn',
      message:
        `generator delay p99 ${ms(p99)} ms against latency p50 ${ms(p50Latency)} ms: requests went out late (busy worker CPU, ` +
        `a stalled event loop, waiting for a free connection, or connecting) and the latencies include it; add --workers or connections, or lower the rate`,
    });
  }
  if (g.mainPause.maxMs >= MAIN_PAUSE_WARN_MS) {
    out.push({
      code: 'MAIN_THREAD_PAUSE',
      severity: 'warn',
      message: `the main thread paused up to ${g.mainPause.maxMs.toFixed(0)} ms in an interval (typically ${g.mainPause.p50Ms.toFixed(1)} ms): its work may have taken a core from the workers`,
    });
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
