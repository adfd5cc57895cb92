/**
 * One interval tick of one request name or flow on the main thread, as the workers sent
 * it: their raw snapshots, kept as they are (no histogram is built per tick). Summaries
 * come from the sparse counts in time proportional to their non-zero entries (sparse.ts),
 * and the run's cumulative accumulators add them straight into their counts arrays.
 */
import { addRequestCounters, zeroCounters, type FlowAccumulator, type RequestAccumulator, type RequestCounters } from './accumulator.js';
import type { SparseCounts } from './histogram.js';
import type { FlowStats, RequestStats } from './model.js';
import type { RawFlowStats, RawRequestStats } from './snapshot.js';
import { summarizeSparse, type SparseSum } from './sparse.js';

export class TickRequest {
  readonly raws: RawRequestStats[] = [];

  add(raw: RawRequestStats): void {
    this.raws.push(raw);
  }

  merge(other: TickRequest): void {
    this.raws.push(...other.raws);
  }

  counters(into: RequestCounters = zeroCounters()): RequestCounters {
    for (const r of this.raws) addRequestCounters(into, r);
    return into;
  }

  latencies(): SparseCounts[] {
    return this.raws.map((r) => r.latency);
  }

  serviceTimes(): SparseCounts[] {
    return this.raws.map((r) => r.serviceTime);
  }

  toStats(tally: SparseSum): RequestStats {
    return { ...this.counters(), latency: summarizeSparse(tally, this.latencies()), serviceTime: summarizeSparse(tally, this.serviceTimes()) };
  }

  addTo(acc: RequestAccumulator): void {
    for (const r of this.raws) acc.addRaw(r);
  }
}

export class TickFlow {
  readonly raws: RawFlowStats[] = [];

  add(raw: RawFlowStats): void {
    this.raws.push(raw);
  }

  merge(other: TickFlow): void {
    this.raws.push(...other.raws);
  }

  toStats(tally: SparseSum): FlowStats {
    let iterations = 0;
    let failed = 0;
    for (const r of this.raws) {
      iterations += r.iterations;
      failed += r.failed;
    }
    return { iterations, failed, duration: summarizeSparse(tally, this.raws.map((r) => r.duration)) };
  }

  addTo(acc: FlowAccumulator): void {
    for (const r of this.raws) acc.addRaw(r);
  }
}

/** Tick entries by name, created on first use. */
export class TickMap<T> {
  readonly byName = new Map<string, T>();
  constructor(private readonly create: () => T) {}

  get(name: string): T {
    let t = this.byName.get(name);
    if (t === undefined) {
      t = this.create();
      this.byName.set(name, t);
    }
    return t;
  }
}
