import type { Interval, ReporterLosses, RunMeta, Summary } from '../metrics/model.js';
import type { Result } from '../metrics/result.js';

/**
 * The output contract: what the console, the result files, InfluxDB, Prometheus and any
 * reporter of your own implement (docs/reporters.md, "A reporter of your own"). Pass objects to
 * `run`/`start`/`quick`/`capacity` in `reporters`, or name a module with `--reporter ./x.mjs`.
 *
 * Every method is optional and may be async. The reporter bus calls them on the main thread,
 * in order (`start`, `interval`…, `end`, then `notes` and `losses`), one call at a time per
 * reporter, and never waits for a reporter on the run's path:
 * - intervals go through a bounded queue (1000): a reporter that falls behind loses the oldest
 *   (counted as `dropped`);
 * - every call is bounded in time (`start` 10 s; the queue's flush and `end` 15 s each);
 * - a throw, a rejection or an overrun is counted as an error, with the last message as a note.
 *
 * Drops and errors appear in `Summary.reporters[name]` and as a REPORTER_FAILED warning; they
 * never change the verdict or the exit code. Synchronous work blocks the main thread, which
 * merges the workers' figures: do I/O asynchronously.
 *
 * `kind` decides the order of the ends:
 * - 'sink' (InfluxDB, Prometheus): streams the run elsewhere; ended first, without the Result,
 *   so that what it lost becomes a warning of the run;
 * - 'file' (result.json, JUnit, HTML): writes a file from the run's one Result (second argument
 *   of `end`), which carries every warning, the sinks' included;
 * - 'output' (default; the console): ended last, so it can show every file written or failed.
 */
export interface Reporter {
  /** Unique among a run's reporters: its health in `Summary.reporters` is keyed by it. */
  readonly name: string;
  /** When `end` is called relative to the others (default 'output'). */
  readonly kind?: 'sink' | 'file' | 'output';
  /** Once, before the load (10 s at most). */
  start?(meta: RunMeta): void | Promise<void>;
  /**
   * Once per interval (default 1 s), in order; latencies in µs, rates in requests/s, instants
   * in epoch ms. Queued: a reporter that falls behind loses the oldest intervals (counted).
   */
  interval?(interval: Interval): void | Promise<void>;
  /**
   * Once, on every way out: completion, threshold abort, interrupt, worker crash, exception
   * (15 s at most, after the queue is flushed). `result` is given to 'file' and 'output'
   * reporters.
   */
  end?(summary: Summary, result?: Result): void | Promise<void>;
  /** After `end`: extra lines for the summary (e.g. "points written 120, retried 3, dropped 0"). */
  notes?(): string[];
  /** After `end`: what it failed to deliver on its side (e.g. points InfluxDB never got); becomes a REPORTER_DATA_LOST warning. */
  losses?(): ReporterLosses | undefined;
}
