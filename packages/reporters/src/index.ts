export { ConsoleReporter, type ConsoleReporterOptions } from './console/reporter.js';
export { renderSummary } from './console/summary.js';
export { capacityStepHeader, capacityStepRow, renderCapacitySummary, capacityJson } from './console/capacity.js';
export { HtmlReporter, renderHtmlReport, writeHtmlReport, HtmlReportError, type HtmlReporterOptions, type HtmlReportInput, type HtmlReportOptions } from './html/index.js';
export { JsonResultReporter, type JsonResultReporterOptions } from './json/index.js';
export { JUnitReporter, renderJUnit } from './junit/index.js';
export {
  InfluxDBReporter,
  createInfluxReporter,
  influxOptionsFromEnv,
  influxOptionsFromConfig,
  InfluxReporterConfigError,
  INFLUX_DEFAULTS,
  INFLUX_MEASUREMENTS,
  type InfluxDBReporterOptions,
  type InfluxWriteStats,
} from './influxdb/index.js';
export { PrometheusReporter, PrometheusReporterError, createPrometheusReporter, type PrometheusReporterOptions } from './prometheus/index.js';
export { createReporters, reporterFromConfig, type OutputOptions } from './factory.js';
export { checkOutputPaths, checkWritableDir, checkWritableFile } from './output-paths.js';
export { renderCapacityComparisonMarkdown, renderComparisonMarkdown, renderCapacityComparisonText, type MarkdownLabels } from './markdown/compare.js';
export { loadReporterModule, isReporterModule, checkReporter, type ReporterFactory, type ReporterModuleOptions } from './module.js';
