/**
 * The data that flows from the engine to reporters and into result files.
 * Everything here is plain, structured-cloneable data (no classes, no functions):
 * it crosses worker threads, is written to result.json and read back by `merge`,
 * `report` and `compare`.
 *
 * Times: wall-clock instants are epoch milliseconds; durations of requests
 * (latency, service time) are microseconds.
 */
import type { CapacityReport } from './capacity-model.js';
import type { CheckCounts, CumulativeFlowStats, CumulativeRequestStats, LatencySummary } from './model-stats.js';
import type { Interval } from './model-interval.js';
import type { MonitorSourceHealth, SoakVerdict, Trend } from './model-soak.js';

export * from './model-stats.js';
export * from './model-interval.js';
export * from './model-soak.js';

export interface RunMeta {
  runId: string;
  /** 'quick' or the scenario name. */
  scenario: string;
  target: string;
  kind: 'quick' | 'scenario';
  /** Epoch ms at which the load started (the common start of the workers). */
  startedAt: number;
  /** Worker threads that ran the load (count). */
  workers: number;
  /** Planned duration in ms, if known (undefined for count-bounded runs). */
  plannedDurationMs?: number;
  /** Length of an interval (ms). */
  intervalMs: number;
  /** This process's part of the whole run (plan/segment.ts): "1/1" all of it, "2/4", "0.2:0.7"; "0/1" in older results. */
  segment: string;
  loadctlVersion: string;
  /** Load model summary, e.g. "closed 50 connections" or "open 2000/s". */
  model: string;
  tags: Record<string, string>;
  /** A merged result (`loadctl merge`): the shard results it was made of. */
  shards?: ShardSource[];
  /** HTTP client of the requests to the target: `fast` (loadctl's HTTP/1.1 client) or `undici` (https, or asked for). */
  httpClient?: 'fast' | 'undici';
  /** Open model: how workers waited for arrivals, `precise` or `coarse`; absent in the closed model. */
  arrivalTimer?: 'precise' | 'coarse';
  /** Unmeasured warm-up asked for before the run (ms; 0: none). Absent in older files. */
  warmupMs?: number;
  /** Seed of the run's PRNGs (templates' random functions, random rows, think times): give it again (`seed`, `--seed`) to replay them. */
  seed?: number;
  /** Side-by-side loads (`loads:`), in the scenario's order: what each one is. Absent for a one-load scenario. */
  loads?: Record<string, LoadMeta>;
}

/** One of several loads side by side: its model, length and labels. */
export interface LoadMeta {
  /** Its load model, e.g. "open up to 3000/s, max 7 in flight" or "closed 3 users". */
  model: string;
  /** Its planned length (ms); undefined when its end is not planned (an iteration count). */
  plannedDurationMs?: number;
  /** Its own labels (InfluxDB tags of its points, JUnit properties), besides the run's. */
  tags: Record<string, string>;
}

/** One shard result inside a merged result. */
export interface ShardSource {
  runId: string;
  segment: string;
  /** Where it was read from (file path) or the label given to `merge`. */
  source: string;
  /** Epoch ms at which the shard's load started. */
  startedAt: number;
  /** Epoch ms at which the shard's run ended. */
  endedAt: number;
  /** The shard's worker threads (count). */
  workers: number;
  /** The shard's requests (count). */
  count: number;
}

export type Severity = 'info' | 'warn' | 'error';

export interface Warning {
  code: string;
  severity: Severity;
  message: string;
}

export interface ThresholdResult {
  /** The expression as written, e.g. "p(95) < 200ms". */
  expression: string;
  /** What it applies to: "total", a request name ("GET /users/{id}") or "flow:store" (of `load` when set). */
  scope: string;
  /** Side-by-side loads: the load whose figures it judges (`scope: load:api` is `{ load: 'api', scope: 'total' }`). */
  load?: string;
  /** The measured value, in the unit of the metric (ms for latency, ratio 0..1 for rates, 1/s for rps). */
  actual: number | null;
  /** The limit of the expression, in the same unit as `actual` (ms, ratio 0..1, 1/s). */
  limit: number;
  unit: string;
  passed: boolean;
  /** True if this threshold stopped the run early. */
  aborted?: boolean;
}

/** Why a run did not pass, e.g. { code: 'NO_SUCCESSFUL_REQUESTS', message: 'no request succeeded (40 sent: 40 connect_refused)' }. */
export interface VerdictReason {
  /** INTERRUPTED, THRESHOLD_ABORT, RATE_SHORTFALL_ABORT, ERROR, THRESHOLDS_FAILED, NO_REQUESTS or NO_SUCCESSFUL_REQUESTS. */
  code: string;
  message: string;
}

export interface Verdict {
  /** The run completed, every threshold passed and at least one request succeeded. */
  passed: boolean;
  thresholds: ThresholdResult[];
  /** Why the run ended: completed, a threshold abort, interrupted (SIGINT) or error. */
  endReason: 'completed' | 'threshold_abort' | 'rate_shortfall_abort' | 'interrupted' | 'error';
  /** Why it did not pass (empty when it passed); absent in files of older versions. */
  reasons?: VerdictReason[];
}

