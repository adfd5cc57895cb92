export { PrometheusReporter, PrometheusReporterError, sanitizeLabelName, type PrometheusReporterOptions } from './prometheus-reporter.js';
export { createPrometheusReporter } from './config.js';
