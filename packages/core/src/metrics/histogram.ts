import * as hdr from 'hdr-histogram-js';
import { PERCENTILES, type LatencySummary } from './model.js';

export type Histogram = hdr.Histogram;

/** Highest latency we track: one hour, in microseconds. Larger values are clamped. */
export const HIGHEST_TRACKABLE_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;
/**
 * Counts per bucket: 32-bit for the histograms of one interval (a worker's tick can never
 * hold 4.29e9 requests), 64-bit (Float64Array, exact to 2^53) for cumulative ones: 24 h at
 * 50 000 req/s is 4.3e9 requests, and a narrow latency distribution puts most of them into
 * one bucket, which a Uint32 count silently wraps (percentiles then come out wrong or 0).
 */
const BIT_BUCKET_SIZE = 32;
const WIDE_BIT_BUCKET_SIZE = 64;

function build(bitBucketSize: 32 | 64): Histogram {
  return hdr.build({
    bitBucketSize,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** A latency histogram in microseconds with the fixed precision every part of loadctl shares (32-bit counts: one interval). */
export function createHistogram(): Histogram {
  return build(BIT_BUCKET_SIZE);
}

/** The same shape with 64-bit counts, for stats that accumulate over a whole run (and anything decoded). */
export function createCumulativeHistogram(): Histogram {
  return build(WIDE_BIT_BUCKET_SIZE);
}

/** Record a value in µs, clamped into the trackable range (0 counts as 1 µs). */
export function recordMicros(h: Histogram, us: number): void {
  const v = us < 1 ? 1 : us > HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : Math.round(us);
  h.recordValue(v);
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/**
 * Encode and decode a small histogram once, so that the compression code is compiled before a
 * run starts: its first call costs tens of ms of CPU, which the main thread would otherwise
 * take from the workers in the run's first second (it encodes every interval's histogram).
 */
export function warmUpEncoding(): void {
  const h = createHistogram();
  for (let v = 1; v < 5_000_000; v *= 3) h.recordValue(v);
  decodeHistogram(encodeHistogram(h)).destroy();
  h.destroy();
}

/** Decode into a 64-bit histogram: an encoded histogram may be cumulative over a long run. */
export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, WIDE_BIT_BUCKET_SIZE, false);
  // Normalise to our shape so later `add`s never resize or lose precision.
  const h = createCumulativeHistogram();
  h.add(decoded);
  decoded.destroy();
  return h;
}

/** Merge `encoded` into `into` losslessly. */
export function addEncoded(into: Histogram, encoded: string): void {
  const decoded = hdr.decodeFromCompressedBase64(encoded, WIDE_BIT_BUCKET_SIZE, false);
  into.add(decoded);
  decoded.destroy();
}

export function percentileLabel(p: number): string {
  return String(p);
}

const EMPTY_PERCENTILES: Record<string, number> = Object.fromEntries(PERCENTILES.map((p) => [percentileLabel(p), 0]));

/** The counts-array access hdr-histogram-js's JS implementation has (not in its typings). */
interface CountsArrayAccess {
  countsArrayLength: number;
  /** The raw counts of its typed-array histograms (bitBucketSize 8/16/32/64). */
  _counts?: ArrayLike<number>;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  highestEquivalentValue(v: number): number;
  medianEquivalentValue(v: number): number;
}

const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);

/**
 * Per counts-array index: the median-equivalent and highest-equivalent values of its bucket.
 * Every loadctl histogram has the same shape, so these are computed once per thread.
 */
export interface ValueTables {
  low: Float64Array;
  mid: Float64Array;
  high: Float64Array;
}
let valueTables: ValueTables | null = null;

function tablesFor(a: CountsArrayAccess): ValueTables {
  const n = a.countsArrayLength;
  if (valueTables === null || valueTables.mid.length !== n) {
    const low = new Float64Array(n);
    const mid = new Float64Array(n);
    const high = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = a.valueFromIndex(i);
      low[i] = v;
      mid[i] = a.medianEquivalentValue(v);
      high[i] = a.highestEquivalentValue(v);
    }
    valueTables = { low, mid, high };
  }
  return valueTables;
}

