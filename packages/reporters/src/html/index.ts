export { renderHtmlReport, writeHtmlReport, HtmlReportError, type HtmlReportInput, type HtmlReportOptions } from './report.js';
export { HtmlReporter, type HtmlReporterOptions } from './reporter.js';
