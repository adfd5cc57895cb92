/** Thresholds: parse (grammar in parse.ts) and evaluate. */
export { parseThreshold, checkThresholdScope, scopeKind, ThresholdSyntaxError } from './parse.js';
export type { ParsedThreshold, ThresholdOp, ThresholdMetric, ThresholdUnit, LatencySource, ScopeKind } from './parse.js';
export { evaluateThresholds, compareThreshold, thresholdsToAbort, thresholdStatsFromSummary, buildThresholdStats, latencyView, thresholdActual } from './evaluate.js';
export type { ThresholdStats, RequestView, FlowView, LatencyView, StatsInput } from './evaluate.js';