/**
 * Latency figures (µs) of a histogram; all zero when it is empty.
 * Computed with exactly hdr-histogram-js's definitions (percentile rounding, median-equivalent
 * mean and stdev) in one scan of the counts array plus table lookups for its non-zero
 * entries. Asking the histogram for 7 percentiles, the mean and the stdev one by one costs
 * ten passes, three through its slow iterator, and the main thread does this every interval
 * on a core it may share with a worker (its pauses would show in the worker's latencies).
 */
export function summarizeHistogram(h: Histogram): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return emptySummary();
  const a = h as unknown as CountsArrayAccess;
  const n = a.countsArrayLength;
  const raw = a._counts !== undefined && a._counts.length >= n ? a._counts : null;
  const nz: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = raw !== null ? raw[i] : a.getCountAtIndex(i);
    if (c !== 0) {
      nz.push(i);
      counts.push(c);
    }
  }
  return summarizeNonZero(tablesFor(a), nz, counts, count, h.minNonZeroValue, h.maxValue);
}

export function emptySummary(): LatencySummary {
  return { count: 0, min: 0, mean: 0, stdev: 0, max: 0, percentiles: { ...EMPTY_PERCENTILES } };
}

/**
 * The summary of a histogram given by its non-zero entries (`nz` counts-array indexes in
 * ascending order, `counts` theirs, `count` their sum > 0) and its recorded extremes.
 */
export function summarizeNonZero(t: ValueTables, nz: ArrayLike<number>, counts: ArrayLike<number>, count: number, min: number, max: number): LatencySummary {
  const { mid, high } = t;
  const wanted = PERCENTILES.map((p) => {
    const fp = (Math.min(p, 100) / 100) * count;
    return Math.max(Math.ceil(fp - ulp(fp)), 1);
  });
  const percentiles: Record<string, number> = {};
  let next = 0;
  let cumulative = 0;
  let total = 0;
  for (let k = 0; k < nz.length; k++) {
    cumulative += counts[k];
    total += mid[nz[k]] * counts[k];
    while (next < wanted.length && cumulative >= wanted[next]) {
      percentiles[percentileLabel(PERCENTILES[next])] = high[nz[k]];
      next++;
    }
  }
  const mean = total / count;
  let deviations = 0;
  for (let k = 0; k < nz.length; k++) {
    const d = mid[nz[k]] - mean;
    deviations += d * d * counts[k];
  }
  return { count, min, mean, stdev: Math.sqrt(deviations / count), max, percentiles };
}

/** The value tables of the one histogram shape every part of loadctl shares (computed once per thread). */
export function shapeTables(): ValueTables {
  if (valueTables === null) {
    const h = createHistogram();
    tablesFor(h as unknown as CountsArrayAccess);
    h.destroy();
  }
  return valueTables!;
}

/**
 * A histogram's non-zero counts as [index, count, index, count, …]: how workers ship each
 * interval's histograms to the main thread. Lossless like the compressed encoding (the
 * same counts array) but costs a scan instead of a compression on the worker, whose
 * pauses would show in its latencies, and plain additions on the main thread.
 */
export type SparseCounts = Float64Array;

export function toSparse(h: Histogram): SparseCounts {
  const a = h as unknown as CountsArrayAccess;
  const n = a.countsArrayLength;
  const raw = a._counts !== undefined && a._counts.length >= n ? a._counts : null;
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = raw !== null ? raw[i] : a.getCountAtIndex(i);
    if (c !== 0) pairs.push(i, c);
  }
  return Float64Array.from(pairs);
}

/** The counts-array writes of hdr-histogram-js's JS histograms (not in its typings). */
interface CountsArrayWrite {
  addToCountAtIndex(i: number, c: number): void;
  setTotalCount(n: number): void;
  updateMinAndMax(v: number): void;
}

/**
 * Add sparse counts (from a histogram of the same shape, indexes ascending) into `into`:
 * straight into its counts array, O(entries) — not a value lookup per entry.
 */
