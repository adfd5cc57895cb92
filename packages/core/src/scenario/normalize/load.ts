/** load and rateShortfall -> the normalised LoadModel (stages in ms, rates per second). */
import { ceilingProblem, type LoadCeilingKey } from '../ceiling.js';
import type { ClosedStage, LoadModel, OpenStage, RateShortfallPolicy } from '../model.js';
import type { Seg } from '../parse.js';
import { ClosedLoad, ClosedStage as ClosedStageSchema, loadVariant, OpenLoad, OpenStage as OpenStageSchema, type LoadInput } from '../schema/load.js';
import { RateShortfall } from '../schema/loads.js';
import { reportSelectIssue } from '../structure.js';
import type { Context } from './context.js';
import { DEFAULT_ITERATIONS_MAX_DURATION_MS, DEFAULT_RATE_SHORTFALL_GRACE_MS, defaultConnections, defaultMaxInFlight } from './defaults.js';

type Any = Record<string, unknown>;
const S = { closed: ClosedLoad.properties, open: OpenLoad.properties, closedStage: ClosedStageSchema.properties, openStage: OpenStageSchema.properties };

/** A load figure beyond what one machine can hold is an error at its position. */
function ceiling(c: Context, key: LoadCeilingKey, value: number | undefined, path: Seg[]): void {
  const p = value === undefined ? undefined : ceilingProblem(key, value, c.o.ceiling);
  if (p) c.issue('E_BAD_VALUE', path, p.problem, { expected: p.expected });
}

/** The load model found at `PATH` (`['load']`, or `['loads', i, 'load']`), or undefined when it has issues (reported). */
export function normalizeLoad(c: Context, input: LoadInput | undefined, PATH: readonly Seg[] = ['load']): LoadModel | undefined {
  if (input === undefined || !c.ok(PATH)) return undefined;
  const variant = loadVariant(input);
  if (typeof variant !== 'number') return variant ? void reportSelectIssue(c.issues, PATH, variant) : undefined;
  const o = input as Any;
  return variant === 0 || variant === 1 ? closedLoad(c, o, PATH) : openLoad(c, o, PATH);
}

function closedLoad(c: Context, o: Any, PATH: readonly Seg[]): LoadModel | undefined {
  const spawnRate = o.spawnRate === undefined ? undefined : c.num(o.spawnRate, [...PATH, 'spawnRate'], S.closed.spawnRate);
  const iterations = o.iterations === undefined ? undefined : c.num(o.iterations, [...PATH, 'iterations'], S.closed.iterations);
  const stages: ClosedStage[] = [];
  if (Array.isArray(o.stages)) {
    let ok = true;
    o.stages.forEach((s: Any, i) => {
      c.tick();
      const p = [...PATH, 'stages', i];
      const users = c.num(s.users, [...p, 'users'], S.closedStage.users);
      ceiling(c, 'users', users, [...p, 'users']);
      const durationMs = c.ms(s.duration, [...p, 'duration'], S.closedStage.duration);
      const sr = s.spawnRate === undefined ? spawnRate : c.num(s.spawnRate, [...p, 'spawnRate'], S.closedStage.spawnRate);
      const name = s.name === undefined ? undefined : c.text(s.name, [...p, 'name']);
      if (users === undefined || durationMs === undefined) return (ok = false);
      const st: ClosedStage = { durationMs, users };
      if (sr !== undefined) st.spawnRate = sr;
      if (name !== undefined) st.name = name;
      stages.push(st);
      return true;
    });
    if (!ok) return undefined;
    if (stages.every((s) => s.users === 0)) return c.issue('E_BAD_VALUE', [...PATH, 'stages'], 'every stage has 0 users', { expected: 'at least one stage with users > 0' });
  } else {
    const users = c.num(o.users, [...PATH, 'users'], S.closed.users);
    ceiling(c, 'users', users, [...PATH, 'users']);
    let durationMs: number | undefined;
    if (o.duration !== undefined) durationMs = c.ms(o.duration, [...PATH, 'duration'], S.closed.duration);
    else if (o.iterations !== undefined) durationMs = DEFAULT_ITERATIONS_MAX_DURATION_MS;
    else return c.issues.missingKey(PATH, 'duration', 'duration: <e.g. 5m>, or iterations: <count>');
    if (users === undefined || durationMs === undefined) return undefined;
    const st: ClosedStage = { durationMs, users };
    if (spawnRate !== undefined) st.spawnRate = spawnRate;
    stages.push(st);
  }
  const model: LoadModel = { model: 'closed', stages };
  if (iterations !== undefined) model.iterations = iterations;
  return model;
}

