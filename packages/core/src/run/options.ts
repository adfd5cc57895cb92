/** What `execute()` takes: the options of one run, and the thresholds' judge it consults. */
import type { Interval, RunMeta, Summary, ThresholdResult, Warning } from '../metrics/model.js';
import type { HttpClientKind } from '../engine/connections.js';
import type { ArrivalTimerKind } from '../engine/precise-timer.js';
import type { Segment, SegmentSequence } from '../plan/segment.js';
import type { Reporter } from '../reporting/reporter.js';
import type { LoadCeilingOption } from '../scenario/ceiling.js';
import type { HookSession } from './hooks.js';
import type { SoakOptions } from './soak.js';

/** Intervals of timeline `run()` returns in memory by default: an hour at 1-s intervals. */
export const DEFAULT_TIMELINE_LIMIT = 3600;

/**
 * Who follows a run as it goes (the run handle, run/handle.ts). Called synchronously on the
 * main thread; a listener must not throw (the handle isolates the user's listeners).
 */
export interface RunListener {
  start?(meta: RunMeta): void;
  interval?(interval: Interval): void;
  /** A warning as soon as it is known; the summary's warnings hold it too (the same object). */
  warning?(warning: Warning): void;
  /** An abort-on-fail threshold failing mid-run (it stops the run). */
  threshold?(threshold: ThresholdResult): void;
}

/** Decides thresholds; supplied by the thresholds module (kept apart so the engine never depends on it). */
export interface ThresholdJudge {
  /** Final verdict over the whole run. */
  evaluate(summary: Summary): ThresholdResult[];
  /** Mid-run: results of abort-on-fail thresholds that are due and failing, from cumulative stats. */
  shouldAbort?(summary: Summary, elapsedMs: number): ThresholdResult[];
}

export interface ExecuteOptions extends SoakOptions {
  kind: 'quick' | 'scenario';
  /** Worker threads (count); default: cores - 1 (at least 1). */
  workers?: number;
  /** Length of an interval (ms): how often workers report and reporters get an Interval. Default 1000. */
  intervalMs?: number;
  /**
   * Send load for this long before the run without measuring it (like autocannon's
   * --warmup): a cold JIT makes a generator's first seconds slow and their latencies high.
   * 0: none. Default (run/warmup.ts): 2 s, at most a tenth of the planned length; none for
   * a run that writes (a step other than GET, HEAD, OPTIONS) or is bounded by a count.
   */
  warmupMs?: number;
  /**
   * Leave the first N ms of the load (rounded up to whole intervals) out of the summary,
   * thresholds and warnings, while still streaming those intervals to reporters and
   * keeping them in the timeline: a warm-up under the real load (used by `capacity`).
   */
  excludeFirstMs?: number;
  reporters?: Reporter[];
  /** HTTP client for plain http targets: `fast` (lean HTTP/1.1 over net, the default) or `undici`. https always uses undici. */
  httpClient?: HttpClientKind;
  /** Open model: how workers wait for arrivals, `precise` (sub-millisecond, the default) or `coarse` (Node's 1 ms timers). */
  arrivalTimer?: ArrivalTimerKind;
  /** Aborting it stops the run like SIGINT: in-flight requests are dropped, results are kept. */
  signal?: AbortSignal;
  /**
   * Aborting it ends the run at once (a second Ctrl-C): worker threads are terminated (what
   * they measured since their last snapshot is lost), sinks are not waited for; the result
   * files are still written with what was measured.
   */
  forceSignal?: AbortSignal;
  /**
   * Aborting it stops the run gently: no new iterations or steps start, requests in flight
   * complete (bounded by their timeout); the end reason is `interrupted`. (`signal` drops
   * the requests in flight instead.)
   */
  gracefulSignal?: AbortSignal;
  /** Follows the run as it goes: the run handle's events. */
  listener?: RunListener;
  /** Hooks set up by the caller for several runs (a capacity search's steps): used, neither set up nor torn down here. */
  hookSession?: HookSession;
  /** Connect once before the run and fail with exit 3 if the target is unreachable. Default true. */
  preflight?: boolean;
  /** This process's part of the whole load (a shard of a distributed run); default all of it. */
  segment?: Segment;
  /** The partition every shard's segment belongs to (k6's segment sequence); default see placeSegment. */
  segmentSequence?: SegmentSequence;
  /** Seed of the run's PRNGs (think times, random rows, template functions); default random. */
  seed?: number;
  /**
   * Epoch ms at which the load starts, so that shards started independently begin together
   * (`--start-at`). Workers are started beforehand and wait for it; when they are ready too
   * late, the load starts at the next interval boundary after it (intervals of every shard
   * stay aligned) and a SHARD_START_LATE warning says by how much.
   */
  startAt?: number;
  /** The redacted config stored in the result. */
  config?: unknown;
  tags?: Record<string, string>;
  judge?: ThresholdJudge;
  /** Human summary of the load model for the meta. */
  model?: string;
  /** Per-worker load ceilings (scenario/ceiling.ts); `false` lifts them. Default: the documented ceilings. */
  loadCeiling?: LoadCeilingOption;
  /**
   * Directory of the run's timeline (timeline.jsonl) and checkpoints (checkpoint.json); the
   * same as the result files' in the CLI. Without it the timeline goes to a temp directory
   * removed at the end, and there are no checkpoints.
   */
  outDir?: string;
  /** How often the cumulative figures are saved to checkpoint.json (ms). Default 60 000; 0: never. */
  checkpointMs?: number;
  /**
   * The returned result holds the timeline (read back from timeline.jsonl) when the run has at
   * most this many intervals; longer runs return an empty `timeline` (read it with
   * `readTimeline(outDir + '/timeline.jsonl')` or from result.json). Default 3600; 0: never.
   */
  timelineLimit?: number;
}
