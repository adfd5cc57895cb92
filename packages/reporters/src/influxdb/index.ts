export { InfluxDBReporter, createInfluxReporter } from './influxdb-reporter.js';
export {
  INFLUX_DEFAULTS,
  InfluxReporterConfigError,
  influxOptionsFromEnv,
  influxOptionsFromConfig,
  type InfluxDBReporterOptions,
} from './options.js';
export { MEASUREMENTS as INFLUX_MEASUREMENTS, intervalLines, loadTagsOf, summaryLines } from './points.js';
export type { WriteStats as InfluxWriteStats } from './writer.js';
