/** One interval of the timeline: the figures of every worker merged, and the generator's health. */
import type { CheckCounts, FlowStats, RequestStats } from './model-stats.js';
import type { MonitorSample } from './model-soak.js';

/** Stats of one interval (default 1 s), merged over all workers. */
export interface Interval {
  /** 0-based tick number since the run start. */
  index: number;
  /** Epoch ms of the interval's start. */
  start: number;
  /** Epoch ms of the interval's end. */
  end: number;
  /** ms since the run start at the interval's end. */
  elapsedMs: number;
  total: RequestStats;
  /** Per request name. */
  requests: Record<string, RequestStats>;
  /** Iterations completed per flow (scenario runs; quick has one flow). */
  flows: Record<string, FlowStats>;
  checks: CheckCounts;
  /**
   * Requests per second in this interval: total.count divided by the interval's real length
   * (a last interval shorter than 20% of an interval is folded into the one before).
   */
  rps: number;
  /** Active virtual users (closed model) or in-flight iterations (open model) at the end. */
  activeUsers: number;
  /** Requested arrival rate (open model), iterations/s, mean over the interval; undefined in the closed model. */
  targetRate?: number;
  /** Iterations started per second (open model). */
  achievedRate?: number;
  /** Iterations not started: the in-flight cap was reached, or the load ended before the generator could start them. */
  dropped: number;
  /** Of `dropped`: arrivals the generator had not started when the load ended (a generator shortfall); absent in older files. */
  missed?: number;
  /** Iterations started late (> lateThresholdMs after their scheduled time). */
  late: number;
  /** Name of the load stage in force at the interval's end. */
  stage?: string;
  /** The generator's own health in this interval (see GeneratorHealth). */
  generator: GeneratorHealth;
  /**
   * The monitor sample (target processes, scraped endpoints, generator, host) taken at about
   * the interval's start: source -> series -> value, e.g. { target: { rss, fds, "tcp.established" },
   * generator: { heap }, host: { cpu } }. The full series name is "<source>.<series>"
   * (names and units in metrics/series.ts). Absent when nothing is monitored; a series missing
   * from it failed to sample.
   */
  monitor?: MonitorSample;
  /** Epoch ms when `monitor` was sampled (trends place it there, not at the interval's middle). */
  monitorAt?: number;
  /**
   * Side-by-side loads (`loads:`): each load's part of this interval. The interval's own
   * figures are the whole run's: its counts are the sums of the loads', its requests and
   * flows by name merged over the loads. Absent for a one-load scenario.
   */
  loads?: Record<string, LoadInterval>;
  /**
   * The interval's total latency histogram (µs), hdr-histogram-js compressed base64: lets
   * `merge` compute per-interval percentiles of several shards losslessly. Absent in files
   * written before it existed.
   */
  latencyHistogram?: string;
}

/** The load generator's own health over one interval. */
export interface GeneratorHealth {
  /** Highest worker CPU use (0..1) seen in this interval. */
  cpu: number;
  /** Highest worker event-loop lag p99 (ms) seen in this interval. */
  eventLoopLagMs: number;
  /**
   * Generator delay of the requests sent in this interval (µs): how late each was written to
   * its connection after it was due (docs/results.md). Absent when none was sent, and in
   * files of older versions.
   */
  delay?: {
    /** Median generator delay (µs). */
    p50: number;
    /** 99th percentile generator delay (µs). */
    p99: number;
    /** Largest generator delay (µs). */
    max: number;
  };
  /** The main thread's longest pause (its event-loop delay, ms) in this interval; absent in older files. */
  mainPauseMs?: number;
}

/**
 * One load's part of an interval (side-by-side loads): the interval's figures over that load
 * only (its own stage, its own requested rate).
 */
export type LoadInterval = Pick<Interval, 'total' | 'requests' | 'flows' | 'checks' | 'rps' | 'activeUsers' | 'targetRate' | 'achievedRate' | 'dropped' | 'late' | 'stage'> & {
  /** Of `dropped`: arrivals not started before the load's end because the generator fell behind (count). */
  missed: number;
};
