import type { Interval, ReporterLosses, RunMeta, Summary } from '../metrics/model.js';
import type { Result } from '../metrics/result.js';

/**
 * The output contract (docs/architecture.md): every method is optional and may be async.
 * The reporter bus calls them in order, one at a time per reporter, through a bounded queue:
 * a slow reporter loses intervals (counted), never slows the engine. `end` is called on every
 * way out (completion, threshold abort, SIGINT, crash, exception) and must finish within the
 * time it is given.
 *
 * `kind` decides the order of the ends:
 * - 'sink' (InfluxDB, Prometheus): streams the run elsewhere; ended first, without the Result,
 *   so that what it lost becomes a warning of the run;
 * - 'file' (result.json, JUnit, HTML): writes a file from the run's one Result (second argument
 *   of `end`), which carries every warning, the sinks' included;
 * - 'output' (default; the console): ended last, so it can show every file written or failed.
 */
export interface Reporter {
  readonly name: string;
  readonly kind?: 'sink' | 'file' | 'output';
  start?(meta: RunMeta): void | Promise<void>;
  interval?(interval: Interval): void | Promise<void>;
  /** `result` is given to 'file' and 'output' reporters. */
  end?(summary: Summary, result?: Result): void | Promise<void>;
  /** Extra lines for the summary (e.g. "points written 120, retried 3, dropped 0"). */
  notes?(): string[];
  /** What it failed to deliver on its side (e.g. points InfluxDB never got); becomes a warning. */
  losses?(): ReporterLosses | undefined;
}
