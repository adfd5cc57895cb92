export { ConsoleReporter, type ConsoleReporterOptions } from './console/reporter.js';
export { renderSummary } from './console/summary.js';
export { HtmlReporter, renderHtmlReport, writeHtmlReport, HtmlReportError, type HtmlReporterOptions, type HtmlReportInput, type HtmlReportOptions } from './html/index.js';
