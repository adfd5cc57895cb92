/**
 * A worker's interval ticker: on the common tick grid it ships one WorkerSnapshot with
 * what each of its loads measured (their runtimes' sections) and the thread's CPU use and
 * event-loop lag, and it sweeps the runtimes for timed-out requests.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import type { LoadSnapshot, WorkerSnapshot } from '../metrics/snapshot.js';
import { SparseSum } from '../metrics/sparse.js';
import type { HookErrorLog, WorkerRuntime } from './runtime.js';

export interface TickerOptions {
  worker: number;
  intervalMs: number;
  port: MessagePort;
  /** One per load the worker runs; one without a name for a one-load scenario. */
  runtimes: readonly WorkerRuntime[];
  /** The worker's hook errors (shared by its runtimes), shipped with the next snapshot. */
  hookErrors?: HookErrorLog;
}

/**
 * The flat snapshot fields of several loads: counters summed, generator delays added
 * (through `delays`, a reused tally); the load ended when every one has.
 */
function combined(sections: readonly LoadSnapshot[], delays: SparseSum): LoadSnapshot {
  const out: LoadSnapshot = { requests: {}, flows: {}, checks: {}, generatorDelay: new Float64Array(0), activeUsers: 0, scheduled: 0, started: 0, dropped: 0, missed: 0, late: 0, loadEndedAt: 0 };
  let ended = true;
  delays.clear();
  for (const s of sections) {
    delays.add(s.generatorDelay);
    out.activeUsers += s.activeUsers;
    out.scheduled += s.scheduled;
    out.started += s.started;
    out.dropped += s.dropped;
    out.missed += s.missed;
    out.late += s.late;
    if (s.loadEndedAt === 0) ended = false;
    out.loadEndedAt = Math.max(out.loadEndedAt, s.loadEndedAt);
  }
  if (!ended) out.loadEndedAt = 0;
  if (delays.count > 0) out.generatorDelay = delays.toSparse();
  delays.clear();
  return out;
}

export class WorkerTicker {
  private tick = 0;
  private tickTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private elu = performance.eventLoopUtilization();
  private readonly lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  /** Adds the loads' generator delays (side-by-side loads only). */
  private delays: SparseSum | null = null;

  constructor(private readonly o: TickerOptions) {}

  /** Start the interval ticker and the timeout sweep. */
  start(startEpoch: number): void {
    this.lag.enable();
    const nextTick = (): void => {
      const due = startEpoch + (this.tick + 1) * this.o.intervalMs;
      this.tickTimer = setTimeout(
        () => {
          this.o.port.postMessage(this.snapshot(false));
          this.tick++;
          nextTick();
        },
        Math.max(0, due - (performance.timeOrigin + performance.now())),
      );
    };
    nextTick();
    this.sweepTimer = setInterval(() => {
      const now = performance.now();
      for (const rt of this.o.runtimes) rt.sweep(now);
    }, 100);
  }

  snapshot(final: boolean): WorkerSnapshot {
    const rts = this.o.runtimes;
    const one = rts.length === 1 && rts[0].name === undefined;
    let load: LoadSnapshot;
    let loads: Record<string, LoadSnapshot> | undefined;
    if (one) load = rts[0].section();
    else {
      loads = {};
      for (const rt of rts) loads[rt.name ?? ''] = rt.section();
      this.delays ??= new SparseSum();
      load = combined(Object.values(loads), this.delays);
    }
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
      ...load,
      cpu: elu.utilization,
      eventLoopLagMs: lagMs,
    };
    if (loads !== undefined) snap.loads = loads;
    const hookErrors = this.o.hookErrors?.take() ?? [];
    if (hookErrors.length > 0) snap.hookErrors = hookErrors;
    return snap;
  }

  /** Stop the timers and return the final snapshot (the partial last tick). */
  finish(): WorkerSnapshot {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.lag.disable();
    return this.snapshot(true);
  }
}
