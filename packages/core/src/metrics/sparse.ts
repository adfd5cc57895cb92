/**
 * Sums of sparse histogram counts (SparseCounts: [index, count, …] of the one shape every
 * loadctl histogram shares) and their summaries, in time proportional to the non-zero
 * entries: the aggregator keeps each interval's histograms as the workers' sparse arrays
 * and never builds, scans or adds a dense counts array (45 000 entries) per request name.
 */
import { emptySummary, shapeTables, summarizeNonZero, type SparseCounts, type ValueTables } from './histogram.js';
import type { LatencySummary } from './model.js';

/** A reusable tally: add sparse arrays, read their summary or merged sparse form, clear. */
export class SparseSum {
  private readonly tables: ValueTables = shapeTables();
  private readonly dense = new Float64Array(this.tables.low.length);
  private readonly touched: number[] = [];
  private total = 0;

  add(sparse: SparseCounts): void {
    const dense = this.dense;
    for (let k = 0; k + 1 < sparse.length; k += 2) {
      const i = sparse[k];
      if (dense[i] === 0) this.touched.push(i);
      dense[i] += sparse[k + 1];
      this.total += sparse[k + 1];
    }
  }

  addAll(list: readonly SparseCounts[]): this {
    for (const s of list) this.add(s);
    return this;
  }

  get count(): number {
    return this.total;
  }

  /** The summary of what was added (the same figures summarizeHistogram gives for a histogram of it). */
  summary(): LatencySummary {
    if (this.total === 0) return emptySummary();
    const nz = this.sorted();
    const counts = new Float64Array(nz.length);
    for (let k = 0; k < nz.length; k++) counts[k] = this.dense[nz[k]];
    // Its bucket's lowest value for the minimum, its highest for the maximum (as addSparse): a percentile never exceeds the maximum.
    const { low, high } = this.tables;
    return summarizeNonZero(this.tables, nz, counts, this.total, low[nz[0]], high[nz[nz.length - 1]]);
  }

  /** What was added, as one sparse array (indexes ascending). */
  toSparse(): SparseCounts {
    const nz = this.sorted();
    const out = new Float64Array(nz.length * 2);
    for (let k = 0; k < nz.length; k++) {
      out[2 * k] = nz[k];
      out[2 * k + 1] = this.dense[nz[k]];
    }
    return out;
  }

  /** Empty it for the next use (only the entries touched are reset). */
  clear(): this {
    for (const i of this.touched) this.dense[i] = 0;
    this.touched.length = 0;
    this.total = 0;
    return this;
  }

  private sorted(): Float64Array {
    // A typed array sorts numerically, natively: no comparator calls.
    return Float64Array.from(this.touched).sort();
  }
}

/** The summary of sparse arrays, through a shared tally (cleared after). */
export function summarizeSparse(tally: SparseSum, list: readonly SparseCounts[]): LatencySummary {
  const s = tally.clear().addAll(list).summary();
  tally.clear();
  return s;
}