export function addSparse(into: Histogram, sparse: SparseCounts): void {
  if (sparse.length < 2) return;
  const w = into as unknown as CountsArrayWrite;
  const { low, high } = tablesFor(into as unknown as CountsArrayAccess);
  let added = 0;
  for (let k = 0; k + 1 < sparse.length; k += 2) {
    w.addToCountAtIndex(sparse[k], sparse[k + 1]);
    added += sparse[k + 1];
  }
  w.setTotalCount(into.totalCount + added);
  // Counts travel per bucket: the minimum is its bucket's lowest value, the maximum its highest
  // (never below what was recorded, never below a percentile, which are highest values too).
  w.updateMinAndMax(low[sparse[0]]);
  w.updateMinAndMax(high[sparse[sparse.length - 2]]);
}

/**
 * A new histogram with the counts of `a` minus those of `b` (same shape; `b` must be a
 * subset of `a`, as the failed requests are of all requests). Min and max are those of
 * what remains (hdr-histogram-js's own subtract keeps `a`'s).
 */
export function histogramDifference(a: Histogram, b: Histogram | null): Histogram {
  // 64-bit: `a` may be a cumulative histogram past 2^32 in a bucket.
  const out = createCumulativeHistogram();
  if (b === null) {
    out.add(a);
    return out;
  }
  const ha = a as unknown as CountsArrayAccess;
  const hb = b as unknown as CountsArrayAccess;
  const { low } = tablesFor(ha);
  for (let i = 0; i < ha.countsArrayLength; i++) {
    const c = ha.getCountAtIndex(i);
    if (c === 0) continue;
    const d = c - hb.getCountAtIndex(i);
    if (d > 0) out.recordValueWithCount(low[i], d);
  }
  return out;
}

/** Value at any percentile (0..100) of an encoded histogram, in µs. */
export function percentileOfEncoded(encoded: string, percentile: number): number {
  const h = decodeHistogram(encoded);
  const v = h.totalCount === 0 ? 0 : h.getValueAtPercentile(percentile);
  h.destroy();
  return v;
}

/**
 * The percentile spectrum of a histogram, as HdrHistogram plots show it:
 * points (percentile, value µs) with ticks getting denser toward 100%.
 */
export function percentileSpectrum(h: Histogram, ticksPerHalfDistance = 5): Array<{ percentile: number; value: number }> {
  const out: Array<{ percentile: number; value: number }> = [];
  if (h.totalCount === 0) return out;
  // 0, 50, 75, 87.5, ... each half-distance to 100 split into `ticksPerHalfDistance` steps.
  let base = 0;
  let half = 50;
  while (half > 100 / h.totalCount / 2 && out.length < 400) {
    for (let i = 0; i < ticksPerHalfDistance; i++) {
      const p = base + (half * 2 * i) / ticksPerHalfDistance / 2;
      out.push({ percentile: p, value: h.getValueAtPercentile(p) });
    }
    base += half;
    half /= 2;
  }
  out.push({ percentile: 100, value: h.maxValue });
  return out;
}

interface IterableHistogram {
  recordedValuesIterator: {
    reset(): void;
    hasNext(): boolean;
    next(): { valueIteratedTo: number; countAddedInThisIterationStep: number };
  };
}

/**
 * Counts of a histogram in `buckets` log-spaced value ranges between its min and max
 * (the bar view of a latency distribution). Each bucket: [from, to) in µs and a count.
 */
export function logBuckets(h: Histogram, buckets = 10): Array<{ from: number; to: number; count: number }> {
  if (h.totalCount === 0) return [];
  const min = Math.max(1, h.minNonZeroValue);
  const max = Math.max(min + 1, h.maxValue);
  const ratio = Math.pow(max / min, 1 / buckets);
  const out = Array.from({ length: buckets }, (_, i) => ({ from: min * ratio ** i, to: min * ratio ** (i + 1), count: 0 }));
  const it = (h as unknown as IterableHistogram).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    const i = Math.min(buckets - 1, Math.max(0, Math.floor(Math.log(v.valueIteratedTo / min) / Math.log(ratio))));
    out[i].count += v.countAddedInThisIterationStep;
  }
  return out;
}
