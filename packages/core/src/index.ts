export * from './metrics/model.js';
export type * from './scenario/model.js';
export type { Reporter } from './reporting/reporter.js';
export {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  addEncoded,
  recordMicros,
  summarizeHistogram,
  percentileOfEncoded,
  percentileSpectrum,
  type Histogram,
} from './metrics/histogram.js';
