/**
 * The state of one load in a worker, shared by its runners and its driver: the
 * compiled program with its steps prepared for dispatch (prepared.ts), the
 * recorders, the open-model counters and the timeout sweep of its runners. A
 * worker running several loads side by side has one runtime per load; its ticker
 * (ticker.ts) ships their sections in one snapshot per interval.
 * Runners see it through the small RunnerHost interface (runner.ts).
 */
import { performance } from 'node:perf_hooks';
import type { Pool } from 'undici';
import type { HookErrorReport, LoadSnapshot } from '../metrics/snapshot.js';
import type { Stripe } from '../plan/stripe.js';
import type { LoadSharePlan, WorkerPlan } from '../plan/worker-plan.js';
import type { CompiledProgram } from '../plan/worker-program.js';
import type { ConnectionPool } from './connections.js';
import { RequestTimeoutError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { WorkerHooks } from './hook-calls.js';
import type { Hooks, WorkerHookName } from './hooks.js';
import { prepareFlows, requestBytes, type PreparedFlow } from './prepared.js';
import { CheckRecorder, DelayRecorder, RequestRecorder } from './recorder.js';

/** What the runtime needs of a runner: its exchange, to time it out or abort it. */
export interface InFlight {
  readonly exchange: Exchange;
}

export interface RuntimeOptions {
  plan: WorkerPlan;
  /** The load this runtime runs: one of `plan.shares`. */
  share: LoadSharePlan;
  program: CompiledProgram;
  /** The imported hooks module (plan.hooks), if any: imported once per worker, shared by its runtimes. */
  hooks?: Hooks | null;
  /** Where hook errors go: one log per worker, shared by its runtimes (the first error of each hook). */
  hookErrors?: HookErrorLog;
}

/** An error's stack without loadctl's own frames (the engine's and node's internals). */
function hookStack(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  if (stack === undefined) return undefined;
  const engineDir = new URL('.', import.meta.url).href;
  return stack
    .split('\n')
    .filter((l) => !l.includes(engineDir) && !l.includes('node:internal'))
    .join('\n');
}

/** The first error of each hook in one worker (shared by the worker's runtimes), until the next snapshot takes them. */
export class HookErrorLog {
  private readonly seen = new Set<string>();
  private pending: HookErrorReport[] = [];

  constructor(private readonly worker: number) {}

  failed(hook: WorkerHookName, err: unknown): void {
    if (this.seen.has(hook)) return;
    this.seen.add(hook);
    const message = err instanceof Error ? `${err.name}: ${err.message}` : `threw ${typeof err === 'string' ? JSON.stringify(err) : String(err)}`;
    const report: HookErrorReport = { hook, worker: this.worker, message };
    const stack = hookStack(err);
    if (stack !== undefined) report.stack = stack;
    this.pending.push(report);
  }

  /** The errors not reported yet (empty when none). */
  take(): HookErrorReport[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

export class WorkerRuntime {
  /** The load's name (side-by-side loads); undefined for a one-load scenario. */
  readonly name: string | undefined;
  readonly program: CompiledProgram;
  readonly flows: PreparedFlow[];
  readonly checks = new CheckRecorder();
  readonly generatorDelay = new DelayRecorder();
  /** performance.now() of this thread at which the run started (set at the common start). */
  startPerf = 0;
  /** The global units (users, arrivals, iterations) this worker owns: its runners' and iterations' ids. */
  readonly units: Stripe;
  pool: ConnectionPool | null = null;
  /** The load is over: no new iterations; running ones may finish (graceful stop). */
  draining = false;
  /** Stopped: no new steps either; requests in flight still complete (or time out). */
  stopping = false;
  /** Runners to sweep for timeouts and to abort on interrupt. */
  readonly runners: InFlight[] = [];
  activeUsers: () => number = () => 0;
  /** The scenario's JavaScript hooks; null without. */
  readonly hooks: WorkerHooks | null;

  // open-model counters of the current tick
  scheduled = 0;
  started = 0;
  dropped = 0;
  /** Of `dropped`: arrivals the generator had not started when the load ended (a generator shortfall). */
  missed = 0;
  late = 0;
  /** Epoch ms at which this worker stopped starting iterations (0: not yet). */
  loadEndedAt = 0;

  private readonly recorders = new Map<string, RequestRecorder>();
  private readonly foreignPools = new Map<string, Pool>();
  private readonly hostHeaderBytes: number;

  constructor(private readonly o: RuntimeOptions) {
    this.name = o.share.name;
    this.program = o.program;
    this.units = o.share.units;
    this.hostHeaderBytes = `host: ${o.plan.target.host}\r\n`.length;
    const h = o.hooks ?? null;
    const log = o.hookErrors ?? new HookErrorLog(o.plan.worker);
    this.hooks =
      h === null
        ? null
        : {
            beforeFlow: h.beforeFlow,
            beforeRequest: h.beforeRequest,
            afterResponse: h.afterResponse,
            data: o.plan.hooks?.data,
            worker: o.plan.worker,
            failed: (hook, err) => log.failed(hook, err),
          };
    this.flows = prepareFlows(o.program, {
      hostHeaderBytes: this.hostHeaderBytes,
      foreignConnections: o.share.foreignConnections,
      recorderFor: (name) => this.recorderFor(name),
      foreignPools: this.foreignPools,
      hooks: h === null ? undefined : { afterResponse: h.afterResponse !== undefined },
    });
  }

  private recorderFor(name: string): RequestRecorder {
    let r = this.recorders.get(name);
    if (!r) {
      r = new RequestRecorder();
      this.recorders.set(name, r);
    }
    return r;
  }

  /** Bytes a request puts on the wire (request line, headers, body), close to exact. */
  requestBytes(method: string, path: string, headers: string[], body: string | null): number {
    return requestBytes(this.hostHeaderBytes, method, path, headers, body);
  }

  /**
   * No more iterations start: the load is over. When it ended as planned, the load window
   * reaches at least the planned end (the last arrival of an open model comes just before it).
   */
  endLoad(plannedEndMs: number | null): void {
    if (this.loadEndedAt > 0) return;
    const now = performance.now();
    const end = plannedEndMs === null ? now : Math.max(now, this.startPerf + plannedEndMs);
    this.loadEndedAt = performance.timeOrigin + end;
  }

  /** Time out requests in flight longer than their timeout, and connection waits. */
  sweep(now: number): void {
    for (const r of this.runners) {
      const x = r.exchange;
      if (x.inFlight && now - x.originAt > x.timeoutMs) x.abort(new RequestTimeoutError());
    }
    this.pool?.sweep(now, this.o.plan.target.timeoutMs);
  }

  /** This load's part of the tick's snapshot; its counters start again from 0. */
  section(): LoadSnapshot {
    const requests: LoadSnapshot['requests'] = {};
    for (const [name, r] of this.recorders) if (!r.isEmpty()) requests[name] = r.drain();
    const flows: LoadSnapshot['flows'] = {};
    for (const f of this.flows) if (f.recorder.iterations > 0) flows[f.name] = f.recorder.drain();
    const out: LoadSnapshot = {
      requests,
      flows,
      checks: this.checks.drain(),
      generatorDelay: this.generatorDelay.drain(),
      activeUsers: this.activeUsers(),
      scheduled: this.scheduled,
      started: this.started,
      dropped: this.dropped,
      missed: this.missed,
      late: this.late,
      loadEndedAt: this.loadEndedAt,
    };
    this.scheduled = this.started = this.dropped = this.missed = this.late = 0;
    return out;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.foreignPools.values()].map((p) => p.destroy()));
  }
}
