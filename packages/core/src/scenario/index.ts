/** The scenario layer's public surface (re-exported by the package index). */
export { loadScenario, parseScenario, validateScenarioFile, defineScenario } from './load.js';
export { ceilingProblem, loadCeilingProblems, LOAD_CEILING_PER_WORKER } from './ceiling.js';
export type { LoadCeiling, LoadCeilingKey, LoadCeilingOption, CeilingContext, CeilingProblem } from './ceiling.js';
export type { LoadScenarioOptions, ParseScenarioOptions } from './load.js';
export type { ScenarioInput, ThresholdInput } from './schema/scenario.js';
export type { FlowInput, StepInput, CaptureInput, CheckInput } from './schema/step.js';
export type { LoadInput, ClosedLoadInput, OpenLoadInput } from './schema/load.js';
export type { Duration as DurationInput, DurationRange as DurationRangeInput, EnvRef, Method, RequestLine, ThresholdExpression, Ratio as RatioInput } from './schema/primitives.js';
export { ScenarioSchema } from './schema/scenario.js';
export { ScenarioError, isScenarioError, formatIssue } from './errors.js';
export type { ScenarioIssue, ScenarioErrorCode } from './errors.js';
export { redactScenario, secretValues, redactText, redactUrlSecrets, isSecretQueryParam, secretHeaderNames, REDACTED, SENSITIVE_HEADERS, SECRET_QUERY_PARAMS } from './redact.js';
export { compileTemplate, parseTemplate, TemplateError, TEMPLATE_FUNCTION_NAMES } from './template.js';
export type { TemplateContext, TemplateFn } from './template.js';
export { parseDuration, parseDurationRange, formatDuration } from './duration.js';
export { parseJsonPath, compileJsonPath, getPath } from './jsonpath.js';
export { defaultStepName, defaultMaxInFlight, defaultConnections, DEFAULT_TIMEOUT_MS } from './normalize/defaults.js';
