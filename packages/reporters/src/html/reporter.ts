/**
 * HtmlReporter: writes the HTML report at the end of the run (which the reporter bus reaches
 * on every way out) from the run's one Result, whose timeline it reads back from disk.
 */
import type { Reporter, Result, Summary } from '@loadctl/core';
import { HtmlReportError, writeHtmlReport, type HtmlReportOptions } from './report.js';
import { stat } from 'node:fs/promises';

export type HtmlReporterOptions = HtmlReportOptions;

export class HtmlReporter implements Reporter {
  readonly name = 'html';
  readonly kind = 'file' as const;
  private written: { bytes: number } | undefined;

  constructor(
    readonly path: string,
    private readonly options: HtmlReporterOptions = {},
  ) {
    if (typeof path !== 'string' || path.length === 0) throw new HtmlReportError('HtmlReporter needs the path of the file to write');
  }

  async end(_summary: Summary, result?: Result): Promise<void> {
    if (!result) throw new HtmlReportError('HtmlReporter writes from the Result of a run: use it through run() or quick()');
    this.written = undefined;
    await writeHtmlReport(this.path, result, this.options);
    this.written = { bytes: (await stat(this.path)).size };
  }

  notes(): string[] {
    return this.written ? [`HTML report ${this.path} (${Math.round(this.written.bytes / 1024)} KiB)`] : [];
  }
}
