import { LoadctlError, writeResult, type Reporter, type Result, type Summary } from '@loadctl/core';

export interface JsonResultReporterOptions {
  /** Where result.json goes (parent directories are created). */
  path: string;
}

/**
 * Writes result.json at the end of the run from the run's one Result: meta, redacted config,
 * every warning, the cumulative summary (with encoded histograms) and the timeline, streamed
 * from timeline.jsonl (never held in memory).
 */
export class JsonResultReporter implements Reporter {
  readonly name = 'json';
  readonly kind = 'file' as const;
  readonly path: string;
  private written: number | undefined;

  constructor(options: JsonResultReporterOptions) {
    if (!options || typeof options.path !== 'string' || options.path === '') {
      throw new LoadctlError('E_REPORTER_CONFIG', 'JsonResultReporter: "path" must be a non-empty string', 2);
    }
    this.path = options.path;
  }

  async end(_summary: Summary, result?: Result): Promise<void> {
    if (!result) throw new LoadctlError('E_REPORTER_CONFIG', 'JsonResultReporter writes from the Result of a run: use it through run() or quick()', 2);
    this.written = undefined;
    await writeResult(this.path, result);
    this.written = result.timeline.length;
  }

  notes(): string[] {
    return this.written !== undefined ? [`result written to ${this.path} (${this.written} intervals)`] : [];
  }
}
