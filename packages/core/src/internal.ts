/**
 * `@loadctl/core/internal`: everything @loadctl/reporters, the CLI, the benchmarks and the
 * tests use besides the public API (histograms, the reporter bus, execute, threshold and soak
 * internals, series formatting, k8s manifests…). No stability promise: it changes with
 * loadctl. Library users import from `@loadctl/core` (and `@loadctl/core/testing`).
 */
export * from './metrics/model.js';
export { scopeLabel } from './metrics/scope-label.js';
export type * from './scenario/model.js';
export type { Reporter } from './reporting/reporter.js';
export {
  createHistogram,
  createCumulativeHistogram,
  decodeHistogram,
  encodeHistogram,
  addEncoded,
  recordMicros,
  summarizeHistogram,
  percentileOfEncoded,
  percentileSpectrum,
  logBuckets,
  type Histogram,
} from './metrics/histogram.js';
export { LoadctlError } from './errors.js';
export { writeFileAtomic } from './atomic-write.js';
export { quick, quickScenario, quickConfig, type QuickOptions } from './run/quick.js';
export { execute, DEFAULT_TIMELINE_LIMIT, type ExecuteOptions, type ThresholdJudge } from './run/execute.js';
export { DEFAULT_CHECKPOINT_MS } from './run/journal.js';
export { defaultWorkers } from './run/workers.js';
export { decideVerdict, type VerdictInput } from './run/verdict.js';
export { HTTP_CLIENTS, DEFAULT_HTTP_CLIENT, type HttpClientKind } from './engine/connections.js';
export type { ArrivalTimerKind } from './engine/precise-timer.js';
export { LOADCTL_VERSION } from './version.js';
export { writeResult, readResult, validateResult, ResultFileError } from './metrics/result-file.js';
export { memoryTimeline, toResult, timelineArray, type Timeline, type Result } from './metrics/result.js';
export { readTimeline, TIMELINE_FILE, type ReadTimelineOptions } from './metrics/timeline-file.js';
export { CHECKPOINT_FILE, type Checkpoint } from './metrics/checkpoint-file.js';
export { ReporterBus, type ReporterBusOptions } from './reporting/bus.js';
export { run, applyOverrides, thresholdJudge, type RunOptions } from './run/run.js';
export { readRunDirectory, RESULT_FILE } from './run/recover.js';
export * from './scenario/index.js';
export * from './plan/index.js';
export * from './thresholds/index.js';
export { compareResults, comparabilityWarnings, type Comparison, type CompareOptions, type RequestComparison, type RunFigures } from './metrics/compare.js';
export * from './soak/index.js';
export { seriesUnit, seriesDirection, formatSeriesValue, formatSlope, type SeriesUnit } from './metrics/series.js';
export { splitName as splitMonitorName, DEFAULT_SCRAPED_SERIES, type MonitorConfig } from './monitor/index.js';
export type { SoakOptions } from './run/soak.js';
export * from './metrics/capacity-model.js';
export * from './capacity/index.js';
export { capacity, quickCapacity, capacitySettings, type CapacityOptions, type QuickCapacityOptions } from './run/capacity.js';
export { compareCapacity, isCapacityResult, type CapacityComparison, type CapacityCompareOptions, type CapacitySide, type CapacityStepComparison } from './metrics/capacity-compare.js';
export { merge, mergeFiles, thresholdSpecsOf, type MergeOptions } from './run/merge.js';
export { mergeResults, MergeError, type MergeInput, type MergeResultsOptions } from './metrics/merge/merge.js';
export { parseStartAt, checkStartAt, DEFAULT_START_TOLERANCE_MS } from './run/start-at.js';
export { kubernetesManifests, manifestsToYaml, type K8sOptions, type K8sObject, type K8sResults } from './distribute/k8s.js';
export { manifestNotes } from './distribute/notes.js';
export type { Hooks, HookContext, HookRequest, HookResponse, SetupContext, TeardownContext } from './engine/hooks.js';
export { start } from './run/run.js';
export { startQuick } from './run/quick.js';
export type { RunHandle, RunEvents, RunEventName, StageChange, StopOptions } from './run/handle.js';
