/**
 * The worker-side recorder: plain numbers and typed arrays on the hot path,
 * encoded into a WorkerSnapshot once per tick and reset.
 */
import { createHistogram, recordMicros, toSparse, type Histogram } from '../metrics/histogram.js';
import { ERROR_KINDS, type ErrorKind } from '../metrics/model.js';
import type { RawFlowStats, RawRequestStats } from '../metrics/snapshot.js';
import type { SparseCounts } from '../metrics/histogram.js';

const ERROR_INDEX: Record<ErrorKind, number> = Object.fromEntries(ERROR_KINDS.map((k, i) => [k, i])) as Record<
  ErrorKind,
  number
>;

const NO_COUNTS = new Float64Array(0);

/** Stats of one request name within the current tick. */
export class RequestRecorder {
  count = 0;
  responses = 0;
  errorCount = 0;
  failed = 0;
  bytesIn = 0;
  bytesOut = 0;
  private readonly statuses = new Uint32Array(600);
  private readonly errors = new Uint32Array(ERROR_KINDS.length);
  /** Every request counted: responses of any status and transport errors (timeouts at the moment they were given up). */
  private readonly latency: Histogram = createHistogram();
  /** Requests written to a connection, from the write. */
  private readonly serviceTime: Histogram = createHistogram();
  /**
   * The failed requests' latencies (status >= 400 or transport error): usually empty, so the
   * snapshot stays lean; the main thread derives the successful-only distribution from it.
   */
  private readonly failedLatency: Histogram = createHistogram();
  private failedTimed = 0;

  /** A response with an HTTP status. Times in µs. */
  response(status: number, latencyUs: number, serviceUs: number, bytesIn: number, bytesOut: number): void {
    this.count++;
    this.responses++;
    this.statuses[status < 600 ? status : 599]++;
    this.bytesIn += bytesIn;
    this.bytesOut += bytesOut;
    recordMicros(this.latency, latencyUs);
    recordMicros(this.serviceTime, serviceUs);
    if (status >= 400) {
      this.failed++;
      this.failedTimed++;
      recordMicros(this.failedLatency, latencyUs);
    }
  }

  /**
   * A request that ended without a status, `latencyUs` after its origin (the moment it
   * failed or was given up). `serviceUs` < 0: it was never written to a connection.
   */
  error(kind: ErrorKind, latencyUs: number, serviceUs: number, bytesIn: number, bytesOut: number): void {
    this.count++;
    this.errorCount++;
    this.failed++;
    this.failedTimed++;
    this.errors[ERROR_INDEX[kind]]++;
    this.bytesIn += bytesIn;
    this.bytesOut += bytesOut;
    recordMicros(this.latency, latencyUs);
    recordMicros(this.failedLatency, latencyUs);
    if (serviceUs >= 0) recordMicros(this.serviceTime, serviceUs);
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  /** Encode this tick's stats and reset for the next one. */
  drain(): RawRequestStats {
    const statuses: Record<string, number> = {};
    for (let s = 0; s < this.statuses.length; s++) if (this.statuses[s] !== 0) statuses[String(s)] = this.statuses[s];
    const errors: Partial<Record<ErrorKind, number>> = {};
    for (let i = 0; i < this.errors.length; i++) if (this.errors[i] !== 0) errors[ERROR_KINDS[i]] = this.errors[i];
    const raw: RawRequestStats = {
      count: this.count,
      responses: this.responses,
      errorCount: this.errorCount,
      failed: this.failed,
      statuses,
      errors,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      latency: toSparse(this.latency),
      serviceTime: toSparse(this.serviceTime),
      failedLatency: this.failedTimed > 0 ? toSparse(this.failedLatency) : NO_COUNTS,
    };
    this.count = this.responses = this.errorCount = this.failed = this.bytesIn = this.bytesOut = 0;
    this.statuses.fill(0);
    this.errors.fill(0);
    this.latency.reset();
    this.serviceTime.reset();
    if (this.failedTimed > 0) this.failedLatency.reset();
    this.failedTimed = 0;
    return raw;
  }
}

/**
 * The generator delay of every request sent in the current tick, all request names together
 * (one histogram per worker keeps the snapshot lean): how late (µs) the request was written
 * to its connection after it was due.
 */
export class DelayRecorder {
  private readonly delay: Histogram = createHistogram();
  private count = 0;

  record(us: number): void {
    this.count++;
    recordMicros(this.delay, us);
  }

  /** This tick's counts, sparse (empty when nothing was sent), and reset. */
  drain(): SparseCounts {
    if (this.count === 0) return NO_COUNTS;
    const out = toSparse(this.delay);
    this.delay.reset();
    this.count = 0;
    return out;
  }
}

export class FlowRecorder {
  iterations = 0;
  failed = 0;
  private readonly duration: Histogram = createHistogram();

  iteration(durationUs: number, failed: boolean): void {
    this.iterations++;
    if (failed) this.failed++;
    recordMicros(this.duration, durationUs);
  }

  drain(): RawFlowStats {
    const raw: RawFlowStats = { iterations: this.iterations, failed: this.failed, duration: toSparse(this.duration) };
    this.iterations = this.failed = 0;
    this.duration.reset();
    return raw;
  }
}

export class CheckRecorder {
  private readonly counts = new Map<string, { passes: number; fails: number }>();

  record(name: string, passed: boolean): void {
    let c = this.counts.get(name);
    if (!c) {
      c = { passes: 0, fails: 0 };
      this.counts.set(name, c);
    }
    if (passed) c.passes++;
    else c.fails++;
  }

  drain(): Record<string, { passes: number; fails: number }> {
    const out: Record<string, { passes: number; fails: number }> = {};
    for (const [name, c] of this.counts) {
      if (c.passes || c.fails) out[name] = { passes: c.passes, fails: c.fails };
      c.passes = c.fails = 0;
    }
    return out;
  }
}
