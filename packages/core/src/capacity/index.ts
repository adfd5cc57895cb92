/** Capacity: the search state machine, step judgement, USL fit and the report (verdicts over metrics; no engine). */
export { startSearch, nextStep, observe, finish, outcomeOf, searchSettings, converged, roundRate, SearchSettingsError } from './search.js';
export type { SearchSettings, SearchState, SearchOutcome, SearchRecord, Observation, PlannedStep, Resolution } from './search.js';
export { classifyStep, sloLabel, DEFAULT_GENERATOR_LIMITS, type GeneratorLimits, type StepJudgement } from './classify.js';
export { stepFigures, measuredIntervals, type StepFigures } from './figures.js';
export { fitUsl, uslThroughput } from './usl.js';
export { buildCapacityReport, findKnee, sizing, gatePassed, requestsPerIteration, capacityOutcome, type ReportInput } from './report.js';
export { sloSpecs, parseResolution, parseShare, sloLabels, DEFAULT_SLOS, CAPACITY_DEFAULTS } from './options.js';
