export { ConsoleReporter, type ConsoleReporterOptions } from './console/reporter.js';
export { renderSummary } from './console/summary.js';
