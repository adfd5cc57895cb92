/** Soak verdicts over a run's timeline: trends per hour with confidence intervals, and a one-line verdict. */
export { fitSlope, tQuantile975, MAX_AUTOCORRELATION, type SlopeFit } from './regression.js';
export { computeTrends, steadyIntervals, TrendPoints, spanText, PRACTICAL_FLOOR, MIN_TREND_POINTS, type TrendOptions } from './trends.js';
export { soakVerdict } from './verdict.js';
export { steadyWindow, defaultTrendWarmupMs, DEFAULT_WARMUP_FRACTION, MAX_DEFAULT_WARMUP_MS, type WindowInput } from './window.js';
