/**
 * `run`: a scenario (object or YAML path) on the worker engine, with its
 * thresholds as the judge, overrides applied, and the redacted config kept for
 * the result file.
 */
import { badInput } from '../errors.js';
import type { RunResult } from '../metrics/model.js';
import { loadScenario } from '../scenario/load.js';
import { scenarioLoads } from '../scenario/loads.js';
import type { Scenario } from '../scenario/model.js';
import { redactScenario } from '../scenario/redact.js';
import { evaluateThresholds, thresholdStatsFromSummary, thresholdsToAbort } from '../thresholds/evaluate.js';
import { checkStartAt, sleepUntil, START_PREPARE_MS } from './start-at.js';
import { execute, type ExecuteOptions, type ThresholdJudge } from './execute.js';
import { resolveWarmup } from './warmup.js';
import { controlled, createRunHandle, type RunHandle } from './handle.js';

export interface RunOptions extends Omit<ExecuteOptions, 'kind' | 'config' | 'judge' | 'model' | 'listener' | 'gracefulSignal'> {
  /** Environment for `${env.X}` when loading from a path; default process.env. */
  env?: Record<string, string | undefined>;
  /** Stretch or shrink the stages to this total duration (ms), keeping their proportions. */
  durationMs?: number;
  /** Multiply users (closed) or rates (open) by this factor. */
  scale?: number;
  /** With `startAt`: how far in the past it may be before the run is refused (default 30 s). */
  startToleranceMs?: number;
  /**
   * JavaScript hooks (docs/hooks.md): the path of an ES module (relative to the working
   * directory) or a file: URL; replaces the scenario's `hooks:`. A path, not functions: hooks
   * run inside the worker threads, and each worker imports the module by its path.
   */
  hooks?: string;
}

/**
 * Apply duration and scale overrides; returns a new scenario. Loads side by side keep their
 * timing relative to each other: the longest one is stretched to the duration, the others by
 * the same factor.
 */
export function applyOverrides(s: Scenario, o: Pick<RunOptions, 'durationMs' | 'scale'>): Scenario {
  const out: Scenario = structuredClone(s);
  const loads = scenarioLoads(out).map((e) => e.load);
  if (o.durationMs !== undefined) {
    if (!(o.durationMs > 0)) throw badInput('E_BAD_OPTION', `duration override must be positive, got ${o.durationMs}`);
    const total = Math.max(...loads.map((l) => l.stages.reduce((n, st) => n + st.durationMs, 0)));
    const k = total > 0 ? o.durationMs / total : 1;
    for (const l of loads) for (const st of l.stages) st.durationMs = Math.max(1, Math.round(st.durationMs * k));
  }
  if (o.scale !== undefined) {
    if (!(o.scale > 0)) throw badInput('E_BAD_OPTION', `scale must be positive, got ${o.scale}`);
    for (const load of loads) {
      if (load.model === 'closed') {
        for (const st of load.stages) {
          st.users = Math.max(1, Math.round(st.users * o.scale));
          if (st.spawnRate !== undefined) st.spawnRate *= o.scale;
        }
      } else {
        load.startRate *= o.scale;
        for (const st of load.stages) st.rate *= o.scale;
        load.maxInFlight = Math.max(1, Math.ceil(load.maxInFlight * o.scale));
      }
    }
  }
  return out;
}

/** The scenario's thresholds as the run's judge (final verdict and abort-on-fail). */
export function thresholdJudge(s: Scenario): ThresholdJudge | undefined {
  if (s.thresholds.length === 0) return undefined;
  const specs = s.thresholds;
  const hasAbort = specs.some((t) => t.abortOnFail);
  return {
    evaluate: (summary) => evaluateThresholds(specs, thresholdStatsFromSummary(summary)),
    shouldAbort: hasAbort ? (summary, elapsedMs) => thresholdsToAbort(specs, thresholdStatsFromSummary(summary), elapsedMs) : undefined,
  };
}

/**
 * Start a scenario (the object itself, or the path of a YAML file) in the background: the
 * handle's events and intervals follow it, `stop()` ends it, `done` is its result.
 */
export function start(scenarioOrPath: Scenario | string, o: RunOptions = {}): RunHandle {
  return createRunHandle((c) => runScenario(scenarioOrPath, controlled(o, c)));
}

/** Run a scenario (the object itself, or the path of a YAML file) to its end: `start(...).done`. */
export function run(scenarioOrPath: Scenario | string, o: RunOptions = {}): Promise<RunResult> {
  return start(scenarioOrPath, o).done;
}

async function runScenario(scenarioOrPath: Scenario | string, o: RunOptions & Pick<ExecuteOptions, 'gracefulSignal' | 'listener'>): Promise<RunResult> {
  const loaded = typeof scenarioOrPath === 'string' ? await loadScenario(scenarioOrPath, { env: o.env }) : scenarioOrPath;
  const scenario = applyOverrides(loaded, o);
  if (o.hooks !== undefined) scenario.hooks = o.hooks;
  const { env: _env, durationMs: _d, scale: _s, startToleranceMs, hooks: _h, ...rest } = o;
  if (o.startAt !== undefined) {
    checkStartAt(o.startAt, Date.now(), startToleranceMs);
    const anyStop = AbortSignal.any([o.signal, o.forceSignal, o.gracefulSignal].filter((x): x is AbortSignal => x !== undefined));
    await sleepUntil(o.startAt - START_PREPARE_MS - resolveWarmup(scenario, o.warmupMs).ms, anyStop);
  }
  return execute(scenario, { ...rest, kind: 'scenario', judge: thresholdJudge(scenario), config: redactScenario(scenario) });
}
