/**
 * The main thread's pauses: how late a 10 ms timer on it fires, beyond its period. The main
 * thread aggregates and reports once per interval; a long pause there means work that may
 * take a core from the workers (and delays the reporters). A timer of our own, not
 * perf_hooks' monitorEventLoopDelay, whose reset forgets the pause in progress.
 */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

const PERIOD_MS = 10;

export class MainThreadPauses {
  /** The worst pause of each measured interval (µs). */
  private readonly perInterval: RecordableHistogram = createHistogram();
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  /** Longest pause since the last `take` (ms). */
  private worst = 0;

  start(): void {
    if (this.timer !== null) return;
    this.last = performance.now();
    this.timer = setInterval(() => this.sample(), PERIOD_MS);
    this.timer.unref();
  }

  private sample(): void {
    const now = performance.now();
    this.worst = Math.max(this.worst, now - this.last - PERIOD_MS);
    this.last = now;
  }

  /** The longest pause (ms) since the last call, the one in progress included; when `measured`, it counts toward the run's figures. */
  take(measured: boolean): number {
    if (this.timer !== null) this.worst = Math.max(this.worst, performance.now() - this.last - PERIOD_MS);
    const ms = round(Math.max(0, this.worst));
    this.worst = 0;
    if (measured) this.perInterval.record(Math.max(1, Math.round(ms * 1000)));
    return ms;
  }

  /** Over the measured intervals: the longest pause, and the median of each interval's longest (ms). */
  summary(): { maxMs: number; p50Ms: number } {
    const h = this.perInterval;
    if (h.count === 0) return { maxMs: 0, p50Ms: 0 };
    return { maxMs: round(h.max / 1000), p50Ms: round(h.percentile(50) / 1000) };
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
