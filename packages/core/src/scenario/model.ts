/**
 * The validated, normalised scenario: what `loadScenario` returns, what `quick`
 * builds from its flags, and what is sent (structured-cloned) to every worker.
 * Plain data only. Template strings stay strings here; each worker compiles them
 * once (scenario/template.ts) before the run starts.
 *
 * Durations are milliseconds, rates are per second.
 */
import type { ThresholdSpec } from '../thresholds/spec.js';

export type { ThresholdSpec };

/** A string that may contain `${...}` template expressions (see docs/scenario.md). */
export type Template = string;

/** JSON-like value whose strings are templates. */
export type TemplateValue = Template | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export type StepBody =
  | { kind: 'json'; value: TemplateValue }
  | { kind: 'form'; value: Record<string, Template> }
  | { kind: 'raw'; value: Template; contentType?: string };

export type Capture =
  /** `as` names the variable; `json` is a path like `$.items[0].id` or `items.0.id`. */
  | { as: string; from: 'json'; path: string }
  | { as: string; from: 'header'; header: string }
  | { as: string; from: 'status' };

export type Check =
  | {
      name: string;
      kind: 'status';
      /** The HTTP status codes that pass. */
      in: number[];
    }
  /** A string `value` is a template (rendered per iteration; a lone `${x}` keeps x's type). */
  | { name: string; kind: 'json_equals'; path: string; value: string | number | boolean | null }
  | { name: string; kind: 'json_exists'; path: string }
  /** `text` is a template. */
  | { name: string; kind: 'body_contains'; text: Template }
  | {
      name: string;
      kind: 'max_duration';
      /** Longest latency that passes (ms). */
      ms: number;
    };

/** A pause, uniform between its bounds. */
export interface ThinkTime {
  /** Shortest pause (ms). */
  minMs: number;
  /** Longest pause (ms). */
  maxMs: number;
}

export interface Step {
  /** Metric key; default "METHOD /path/template" (never the rendered URL). */
  name: string;
  method: HttpMethod;
  /** Path template relative to the target ("/users/${userId}"), or an absolute URL template. */
  path: Template;
  query: Record<string, Template>;
  headers: Record<string, Template>;
  body?: StepBody;
  captures: Capture[];
  checks: Check[];
  think?: ThinkTime;
  /** Per-step timeout override (ms). */
  timeoutMs?: number;
}

export interface Flow {
  name: string;
  /** Relative weight among the flows (a count: weight 3 runs three times as often as weight 1). */
  weight: number;
  steps: Step[];
  /** Think time after each iteration of this flow. */
  pace?: ThinkTime;
}

/** Closed model: virtual users run flows back to back. Locust-style stages. */
export interface ClosedStage {
  /** Stage length (ms); the user count moves toward `users` at `spawnRate`/s, then holds. */
  durationMs: number;
  /** Virtual users at the end of the stage (count). */
  users: number;
  /** Users started or stopped per second; undefined = all at once. */
  spawnRate?: number;
  name?: string;
}

/** Open model: iterations start at an arrival rate, ramped linearly from the previous stage's rate. */
export interface OpenStage {
  /** Stage length (ms). */
  durationMs: number;
  /** Rate at the end of the stage (iterations/s). */
  rate: number;
  name?: string;
}

export type LoadModel =
  | {
      model: 'closed';
      stages: ClosedStage[];
      /** Stop after this many iterations in total (quick -n); undefined = by duration. */
      iterations?: number;
    }
  | {
      model: 'open';
      /** Rate at time 0 (iterations/s); each stage ramps linearly from the previous rate to its `rate`. */
      startRate: number;
      stages: OpenStage[];
      /** Iterations allowed in flight at once; beyond it arrivals are dropped (counted). */
      maxInFlight: number;
      /** Connections to open toward the target. */
      connections: number;
    };

export interface DataSource {
  /** Path to a CSV (with header row) or JSON (array of objects) file, resolved against the scenario file. */
  file: string;
  /** Row order per iteration: sequential (shared cursor, wraps) or random. */
  order: 'sequential' | 'random';
  /** Loaded rows (filled by loadScenario so workers do not read files). */
  rows: Record<string, string>[];
}

export interface Variable {
  value: string;
  secret: boolean;
}

export interface ReporterConfig {
  type: string;
  options: Record<string, unknown>;
}

/** Abort when the achieved rate stays below the requested one by more than `maxShortfall` for `graceMs` (open model). */
export interface RateShortfallPolicy {
  /** How far below the requested rate (ratio 0..1: 0.1 = 10 %). */
  maxShortfall: number;
  /** For how long (ms). */
  graceMs: number;
  /** Abort (true) or only warn. */
  abort: boolean;
}

/**
 * One of several loads that run side by side (`loads:` in the file): its own model,
 * flows, tags and rate-shortfall policy, started at the common start with the others.
 * Its thresholds are in `Scenario.thresholds`, with `load` set to its name.
 */
export interface ScenarioLoad {
  /** Unique among the scenario's loads: results are grouped by it (`load:<name>` thresholds). */
  name: string;
  description?: string;
  load: LoadModel;
  flows: Flow[];
  /** Labels of this load's results (InfluxDB tags, JUnit properties), besides the scenario's. */
  tags: Record<string, string>;
  rateShortfall?: RateShortfallPolicy;
}

/** What every scenario has, whatever its form. */
export interface ScenarioBase {
  name: string;
  /** Free text from the scenario file (optional). */
  description?: string;
  /** Base URL, e.g. "http://127.0.0.1:3000". */
  target: string;
  headers: Record<string, Template>;
  /** Default per-request timeout (ms). */
  timeoutMs: number;
  /** HTTP pipelining depth per connection (1 = none). */
  pipelining: number;
  variables: Record<string, Variable>;
  data: Record<string, DataSource>;
  /** Every threshold: the scenario's, and those of each load (`load` set). */
  thresholds: ThresholdSpec[];
  reporters: ReporterConfig[];
  tags: Record<string, string>;
  /**
   * More secrets than the built-in lists: header names whose values are redacted like
   * Authorization, and query parameter names redacted like api_key (redact.ts).
   */
  secrets?: { headers: string[]; query: string[] };
  /**
   * JavaScript hooks (docs/hooks.md): the path of an ES module (absolute, or relative to the
   * working directory; a scenario file's `hooks:` is resolved against the file) or a file: URL.
   * Each worker thread imports it by path.
   */
  hooks?: string;
  /** Source file, when loaded from YAML. */
  file?: string;
}

/** One load: the top-level `load` and `flows` (today's form). */
export interface SingleLoadScenario extends ScenarioBase {
  load: LoadModel;
  flows: Flow[];
  /** Abort when the achieved rate stays below the requested one by more than `maxShortfall` for `graceMs`. */
  rateShortfall?: RateShortfallPolicy;
  loads?: undefined;
}

/** Several loads side by side (`loads:`), sharing target, headers, variables, data, secrets and timeouts. */
export interface MultiLoadScenario extends ScenarioBase {
  loads: ScenarioLoad[];
  load?: undefined;
  flows?: undefined;
  rateShortfall?: undefined;
}

/** A scenario: one load (`load` + `flows`) or several side by side (`loads`). `scenarioLoads()` lists them either way. */
export type Scenario = SingleLoadScenario | MultiLoadScenario;
