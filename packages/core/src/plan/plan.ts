/**
 * The plan stage: before any worker starts, the main thread decides what each worker
 * runs. The whole run's units (users, arrivals, iterations, connections, in-flight
 * slots, data rows) are dealt to this process's segment (segment.ts, stripe.ts),
 * then to its workers, so that any split adds up exactly to the whole. A worker
 * never gets a unit "just in case": fewer units than workers means fewer workers,
 * and the plan says so.
 */
import { randomInt } from 'node:crypto';
import { badInput } from '../errors.js';
import { scenarioLoads, type LoadEntry } from '../scenario/loads.js';
import type { DataSource, LoadModel, Scenario } from '../scenario/model.js';
import { toNumber } from './fraction.js';
import { hooksModuleUrl } from './hooks.js';
import { foreignOrigins, planProgram, type ProgramPlan } from './program.js';
import { workerSeed } from './random.js';
import { formatSegment, formatSequence, placeSegment, WHOLE_SEGMENT, type Segment, type SegmentSequence } from './segment.js';
import { ArrivalSchedule, totalDurationMs, userSteps, type UserStep } from './stages.js';
import { owned, sequenceStripes, splitStripe, unitAt, type Stripe } from './stripe.js';
import type { DataPlan, LoadSharePlan, Plan, PlanNote, PlanTotals, WorkerPlan } from './worker-plan.js';

export interface PlanOptions {
  /** Worker threads to use at most. */
  workers: number;
  /** This process's part of the whole run; default all of it. */
  segment?: Segment;
  /** The partition the segment belongs to (shared by every shard); default see placeSegment. */
  sequence?: SegmentSequence;
  /** Seed of the run's PRNGs; default random. */
  seed?: number;
}

/** Warm-up users per worker at most. */
const WARMUP_USERS = 50;

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** A share of a step function: the owner's count at each step, steps where it does not change dropped. */
function shareSteps(steps: readonly UserStep[], units: Stripe): UserStep[] {
  const out: UserStep[] = [];
  let last = 0;
  for (const s of steps) {
    const n = owned(units, s.users);
    if (out.length === 0 || n !== last) out.push({ atMs: s.atMs, users: n });
    last = n;
  }
  return out;
}

function shareRows(d: DataSource, units: Stripe): DataPlan {
  if (d.order === 'random') return { order: 'random', rows: d.rows };
  const rows: Array<Record<string, string>> = [];
  for (let j = 0; j < d.rows.length; j++) {
    const u = unitAt(units, j);
    if (!(u < d.rows.length)) break;
    rows.push(d.rows[u]);
  }
  // Fewer rows than owners: read the one the first owned unit falls on.
  if (rows.length === 0 && d.rows.length > 0) rows.push(d.rows[unitAt(units, 0) % d.rows.length]);
  return { order: 'sequential', rows };
}

interface Limit {
  amount: number;
  what: string;
}

/** Per model: the shard's totals, what bounds the worker count, and one worker's load. */
function modelShares(load: LoadModel, shard: Stripe) {
  const durationMs = totalDurationMs(load);
  if (load.model === 'closed') {
    const steps = userSteps(load.stages);
    const peak = steps.reduce((m, x) => Math.max(m, x.users), 0);
    const totals: PlanTotals = { connections: owned(shard, peak), users: owned(shard, peak) };
    const limits: Limit[] = [{ amount: owned(shard, peak), what: 'user' }];
    if (load.iterations !== undefined) {
      totals.iterations = owned(shard, load.iterations);
      limits.push({ amount: totals.iterations, what: 'iteration' });
    }
    return {
      totals,
      limits,
      worker: (units: Stripe) => {
        const users = owned(units, peak);
        const share: LoadSharePlan['load'] = { model: 'closed', durationMs, users: shareSteps(steps, units), stageUsers: load.stages.map((st) => owned(units, st.users)) };
        if (load.iterations !== undefined) share.iterations = owned(units, load.iterations);
        return { load: share, connections: users };
      },
    };
  }
  const schedule = new ArrivalSchedule(load.startRate, load.stages);
  const total = schedule.totalArrivals;
  const totals: PlanTotals = { connections: owned(shard, load.connections), arrivals: owned(shard, total), maxInFlight: owned(shard, load.maxInFlight) };
  return {
    totals,
    limits: [
      { amount: totals.connections, what: 'connection' },
      { amount: totals.maxInFlight!, what: 'in-flight slot' },
      { amount: totals.arrivals!, what: 'arrival' },
    ],
    worker: (units: Stripe) => {
      const connections = owned(units, load.connections);
      const share: LoadSharePlan['load'] = {
        model: 'open',
        durationMs,
        startRate: load.startRate,
        stages: load.stages,
        arrivals: owned(units, total),
        maxInFlight: owned(units, load.maxInFlight),
        connections,
      };
      return { load: share, connections };
    },
  };
}

/** One load of the run, planned: its shares, and on how many workers it runs. */
interface PlannedLoad {
  entry: LoadEntry;
  shares: ReturnType<typeof modelShares>;
  /** Workers this load runs on: as many as asked, fewer when it has fewer units, at least 1. */
  count: number;
}

