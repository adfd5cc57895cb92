import type { Interval, RunMeta, Summary } from '../metrics/model.js';

/**
 * The output contract (docs/architecture.md): every method is optional and may be async.
 * The reporter bus calls them in order, one at a time per reporter, through a
 * bounded queue: a slow reporter loses intervals (counted), never slows the engine.
 * `end` is called on every way out (completion, threshold abort, SIGINT, crash)
 * and must flush within the time it is given.
 *
 * `kind`: 'sink' reporters (InfluxDB, Prometheus) are ended first, so that
 * 'output' reporters (console, result files) see their notes in the summary.
 */
export interface Reporter {
  readonly name: string;
  readonly kind?: 'sink' | 'output';
  start?(meta: RunMeta): void | Promise<void>;
  interval?(interval: Interval): void | Promise<void>;
  end?(summary: Summary): void | Promise<void>;
  /** Extra lines for the summary (e.g. "points written 120, retried 3, dropped 0"). */
  notes?(): string[];
}
