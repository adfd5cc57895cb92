/**
 * What each worker runs: plain data (structured-cloned to its thread), computed on
 * the main thread before any worker starts. A worker compiles its program from it
 * and recomputes no share.
 */
import type { OpenStage } from '../scenario/model.js';
import type { ProgramPlan } from './program.js';
import type { UserStep } from './stages.js';
import type { Stripe } from './stripe.js';

export interface ClosedLoadPlan {
  model: 'closed';
  /** Length of the load (ms). */
  durationMs: number;
  /** This worker's user count over time: its share of the whole run's user steps (spawn rates included). */
  users: UserStep[];
  /** This worker's share of each stage's target users (for display). */
  stageUsers: number[];
  /** This worker's share of the whole run's iteration bound (quick -n); undefined = by duration. */
  iterations?: number;
}

export interface OpenLoadPlan {
  model: 'open';
  /** Length of the load (ms). */
  durationMs: number;
  /** The whole run's arrival schedule; the worker starts the arrivals its `units` own, at their global times. */
  startRate: number;
  stages: OpenStage[];
  /** Arrivals this worker owns in all. */
  arrivals: number;
  /** Iterations this worker may have in flight; beyond it its arrivals are dropped (counted). */
  maxInFlight: number;
  /** Connections this worker opens toward the target (0: it can start none of its arrivals; they count as dropped). */
  connections: number;
}

export interface DataPlan {
  order: 'sequential' | 'random';
  /** Sequential: the rows this worker reads, in order (its stripe; it wraps). Random: every row. */
  rows: Array<Record<string, string>>;
}

/**
 * One worker's share of one load: what one driver of the worker runs. A scenario with
 * loads side by side gives a worker a share of each load it runs (a load with fewer
 * units than workers runs on fewer of them).
 */
export interface LoadSharePlan {
  /** The load's name (`loads:`); undefined for a one-load scenario (its snapshots keep the flat shape). */
  name?: string;
  /**
   * The load's global units this worker owns: user i (its virtual users' ids), arrival i,
   * iteration i (its iterations' ids), connection i, data row i. Each load numbers its own.
   */
  units: Stripe;
  /** Seed of this share's PRNG. */
  seed: number;
  program: ProgramPlan;
  data: Record<string, DataPlan>;
  load: ClosedLoadPlan | OpenLoadPlan;
  /** Connections of this share's pool to each origin other than the target: its share of the target's. */
  foreignConnections: number;
  /** Users of this share's unmeasured warm-up: its connections, at most 50. */
  warmupUsers: number;
}

export interface WorkerPlan {
  /** 0-based worker number within this process. */
  worker: number;
  /** Worker threads of this process. */
  workers: number;
  target: {
    origin: string;
    /** Host header (for counting request bytes). */
    host: string;
    /** HTTP pipelining depth per connection. */
    pipelining: number;
    /** Default per-request timeout (ms; also for waiting for a connection). */
    timeoutMs: number;
  };
  /** Its share of each load it runs, in the scenario's order (one for a one-load scenario); all start at the common start. */
  shares: LoadSharePlan[];
  /** The scenario's JavaScript hooks: the module each worker imports once for all its shares, and what `setup()` returned (filled in by the run). */
  hooks?: HooksPlan;
}

/** Hooks travel as a module URL (functions cannot cross threads) and the setup data (structured-cloned). */
export interface HooksPlan {
  /** file: URL of the hooks module. */
  module: string;
  /** What `setup()` returned; undefined without setup. */
  data?: unknown;
}

export interface Plan {
  /** This process's part of the whole, as formatSegment writes it ("1/1": all of it). */
  segment: string;
  /** The sequence the segment was planned in ("0,1/4,1/2,3/4,1"). */
  sequence: string;
  /** The segment's length: the fraction of the whole run this process runs (ratio 0..1; 1 for all of it). */
  fraction: number;
  /** Worker threads asked for. */
  requestedWorkers: number;
  workers: WorkerPlan[];
  /** This process's shares of the whole run: the sums of its workers' shares (of every load). */
  totals: PlanTotals;
  /** Side-by-side loads: this process's totals of each load. */
  loadTotals?: Record<string, PlanTotals>;
  /** What the run should tell the user about the plan (fewer workers than asked, an empty share). */
  notes: PlanNote[];
}

export interface PlanNote {
  /** 'warn' when part of the load cannot be sent as asked. */
  severity: 'info' | 'warn';
  message: string;
}

export interface PlanTotals {
  /** Closed: peak users; open: connections. */
  connections: number;
  /** Closed model: peak users (count). */
  users?: number;
  /** Closed model with an iteration bound: iterations (count). */
  iterations?: number;
  /** Open model: arrivals of the whole schedule (count). */
  arrivals?: number;
  /** Open model: iterations allowed in flight (count). */
  maxInFlight?: number;
}
