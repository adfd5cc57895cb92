import { writeResult, type Interval, type Reporter, type RunMeta, type RunResult, type Summary } from '@loadctl/core';

export interface JsonResultReporterOptions {
  /** Where result.json goes (parent directories are created). */
  path: string;
  /** The scenario or quick options, already redacted (secrets replaced by "***"). Stored as is. */
  config: unknown;
}

/**
 * Writes result.json at the end of the run: meta, redacted config, the timeline
 * of per-interval figures and the cumulative summary (with encoded histograms).
 *
 * Only the timeline grows with the run's duration: one Interval of plain numbers
 * per tick (no histograms), about 1–3 kB per request name per interval.
 */
export class JsonResultReporter implements Reporter {
  readonly name = 'json';
  readonly kind = 'output' as const;
  readonly path: string;
  private readonly config: unknown;
  private timeline: Interval[] = [];
  private written = false;

  constructor(options: JsonResultReporterOptions) {
    if (!options || typeof options.path !== 'string' || options.path === '') {
      throw new TypeError('JsonResultReporter: "path" must be a non-empty string');
    }
    this.path = options.path;
    this.config = options.config;
  }

  start(_meta: RunMeta): void {
    this.timeline = [];
    this.written = false;
  }

  interval(interval: Interval): void {
    // A copy: the aggregator is free to reuse its objects.
    this.timeline.push(structuredClone(interval));
  }

  /** The result as it would be written now. */
  result(summary: Summary): RunResult {
    return { schemaVersion: 1, summary, timeline: this.timeline, config: this.config };
  }

  async end(summary: Summary): Promise<void> {
    await writeResult(this.path, this.result(summary));
    this.written = true;
  }

  notes(): string[] {
    return this.written ? [`result written to ${this.path} (${this.timeline.length} intervals)`] : [];
  }
}