/** The end-of-run summary handed to reporters and returned by `run`/`quick`. */
export interface Summary {
  meta: RunMeta;
  /** Epoch ms at which the run ended (the workers' last measurement). */
  endedAt: number;
  /** Length of the measured run (ms), graceful drain included. */
  durationMs: number;
  /**
   * The load window: from the start until no more iterations started (the planned end, a
   * stop, or the last counted iteration); the graceful drain after it is excluded. Rates
   * (`rps`, per-request `rps`) divide by it. Absent in older files (use durationMs).
   */
  loadDurationMs?: number;
  total: CumulativeRequestStats;
  requests: Record<string, CumulativeRequestStats>;
  flows: Record<string, CumulativeFlowStats>;
  checks: CheckCounts;
  /**
   * Requests/s: `mean` over the load window (requests of the iterations the load started,
   * divided by loadDurationMs, graceful drain excluded); min, max and stdev of the
   * full-length intervals' values.
   */
  rps: {
    /** Requests/s over the load window. */
    mean: number;
    /** Lowest full interval's requests/s. */
    min: number;
    /** Highest full interval's requests/s. */
    max: number;
    /** Standard deviation of the full intervals' requests/s. */
    stdev: number;
  };
  /** Open model: iterations not started (the in-flight cap was reached, or the load ended first); a count. */
  dropped: number;
  /** Of `dropped`: arrivals not started before the load's end because the generator fell behind. */
  missed?: number;
  /** Open model: iterations started late, behind their scheduled time (count). */
  late: number;
  /** Open model: fraction by which started iterations fell short of the requested ones (0..1). */
  rateShortfall?: number;
  verdict: Verdict;
  warnings: Warning[];
  /** Reporter health, filled by the reporter bus. */
  reporters: Record<string, ReporterHealth>;
  /** Linear trends per hour of latency, error rate, rps and every monitored series (runs long enough to fit). */
  trends?: Trend[];
  /** The one-line soak verdict over `trends`. */
  soak?: SoakVerdict;
  /** Monitored sources and how many of their samples failed. */
  monitor?: MonitorSourceHealth[];
  /** `loadctl capacity` only: the search, its steps and the answer (docs/capacity.md). */
  capacity?: CapacityReport;
  /** The generator's own error and health over the measured window; absent in older files. */
  generator?: GeneratorSummary;
  /**
   * Side-by-side loads (`loads:`): each load's own figures. The summary's own figures are the
   * whole run's (sums over the loads; requests and flows by name merged). Absent for a one-load scenario.
   */
  loads?: Record<string, LoadSummary>;
}

/** The load generator's own figures over a run (docs/results.md). */
export interface GeneratorSummary {
  /**
   * Generator delay (µs): for every request sent, how late it was written to its connection
   * after it was due. Open model: after its scheduled time (timer, busy worker, waiting for a
   * free connection); closed model: after the virtual user asked to send it (near zero).
   * The open model's latency includes it.
   */
  delay: LatencySummary;
  /** hdr-histogram-js compressed base64 of `delay` (µs), for `merge`. */
  delayHistogram: string;
  /** The main thread's longest pause (event-loop delay) in any measured interval, and the median of each interval's longest (ms). */
  mainPause: {
    /** The longest pause (ms). */
    maxMs: number;
    /** The median interval's longest pause (ms). */
    p50Ms: number;
  };
  /** The unmeasured warm-up before the run: asked length (ms) and the requests it sent (all workers). */
  warmup: {
    /** The warm-up asked for (ms; 0: none). */
    durationMs: number;
    /** Requests the warm-up sent, all workers (a count). */
    requests: number;
  };
}

/**
 * One load's figures over the run (side-by-side loads; what it is: `meta.loads`): the
 * summary's figures over that load only, its rates over its own load window.
 */
export type LoadSummary = Pick<Summary, 'total' | 'requests' | 'flows' | 'checks' | 'rps' | 'dropped' | 'late' | 'rateShortfall'> & {
  /** Its load window: from the start until it started no more iterations. Its rates divide by it. */
  loadDurationMs: number;
  /** Of `dropped`: arrivals not started before the load's end because the generator fell behind (count). */
  missed: number;
};

/** What a reporter counted as not delivered on its own side (e.g. InfluxDB points). */
export interface ReporterLosses {
  /** What it delivers, e.g. "points". */
  unit: string;
  /** Items handed to it. */
  total: number;
  /** Items that never reached their destination (dropped, rejected, unsent at the end). */
  lost: number;
  /** Failed deliveries (e.g. write requests), whether retried successfully or not. */
  failures: number;
  /** The last delivery error, secrets scrubbed. */
  lastError?: string;
}

/** Health of one reporter over the run, as the reporter bus saw it. */
export interface ReporterHealth {
  /** Calls that threw or timed out (count). */
  errors: number;
  /** Intervals it never got (its queue overflowed or could not be flushed at the end). */
  dropped: number;
  notes: string[];
  /** The reporter's own accounting of what it failed to deliver, if it keeps one. */
  losses?: ReporterLosses;
}

/**
 * The result-file schema version this build writes and the newest it reads. It changes only
 * when a reader of the old version would misread a new file; added optional fields keep it.
 */
export const RESULT_SCHEMA_VERSION = 1 as const;

/** result.json: everything `report`, `merge` and `compare` need. */
export interface RunResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  /** True when the run did not finish and this result was rebuilt from its last checkpoint. */
  partial?: boolean;
  /** Why the result is partial (set with `partial`). */
  partialReason?: string;
  summary: Summary;
  timeline: Interval[];
  /** The scenario or quick options with secrets replaced by "***". */
  config: unknown;
}
