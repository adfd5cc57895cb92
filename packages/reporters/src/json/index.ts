export { JsonResultReporter, type JsonResultReporterOptions } from './json-result-reporter.js';
