/** Request, flow and check figures over a window, and the error kinds (latencies in µs). */

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
