/**
 * Open model: iterations start at the arrival times of the schedule, whatever
 * the target does (free of coordinated omission: latency counts from the
 * scheduled time). This worker starts the arrivals its plan's units own, each at
 * its time in the whole run's schedule.
 * An arrival that finds the in-flight cap reached is dropped and counted; one
 * started more than LATE_MS after its time is counted late. No arrival starts
 * more than END_GRACE_MS after the load's planned end: those the generator had
 * not started by then are dropped and counted as missed (a generator shortfall).
 */
import { ArrivalSchedule } from '../plan/stages.js';
import { unitAt } from '../plan/stripe.js';
import type { OpenLoadPlan } from '../plan/worker-plan.js';
import { ConnectionPool, type ConnectionOptions } from './connections.js';
import { GRACEFUL_STOP_MS } from './graceful.js';
import { addReadHook } from './http1/fast-client.js';
import { createArrivalTimer, type ArrivalTimer, type ArrivalTimerKind } from './precise-timer.js';
import { IterationRunner } from './runner.js';
import type { WorkerRuntime } from './runtime.js';

export const LATE_MS = 10;
/**
 * How long after the planned end an arrival that was due before it may still start
 * (counted late): a generator stalled for a moment (GC, a busy core) starts its last
 * arrivals a little late rather than dropping them; one that fell behind for longer
 * stops on time.
 */
export const END_GRACE_MS = 250;
/** Arrivals handled per turn of the event loop before yielding to I/O. */
const BATCH = 256;

export interface OpenDriverOptions extends Pick<OpenLoadPlan, 'startRate' | 'stages' | 'arrivals' | 'maxInFlight' | 'connections'> {
  connection: ConnectionOptions;
  /** How the driver waits for the next arrival (precise-timer.ts). Default DEFAULT_ARRIVAL_TIMER. */
  timer?: ArrivalTimerKind;
  /** Called for every arrival started, with how late (ms) it started after its scheduled time. */
  onArrival?: (lateMs: number) => void;
  /**
   * Whether nothing runs in this thread (the precise timer may then block it until the next
   * arrival). Default: no iteration of this driver runs; a worker running other loads beside
   * it passes one that looks at them too.
   */
  threadIdle?: () => boolean;
}

export const DEFAULT_ARRIVAL_TIMER: ArrivalTimerKind = 'precise';

export class OpenDriver {
  private readonly schedule: ArrivalSchedule;
  private readonly idle: Array<IterationRunner> = [];
  private readonly all: Array<IterationRunner> = [];
  private readonly cap: number;
  /** Arrivals this worker owns, and how many of them have come (the next is its j-th). */
  private readonly arrivals: number;
  private j = 0;
  private timer: NodeJS.Immediate | null = null;
  private readonly arrivalTimer: ArrivalTimer;
  private readonly pumpFn = (): void => this.pump();
  private readonly onArrival: ((lateMs: number) => void) | undefined;
  private grace: NodeJS.Timeout | null = null;
  private resolveDone: (() => void) | null = null;
  private readonly removeReadHook: () => void;

  constructor(private readonly rt: WorkerRuntime, o: OpenDriverOptions) {
    this.schedule = new ArrivalSchedule(o.startRate, o.stages);
    // Without a connection (a shard given fewer connections than its parts) no arrival can start.
    this.cap = o.connections > 0 ? o.maxInFlight : 0;
    this.arrivals = o.arrivals;
    // No iteration running: the worker may sleep until the next arrival without delaying a response.
    const timer = createArrivalTimer(o.timer ?? DEFAULT_ARRIVAL_TIMER, o.threadIdle ?? (() => this.idle.length === this.all.length));
    this.arrivalTimer = timer;
    // Under load, arrivals go out on the back of the lean client's socket reads: no extra wake-ups.
    this.removeReadHook = addReadHook(() => timer.poll());
    this.onArrival = o.onArrival;
    rt.pool = new ConnectionPool(o.connection, o.connections);
    rt.activeUsers = () => this.all.length - this.idle.length;
  }

  /** Open the pool's connections before the start. */
  async prepare(): Promise<void> {
    await this.rt.pool!.warm();
  }

  run(): Promise<void> {
    return new Promise((resolve) => {
      this.resolveDone = resolve;
      this.pump();
    });
  }

  private pump(): void {
    this.timer = null;
    if (this.rt.draining) return;
    for (let n = 0; n < BATCH; n++) {
      const at = this.j < this.arrivals ? this.schedule.timeOf(unitAt(this.rt.units, this.j)) : Infinity;
      if (at === Infinity || at >= this.schedule.durationMs) {
        this.drain();
        return;
      }
      // Read the clock per arrival: starting one may take long (a big render), and none may start after the end.
      const t = performance.now() - this.rt.startPerf;
      if (t >= this.schedule.durationMs + END_GRACE_MS) {
        // The load is over: arrivals the generator did not start in time never will (a generator shortfall).
        const missed = this.arrivals - this.j;
        this.rt.scheduled += missed;
        this.rt.dropped += missed;
        this.rt.missed += missed;
        this.j = this.arrivals;
        this.drain();
        return;
      }
      if (at > t) {
        this.arrivalTimer.schedule(this.rt.startPerf + at, this.pumpFn);
        return;
      }
      this.j++;
      this.rt.scheduled++;
      let r = this.idle.pop();
      if (r === undefined && this.all.length < this.cap) {
        r = new IterationRunner(this.rt, unitAt(this.rt.units, this.all.length), true, (x) => this.onIterationEnd(x));
        this.all.push(r);
        this.rt.runners.push(r);
      }
      if (r === undefined) {
        this.rt.dropped++;
        continue;
      }
      this.rt.started++;
      if (t - at > LATE_MS) this.rt.late++;
      this.onArrival?.(t - at);
      r.startIteration(this.rt.startPerf + at);
    }
    // Behind schedule: the rest after the sockets had a turn.
    this.timer = setImmediate(this.pumpFn);
  }

  private onIterationEnd(r: IterationRunner): void {
    this.idle.push(r);
    if (this.rt.draining) this.checkDone();
    // The next arrival may be due, or close enough to sleep until now that nothing is in flight.
    else this.arrivalTimer.poll();
  }

  /** Every arrival has come: iterations still running get GRACEFUL_STOP_MS to finish. */
  private drain(): void {
    if (this.rt.draining) return;
    this.rt.endLoad(this.schedule.durationMs);
    this.rt.draining = true;
    this.grace = setTimeout(() => this.stop(), GRACEFUL_STOP_MS);
    this.checkDone();
  }

  /** Stop now: no new steps; requests in flight finish (bounded by the timeout). */
  stop(): void {
    if (this.timer !== null) clearImmediate(this.timer);
    this.timer = null;
    this.arrivalTimer.cancel();
    this.rt.endLoad(null);
    this.rt.draining = true;
    this.rt.stopping = true;
    this.rt.pool?.drainWaiters();
    for (const r of this.all) r.cancel();
    this.checkDone();
  }

  private checkDone(): void {
    if (this.idle.length < this.all.length) return;
    if (this.grace !== null) clearTimeout(this.grace);
    this.grace = null;
    const done = this.resolveDone;
    this.resolveDone = null;
    done?.();
  }

  async close(): Promise<void> {
    this.removeReadHook();
    this.arrivalTimer.close();
    await this.rt.pool?.close();
  }
}
