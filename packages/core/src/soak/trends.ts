/**
 * Trends over the steady part of a run: for latency p50/p95/p99, error rate, achieved RPS and
 * every monitored series, the least-squares slope per hour with its 95 % confidence interval
 * (autocorrelation-corrected, see regression.ts) and a verdict.
 *
 * The verdict is built so that noise cannot trip it. A series is `growing` (a resource: memory,
 * descriptors, connections, CPU) or `degrading` (latency or error rate up, RPS down) only when
 * BOTH hold:
 *   1. statistical: the whole 95 % interval lies on the bad side of zero, and
 *   2. practical: the smallest slope in that interval, times the window's length, is a change of
 *      at least PRACTICAL_FLOOR.relative (10 %) of the series' mean AND at least the absolute
 *      floor of its unit (8 MiB, 5 descriptors or connections, 1 ms, 0.5 percentage points, 1/s).
 * A tiny but steady drift (1 MB over 3 h on a 200 MB process) is therefore `stable`, and so is
 * a series moving the harmless way (memory freed, RPS up). Everything else is `stable`.
 */
import { formatSeriesValue, formatSlope, seriesDirection, seriesUnit, type SeriesUnit } from '../metrics/series.js';
import type { Interval, Trend } from '../metrics/model.js';
import { fitSlope } from './regression.js';

export const PRACTICAL_FLOOR: { relative: number; absolute: Record<SeriesUnit, number> } = {
  relative: 0.1,
  absolute: { bytes: 8 * 1024 * 1024, count: 5, ms: 1, s: 0.001, ratio: 0.005, '1/s': 1, '': 0 },
};

/** Fewer steady intervals than this: no trend is fitted. */
export const MIN_TREND_POINTS = 10;

export interface TrendOptions {
  /** Start of the steady window, ms since the run start (the trend warm-up). */
  fromMs: number;
  /** End of the steady window (default: the run's end). */
  toMs?: number;
  /** The run's interval length; shorter (partial) intervals are left out. */
  intervalMs: number;
}

const PERCENTILE_SERIES: ReadonlyArray<[string, string]> = [
  ['latency.p50', '50'],
  ['latency.p95', '95'],
  ['latency.p99', '99'],
];

/** One series' points and, for each, the bounds of its interval (ms since the run start). */
interface SeriesPoints {
  startMs: number[];
  endMs: number[];
  lengthMs: number[];
  xs: number[];
  ys: number[];
}

/**
 * The points of every trend series, gathered interval by interval as the run goes (a few
 * numbers per interval and series, never the intervals themselves), and selected for the
 * steady window at the end. Performance series first, then monitored ones in the order first seen.
 */
export class TrendPoints {
  private readonly series = new Map<string, SeriesPoints>();

  constructor() {
    for (const [name] of PERCENTILE_SERIES) this.open(name);
    this.open('error_rate');
    this.open('rps');
  }

  private open(name: string): SeriesPoints {
    let s = this.series.get(name);
    if (!s) {
      s = { startMs: [], endMs: [], lengthMs: [], xs: [], ys: [] };
      this.series.set(name, s);
    }
    return s;
  }

  add(iv: Interval): void {
    const length = iv.end - iv.start;
    const startMs = iv.elapsedMs - length;
    const x = (startMs + length / 2) / 3_600_000;
    const put = (name: string, at: number, y: number): void => {
      if (!Number.isFinite(y)) return;
      const s = this.open(name);
      s.startMs.push(startMs);
      s.endMs.push(iv.elapsedMs);
      s.lengthMs.push(length);
      s.xs.push(at);
      s.ys.push(y);
    };
    if (iv.total.latency.count > 0) for (const [name, p] of PERCENTILE_SERIES) put(name, x, (iv.total.latency.percentiles[p] ?? 0) / 1000);
    if (iv.total.count > 0) put('error_rate', x, iv.total.failed / iv.total.count);
    put('rps', x, iv.rps);
    if (!iv.monitor) return;
    // A sample sits at the time it was taken (it may lag the interval on a busy machine).
    const runStart = iv.end - iv.elapsedMs;
    const at = iv.monitorAt !== undefined && iv.monitorAt > runStart ? (iv.monitorAt - runStart) / 3_600_000 : x;
    for (const source in iv.monitor) for (const series in iv.monitor[source]) put(`${source}.${series}`, at, iv.monitor[source][series]);
  }

