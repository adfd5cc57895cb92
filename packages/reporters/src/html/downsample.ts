/**
 * Downsampling of a timeline for drawing.
 *
 * A 3-hour soak at 1-s intervals has 10 800 intervals; drawing them all is slow
 * and embedding them all makes the file large. The timeline is cut into equal
 * time buckets (at most `maxPoints` of them) and each series keeps, per bucket,
 * a mean line plus the min/max envelope of the source intervals — or, for
 * series whose peaks matter most (max latency), the bucket max itself. A single
 * spike interval therefore always survives into the drawn data.
 *
 * Buckets are aligned on elapsed run time, not on interval indexes, so two runs
 * drawn on one chart (compare mode) share the same x values.
 */
import type { Interval } from '@loadctl/core';

export const DEFAULT_MAX_POINTS = 1500;

export interface TimeGrid {
  /** Width of one bucket in ms. */
  bucketMs: number;
  /** Source intervals per bucket; 1 means the timeline is drawn as recorded. */
  factor: number;
  /** x of each bucket: seconds since the run start at the bucket's end. */
  xs: number[];
}

export interface GridRun {
  timeline: readonly Interval[];
  intervalMs: number;
}

/** Length of an interval in ms (its own bounds, else the run's interval). */
export function intervalMsOf(iv: Interval, fallbackMs: number): number {
  const d = iv.end - iv.start;
  return d > 0 ? d : fallbackMs > 0 ? fallbackMs : 1000;
}

/** Plan one grid for all runs drawn together: at most `maxPoints` buckets over the longest run. */
export function planGrid(runs: readonly GridRun[], maxPoints = DEFAULT_MAX_POINTS): TimeGrid {
  const baseMs = Math.max(1, ...runs.map((r) => (r.intervalMs > 0 ? r.intervalMs : 1000)));
  let spanMs = 0;
  for (const r of runs) {
    for (const iv of r.timeline) if (iv.elapsedMs > spanMs) spanMs = iv.elapsedMs;
  }
  const limit = Math.max(1, Math.floor(maxPoints));
  const factor = Math.max(1, Math.ceil(spanMs / baseMs / limit));
  const bucketMs = baseMs * factor;
  const count = Math.ceil(spanMs / bucketMs);
  const xs: number[] = new Array(count);
  for (let k = 0; k < count; k++) xs[k] = round3(((k + 1) * bucketMs) / 1000);
  return { bucketMs, factor, xs };
}

/** The intervals of one run per bucket of `grid` (empty arrays where the run has none). */
export function groupByBucket(timeline: readonly Interval[], intervalMs: number, grid: TimeGrid): Interval[][] {
  const groups: Interval[][] = grid.xs.map(() => []);
  if (groups.length === 0) return groups;
  for (const iv of timeline) {
    // Bucket by the interval's midpoint so that an interval ending exactly on a bucket edge stays inside.
    const mid = iv.elapsedMs - intervalMsOf(iv, intervalMs) / 2;
    const k = Math.min(groups.length - 1, Math.max(0, Math.floor(mid / grid.bucketMs)));
    groups[k].push(iv);
  }
  return groups;
}

/** One drawn series: the line and, when downsampled, the min/max envelope around it. */
export interface Reduced {
  values: Array<number | null>;
  lo: Array<number | null>;
  hi: Array<number | null>;
}

/**
 * Per bucket: the (weighted) mean of the non-null values as the line and their
 * min and max as the envelope. Buckets with no value are null (a gap).
 */
export function reduceMean(
  groups: readonly Interval[][],
  valueOf: (iv: Interval) => number | null,
  weightOf?: (iv: Interval) => number,
): Reduced {
  const n = groups.length;
  const values: Array<number | null> = new Array(n);
  const lo: Array<number | null> = new Array(n);
  const hi: Array<number | null> = new Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    let wsum = 0;
    let min = Infinity;
    let max = -Infinity;
    let seen = 0;
    for (const iv of groups[k]) {
      const v = valueOf(iv);
      if (v === null || !Number.isFinite(v)) continue;
      const w = weightOf ? weightOf(iv) : 1;
      seen++;
      sum += v * w;
      wsum += w;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (seen === 0) {
      values[k] = lo[k] = hi[k] = null;
    } else {
      values[k] = round3(wsum > 0 ? sum / wsum : (min + max) / 2);
      lo[k] = round3(min);
      hi[k] = round3(max);
    }
  }
  return { values, lo, hi };
}

/** Per bucket: the largest value (peaks survive any downsampling). */
export function reduceMax(groups: readonly Interval[][], valueOf: (iv: Interval) => number | null): Array<number | null> {
  return groups.map((g) => {
    let max: number | null = null;
    for (const iv of g) {
      const v = valueOf(iv);
      if (v !== null && Number.isFinite(v) && (max === null || v > max)) max = v;
    }
    return max === null ? null : round3(max);
  });
}

/** Round to 3 decimals: enough for ms with µs resolution, and keeps the embedded JSON small. */
export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
