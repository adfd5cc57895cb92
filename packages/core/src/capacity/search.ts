/**
 * The capacity search as a pure state machine: it has no clock and sends no
 * request. The driver asks `nextStep(state)` what to run, runs it, and feeds
 * the judged step back with `observe(state, observation)`; `finish(state, why)`
 * ends it early (interrupt, deadline). `outcomeOf(state)` is the answer.
 *
 * Phases: a coarse exponential climb from the start rate (× growth per step)
 * until a step fails; a descent (÷ growth) when the very first steps fail;
 * then bisection between the highest passing and the lowest failing rate down
 * to the resolution; then the winning rate held over the longer confirmation
 * window. A failed confirmation makes that rate the lowest failing one and the
 * next lower rate that passed is confirmed in turn (or the search descends), so
 * the answer only ever moves down.
 *
 * Invariants (tested exhaustively): the answer is a rate that passed, below
 * every rate that failed, never above maxRate; a step the generator could not
 * deliver is retried, then ends the search as `generator`-limited; no step is
 * planned that would not fit in maxDurationMs (judged from the time steps took
 * so far, overheads included).
 */
import { LoadctlError } from '../errors.js';
import type { CapacityLimit, CapacityStatus, CapacityStepKind, CapacityStopReason } from '../metrics/capacity-model.js';

export type Resolution = { kind: 'relative' | 'absolute'; value: number };

export interface SearchSettings {
  /** First offered rate (iterations/s). */
  startRate: number;
  /** Highest rate ever asked; reaching it with a pass ends the search as range-limited. */
  maxRate: number;
  /** Lowest rate the descent goes to before concluding no rate meets the SLOs. */
  minRate: number;
  /** Factor between climb (and descent) steps, > 1. */
  growth: number;
  /** Stop bisecting when highest pass and lowest fail are this close. */
  resolution: Resolution;
  /** Hold of a step (ms), warm-up included. */
  stepMs: number;
  /** Hold of the confirmation (ms); 0 disables it. */
  confirmMs: number;
  /** Budget of the whole search (ms), overheads included. */
  maxDurationMs: number;
  /** Confirmations that may fail before the search gives up as `unstable`. Default 3. */
  maxConfirmations?: number;
  /** Times a step the generator could not deliver is run again before giving up. Default 1. */
  generatorRetries?: number;
}

/** What the driver reports about a step: its classification and the wall time it took. */
export interface Observation {
  rate: number;
  verdict: 'pass' | 'fail' | 'generator';
  /** Wall time the step cost, start-up and drain included (ms). */
  elapsedMs: number;
}

export interface PlannedStep {
  rate: number;
  kind: CapacityStepKind;
  durationMs: number;
}

export interface SearchRecord extends PlannedStep {
  verdict: Observation['verdict'];
  elapsedMs: number;
}

export interface SearchOutcome {
  status: CapacityStatus;
  limitedBy: CapacityLimit;
  stopReason: CapacityStopReason;
  /** The answer: highest trusted passing rate, or null when none passed. */
  rate: number | null;
  confirmed: boolean;
  lowestFailing: number | null;
}

type Phase = 'climb' | 'descend' | 'bisect' | 'confirm' | 'done';

export interface SearchState {
  readonly settings: Required<SearchSettings>;
  readonly history: readonly SearchRecord[];
  readonly phase: Phase;
  /** Highest rate that passed and was not disproved by a failed confirmation. */
  readonly lo: number | null;
  /** Lowest rate that failed. */
  readonly hi: number | null;
  readonly pending: PlannedStep | null;
  readonly retries: number;
  readonly failedConfirmations: number;
  readonly spentMs: number;
  readonly stop: CapacityStopReason | null;
  readonly confirmedRate: number | null;
}

export class SearchSettingsError extends LoadctlError {
  declare readonly code: 'E_BAD_OPTION';
  constructor(message: string) {
    super('E_BAD_OPTION', message, 2);
    this.name = 'SearchSettingsError';
  }
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new SearchSettingsError(message);
}