  /** Each series' points within the steady window of full-length intervals. */
  select(o: TrendOptions): Map<string, { xs: number[]; ys: number[] }> {
    const out = new Map<string, { xs: number[]; ys: number[] }>();
    const to = o.toMs ?? Infinity;
    for (const [name, s] of this.series) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let k = 0; k < s.xs.length; k++) {
        if (s.lengthMs[k] < o.intervalMs * 0.999 || s.startMs[k] < o.fromMs || s.endMs[k] > to) continue;
        xs.push(s.xs[k]);
        ys.push(s.ys[k]);
      }
      out.set(name, { xs, ys });
    }
    return out;
  }
}

function collect(timeline: Iterable<Interval>, o: TrendOptions): Map<string, { xs: number[]; ys: number[] }> {
  const points = new TrendPoints();
  for (const iv of timeline) points.add(iv);
  return points.select(o);
}

/** Duration in words: 52s, 14m, 2h50m. */
export function spanText(hours: number): string {
  const s = Math.round(hours * 3600);
  if (s < 120) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m}m`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function judge(name: string, xs: number[], ys: number[]): Trend | null {
  const fit = fitSlope(xs, ys);
  if (!fit) return null;
  const unit = seriesUnit(name);
  const dir = seriesDirection(name);
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const hours = xs[xs.length - 1] - xs[0];
  // The least bad slope the data allows, in the bad direction (> 0 means "surely bad").
  const bound = dir.bad === 'up' ? fit.low : -fit.high;
  const floor = Math.max(PRACTICAL_FLOOR.relative * Math.abs(mean), PRACTICAL_FLOOR.absolute[unit]);
  const change = bound * hours;
  const slopeText = `${formatSlope(fit.slope, unit)} (95% CI ${formatSlope(fit.low, unit)} .. ${formatSlope(fit.high, unit)})`;
  const over = `over ${spanText(hours)}`;
  let verdict: Trend['verdict'] = 'stable';
  let reason: string;
  const changeText = `${dir.bad === 'up' ? '+' : '-'}${formatSeriesValue(change, unit)}`;
  const floorText = `${formatSeriesValue(floor, unit)} (${Math.round(PRACTICAL_FLOOR.relative * 100)}% of its mean ${formatSeriesValue(mean, unit)}, at least ${formatSeriesValue(PRACTICAL_FLOOR.absolute[unit], unit)})`;
  if (bound > 0 && change >= floor) {
    verdict = dir.word;
    reason = `${slopeText}: at least ${changeText} ${over}, beyond the noise floor ${floorText}`;
  } else if (bound > 0) {
    reason = `${slopeText}: a real but small drift, at least ${changeText} ${over}, under the floor ${floorText}`;
  } else if ((dir.bad === 'up' ? -fit.high : fit.low) > 0) {
    reason = `${slopeText}: ${dir.bad === 'up' ? 'falling' : 'rising'}, which is not a problem`;
  } else {
    reason = `${slopeText}: no trend distinguishable from noise ${over} (the interval includes 0)`;
  }
  return { metric: name, slopePerHour: fit.slope, low: fit.low, high: fit.high, unit, verdict, mean, points: fit.points, reason };
}

/**
 * Trends of every series with at least MIN_TREND_POINTS steady intervals, performance series
 * first. Monitored series that stayed 0 throughout (TCP states never seen) are left out.
 */
export function computeTrends(timeline: Iterable<Interval> | TrendPoints, o: TrendOptions): Trend[] {
  const out: Trend[] = [];
  for (const [name, s] of timeline instanceof TrendPoints ? timeline.select(o) : collect(timeline, o)) {
    if (s.xs.length < MIN_TREND_POINTS) continue;
    if (name.includes('.') && !name.startsWith('latency.') && s.ys.every((y) => y === 0)) continue;
    const t = judge(name, s.xs, s.ys);
    if (t) out.push(t);
  }
  return out;
}

/** Steady intervals in the window (what MIN_TREND_POINTS is compared with). */
export function steadyIntervals(timeline: Iterable<Interval> | TrendPoints, o: TrendOptions): number {
  return (timeline instanceof TrendPoints ? timeline.select(o) : collect(timeline, o)).get('rps')?.xs.length ?? 0;
}
