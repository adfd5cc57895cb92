import type { RawFlowStats, RawRequestStats } from './snapshot.js';
import { addSparse, createCumulativeHistogram, createHistogram, encodeHistogram, histogramDifference, summarizeHistogram, type Histogram } from './histogram.js';
import type { CumulativeFlowStats, CumulativeRequestStats, ErrorKind, FlowStats, RequestStats } from './model.js';

function addCounts(into: Record<string, number>, from: Record<string, number | undefined>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + (from[k] ?? 0);
}

/** Histograms of one interval (32-bit counts) or of a whole run (`wide`: 64-bit counts, see histogram.ts). */
function histogram(wide: boolean): Histogram {
  return wide ? createCumulativeHistogram() : createHistogram();
}

/** The counters of RequestStats (everything but the latency figures). */
export type RequestCounters = Omit<RequestStats, 'latency' | 'serviceTime'>;

export function zeroCounters(): RequestCounters {
  return { count: 0, responses: 0, errorCount: 0, failed: 0, statuses: {}, errors: {}, bytesIn: 0, bytesOut: 0 };
}

/** Add counters `o` into `into`: sums, statuses and error kinds by key. */
export function addRequestCounters(into: RequestCounters, o: RequestCounters): void {
  into.count += o.count;
  into.responses += o.responses;
  into.errorCount += o.errorCount;
  into.failed += o.failed;
  into.bytesIn += o.bytesIn;
  into.bytesOut += o.bytesOut;
  addCounts(into.statuses, o.statuses);
  addCounts(into.errors as Record<string, number>, o.errors);
}

/**
 * Mergeable stats of one request name: plain counters plus lossless histograms of the
 * latency (every request), the service time, and the failed requests' latency (created
 * on the first failure), from which the successful-only distribution is derived.
 * Counters are doubles, exact to 2^53 (9e15): 24 h at 50 000 req/s is 4.3e9 requests.
 * `wide` for cumulative stats: histogram counts that cannot wrap past 4.29e9 per bucket.
 */
export class RequestAccumulator {
  count = 0;
  responses = 0;
  errorCount = 0;
  failed = 0;
  statuses: Record<string, number> = {};
  errors: Partial<Record<ErrorKind, number>> = {};
  bytesIn = 0;
  bytesOut = 0;
  readonly latency: Histogram;
  readonly serviceTime: Histogram;
  failedLatency: Histogram | null = null;

  constructor(private readonly wide = false) {
    this.latency = histogram(wide);
    this.serviceTime = histogram(wide);
  }

  addRaw(raw: RawRequestStats): void {
    this.addCounters(raw);
    addSparse(this.latency, raw.latency);
    addSparse(this.serviceTime, raw.serviceTime);
    if (raw.failedLatency.length > 0) addSparse((this.failedLatency ??= histogram(this.wide)), raw.failedLatency);
  }

  add(other: RequestAccumulator): void {
    this.addCounters(other);
    this.latency.add(other.latency);
    this.serviceTime.add(other.serviceTime);
    if (other.failedLatency !== null) (this.failedLatency ??= histogram(this.wide)).add(other.failedLatency);
  }

  /** Latency of the successful requests only (status < 400): every request's minus the failed ones'. */
  successHistogram(): Histogram {
    return histogramDifference(this.latency, this.failedLatency);
  }

  private addCounters(o: RequestCounters): void {
    addRequestCounters(this, o);
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

  /**
   * Cumulative stats; `rps` divides by `loadDurationMs` (the load window). `encode: false`
   * leaves the encoded histograms empty (figures for a mid-run judgement, not for a file).
   */
  toCumulative(loadDurationMs: number, encode = true): CumulativeRequestStats {
    const success = this.successHistogram();
    const enc = (h: Histogram): string => (encode ? encodeHistogram(h) : '');
    const out: CumulativeRequestStats = {
      ...this.toStats(),
      successLatency: summarizeHistogram(success),
      latencyHistogram: enc(this.latency),
      serviceTimeHistogram: enc(this.serviceTime),
      successLatencyHistogram: enc(success),
      rps: loadDurationMs > 0 ? this.count / (loadDurationMs / 1000) : 0,
    };
    success.destroy();
    return out;
  }

  destroy(): void {
    this.latency.destroy();
    this.serviceTime.destroy();
    this.failedLatency?.destroy();
    this.failedLatency = null;
  }
}

export class FlowAccumulator {
  iterations = 0;
  failed = 0;
  readonly duration: Histogram;

  constructor(wide = false) {
    this.duration = histogram(wide);
  }

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

  toCumulative(encode = true): CumulativeFlowStats {
    return { ...this.toStats(), durationHistogram: encode ? encodeHistogram(this.duration) : '' };
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
