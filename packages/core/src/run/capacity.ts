/**
 * `capacity`: the highest arrival rate a target holds within its SLOs. Drives
 * the pure search (capacity/search.ts) step by step through `execute`, streams
 * every step's intervals to the reporters as one timeline, and returns one
 * result: `summary` holds the figures of the answer step's measured window
 * (its confirmation when there is one) plus `summary.capacity`, the timeline
 * covers the whole search.
 */
import { randomUUID } from 'node:crypto';
import { buildCapacityReport, capacityOutcome } from '../capacity/report.js';
import { DEFAULT_GENERATOR_LIMITS, type GeneratorLimits } from '../capacity/classify.js';
import { CAPACITY_DEFAULTS, DEFAULT_SLOS, parseResolution, sloLabels, sloSpecs } from '../capacity/options.js';
import { finish, nextStep, observe, outcomeOf, SearchSettingsError, startSearch, type Resolution, type SearchState } from '../capacity/search.js';
import { badInput } from '../errors.js';
import type { CapacityReport, CapacitySettings, CapacityStep } from '../metrics/capacity-model.js';
import type { Interval, RunMeta, RunResult, Summary, ThresholdResult, Verdict, Warning } from '../metrics/model.js';
import { RequestAccumulator } from '../metrics/accumulator.js';
import { ReporterBus } from '../reporting/bus.js';
import { RESULT_SCHEMA_VERSION } from '../metrics/model.js';
import { memoryTimeline } from '../metrics/result.js';
import type { Reporter } from '../reporting/reporter.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario, SingleLoadScenario, ThresholdSpec } from '../scenario/model.js';
import { LOAD_CEILING_PER_WORKER, loadCeilingProblems, type LoadCeilingOption } from '../scenario/ceiling.js';
import { defaultConnections } from '../scenario/normalize/defaults.js';
import { redactScenario } from '../scenario/redact.js';
import { LOADCTL_VERSION } from '../version.js';
import { largestLatencySlo, openAt, runStep, type StepOutcome, type StepRequest } from './capacity-step.js';
import { openHooks } from './hooks.js';
import { preflight } from './preflight.js';
import { quickConfig, quickScenario, type QuickOptions } from './quick.js';
import { defaultWorkers } from './workers.js';

export interface CapacityOptions {
  /** SLOs: expressions on the total, or threshold specs. Default: the scenario's thresholds, else DEFAULT_SLOS. */
  slos?: readonly string[] | readonly ThresholdSpec[];
  /** First offered rate (iterations/s). */
  startRate?: number;
  /** Highest rate to try (iterations/s). */
  maxRate?: number;
  /** Lowest rate to try when descending (iterations/s). */
  minRate?: number;
  /** Factor between climbing steps (2: each step doubles the rate). */
  growth?: number;
  /** "2%", "25/s", or parsed. Default 5%. */
  resolution?: string | Resolution;
  /** Hold of each step (ms). Default 20 s. */
  stepMs?: number;
  /** First part of each step (and of the confirmation) left out of its figures (ms). Default a quarter of the step. */
  warmupMs?: number;
  /** Hold of the confirmation (ms); 0 skips it. Default 60 s. */
  confirmMs?: number;
  /** Budget of the whole search (ms). Default 10 min. */
  maxDurationMs?: number;
  /** Pause between steps (ms). Default 1 s. */
  pauseMs?: number;
  /** In-flight cap of every step (iterations, count); default max(100, rate × max(2 s, twice the largest latency SLO)). */
  maxInFlight?: number;
  /** Connections of every step (count); default min(in-flight cap, 256). */
  connections?: number;
  generatorLimits?: Partial<GeneratorLimits>;
  /** The engine's per-worker load ceiling (see ExecuteOptions.loadCeiling); `false` lifts it. */
  loadCeiling?: LoadCeilingOption;
  /** --min-rps gate (requests/s). */
  minRps?: number;
  /** Sizing: traffic to hold (requests/s). */
  traffic?: number;
  /** Sizing: the share of each instance's capacity kept free (ratio 0..1). */
  headroom?: number;
  /** Worker threads (count); default cores − 1. */
  workers?: number;
  /** Length of an interval (ms); default 1000. */
  intervalMs?: number;
  reporters?: Reporter[];
  signal?: AbortSignal;
  /** Connect once before the search; exit 3 when the target is unreachable. Default true. */
  preflight?: boolean;
  config?: unknown;
  tags?: Record<string, string>;
  /** Environment for `${env.X}` when loading from a path. */
  env?: Record<string, string | undefined>;
  /** 'quick' for `capacity URL`. */
  kind?: 'quick' | 'scenario';
  onStepStart?(step: StepRequest): void;
  onStep?(step: CapacityStep): void;
}

