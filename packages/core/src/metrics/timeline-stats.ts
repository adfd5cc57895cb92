/**
 * What the summary and the warnings need from the timeline, accumulated interval by interval
 * in constant memory (the timeline itself is on disk): the spread of requests/s, generator
 * saturation and lag, and the requested vs achieved arrivals.
 */
import type { Interval, LoadInterval } from './model.js';

/** Running count, mean, variance (Welford), min and max. */
class Spread {
  n = 0;
  mean = 0;
  m2 = 0;
  min = Infinity;
  max = -Infinity;

  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  stdev(): number {
    return this.n > 0 ? Math.sqrt(Math.max(0, this.m2 / this.n)) : 0;
  }
}

/** Busy share of a worker's event loop from which the generator counts as saturated. */
export const CPU_SATURATED = 0.95;
/** Event-loop lag p99 (ms) above which latencies include generator delay. */
export const LAG_MS = 50;

/** Requests/s spread and requested vs achieved arrivals of one series of intervals (the run's, or one load's). */
class RateStats {
  /** Open model: iterations requested and started (rate × interval seconds, summed). */
  wanted = 0;
  got = 0;
  /** requests/s of full-length intervals, and of all intervals (used when none is full). */
  readonly fullRps = new Spread();
  readonly allRps = new Spread();

  add(i: Pick<LoadInterval, 'rps' | 'targetRate' | 'achievedRate'>, seconds: number, full: boolean): void {
    if (i.targetRate !== undefined && i.achievedRate !== undefined) {
      this.wanted += i.targetRate * seconds;
      this.got += i.achievedRate * seconds;
    }
    this.allRps.add(i.rps);
    if (full) this.fullRps.add(i.rps);
  }

  rpsSpread(): { min: number; max: number; stdev: number } {
    const s = this.fullRps.n > 0 ? this.fullRps : this.allRps;
    return s.n > 0 ? { min: s.min, max: s.max, stdev: s.stdev() } : { min: 0, max: 0, stdev: 0 };
  }

  shortfall(): number | null {
    if (this.wanted <= 0) return null;
    return Math.max(0, 1 - this.got / this.wanted);
  }
}

export class TimelineStats {
  intervals = 0;
  /** Intervals with a worker at ≥ CPU_SATURATED. */
  saturated = 0;
  /** Intervals with event-loop lag above LAG_MS, and the worst lag seen there. */
  lagged = 0;
  worstLagMs = 0;
  private readonly run = new RateStats();
  /** Side-by-side loads: each load's. */
  private readonly loads = new Map<string, RateStats>();

  constructor(private readonly intervalMs: number) {}


  add(i: Interval): void {
    this.intervals++;
    if (i.generator.cpu >= CPU_SATURATED) this.saturated++;
    if (i.generator.eventLoopLagMs > LAG_MS) {
      this.lagged++;
      this.worstLagMs = Math.max(this.worstLagMs, i.generator.eventLoopLagMs);
    }
    const seconds = (i.end - i.start) / 1000;
    const full = i.end - i.start >= this.intervalMs * 0.999;
    this.run.add(i, seconds, full);
    for (const [name, l] of Object.entries(i.loads ?? {})) {
      let r = this.loads.get(name);
      if (!r) this.loads.set(name, (r = new RateStats()));
      r.add(l, seconds, full);
    }
  }

  /** Spread of the per-interval requests/s (of the run, or of one load): full-length intervals (the last is usually partial). */
  rpsSpread(load?: string): { min: number; max: number; stdev: number } {
    const r = load === undefined ? this.run : this.loads.get(load);
    return r ? r.rpsSpread() : { min: 0, max: 0, stdev: 0 };
  }

  /** Fraction by which iterations started fell short of those requested (open model; the run's, or one load's), or null. */
  shortfall(load?: string): number | null {
    const r = load === undefined ? this.run : this.loads.get(load);
    return r ? r.shortfall() : null;
  }
}
