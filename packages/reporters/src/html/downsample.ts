/**
 * Downsampling of a timeline for drawing, in one streaming pass.
 *
 * A 3-hour soak at 1-s intervals has 10 800 intervals; drawing them all is slow and embedding
 * them all makes the file large. The timeline is cut into equal time buckets (at most
 * `maxPoints` of them) and each series keeps, per bucket, a mean line plus the min/max
 * envelope of the source intervals — or, for series whose peaks matter most (max latency),
 * the bucket max itself. A single spike interval therefore always survives into the drawn data.
 * Intervals are added one at a time and only per-bucket sums are kept, so a 24-hour timeline
 * read from disk never has to be in memory.
 *
 * Buckets are aligned on elapsed run time, not on interval indexes, so two runs drawn on one
 * chart (compare mode) share the same x values.
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
  /** Elapsed ms at the end of the run's last interval. */
  spanMs: number;
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
  const spanMs = Math.max(0, ...runs.map((r) => r.spanMs));
  const limit = Math.max(1, Math.floor(maxPoints));
  const factor = Math.max(1, Math.ceil(spanMs / baseMs / limit));
  const bucketMs = baseMs * factor;
  const count = Math.ceil(spanMs / bucketMs);
  const xs: number[] = new Array(count);
  for (let k = 0; k < count; k++) xs[k] = round3(((k + 1) * bucketMs) / 1000);
  return { bucketMs, factor, xs };
}

/** The bucket of `grid` an interval falls in (by its midpoint, so one ending on an edge stays inside). */
export function bucketOf(iv: Interval, intervalMs: number, grid: TimeGrid): number {
  const mid = iv.elapsedMs - intervalMsOf(iv, intervalMs) / 2;
  return Math.min(grid.xs.length - 1, Math.max(0, Math.floor(mid / grid.bucketMs)));
}

/** One drawn quantity of an interval; null or non-finite values are gaps. */
export interface Channel {
  value(iv: Interval): number | null;
  /** Weight of the interval in the bucket mean (default 1). */
  weight?(iv: Interval): number;
}

/** One drawn series: the line and the min/max envelope of its bucket. */
export interface Reduced {
  values: Array<number | null>;
  lo: Array<number | null>;
  hi: Array<number | null>;
  /** The largest value of each bucket. */
  max: Array<number | null>;
}

/** Per-bucket running sums of channels, fed one interval at a time. */
export class BucketReducer {
  private readonly n: number;
  private readonly sums: Array<{ sum: Float64Array; wsum: Float64Array; min: Float64Array; max: Float64Array; seen: Uint32Array }>;

  constructor(
    private readonly grid: TimeGrid,
    private readonly intervalMs: number,
    private readonly channels: readonly Channel[],
  ) {
    this.n = grid.xs.length;
    this.sums = channels.map(() => ({
      sum: new Float64Array(this.n),
      wsum: new Float64Array(this.n),
      min: new Float64Array(this.n).fill(Infinity),
      max: new Float64Array(this.n).fill(-Infinity),
      seen: new Uint32Array(this.n),
    }));
  }

  add(iv: Interval): void {
    if (this.n === 0) return;
    const k = bucketOf(iv, this.intervalMs, this.grid);
    for (let c = 0; c < this.channels.length; c++) {
      const ch = this.channels[c];
      const v = ch.value(iv);
      if (v === null || !Number.isFinite(v)) continue;
      const w = ch.weight ? ch.weight(iv) : 1;
      const s = this.sums[c];
      s.seen[k]++;
      s.sum[k] += v * w;
      s.wsum[k] += w;
      if (v < s.min[k]) s.min[k] = v;
      if (v > s.max[k]) s.max[k] = v;
    }
  }

  /**
   * Channel `c` per bucket: the (weighted) mean of its values as the line, their min and max
   * as the envelope; buckets with no value are null (a gap).
   */
  reduced(c: number): Reduced {
    const s = this.sums[c];
    const values: Array<number | null> = new Array(this.n);
    const lo: Array<number | null> = new Array(this.n);
    const hi: Array<number | null> = new Array(this.n);
    for (let k = 0; k < this.n; k++) {
      if (s.seen[k] === 0) {
        values[k] = lo[k] = hi[k] = null;
        continue;
      }
      values[k] = round3(s.wsum[k] > 0 ? s.sum[k] / s.wsum[k] : (s.min[k] + s.max[k]) / 2);
      lo[k] = round3(s.min[k]);
      hi[k] = round3(s.max[k]);
    }
    return { values, lo, hi, max: hi };
  }
}

/** Round to 3 decimals: enough for ms with µs resolution, and keeps the embedded JSON small. */
export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