/** Validated settings with defaults. Throws SearchSettingsError. */
export function searchSettings(s: SearchSettings): Required<SearchSettings> {
  const pos = (v: number): boolean => Number.isFinite(v) && v > 0;
  check(pos(s.startRate), `start rate must be a positive number, got ${s.startRate}`);
  check(pos(s.maxRate), `max rate must be a positive number, got ${s.maxRate}`);
  check(s.startRate <= s.maxRate, `start rate ${s.startRate}/s is above the max rate ${s.maxRate}/s`);
  check(pos(s.minRate) && s.minRate <= s.startRate, `min rate must be positive and at most the start rate, got ${s.minRate}`);
  check(Number.isFinite(s.growth) && s.growth > 1, `growth must be above 1, got ${s.growth}`);
  check(pos(s.resolution.value), `resolution must be positive, got ${s.resolution.value}`);
  check(s.resolution.kind === 'absolute' || s.resolution.value < 1, `a relative resolution must be below 100%, got ${s.resolution.value * 100}%`);
  check(pos(s.stepMs), `step must be a positive duration, got ${s.stepMs} ms`);
  check(Number.isFinite(s.confirmMs) && s.confirmMs >= 0, `confirmation must be a duration >= 0, got ${s.confirmMs} ms`);
  check(pos(s.maxDurationMs) && s.maxDurationMs >= s.stepMs, `max duration (${s.maxDurationMs} ms) must allow at least one step (${s.stepMs} ms)`);
  const maxConfirmations = s.maxConfirmations ?? 3;
  const generatorRetries = s.generatorRetries ?? 1;
  check(Number.isInteger(maxConfirmations) && maxConfirmations >= 1, `max confirmations must be a whole number >= 1`);
  check(Number.isInteger(generatorRetries) && generatorRetries >= 0, `generator retries must be a whole number >= 0`);
  return { ...s, maxConfirmations, generatorRetries };
}

/** Rates as asked: whole numbers from 100/s, finer below (the bisection guards against equal neighbours). */
export function roundRate(r: number): number {
  if (r >= 100) return Math.round(r);
  if (r >= 10) return Math.round(r * 10) / 10;
  return Math.round(r * 100) / 100;
}

/** Highest pass and lowest fail are within the resolution. */
export function converged(res: Resolution, lo: number, hi: number): boolean {
  return res.kind === 'relative' ? hi - lo <= res.value * lo : hi - lo <= res.value;
}

export function startSearch(settings: SearchSettings): SearchState {
  const s = searchSettings(settings);
  const first: PlannedStep = { rate: Math.min(roundRate(s.startRate), s.maxRate), kind: 'climb', durationMs: s.stepMs };
  return { settings: s, history: [], phase: 'climb', lo: null, hi: null, pending: first, retries: 0, failedConfirmations: 0, spentMs: 0, stop: null, confirmedRate: null };
}

/** The step to run now, or null when the search is over. */
export function nextStep(state: SearchState): PlannedStep | null {
  return state.phase === 'done' ? null : state.pending;
}

/** Mean time a step took beyond its planned hold (start-up, drain, pause), from the steps so far. */
function overheadMs(state: SearchState): number {
  if (state.history.length === 0) return 0;
  const extra = state.history.reduce((n, r) => n + Math.max(0, r.elapsedMs - r.durationMs), 0);
  return extra / state.history.length;
}

function done(state: SearchState, stop: CapacityStopReason, patch: Partial<SearchState> = {}): SearchState {
  return { ...state, ...patch, phase: 'done', pending: null, stop };
}

/** Plan `step` if it fits in the budget, else end the search for lack of time. */
function plan(state: SearchState, phase: Phase, step: PlannedStep, patch: Partial<SearchState> = {}): SearchState {
  const next = { ...state, ...patch };
  if (next.spentMs + step.durationMs + overheadMs(next) > next.settings.maxDurationMs) return done(next, 'max_duration');
  return { ...next, phase, pending: step };
}

/** With both ends known: bisect, or confirm (or finish) once within the resolution. */
function bracket(state: SearchState, lo: number, hi: number): SearchState {
  const s = state.settings;
  const mid = roundRate((lo + hi) / 2);
  if (converged(s.resolution, lo, hi) || mid <= lo || mid >= hi) {
    if (s.confirmMs <= 0) return done(state, 'converged', { lo, hi });
    return plan(state, 'confirm', { rate: lo, kind: 'confirm', durationMs: s.confirmMs }, { lo, hi });
  }
  return plan(state, 'bisect', { rate: mid, kind: 'bisect', durationMs: s.stepMs }, { lo, hi });
}