/** The notes of one load: an empty share, fewer workers than asked. */
function loadNotes(l: PlannedLoad, requested: number, who: string, notes: PlanNote[]): void {
  const binding = l.shares.limits.reduce((a, b) => (b.amount < a.amount ? b : a));
  const arrivals = l.shares.totals.arrivals ?? 0;
  const name = l.entry.name;
  const whose = name === undefined ? who : `load "${name}" of ${who}`;
  if (binding.amount === 0 && binding.what !== 'arrival' && arrivals > 0) {
    notes.push({ severity: 'warn', message: `${whose} gets no ${binding.what}s (fewer in all than parts of the run): its ${plural(arrivals, 'arrival')} will be dropped` });
  } else if (binding.amount === 0) {
    notes.push({ severity: 'info', message: `${whose} has no ${binding.what}s to run: its share of the load is empty` });
  }
  if (l.count < requested && binding.amount > 0) {
    const message =
      name === undefined
        ? `${plural(l.count, 'worker')} instead of ${requested}: ${who} has only ${plural(binding.amount, binding.what)}`
        : `load "${name}" runs on ${plural(l.count, 'worker')} of ${requested}: ${who} has only ${plural(binding.amount, binding.what)} of it`;
    notes.push({ severity: 'info', message });
  }
}

/** Sums of the loads' totals (side-by-side loads use connections, users, ... of each). */
function sumTotals(all: readonly PlanTotals[]): PlanTotals {
  const out: PlanTotals = { connections: 0 };
  for (const t of all) {
    for (const k of ['connections', 'users', 'iterations', 'arrivals', 'maxInFlight'] as const) {
      const v = t[k];
      if (v !== undefined) out[k] = (out[k] ?? 0) + v;
    }
  }
  return out;
}

/** A load's own seed from the run's: the first load keeps the run's seed (a one-load run is unchanged). */
const loadSeed = (seed: number, index: number): number => (seed + Math.imul(index, 0x632be5ab)) >>> 0;

/**
 * What each of this process's workers runs. Each load is split exactly across the workers
 * it runs on (its units dealt as for one load); a load with fewer units than workers runs
 * on fewer of them, starting after the previous load's workers so that small loads spread.
 */
export function plan(s: Scenario, o: PlanOptions): Plan {
  if (!Number.isInteger(o.workers) || o.workers < 1) throw badInput('E_BAD_OPTION', `workers must be a positive whole number, got ${o.workers}`);
  const segment = o.segment ?? WHOLE_SEGMENT;
  const placed = placeSegment(segment, o.sequence);
  const shard = sequenceStripes(placed.sequence)[placed.index];
  const label = formatSegment(segment);
  const who = label === '1/1' ? 'the run' : `segment ${label}`;
  const notes: PlanNote[] = [];
  const loads: PlannedLoad[] = scenarioLoads(s).map((entry) => {
    const shares = modelShares(entry.load, shard);
    const binding = shares.limits.reduce((a, b) => (b.amount < a.amount ? b : a));
    return { entry, shares, count: Math.max(1, Math.min(o.workers, binding.amount)) };
  });
  for (const l of loads) loadNotes(l, o.workers, who, notes);
  const workers = Math.max(...loads.map((l) => l.count));

  const seed = o.seed ?? randomInt(0, 2 ** 32 - 1);
  const target = new URL(s.target);
  const hooksModule = s.hooks === undefined ? undefined : hooksModuleUrl(s.hooks);
  const plans = Array.from({ length: workers }, (_, w): WorkerPlan => {
    const wp: WorkerPlan = {
      worker: w,
      workers,
      target: { origin: target.origin, host: target.host, pipelining: s.pipelining, timeoutMs: s.timeoutMs },
      shares: [],
    };
    if (hooksModule !== undefined) wp.hooks = { module: hooksModule };
    return wp;
  });
  let offset = 0;
  loads.forEach((l, i) => {
    const program: ProgramPlan = planProgram(s, l.entry.flows);
    const foreign = foreignOrigins(program).length > 0;
    splitStripe(shard, l.count).forEach((units, k) => {
      const { load, connections } = l.shares.worker(units);
      const data: Record<string, DataPlan> = {};
      for (const [name, d] of Object.entries(s.data)) data[name] = shareRows(d, units);
      const share: LoadSharePlan = {
        units,
        seed: workerSeed(loadSeed(seed, i), unitAt(units, 0)),
        program,
        data,
        load,
        foreignConnections: foreign ? connections : 0,
        warmupUsers: Math.min(WARMUP_USERS, connections),
      };
      if (l.entry.name !== undefined) share.name = l.entry.name;
      plans[(offset + k) % workers].shares.push(share);
    });
    offset += l.count;
  });
  const out: Plan = {
    segment: label,
    sequence: formatSequence(placed.sequence),
    fraction: toNumber(segment.to) - toNumber(segment.from),
    requestedWorkers: o.workers,
    workers: plans,
    totals: loads.length === 1 ? loads[0].shares.totals : sumTotals(loads.map((l) => l.shares.totals)),
    notes,
  };
  if (s.loads !== undefined) out.loadTotals = Object.fromEntries(loads.map((l) => [l.entry.name, l.shares.totals]));
  return out;
}
