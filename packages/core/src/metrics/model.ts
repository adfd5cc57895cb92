/**
 * The data that flows from the engine to reporters and into result files.
 * Everything here is plain, structured-cloneable data (no classes, no functions):
 * it crosses worker threads, is written to result.json and read back by `merge`,
 * `report` and `compare`.
 *
 * Times: wall-clock instants are epoch milliseconds; durations of requests
 * (latency, service time) are microseconds.
 */
import type { SeriesUnit } from './series.js';
import type { CapacityReport } from './capacity-model.js';

/** How a request failed before an HTTP status could be counted. */
export type ErrorKind =
  | 'connect_refused'
  | 'connect_timeout'
  | 'reset'
  | 'timeout'
  | 'tls'
  | 'dns'
  | 'protocol'
  | 'aborted'
  | 'other';

export const ERROR_KINDS: readonly ErrorKind[] = [
  'connect_refused',
  'connect_timeout',
  'reset',
  'timeout',
  'tls',
  'dns',
  'protocol',
  'aborted',
  'other',
];

/** Latency figures in microseconds, computed from an HDR histogram. */
export interface LatencySummary {
  /** Requests the figures cover (count). */
  count: number;
  /** Lowest latency (µs). */
  min: number;
  /** Mean latency (µs). */
  mean: number;
  /** Standard deviation (µs). */
  stdev: number;
  /** Highest latency (µs). */
  max: number;
  /** Keys are percentile labels as in PERCENTILES: "50", "75", "90", "95", "99", "99.9", "99.99". */
  percentiles: Record<string, number>;
}

export const PERCENTILES: readonly number[] = [50, 75, 90, 95, 99, 99.9, 99.99];

/** Counters and latency of one request name (or of the total) over a window. */
export interface RequestStats {
  /** Requests that completed: with an HTTP status or with an error. */
  count: number;
  /** Requests answered with an HTTP status (any). */
  responses: number;
  /** Requests that ended in an error (no HTTP status): sum of `errors`. */
  errorCount: number;
  /** Responses with status >= 400 plus transport errors (what `error_rate` uses); a count. */
  failed: number;
  /** HTTP status code -> count, e.g. { "200": 980, "500": 20 }. */
  statuses: Record<string, number>;
  /** Transport error kind -> count. */
  errors: Partial<Record<ErrorKind, number>>;
  /** Bytes received: status line, headers and body. */
  bytesIn: number;
  /** Bytes sent: request line, headers and body. */
  bytesOut: number;
  /**
   * Latency of every request counted, failed ones included (a timeout at the moment it was
   * given up, a transport error when it failed), as k6's http_req_duration and Locust do.
   * In the open model from the time the request was due (scheduled start, or the end of the
   * think time before it), else from the send.
   */
  latency: LatencySummary;
  /** Service time: from the moment the request was written to a connection (requests never written have none). */
  serviceTime: LatencySummary;
}

/** Iterations of one flow over a window. An iteration fails when a request errors, answers >= 400 or a check fails. */
export interface FlowStats {
  /** Iterations completed (count). */
  iterations: number;
  /** Of `iterations`: the failed ones (count). */
  failed: number;
  /** Whole-iteration duration (µs), think time included. */
  duration: LatencySummary;
}

/** Cumulative stats of one flow, with the lossless histogram of its iteration durations (for `merge`). */
export interface CumulativeFlowStats extends FlowStats {
  /** hdr-histogram-js compressed base64 of iteration durations (µs); absent in results of older versions. */
  durationHistogram?: string;
}

/** Check outcomes, keyed by check name. */
export type CheckCounts = Record<
  string,
  {
    /** Evaluations that passed (count). */
    passes: number;
    /** Evaluations that failed (count). */
    fails: number;
  }
>;

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

/** Cumulative stats of one request name: summary figures plus the lossless encoded histograms. */
export interface CumulativeRequestStats extends RequestStats {
  /** Latency of the successful requests only (status < 400); absent in files of older versions. */
  successLatency?: LatencySummary;
  /** hdr-histogram-js compressed base64 of latency (µs). */
  latencyHistogram: string;
  serviceTimeHistogram: string;
  successLatencyHistogram?: string;
  /** Mean requests/s over the load window (graceful drain excluded; see Summary.loadDurationMs). */
  rps: number;
}

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
