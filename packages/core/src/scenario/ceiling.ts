/**
 * Load ceilings: the most one worker thread can hold, so that `users: 1e9` or
 * `rate: 1e12` is rejected as bad input instead of growing the process until it
 * runs out of memory. Shared by the scenario validator (with positions) and by
 * quick / execute (naming the flag), overridable with an explicit option
 * (`loadCeiling: false`, CLI `--no-load-ceiling`) or raised per key.
 *
 * The ceilings, per worker thread (documented in docs/scenario.md, "Load ceilings"):
 * - users (closed model): 20 000 virtual users, each with its own connection;
 * - rate (open model): 100 000 iterations/s — well above what a worker can start;
 * - connections (open model): 20 000 sockets;
 * - maxInFlight (open model): 200 000 iterations in flight at once.
 */
import { availableParallelism } from 'node:os';
import type { LoadModel } from './model.js';

/** What one worker thread may be asked for at most (docs/scenario.md, load ceilings). */
export interface LoadCeiling {
  /** Virtual users (count). */
  users: number;
  /** Arrival rate (iterations/s). */
  rate: number;
  /** Connections (count). */
  connections: number;
  /** Iterations in flight (count). */
  maxInFlight: number;
}

export type LoadCeilingKey = keyof LoadCeiling;

/** What one worker thread can hold. */
export const LOAD_CEILING_PER_WORKER: Readonly<LoadCeiling> = Object.freeze({
  users: 20_000,
  rate: 100_000,
  connections: 20_000,
  maxInFlight: 200_000,
});

/** `false` turns the check off; an object raises (or lowers) the per-worker ceiling of some keys. */
export type LoadCeilingOption = Partial<LoadCeiling> | false;

export interface CeilingContext {
  /** Worker threads of the run; default the engine's default (cores - 1, at least 1). */
  workers?: number;
  /** Fraction of the whole load this process runs (a shard of a distributed run); default 1. */
  share?: number;
  ceiling?: LoadCeilingOption;
}

export interface CeilingProblem {
  key: LoadCeilingKey;
  value: number;
  /** The ceiling for the whole load in this process (per worker × workers ÷ share). */
  limit: number;
  problem: string;
  expected: string;
}

const UNITS: Record<LoadCeilingKey, (n: string) => string> = {
  users: (n) => `${n} users`,
  rate: (n) => `a rate of ${n}/s`,
  connections: (n) => `${n} connections`,
  maxInFlight: (n) => `${n} iterations in flight`,
};

function workersOf(ctx: CeilingContext): number {
  return Math.max(1, Math.floor(ctx.workers ?? Math.max(1, availableParallelism() - 1)));
}

const fmt = (n: number): string => (Number.isFinite(n) && Math.abs(n) < 1e15 ? Math.round(n).toLocaleString('en-US') : String(n));

/** Why `value` for `key` is beyond what this machine can hold, or undefined when it is not (or the check is off). */
export function ceilingProblem(key: LoadCeilingKey, value: number, ctx: CeilingContext = {}): CeilingProblem | undefined {
  if (ctx.ceiling === false) return undefined;
  const perWorker = ctx.ceiling?.[key] ?? LOAD_CEILING_PER_WORKER[key];
  const workers = workersOf(ctx);
  const share = ctx.share !== undefined && ctx.share > 0 && ctx.share <= 1 ? ctx.share : 1;
  const limit = (perWorker * workers) / share;
  if (!(value > limit)) return undefined;
  return {
    key,
    value,
    limit,
    problem: `${UNITS[key](fmt(value))} is more than one machine can hold (at most ${fmt(perWorker)} per worker thread × ${workers} worker${workers > 1 ? 's' : ''})`,
    expected: `at most ${fmt(limit)}; split the load over shards, or lift the ceiling explicitly (--no-load-ceiling, option loadCeiling: false)`,
  };
}

/** Every value of a normalised load model beyond the ceiling, with its path in the model (e.g. "load.stages[0].users"). */
export function loadCeilingProblems(load: LoadModel, ctx: CeilingContext = {}): Array<CeilingProblem & { path: string }> {
  const out: Array<CeilingProblem & { path: string }> = [];
  const add = (key: LoadCeilingKey, value: number, path: string): void => {
    const p = ceilingProblem(key, value, ctx);
    if (p) out.push({ ...p, path });
  };
  if (load.model === 'closed') {
    load.stages.forEach((s, i) => add('users', s.users, `load.stages[${i}].users`));
  } else {
    add('rate', load.startRate, 'load.startRate');
    load.stages.forEach((s, i) => add('rate', s.rate, `load.stages[${i}].rate`));
    add('maxInFlight', load.maxInFlight, 'load.maxInFlight');
    add('connections', load.connections, 'load.connections');
  }
  return out;
}