/** Go down from a failing rate while nothing has passed. */
function descend(state: SearchState, from: number): SearchState {
  const s = state.settings;
  if (from <= s.minRate) return done(state, 'no_passing_rate', { hi: from, lo: null });
  const rate = Math.max(roundRate(from / s.growth), s.minRate);
  return plan(state, 'descend', { rate, kind: 'descend', durationMs: s.stepMs }, { hi: from, lo: null });
}

/** Highest rate that passed below `below` and was not itself a failed confirmation. */
function highestPassBelow(history: readonly SearchRecord[], below: number): number | null {
  let best: number | null = null;
  const disproved = new Set(history.filter((r) => r.kind === 'confirm' && r.verdict === 'fail').map((r) => r.rate));
  for (const r of history) {
    if (r.verdict !== 'pass' || r.rate >= below || disproved.has(r.rate)) continue;
    if (best === null || r.rate > best) best = r.rate;
  }
  return best;
}

/** Feed the judged result of the pending step. */
export function observe(state: SearchState, obs: Observation): SearchState {
  const step = state.pending;
  if (state.phase === 'done' || step === null) throw new Error('capacity search: observe() after the search ended');
  if (obs.rate !== step.rate) throw new Error(`capacity search: observed rate ${obs.rate} is not the planned ${step.rate}`);
  const record: SearchRecord = { ...step, verdict: obs.verdict, elapsedMs: Math.max(0, obs.elapsedMs) };
  let st: SearchState = { ...state, history: [...state.history, record], spentMs: state.spentMs + record.elapsedMs };
  const s = st.settings;
  const r = step.rate;

  if (obs.verdict === 'generator') {
    if (st.retries < s.generatorRetries) {
      const kind: CapacityStepKind = step.kind === 'confirm' ? 'confirm' : 'retry';
      return plan(st, st.phase, { ...step, kind }, { retries: st.retries + 1 });
    }
    return done(st, 'generator');
  }
  st = { ...st, retries: 0 };
  const phase = state.phase;

  if (phase === 'confirm') {
    if (obs.verdict === 'pass') return done(st, 'converged', { confirmedRate: r });
    const failedConfirmations = st.failedConfirmations + 1;
    const lo = highestPassBelow(st.history, r);
    st = { ...st, failedConfirmations, hi: r, lo };
    if (failedConfirmations >= s.maxConfirmations) return done(st, 'unstable');
    if (lo === null) return descend(st, r);
    // The short steps above `lo` proved unreliable here: confirm the next lower pass directly.
    return plan(st, 'confirm', { rate: lo, kind: 'confirm', durationMs: s.confirmMs });
  }

  if (obs.verdict === 'pass') {
    if (phase === 'climb' && st.hi === null) {
      if (r >= s.maxRate) return done(st, 'max_rate', { lo: r });
      const next = Math.min(roundRate(r * s.growth), s.maxRate);
      return plan(st, 'climb', { rate: next, kind: 'climb', durationMs: s.stepMs }, { lo: r });
    }
    return bracket(st, r, st.hi!);
  }

  // A failing step.
  const lo = st.lo;
  if (lo === null || lo >= r) return descend(st, r);
  return bracket(st, lo, r);
}

/** End the search now (interrupted, out of time, an error), keeping what is known. */
export function finish(state: SearchState, why: 'interrupted' | 'max_duration' | 'error'): SearchState {
  if (state.phase === 'done') return state;
  return done(state, why);
}

export function outcomeOf(state: SearchState): SearchOutcome {
  const stop = state.stop ?? 'interrupted';
  const lowestFailing = state.hi;
  const confirmed = state.confirmedRate !== null;
  const rate = confirmed ? state.confirmedRate : state.lo;
  let limitedBy: CapacityLimit;
  let status: CapacityStatus = 'inconclusive';
  switch (stop) {
    case 'generator':
      limitedBy = 'generator';
      break;
    case 'max_rate':
      limitedBy = 'range';
      break;
    case 'no_passing_rate':
      limitedBy = 'target';
      status = 'none';
      break;
    case 'converged':
      limitedBy = 'target';
      status = 'found';
      break;
    default:
      // Stopped early: target-limited if a failing rate bounds the answer, else the range was not covered.
      limitedBy = lowestFailing !== null ? 'target' : 'range';
  }
  return { status, limitedBy, stopReason: stop, rate, confirmed, lowestFailing };
}
