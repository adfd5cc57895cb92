/**
 * The `capacity` section of a result (summary.capacity): what `loadctl capacity`
 * found, every step of the search, the Universal Scalability Law fit and the
 * sizing. Plain data, like the rest of the result model.
 *
 * Rates: `rate` is the offered (asked) arrival rate of iterations per second —
 * one request per iteration for `capacity URL`; `*Rps` fields are requests/s.
 * Latencies are milliseconds.
 */

/** An SLO judged at one step (the shape of a ThresholdResult). */
export interface CapacitySloResult {
  expression: string;
  scope: string;
  /** Measured value in `unit` (ms, ratio 0..1, 1/s), null without data. */
  actual: number | null;
  /** The SLO's limit in `unit` (ms, ratio 0..1, 1/s). */
  limit: number;
  unit: string;
  passed: boolean;
}

/** What bounded the answer. */
export type CapacityLimit = 'target' | 'generator' | 'range';

/** found: a target-limited capacity within the resolution (confirmed when confirmation is on);
 * none: no rate down to the minimum met the SLOs; inconclusive: anything else (the answer is a lower bound). */
export type CapacityStatus = 'found' | 'none' | 'inconclusive';

export type CapacityStopReason =
  | 'converged'
  | 'max_rate'
  | 'max_duration'
  | 'generator'
  | 'no_passing_rate'
  | 'unstable'
  | 'interrupted'
  | 'error';

export type CapacityStepKind = 'climb' | 'descend' | 'bisect' | 'confirm' | 'retry';

/** pass: every SLO met at the asked rate; fail: an SLO missed (the target's doing);
 * generator: the step cannot be judged (load not delivered, generator saturated); aborted: cut short, not judged. */
export type CapacityStepVerdict = 'pass' | 'fail' | 'generator' | 'aborted';

/** Latency figures of a step (ms). */
export interface CapacityLatency {
  /** Median (ms). */
  p50: number;
  /** 95th percentile (ms). */
  p95: number;
  /** 99th percentile (ms). */
  p99: number;
  /** Mean (ms). */
  mean: number;
}

export interface CapacityStep {
  /** 0-based, in the order run. */
  index: number;
  kind: CapacityStepKind;
  /** Offered arrival rate (iterations/s). */
  rate: number;
  /** Planned hold, warm-up included (ms). */
  durationMs: number;
  /** The first part of the hold excluded from the figures (ms, whole intervals). */
  warmupMs: number;
  /** Length of the measured window (ms). */
  measuredMs: number;
  /** Epoch ms the step started. */
  startedAt: number;
  /** Arrivals due per second (started + dropped) in the measured window: what the generator scheduled. */
  scheduledRate: number;
  /** Iterations started per second in the measured window. */
  achievedRate: number;
  /** Requests completed per second in the measured window. */
  throughputRps: number;
  /** Requests completed in the measured window (count). */
  requests: number;
  /** Failed requests / requests (status >= 400 or transport error). */
  errorRate: number;
  /** Latency from the scheduled start (ms). */
  latency: CapacityLatency;
  /** Service time: from the hand-over to a connection (ms). */
  serviceTime: CapacityLatency;
  /** Requests in flight by Little's law: N = throughput × mean latency. */
  concurrency: number;
  /** Iterations started in the measured window. */
  started: number;
  /** Iterations completed in the measured window (counted at completion, like requests). */
  iterations: number;
  /** Arrivals dropped at the in-flight cap in the measured window. */
  dropped: number;
  /** Generator health in the measured window: median and worst of the per-interval values. */
  generator: {
    /** Median worker CPU use (0..1). */
    cpu: number;
    /** Highest worker CPU use (0..1). */
    cpuMax: number;
    /** Median event-loop lag p99 (ms). */
    eventLoopLagMs: number;
    /** Highest event-loop lag p99 (ms). */
    eventLoopLagMaxMs: number;
  };
  /** Every SLO at this step. */
  slos: CapacitySloResult[];
  verdict: CapacityStepVerdict;
  /** The first SLO that failed ("scope: expression"), if any. */
  limitingSlo?: string;
  /** Why the step was judged so (generator reasons, failed SLOs), in plain words. */
  reasons: string[];
}

/** One point of the USL curve. */
export interface UslPoint {
  /** Requests in flight (count, from Little's law). */
  concurrency: number;
  /** Requests/s. */
  throughput: number;
}

