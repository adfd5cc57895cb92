/**
 * Per-worker state shared by the runners and the load driver: the compiled
 * program with its steps prepared for dispatch, the recorders, the interval
 * ticker that ships snapshots to the main thread and the timeout sweep.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import { Pool, type Dispatcher } from 'undici';
import type { Segment } from '../plan/segment.js';
import type { CompiledScenario, CompiledStep } from '../plan/compile.js';
import type { Scenario, Step, ThinkTime } from '../scenario/model.js';
import type { ConnectionPool } from './connections.js';
import { RequestTimeoutError } from './errors.js';
import { CheckRecorder, FlowRecorder, RequestRecorder } from './recorder.js';
import type { WorkerSnapshot } from '../metrics/snapshot.js';
import type { IterationRunner } from './runner.js';

export interface PreparedStep {
  step: CompiledStep;
  recorder: RequestRecorder;
  /** Captures or checks to run on the response. */
  hasEvaluation: boolean;
  /** A pool for a step whose absolute URL points at another origin than the target; null for the target. */
  foreign: Dispatcher | null;
  /** Built once when the step is static: the same object is dispatched every time. */
  staticOpts: Dispatcher.DispatchOptions | null;
  staticBytesOut: number;
  timeoutMs: number;
}

export interface PreparedFlow {
  name: string;
  steps: PreparedStep[];
  /** Every step prebuilt, nothing captured or checked, no data rows: iterations need no context of their own. */
  stateless: boolean;
  recorder: FlowRecorder;
  pace?: ThinkTime;
}

export interface RuntimeOptions {
  scenario: Scenario;
  program: CompiledScenario;
  segment: Segment;
  worker: number;
  intervalMs: number;
  port: MessagePort;
  hostHeader: string;
}

export class WorkerRuntime {
  readonly program: CompiledScenario;
  readonly flows: PreparedFlow[];
  readonly checks = new CheckRecorder();
  /** performance.now() of this thread at which the run started (set at the common start). */
  startPerf = 0;
  readonly segment: Segment;
  pool: ConnectionPool | null = null;
  /** The load is over: no new iterations; running ones may finish (graceful stop). */
  draining = false;
  /** Stopped: no new steps either; requests in flight still complete (or time out). */
  stopping = false;
  /** Runners to sweep for timeouts and to cancel on stop. */
  readonly runners: IterationRunner[] = [];
  activeUsers: () => number = () => 0;

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
    this.segment = o.segment;
    this.intervalMs = o.intervalMs;
    this.port = o.port;
    this.hostHeaderBytes = `host: ${o.hostHeader}\r\n`.length;
    this.flows = o.program.flows.map((f, i) => {
      const steps = f.steps.map((step, j) => this.prepare(step, o.scenario.flows[i].steps[j]));
      const stateless = f.dataSources.length === 0 && steps.every((p) => p.staticOpts !== null && !p.hasEvaluation);
      return { name: f.name, pace: f.pace, recorder: new FlowRecorder(), steps, stateless };
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

  private prepare(step: CompiledStep, source: Step): PreparedStep {
    let staticOpts: Dispatcher.DispatchOptions | null = null;
    let staticBytesOut = 0;
    if (step.isStatic && step.staticRequest !== undefined) {
      const r = step.staticRequest;
      staticOpts = { path: r.path, method: step.method as Dispatcher.HttpMethod, headers: r.headers, body: r.body, blocking: false };
      staticBytesOut = this.requestBytes(step.method, r.path, r.headers, r.body);
    }
    const hasEvaluation = source.captures.length > 0 || source.checks.length > 0;
    let foreign: Pool | null = null;
    if (step.origin !== new URL(this.o.scenario.target).origin) {
      foreign = this.foreignPools.get(step.origin) ?? null;
      if (foreign === null) {
        const t = step.timeoutMs;
        foreign = new Pool(step.origin, { connections: 64, connectTimeout: Math.min(t, 10_000), headersTimeout: t, bodyTimeout: t });
        this.foreignPools.set(step.origin, foreign);
      }
    }
    return { step, recorder: this.recorderFor(step.name), hasEvaluation, foreign, staticOpts, staticBytesOut, timeoutMs: step.timeoutMs };
  }

  /** Bytes a request puts on the wire (request line, headers, body), close to exact. */
  requestBytes(method: string, path: string, headers: string[], body: string | null): number {
    let n = method.length + path.length + 12 + this.hostHeaderBytes + 2;
    for (let i = 0; i < headers.length; i++) n += headers[i].length + 2;
    if (body !== null) {
      const len = Buffer.byteLength(body);
      n += len + `content-length: ${len}\r\n`.length;
    }
    return n;
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
    this.pool?.sweep(now, this.o.scenario.timeoutMs);
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
      worker: this.o.worker,
      tick: this.tick,
      at: performance.timeOrigin + performance.now(),
      final,
      requests,
      flows,
      checks: this.checks.drain(),
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
