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
import type { DataSource, Scenario } from '../scenario/model.js';
import { toNumber } from './fraction.js';
import { hooksModuleUrl } from './hooks.js';
import { foreignOrigins, planProgram, type ProgramPlan } from './program.js';
import { workerSeed } from './random.js';
import { formatSegment, formatSequence, placeSegment, WHOLE_SEGMENT, type Segment, type SegmentSequence } from './segment.js';
import { ArrivalSchedule, totalDurationMs, userSteps, type UserStep } from './stages.js';
import { owned, sequenceStripes, splitStripe, unitAt, type Stripe } from './stripe.js';
import type { DataPlan, Plan, PlanNote, PlanTotals, WorkerPlan } from './worker-plan.js';

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
function modelShares(s: Scenario, shard: Stripe) {
  const load = s.load;
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
        const share: WorkerPlan['load'] = { model: 'closed', durationMs, users: shareSteps(steps, units), stageUsers: load.stages.map((st) => owned(units, st.users)) };
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
      const share: WorkerPlan['load'] = {
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

/** What each of this process's workers runs. */
export function plan(s: Scenario, o: PlanOptions): Plan {
  if (!Number.isInteger(o.workers) || o.workers < 1) throw badInput('E_BAD_OPTION', `workers must be a positive whole number, got ${o.workers}`);
  const segment = o.segment ?? WHOLE_SEGMENT;
  const placed = placeSegment(segment, o.sequence);
  const shard = sequenceStripes(placed.sequence)[placed.index];
  const shares = modelShares(s, shard);
  const notes: PlanNote[] = [];
  const label = formatSegment(segment);
  const who = label === '1/1' ? 'the run' : `segment ${label}`;
  const binding = shares.limits.reduce((a, b) => (b.amount < a.amount ? b : a));
  const arrivals = shares.totals.arrivals ?? 0;
  if (binding.amount === 0 && binding.what !== 'arrival' && arrivals > 0) {
    notes.push({ severity: 'warn', message: `${who} gets no ${binding.what}s (fewer in all than parts of the run): its ${plural(arrivals, 'arrival')} will be dropped` });
  } else if (binding.amount === 0) {
    notes.push({ severity: 'info', message: `${who} has no ${binding.what}s to run: its share of the load is empty` });
  }
  const workers = Math.max(1, Math.min(o.workers, binding.amount));
  if (workers < o.workers && binding.amount > 0) {
    notes.push({ severity: 'info', message: `${plural(workers, 'worker')} instead of ${o.workers}: ${who} has only ${plural(binding.amount, binding.what)}` });
  }

  const program: ProgramPlan = planProgram(s);
  const foreign = foreignOrigins(program).length > 0;
  const seed = o.seed ?? randomInt(0, 2 ** 32 - 1);
  const target = new URL(s.target);
  const hooksModule = s.hooks === undefined ? undefined : hooksModuleUrl(s.hooks);
  const plans = splitStripe(shard, workers).map((units, w): WorkerPlan => {
    const { load, connections } = shares.worker(units);
    const data: Record<string, DataPlan> = {};
    for (const [name, d] of Object.entries(s.data)) data[name] = shareRows(d, units);
    const wp: WorkerPlan = {
      worker: w,
      workers,
      units,
      seed: workerSeed(seed, unitAt(units, 0)),
      target: { origin: target.origin, host: target.host, pipelining: s.pipelining, timeoutMs: s.timeoutMs },
      program,
      data,
      load,
      foreignConnections: foreign ? connections : 0,
      warmupUsers: Math.min(WARMUP_USERS, connections),
    };
    if (hooksModule !== undefined) wp.hooks = { module: hooksModule };
    return wp;
  });
  return {
    segment: label,
    sequence: formatSequence(placed.sequence),
    fraction: toNumber(segment.to) - toNumber(segment.from),
    requestedWorkers: o.workers,
    workers: plans,
    totals: shares.totals,
    notes,
  };
}