/** Universal Scalability Law: X(N) = λN / (1 + σ(N−1) + κN(N−1)), fitted to the steps (N from Little's law). */
export interface UslFit {
  /** Throughput of one request in flight (req/s). */
  lambda: number;
  /** Contention (serialisation), 0..1. */
  sigma: number;
  /** Coherency (crosstalk), a ratio >= 0. */
  kappa: number;
  /** Coefficient of determination of the fit over the points used. */
  r2: number;
  points: UslPoint[];
  /** Where throughput peaks (κ > 0), or null when it only levels off. */
  peak: UslPoint | null;
  /** Where contention costs 10% of linear scaling, and where coherency does. */
  contentionAt: UslPoint | null;
  coherencyAt: UslPoint | null;
  /** Good enough to read the curve: enough points, R² >= 0.9. */
  good: boolean;
  /** What the fit says, in plain words (with the caveat when it is poor). */
  summary: string;
}

/** The settings a capacity search ran with (docs/capacity.md). */
export interface CapacitySettings {
  /** First offered rate (iterations/s). */
  startRate: number;
  /** Highest rate tried (iterations/s). */
  maxRate: number;
  /** Lowest rate tried when descending (iterations/s). */
  minRate: number;
  /** Factor between climbing steps (e.g. 2: each step doubles the rate). */
  growth: number;
  /** When the search stops: a relative resolution (ratio 0..1 of the rate) or an absolute one (iterations/s). */
  resolution: {
    kind: 'relative' | 'absolute';
    /** A ratio (relative) or iterations/s (absolute). */
    value: number;
  };
  /** Hold of each step (ms). */
  stepMs: number;
  /** First part of each step left out of its figures (ms). */
  warmupMs: number;
  /** Hold of the confirmation (ms); 0: none. */
  confirmMs: number;
  /** Budget of the whole search (ms). */
  maxDurationMs: number;
  /** In-flight cap of every step (iterations, count). */
  maxInFlight?: number;
  /** Connections of every step (count). */
  connections?: number;
}

export interface CapacitySizing {
  /** Traffic to hold (requests/s). */
  traffic: number;
  /** Share of each instance's maximum kept free (0..1). */
  headroom: number;
  /** Requests/s one instance is planned at: maxRps × (1 − headroom). */
  perInstanceRps: number;
  /** Instances needed (count), or null when no capacity was measured. */
  instances: number | null;
  /** True when maxRps is only a lower bound: the count is then an upper bound. */
  upperBound: boolean;
}

export interface CapacityReport {
  status: CapacityStatus;
  limitedBy: CapacityLimit;
  stopReason: CapacityStopReason;
  /** The highest offered rate (iterations/s) that met every SLO; 0 when none did. */
  maxRate: number;
  /** Requests/s measured at that rate (equal to maxRate for one request per iteration). */
  maxRps: number;
  /** The answer held over the longer confirmation window. */
  confirmed: boolean;
  /** Index of the step the answer comes from (its confirmation when there is one). */
  answerStep: number | null;
  /** The lowest offered rate (iterations/s) that failed an SLO, if any. */
  lowestFailingRate: number | null;
  /** Where latency or throughput bent away from the offered load, if seen. */
  knee: {
    /** Offered rate (iterations/s). */
    rate: number;
    reason: string;
  } | null;
  /**
   * The target got slower during the search: a rate failed after the same or a higher rate
   * had passed. Its capacity then depends on its state (data it accumulates, a leak, a
   * cache), and the answer is that of the state it was left in. Absent when not seen.
   */
  drift?: {
    /** Index of the earlier step that passed (0-based step index). */
    passedStep: number;
    /** Index of the later step that failed at the same or a lower rate (0-based step index). */
    failedStep: number;
    /** Offered rate of the passing step (iterations/s). */
    passedRate: number;
    /** Offered rate of the failing step (iterations/s). */
    failedRate: number;
    /** Latency p99 of the passing step (ms). */
    passedP99Ms: number;
    /** Latency p99 of the failing step (ms). */
    failedP99Ms: number;
  };
  /** One or two sentences: the answer and why it is what it is. */
  explanation: string;
  /** The SLOs as "scope: expression". */
  slos: string[];
  settings: CapacitySettings;
  steps: CapacityStep[];
  usl: UslFit | null;
  sizing?: CapacitySizing;
  /** --min-rps: passed true/false, or null when the search cannot tell. */
  gate?: {
    /** The gate (requests/s). */
    minRps: number;
    passed: boolean | null;
  };
  /** Wall time of the whole search (ms). */
  elapsedMs: number;
}
