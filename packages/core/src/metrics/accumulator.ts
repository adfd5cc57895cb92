import type { RawFlowStats, RawRequestStats } from './snapshot.js';
import { addSparse, createHistogram, encodeHistogram, summarizeHistogram, type Histogram } from './histogram.js';
import type { CumulativeRequestStats, ErrorKind, FlowStats, RequestStats } from './model.js';

function addCounts(into: Record<string, number>, from: Record<string, number | undefined>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + (from[k] ?? 0);
}

/** Mergeable stats of one request name: plain counters plus two lossless histograms. */
export class RequestAccumulator {
  count = 0;
  responses = 0;
  errorCount = 0;
  failed = 0;
  statuses: Record<string, number> = {};
  errors: Partial<Record<ErrorKind, number>> = {};
  bytesIn = 0;
  bytesOut = 0;
  readonly latency: Histogram = createHistogram();
  readonly serviceTime: Histogram = createHistogram();

  addRaw(raw: RawRequestStats): void {
    this.addCounters(raw);
    addSparse(this.latency, raw.latency);
    addSparse(this.serviceTime, raw.serviceTime);
  }

  add(other: RequestAccumulator): void {
    this.addCounters(other);
    this.latency.add(other.latency);
    this.serviceTime.add(other.serviceTime);
  }

  private addCounters(o: Omit<RawRequestStats, 'latency' | 'serviceTime'>): void {
    this.count += o.count;
    this.responses += o.responses;
    this.errorCount += o.errorCount;
    this.failed += o.failed;
    this.bytesIn += o.bytesIn;
    this.bytesOut += o.bytesOut;
    addCounts(this.statuses, o.statuses);
    addCounts(this.errors as Record<string, number>, o.errors);
  }

  toStats(): RequestStats {
    return {
      count: this.count,
      responses: this.responses,
      errorCount: this.errorCount,
      failed: this.failed,
      statuses: { ...this.statuses },
      errors: { ...this.errors },
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      latency: summarizeHistogram(this.latency),
      serviceTime: summarizeHistogram(this.serviceTime),
    };
  }

  toCumulative(durationMs: number): CumulativeRequestStats {
    return {
      ...this.toStats(),
      latencyHistogram: encodeHistogram(this.latency),
      serviceTimeHistogram: encodeHistogram(this.serviceTime),
      rps: durationMs > 0 ? this.count / (durationMs / 1000) : 0,
    };
  }

  destroy(): void {
    this.latency.destroy();
    this.serviceTime.destroy();
  }
}

export class FlowAccumulator {
  iterations = 0;
  failed = 0;
  readonly duration: Histogram = createHistogram();

  addRaw(raw: RawFlowStats): void {
    this.iterations += raw.iterations;
    this.failed += raw.failed;
    addSparse(this.duration, raw.duration);
  }

  add(other: FlowAccumulator): void {
    this.iterations += other.iterations;
    this.failed += other.failed;
    this.duration.add(other.duration);
  }

  toStats(): FlowStats {
    return { iterations: this.iterations, failed: this.failed, duration: summarizeHistogram(this.duration) };
  }

  destroy(): void {
    this.duration.destroy();
  }
}

/** A keyed set of accumulators, created on first use. */
export class AccumulatorMap<A extends { destroy(): void }> {
  readonly byName = new Map<string, A>();
  constructor(private readonly create: () => A) {}

  get(name: string): A {
    let a = this.byName.get(name);
    if (!a) {
      a = this.create();
      this.byName.set(name, a);
    }
    return a;
  }

  map<T>(fn: (a: A, name: string) => T): Record<string, T> {
    const out: Record<string, T> = {};
    for (const [name, a] of this.byName) out[name] = fn(a, name);
    return out;
  }

  destroy(): void {
    for (const a of this.byName.values()) a.destroy();
    this.byName.clear();
  }
}

export function addCheckCounts(
  into: Record<string, { passes: number; fails: number }>,
  from: Record<string, { passes: number; fails: number }>,
): void {
  for (const name in from) {
    const c = (into[name] ??= { passes: 0, fails: 0 });
    c.passes += from[name].passes;
    c.fails += from[name].fails;
  }
}