function openLoad(c: Context, o: Any, PATH: readonly Seg[]): LoadModel | undefined {
  let startRate = o.startRate === undefined ? undefined : c.num(o.startRate, [...PATH, 'startRate'], S.open.startRate);
  ceiling(c, 'rate', startRate, [...PATH, 'startRate']);
  const stages: OpenStage[] = [];
  // `rate` = k6 target (ramp from the previous rate); `arrivalRate` [+ `rampTo`] = Artillery phase (starts at arrivalRate).
  const addStage = (so: Any, p: Seg[], shorthand: boolean): boolean => {
    c.tick();
    if (so.rate !== undefined && so.arrivalRate !== undefined) {
      c.issue('E_CONFLICT', [...p, 'arrivalRate'], '"rate" and "arrivalRate" cannot be used together', { at: 'key', expected: 'rate (ramp to it, k6 style) or arrivalRate [+ rampTo] (Artillery style)' });
      return false;
    }
    if (so.rampTo !== undefined && so.arrivalRate === undefined) {
      c.issue('E_CONFLICT', [...p, 'rampTo'], '"rampTo" goes with "arrivalRate"', { at: 'key', expected: 'arrivalRate: <start> with rampTo: <end>' });
      return false;
    }
    if (so.rate === undefined && so.arrivalRate === undefined) {
      c.issues.missingKey(p, 'rate', 'rate: <iterations/s at the end of the stage> (or arrivalRate)');
      return false;
    }
    const durationMs = c.ms(so.duration, [...p, 'duration'], S.openStage.duration);
    const name = so.name === undefined ? undefined : c.text(so.name, [...p, 'name']);
    let end: number | undefined;
    if (so.rate !== undefined) {
      end = c.num(so.rate, [...p, 'rate'], S.openStage.rate);
      ceiling(c, 'rate', end, [...p, 'rate']);
      if (shorthand && startRate === undefined) startRate = end; // constant rate
    } else {
      const from = c.num(so.arrivalRate, [...p, 'arrivalRate'], S.openStage.arrivalRate);
      const to = so.rampTo === undefined ? from : c.num(so.rampTo, [...p, 'rampTo'], S.openStage.rampTo);
      ceiling(c, 'rate', from, [...p, 'arrivalRate']);
      if (so.rampTo !== undefined) ceiling(c, 'rate', to, [...p, 'rampTo']);
      if (from === undefined || to === undefined) return false;
      const prev = stages.length ? stages[stages.length - 1].rate : startRate;
      if (prev === undefined) startRate = from;
      else if (prev !== from) stages.push({ durationMs: 0, rate: from }); // step change at the phase start
      end = to;
    }
    if (durationMs === undefined || end === undefined) return false;
    const st: OpenStage = { durationMs, rate: end };
    if (name !== undefined) st.name = name;
    stages.push(st);
    return true;
  };
  let ok = true;
  if (Array.isArray(o.stages)) o.stages.forEach((s: Any, i) => (ok = addStage(s, [...PATH, 'stages', i], false) && ok));
  else ok = addStage({ rate: o.rate, arrivalRate: o.arrivalRate, rampTo: o.rampTo, duration: o.duration }, [...PATH], true);
  if (!ok) return undefined;
  startRate ??= 0;
  const peak = Math.max(startRate, ...stages.map((s) => s.rate));
  if (peak <= 0) return c.issue('E_BAD_VALUE', PATH, 'the arrival rate is 0 throughout', { expected: 'a rate > 0 in at least one stage' });
  const maxInFlight = o.maxInFlight === undefined ? defaultMaxInFlight(peak) : c.num(o.maxInFlight, [...PATH, 'maxInFlight'], S.open.maxInFlight);
  const connections = o.connections === undefined ? (maxInFlight === undefined ? undefined : defaultConnections(maxInFlight)) : c.num(o.connections, [...PATH, 'connections'], S.open.connections);
  if (o.maxInFlight !== undefined) ceiling(c, 'maxInFlight', maxInFlight, [...PATH, 'maxInFlight']);
  if (o.connections !== undefined) ceiling(c, 'connections', connections, [...PATH, 'connections']);
  if (maxInFlight === undefined || connections === undefined) return undefined;
  return { model: 'open', startRate, stages, maxInFlight, connections };
}

const SHORTFALL = RateShortfall.properties;

/** `rateShortfall` found at `path` (top level, or in one of `loads`), for the load model beside it. */
export function normalizeRateShortfall(c: Context, v: Any | undefined, load: LoadModel | undefined, path: readonly Seg[] = ['rateShortfall']): RateShortfallPolicy | undefined {
  if (v === undefined || !c.ok(path)) return undefined;
  if (load && load.model !== 'open') {
    return c.issue('E_CONFLICT', path, 'rateShortfall needs the open model (a requested arrival rate)', { at: 'key', expected: 'load with rate/arrivalRate, or no rateShortfall' });
  }
  const maxShortfall = c.ratio(v.maxShortfall, [...path, 'maxShortfall']);
  const graceMs = v.grace === undefined ? DEFAULT_RATE_SHORTFALL_GRACE_MS : c.ms(v.grace, [...path, 'grace'], SHORTFALL.grace);
  const abort = v.abort === undefined ? true : c.bool(v.abort, [...path, 'abort']);
  if (maxShortfall === undefined || graceMs === undefined || abort === undefined) return undefined;
  return { maxShortfall, graceMs, abort };
}
