/**
 * Per-worker state shared by the runners and the load driver: the compiled
 * program with its steps prepared for dispatch (prepared.ts), the recorders, the
 * interval ticker that ships snapshots to the main thread and the timeout sweep.
 * Runners see it through the small RunnerHost interface (runner.ts).
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import type { Pool } from 'undici';
import type { HookErrorReport, WorkerSnapshot } from '../metrics/snapshot.js';
import type { Stripe } from '../plan/stripe.js';
import type { WorkerPlan } from '../plan/worker-plan.js';
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
  program: CompiledProgram;
  intervalMs: number;
  port: MessagePort;
  /** The imported hooks module (plan.hooks), if any. */
  hooks?: Hooks | null;
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

export class WorkerRuntime {
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
  private readonly hookErrorsSeen = new Set<string>();
  private hookErrors: HookErrorReport[] = [];

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
  private readonly intervalMs: number;
  private readonly port: MessagePort;
  private readonly hostHeaderBytes: number;
  private tick = 0;
  private tickTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private elu = performance.eventLoopUtilization();
  private readonly lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor(private readonly o: RuntimeOptions) {
    this.program = o.program;
    this.units = o.plan.units;
    this.intervalMs = o.intervalMs;
    this.port = o.port;
    this.hostHeaderBytes = `host: ${o.plan.target.host}\r\n`.length;
    const h = o.hooks ?? null;
    this.hooks =
      h === null
        ? null
        : {
            beforeFlow: h.beforeFlow,
            beforeRequest: h.beforeRequest,
            afterResponse: h.afterResponse,
            data: o.plan.hooks?.data,
            worker: o.plan.worker,
            failed: (hook, err) => this.hookFailed(hook, err),
          };
    this.flows = prepareFlows(o.program, {
      hostHeaderBytes: this.hostHeaderBytes,
      foreignConnections: o.plan.foreignConnections,
      recorderFor: (name) => this.recorderFor(name),
      foreignPools: this.foreignPools,
      hooks: h === null ? undefined : { afterResponse: h.afterResponse !== undefined },
    });
  }

  /** Keep the first error of each hook, with its stack, for the next snapshot. */
  private hookFailed(hook: WorkerHookName, err: unknown): void {
    if (this.hookErrorsSeen.has(hook)) return;
    this.hookErrorsSeen.add(hook);
    const message = err instanceof Error ? `${err.name}: ${err.message}` : `threw ${typeof err === 'string' ? JSON.stringify(err) : String(err)}`;
    const report: HookErrorReport = { hook, worker: this.o.plan.worker, message };
    const stack = hookStack(err);
    if (stack !== undefined) report.stack = stack;
    this.hookErrors.push(report);
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

  /** Start the interval ticker and the timeout sweep. */
  startTimers(startEpoch: number): void {
    this.lag.enable();
    const nextTick = (): void => {
      const due = startEpoch + (this.tick + 1) * this.intervalMs;
      this.tickTimer = setTimeout(
        () => {
          this.port.postMessage(this.snapshot(false));
          this.tick++;
          nextTick();
        },
        Math.max(0, due - (performance.timeOrigin + performance.now())),
      );
    };
    nextTick();
    this.sweepTimer = setInterval(() => this.sweep(), 100);
  }

  private sweep(): void {
    const now = performance.now();
    for (const r of this.runners) {
      const x = r.exchange;
      if (x.inFlight && now - x.originAt > x.timeoutMs) x.abort(new RequestTimeoutError());
    }
    this.pool?.sweep(now, this.o.plan.target.timeoutMs);
  }

  snapshot(final: boolean): WorkerSnapshot {
    const requests: WorkerSnapshot['requests'] = {};
    for (const [name, r] of this.recorders) if (!r.isEmpty()) requests[name] = r.drain();
    const flows: WorkerSnapshot['flows'] = {};
    for (const f of this.flows) if (f.recorder.iterations > 0) flows[f.name] = f.recorder.drain();
    const elu = performance.eventLoopUtilization(this.elu);
    this.elu = performance.eventLoopUtilization();
    const lagMs = this.lag.count > 0 ? this.lag.percentile(99) / 1e6 : 0;
    this.lag.reset();
    const snap: WorkerSnapshot = {
      type: 'snapshot',
      worker: this.o.plan.worker,
      tick: this.tick,
      at: performance.timeOrigin + performance.now(),
      final,
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
      cpu: elu.utilization,
      eventLoopLagMs: lagMs,
    };
    if (this.hookErrors.length > 0) {
      snap.hookErrors = this.hookErrors;
      this.hookErrors = [];
    }
    this.scheduled = this.started = this.dropped = this.missed = this.late = 0;
    return snap;
  }

  /** Stop timers and return the final snapshot (the partial last tick). */
  finish(): WorkerSnapshot {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.lag.disable();
    return this.snapshot(true);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.foreignPools.values()].map((p) => p.destroy()));
  }
}