function resolutionOf(r: CapacityOptions['resolution']): Resolution {
  if (r === undefined) return CAPACITY_DEFAULTS.resolution;
  return typeof r === 'string' ? parseResolution(r) : r;
}

function specsOf(o: CapacityOptions, s: Scenario): ThresholdSpec[] {
  const given = o.slos ?? [];
  if (given.length > 0) return typeof given[0] === 'string' ? sloSpecs(given as string[]) : [...(given as ThresholdSpec[])];
  if (s.thresholds.length > 0) return s.thresholds.map((t) => ({ ...t, abortOnFail: false }));
  return sloSpecs(DEFAULT_SLOS, 'default SLO');
}

/** Settings with defaults, validated (bad ones are bad input). */
export function capacitySettings(o: CapacityOptions): CapacitySettings {
  const d = CAPACITY_DEFAULTS;
  const stepMs = o.stepMs ?? d.stepMs;
  const startRate = o.startRate ?? d.startRate;
  const settings: CapacitySettings = {
    startRate,
    maxRate: o.maxRate ?? Math.max(d.maxRate, startRate),
    minRate: o.minRate ?? Math.min(d.minRate, startRate),
    growth: o.growth ?? d.growth,
    resolution: resolutionOf(o.resolution),
    stepMs,
    // Whole intervals: the warm-up is cut at an interval boundary.
    warmupMs: Math.ceil((o.warmupMs ?? stepMs * d.warmupShare) / (o.intervalMs ?? 1000)) * (o.intervalMs ?? 1000),
    confirmMs: o.confirmMs ?? d.confirmMs,
    maxDurationMs: o.maxDurationMs ?? d.maxDurationMs,
  };
  if (o.maxInFlight !== undefined) settings.maxInFlight = o.maxInFlight;
  if (o.connections !== undefined) settings.connections = o.connections;
  if (!(settings.warmupMs >= 0 && settings.warmupMs < stepMs)) throw badInput('E_BAD_OPTION', `warm-up (${settings.warmupMs} ms) must be shorter than the step (${stepMs} ms)`);
  if (settings.confirmMs > 0 && settings.warmupMs >= settings.confirmMs) throw badInput('E_BAD_OPTION', `warm-up (${settings.warmupMs} ms) must be shorter than the confirmation (${settings.confirmMs} ms)`);
  for (const [k, v] of [['max in flight', o.maxInFlight], ['connections', o.connections]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw badInput('E_BAD_OPTION', `${k} must be a positive whole number, got ${v}`);
  }
  if (o.headroom !== undefined && !(o.headroom >= 0 && o.headroom < 1)) throw badInput('E_BAD_OPTION', `headroom must be in [0, 1), got ${o.headroom}`);
  if (o.traffic !== undefined && !(o.traffic > 0)) throw badInput('E_BAD_OPTION', `traffic must be a positive rate, got ${o.traffic}`);
  if (o.minRps !== undefined && !(o.minRps > 0)) throw badInput('E_BAD_OPTION', `min rps must be a positive rate, got ${o.minRps}`);
  return settings;
}

function start(settings: CapacitySettings): SearchState {
  try {
    return startSearch({ ...settings });
  } catch (err) {
    if (err instanceof SearchSettingsError) throw badInput('E_BAD_OPTION', err.message);
    throw err;
  }
}

function capacityVerdict(report: CapacityReport, answer: StepOutcome | undefined, endReason: Verdict['endReason']): Verdict {
  const thresholds: ThresholdResult[] = answer ? answer.step.slos.map((t) => ({ ...t })) : [];
  if (report.gate) {
    thresholds.push({ expression: `maxRps >= ${report.gate.minRps}`, scope: 'capacity', actual: report.maxRps, limit: report.gate.minRps, unit: '1/s', passed: report.gate.passed === true });
  } else {
    thresholds.push({ expression: 'capacity found (limited by the target)', scope: 'capacity', actual: report.maxRps, limit: 0, unit: '1/s', passed: report.status === 'found' });
  }
  return { passed: capacityOutcome(report) === 'passed' && endReason === 'completed', thresholds, endReason };
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Search the capacity of a scenario (object or YAML path): its flows and weights, its load replaced by the search. */
export async function capacity(scenarioOrPath: Scenario | string, o: CapacityOptions = {}): Promise<RunResult> {
  const loaded = typeof scenarioOrPath === 'string' ? await loadScenario(scenarioOrPath, { env: o.env }) : scenarioOrPath;
  if (loaded.loads !== undefined) {
    throw badInput('E_CAPACITY_LOADS', `capacity searches the rate of one load; this scenario has loads side by side (${loaded.loads.map((l) => l.name).join(', ')})`, 'a scenario with one load (load + flows)');
  }
  const scenario: SingleLoadScenario = loaded;
  const settings = capacitySettings(o);
  let state = start(settings);
  const slos = specsOf(o, scenario);
  const limits: GeneratorLimits = { ...DEFAULT_GENERATOR_LIMITS, ...o.generatorLimits };
  const intervalMs = o.intervalMs ?? 1000;
  const workers = Math.max(1, Math.floor(o.workers ?? defaultWorkers()));
  const latencyMs = largestLatencySlo(slos);
  const inflightSecs = Math.max(2, latencyMs !== undefined ? (2 * latencyMs) / 1000 : 2);
  // Defaults stay within what the workers can hold (the engine's load ceiling).
  const ceiling = o.loadCeiling === false ? Infinity : (o.loadCeiling?.maxInFlight ?? LOAD_CEILING_PER_WORKER.maxInFlight) * workers;
  const maxInFlight = (rate: number): number => o.maxInFlight ?? Math.min(ceiling, Math.max(100, Math.ceil(rate * inflightSecs)));
  const connections = (rate: number): number => o.connections ?? defaultConnections(maxInFlight(rate));
  // The highest step must be a load this machine may run: say so now, not after minutes of search.
  const top = openAt(scenario, settings.maxRate, settings.stepMs, maxInFlight(settings.maxRate), connections(settings.maxRate));
  const beyond = loadCeilingProblems(top.load, { workers, ceiling: o.loadCeiling });
  if (beyond.length > 0) {
    const flag: Record<string, string> = { 'load.startRate': '--max-rate', 'load.maxInFlight': '--max-in-flight', 'load.connections': '--connections' };
    const problems = [...new Set(beyond.map((p) => `${flag[p.path] ?? '--max-rate'}: ${p.problem}`))];
    throw badInput('E_LOAD_CEILING', problems.join('; '), beyond[0].expected);
  }
  if (o.preflight !== false) await preflight(scenario.target);
  // Hooks: setup() once for the whole search, not per step; teardown() once at its end.
  const hooks = await openHooks(scenario, o.signal);
  let hookWarnings: Warning[] = [];

  const searchStart = Date.now();
  const t0 = performance.now();
  const meta: RunMeta = {
    runId: randomUUID(),
    scenario: scenario.name,
    target: scenario.target,
    kind: o.kind ?? 'scenario',
    startedAt: searchStart,
    workers,
    // The search's length is not known in advance (--max-duration bounds it).
    plannedDurationMs: undefined,
    intervalMs,
    segment: '0/1',
    loadctlVersion: LOADCTL_VERSION,
    model: `capacity search from ${settings.startRate}/s (×${settings.growth}), steps of ${settings.stepMs / 1000} s`,
    tags: { ...scenario.tags, ...o.tags },
  };
  const bus = new ReporterBus(o.reporters ?? []);
  await bus.start(meta);

  // The search's own deadline, and the caller's interrupt.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), settings.maxDurationMs);
  const stepSignal = AbortSignal.any(o.signal ? [o.signal, deadline.signal] : [deadline.signal]);
  const timeline: Interval[] = [];
  const outcomes: StepOutcome[] = [];
  const onInterval = (i: Interval, step: StepRequest): void => {
    const warm = i.start - (i.end - i.elapsedMs) < step.warmupMs;
    const copy: Interval = { ...i, index: timeline.length, elapsedMs: i.end - searchStart, stage: `step ${step.index + 1} · ${step.rate}/s${warm ? ' · warm-up' : ''}` };
    timeline.push(copy);
    bus.interval(copy);
  };
  let endReason: Verdict['endReason'] = 'completed';
  try {
    for (let plan = nextStep(state); plan !== null; plan = nextStep(state)) {
      const before = performance.now();
      if (outcomes.length > 0) await sleep(o.pauseMs ?? CAPACITY_DEFAULTS.pauseMs, stepSignal);
      const req: StepRequest = { index: outcomes.length, kind: plan.kind, rate: plan.rate, durationMs: plan.durationMs, warmupMs: settings.warmupMs };
      if (!stepSignal.aborted) {
        o.onStepStart?.(req);
        const out = await runStep(req, {
          scenario,
          kind: o.kind ?? 'scenario',
          slos,
          limits,
          workers,
          intervalMs,
          maxInFlight,
          connections,
          signal: stepSignal,
          loadCeiling: o.loadCeiling,
          tags: o.tags,
          hooks: hooks ?? undefined,
          onInterval,
        });
        outcomes.push(out);
        o.onStep?.(out.step);
        if (!out.cut) {
          state = observe(state, { rate: plan.rate, verdict: out.step.verdict as 'pass' | 'fail' | 'generator', elapsedMs: performance.now() - before });
          continue;
        }
        if (out.result.summary.verdict.endReason === 'error') endReason = 'error';
      }
      if (o.signal?.aborted) endReason = 'interrupted';
      state = finish(state, endReason === 'interrupted' ? 'interrupted' : endReason === 'error' ? 'error' : 'max_duration');
    }
  } finally {
    clearTimeout(timer);
    if (hooks) hookWarnings = [...(await hooks.teardown(endReason)), ...hooks.warnings()];
  }

  const steps = outcomes.map((x) => x.step);
  const report = buildCapacityReport({
    outcome: outcomeOf(state),
    steps,
    settings,
    slos: sloLabels(slos),
    elapsedMs: performance.now() - t0,
    traffic: o.traffic,
    headroom: o.headroom,
    minRps: o.minRps,
  });
  const answer = report.answerStep !== null ? outcomes[report.answerStep] : ([...outcomes].reverse().find((x) => !x.cut) ?? outcomes[outcomes.length - 1]);
  const summary = finalSummary(meta, answer, report, endReason);
  for (const w of hookWarnings) if (!summary.warnings.includes(w)) summary.warnings.push(w);
  // A search is short: its stitched timeline stays in memory and the file reporters write from it.
  const config = o.config ?? redactScenario(scenario);
  await bus.end(summary, { schemaVersion: RESULT_SCHEMA_VERSION, summary, timeline: memoryTimeline(timeline), config });
  return { schemaVersion: RESULT_SCHEMA_VERSION, summary, timeline, config };
}

/** The answer step's summary under the search's meta, verdict and capacity section. */
function finalSummary(meta: RunMeta, answer: StepOutcome | undefined, report: CapacityReport, endReason: Verdict['endReason']): Summary {
  const verdict = capacityVerdict(report, answer, endReason);
  const endedAt = Date.now();
  if (!answer) {
    // Interrupted before the first step: an empty summary.
    const acc = new RequestAccumulator();
    const total = acc.toCumulative(0);
    acc.destroy();
    return { meta, endedAt, durationMs: 0, total, requests: {}, flows: {}, checks: {}, rps: { mean: 0, min: 0, max: 0, stdev: 0 }, dropped: 0, late: 0, verdict, warnings: [], reporters: {}, capacity: report };
  }
  const s = answer.result.summary;
  return { ...s, meta, endedAt, verdict, warnings: [...s.warnings], reporters: {}, capacity: report };
}

export interface QuickCapacityOptions extends Omit<CapacityOptions, 'kind' | 'env'>, Pick<QuickOptions, 'url' | 'method' | 'headers' | 'body' | 'timeoutMs'> {}

/** Search the capacity of one URL (`loadctl capacity URL`): one request per iteration. */
export async function quickCapacity(o: QuickCapacityOptions): Promise<RunResult> {
  const { url, method, headers, body, timeoutMs, ...rest } = o;
  const q: QuickOptions = { url, method, headers, body, timeoutMs, rate: 1, maxInFlight: o.maxInFlight, connections: o.connections, workers: o.workers };
  const scenario = quickScenario(q);
  const config = o.config ?? { capacity: quickConfig({ ...q, rate: undefined }) };
  return capacity(scenario, { ...rest, kind: 'quick', config });
}
