/**
 * `@loadctl/core`: load tests from code. Run a scenario (`run`, `start`), hammer one URL
 * (`quick`, `startQuick`), find a capacity (`capacity`), merge shards (`merge`), load and
 * validate scenarios, plan a run, read and compare results; the types of scenarios, results,
 * reporters and hooks; one error class with stable codes (docs/errors.md).
 *
 * Test-suite helpers are in `@loadctl/core/testing`; what the CLI and the reporters share
 * beyond this is in `@loadctl/core/internal` (no stability promise).
 *
 * @packageDocumentation
 */

// ---- running load
export { run, start, type RunOptions } from './run/run.js';
export { quick, startQuick, type QuickOptions } from './run/quick.js';
export type { RunHandle, RunEvents, RunEventName, StageChange, StopOptions } from './run/handle.js';
export { capacity, quickCapacity, type CapacityOptions, type QuickCapacityOptions } from './run/capacity.js';
export { merge, mergeFiles, type MergeOptions } from './run/merge.js';
export type { SoakOptions } from './run/soak.js';
export type { MonitorConfig } from './monitor/index.js';
export { HTTP_CLIENTS, DEFAULT_HTTP_CLIENT, type HttpClientKind } from './engine/connections.js';
export type { ArrivalTimerKind } from './engine/precise-timer.js';
export type { LoadCeilingOption, LoadCeiling } from './scenario/ceiling.js';

// ---- scenarios
export { loadScenario, parseScenario, validateScenarioFile, defineScenario, type LoadScenarioOptions, type ParseScenarioOptions } from './scenario/load.js';
export type * from './scenario/model.js';
export type { ScenarioInput, ThresholdInput } from './scenario/schema/scenario.js';
export type { FlowInput, StepInput, CaptureInput, CheckInput } from './scenario/schema/step.js';
export type { LoadInput, ClosedLoadInput, OpenLoadInput } from './scenario/schema/load.js';
export type { LoadEntryInput } from './scenario/schema/loads.js';
export type { Duration as DurationInput, DurationRange as DurationRangeInput, EnvRef, Method, RequestLine, ThresholdExpression, Ratio as RatioInput } from './scenario/schema/primitives.js';
export { parseDuration } from './scenario/duration.js';
export { ScenarioSchema } from './scenario/schema/scenario.js';
export { scenarioJsonSchema } from './scenario/schema/json-schema.js';
export { redactScenario } from './scenario/redact.js';
export { plan, parseSegment, formatSegment, parseSequence, type PlanOptions, type Plan, type PlanNote, type PlanTotals, type Segment, type SegmentSequence } from './plan/index.js';
export type { WorkerPlan, LoadSharePlan, ClosedLoadPlan, OpenLoadPlan, DataPlan, HooksPlan, Fraction, Stripe, UserStep, ProgramPlan, FlowPlan, StepPlan } from './plan/index.js';

// ---- hooks and reporters
export type { Hooks, HookContext, HookRequest, HookResponse, SetupContext, TeardownContext } from './engine/hooks.js';
export type { Reporter } from './reporting/reporter.js';

// ---- results
export * from './metrics/model.js';
export type { Result, Timeline } from './metrics/result.js';
export { readResult, writeResult, validateResult, ResultFileError } from './metrics/result-file.js';
export { readTimeline, type ReadTimelineOptions } from './metrics/timeline-file.js';
export { compareResults, type Comparison, type CompareOptions, type RequestComparison, type RunFigures } from './metrics/compare.js';
export { compareCapacity, type CapacityComparison, type CapacityCompareOptions, type CapacitySide, type CapacityStepComparison, type StepOutcome } from './metrics/capacity-compare.js';
export type * from './metrics/capacity-model.js';
export type { SeriesUnit } from './metrics/series.js';

// ---- errors
export { LoadctlError } from './errors.js';
export { ScenarioError, type ScenarioIssue, type ScenarioErrorCode } from './scenario/errors.js';
export { TemplateError } from './scenario/template.js';
export { ThresholdSyntaxError } from './thresholds/parse.js';
export { MergeError } from './metrics/merge/merge.js';
export { LOADCTL_VERSION } from './version.js';
