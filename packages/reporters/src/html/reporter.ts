/**
 * HtmlReporter: collects the timeline during a run and writes the HTML report
 * at `end` (which the reporter bus calls on every way out of a run).
 */
import { writeFileAtomic, type Interval, type Reporter, type RunMeta, type RunResult, type Summary } from '@loadctl/core';
import { HtmlReportError, renderHtmlReport, type HtmlReportOptions } from './report.js';

export interface HtmlReporterOptions extends HtmlReportOptions {
  /** The redacted scenario or quick options, stored in the result the report is made from. */
  config?: unknown;
}

export class HtmlReporter implements Reporter {
  readonly name = 'html';
  readonly kind = 'output' as const;
  private timeline: Interval[] = [];
  private written: { bytes: number } | undefined;

  constructor(
    readonly path: string,
    private readonly options: HtmlReporterOptions = {},
  ) {
    if (typeof path !== 'string' || path.length === 0) throw new HtmlReportError('HtmlReporter needs the path of the file to write');
  }

  start(_meta: RunMeta): void {
    this.timeline = [];
    this.written = undefined;
  }

  interval(interval: Interval): void {
    // A copy: the aggregator is free to reuse its objects.
    this.timeline.push(structuredClone(interval));
  }

  async end(summary: Summary): Promise<void> {
    const { config, ...options } = this.options;
    const timeline = [...this.timeline].sort((a, b) => a.index - b.index);
    const result: RunResult = { schemaVersion: 1, summary, timeline, config: config ?? null };
    const html = renderHtmlReport(result, options);
    await writeFileAtomic(this.path, html);
    this.written = { bytes: Buffer.byteLength(html) };
  }

  notes(): string[] {
    return this.written ? [`HTML report ${this.path} (${Math.round(this.written.bytes / 1024)} KiB)`] : [];
  }
}
