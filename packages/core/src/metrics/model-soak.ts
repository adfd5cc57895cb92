/** Monitor samples and the soak verdict: trends per series over the steady part of a run. */
import type { SeriesUnit } from './series.js';

/** One source's series in a sample: `rss`, `tcp.established`, `heap`, … -> value. */
export type MonitorValues = Record<string, number>;

/** One monitor sample: source ("target", "target.api", "generator", "host") -> its series. */
export type MonitorSample = Record<string, MonitorValues>;

/** How a monitored source fared over the run; failing samples are counted, never fatal. */
export interface MonitorSourceHealth {
  /** The series prefix, e.g. "target", "target.api", "generator", "host". */
  name: string;
  kind: 'pid' | 'cmd' | 'url' | 'generator' | 'host';
  /** What is sampled: "pid 1234", the command, the URL (credentials removed). */
  what: string;
  /** Samples taken (count). */
  samples: number;
  /** Of `samples`: those that failed (count). */
  failures: number;
  lastError?: string;
}

/**
 * A linear trend of one series over the steady part of the run (warm-up excluded).
 * `growing`: a resource piles up (memory, descriptors, connections); `degrading`: latency or
 * errors rise, or throughput falls. Either needs the 95 % interval to exclude zero AND the change
 * it implies over the window to pass a practical floor (see soak/trends.ts).
 */
export interface Trend {
  /** e.g. "latency.p99", "error_rate", "rps", "target.rss", "target.tcp.established", "generator.heap". */
  metric: string;
  /** Least-squares slope, in `unit` per hour. */
  slopePerHour: number;
  /** Low end of the slope's 95 % confidence interval (autocorrelation-corrected), `unit` per hour. */
  low: number;
  /** High end of the slope's 95 % confidence interval, `unit` per hour. */
  high: number;
  /** Unit of the series ("bytes", "ms", "ratio", "count", "1/s", "s" or "" when unknown). */
  unit: SeriesUnit;
  verdict: 'stable' | 'growing' | 'degrading';
  /** Mean of the series over the window, in `unit`. */
  mean: number;
  /** Points (intervals) the fit used. */
  points: number;
  /** Why the verdict, in words. */
  reason: string;
}

/** The soak verdict in one line: did the target look stable, leaking or degrading, and why. */
export interface SoakVerdict {
  status: 'stable' | 'leaking' | 'degrading' | 'too_short';
  headline: string;
  /** Start of the steady window the trends cover, ms since the run start. */
  fromMs: number;
  /** End of that window, ms since the run start. */
  toMs: number;
}
