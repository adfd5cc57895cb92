/**
 * The main thread's Aggregator: merges the workers' snapshots tick by tick into
 * Intervals (emitted in order, once every live worker has reported the tick)
 * and keeps the cumulative stats per request name and flow, losslessly.
 */
import type { WorkerSnapshot } from './snapshot.js';
import { AccumulatorMap, FlowAccumulator, RequestAccumulator, addCheckCounts } from './accumulator.js';
import type { CheckCounts, Interval } from './model.js';

interface TickState {
  reported: Set<number>;
  requests: AccumulatorMap<RequestAccumulator>;
  flows: AccumulatorMap<FlowAccumulator>;
  checks: CheckCounts;
  activeUsers: number;
  scheduled: number;
  started: number;
  dropped: number;
  late: number;
  cpu: number;
  lag: number;
  /** Latest snapshot time: the end of a partial (last) tick. */
  at: number;
}

export interface IntervalContext {
  /** Requested arrival rate over [startMs, endMs) since the run start (open model). */
  targetRate?(startMs: number, endMs: number): number;
  stageAt?(elapsedMs: number): string | undefined;
}

export class Aggregator {
  readonly requests = new AccumulatorMap(() => new RequestAccumulator());
  readonly flows = new AccumulatorMap(() => new FlowAccumulator());
  readonly checks: CheckCounts = {};
  dropped = 0;
  late = 0;
  /** Epoch ms of the latest snapshot: when the workers last measured anything. */
  lastSnapshotAt = 0;
  readonly timeline: Interval[] = [];

  private readonly pending = new Map<number, TickState>();
  /** Worker -> tick of its final snapshot. */
  private readonly finishedAt = new Map<number, number>();
  private nextTick = 0;
  private startEpoch = 0;

  constructor(
    private readonly workers: number,
    private readonly intervalMs: number,
    private readonly ctx: IntervalContext,
    private readonly onInterval: (i: Interval) => void,
  ) {}

  start(startEpoch: number): void {
    this.startEpoch = startEpoch;
  }

  private state(tick: number): TickState {
    let s = this.pending.get(tick);
    if (!s) {
      s = {
        reported: new Set(),
        requests: new AccumulatorMap(() => new RequestAccumulator()),
        flows: new AccumulatorMap(() => new FlowAccumulator()),
        checks: {},
        activeUsers: 0,
        scheduled: 0,
        started: 0,
        dropped: 0,
        late: 0,
        cpu: 0,
        lag: 0,
        at: 0,
      };
      this.pending.set(tick, s);
    }
    return s;
  }

  add(snap: WorkerSnapshot): void {
    const s = this.state(snap.tick);
    s.reported.add(snap.worker);
    for (const name in snap.requests) s.requests.get(name).addRaw(snap.requests[name]);
    for (const name in snap.flows) s.flows.get(name).addRaw(snap.flows[name]);
    addCheckCounts(s.checks, snap.checks);
    s.activeUsers += snap.activeUsers;
    s.scheduled += snap.scheduled;
    s.started += snap.started;
    s.dropped += snap.dropped;
    s.late += snap.late;
    s.cpu = Math.max(s.cpu, snap.cpu);
    s.lag = Math.max(s.lag, snap.eventLoopLagMs);
    s.at = Math.max(s.at, snap.at);
    this.lastSnapshotAt = Math.max(this.lastSnapshotAt, snap.at);
    if (snap.final) this.finishedAt.set(snap.worker, snap.tick);
    this.emitReady(false, 0);
  }

  /** A worker that died: do not wait for it any more. */
  workerLost(worker: number): void {
    if (!this.finishedAt.has(worker)) this.finishedAt.set(worker, this.nextTick - 1);
    this.emitReady(false, 0);
  }

  private complete(tick: number, s: TickState): boolean {
    for (let w = 0; w < this.workers; w++) {
      const fin = this.finishedAt.get(w);
      if (fin !== undefined && fin < tick) continue;
      if (!s.reported.has(w)) return false;
    }
    return true;
  }

  private emitReady(force: boolean, endEpoch: number): void {
    for (;;) {
      const s = this.pending.get(this.nextTick);
      if (!s) {
        if (!force) return;
        // Skip empty ticks only when forced and later ones exist.
        const later = [...this.pending.keys()].filter((k) => k > this.nextTick);
        if (later.length === 0) return;
        this.nextTick = Math.min(...later);
        continue;
      }
      if (!force && !this.complete(this.nextTick, s)) return;
      this.pending.delete(this.nextTick);
      this.emit(this.nextTick, s, endEpoch);
      this.nextTick++;
    }
  }

  /** Emit whatever is pending (end of run), the last interval ending at `endEpoch`. */
  finish(endEpoch: number): void {
    this.emitReady(true, endEpoch);
  }

  private emit(tick: number, s: TickState, endEpoch: number): void {
    const start = this.startEpoch + tick * this.intervalMs;
    let end = start + this.intervalMs;
    if (s.at > 0 && s.at < end) end = s.at;
    if (endEpoch > 0 && endEpoch < end) end = endEpoch;
    end = Math.max(start + 1, end);
    const seconds = (end - start) / 1000;
    const total = new RequestAccumulator();
    for (const [name, acc] of s.requests.byName) {
      total.add(acc);
      this.requests.get(name).add(acc);
    }
    for (const [name, acc] of s.flows.byName) this.flows.get(name).add(acc);
    addCheckCounts(this.checks, s.checks);
    this.dropped += s.dropped;
    this.late += s.late;
    const startMs = start - this.startEpoch;
    const endMs = end - this.startEpoch;
    const interval: Interval = {
      index: tick,
      start,
      end,
      elapsedMs: endMs,
      total: total.toStats(),
      requests: s.requests.map((a) => a.toStats()),
      flows: s.flows.map((a) => a.toStats()),
      checks: s.checks,
      rps: total.count / seconds,
      activeUsers: s.activeUsers,
      dropped: s.dropped,
      late: s.late,
      stage: this.ctx.stageAt?.(endMs - 1),
      generator: { cpu: s.cpu, eventLoopLagMs: s.lag },
    };
    if (this.ctx.targetRate) {
      interval.targetRate = this.ctx.targetRate(startMs, endMs);
      interval.achievedRate = s.started / seconds;
    }
    total.destroy();
    s.requests.destroy();
    s.flows.destroy();
    this.timeline.push(interval);
    this.onInterval(interval);
  }

  /** Cumulative total over all request names. */
  totalAccumulator(): RequestAccumulator {
    const total = new RequestAccumulator();
    for (const acc of this.requests.byName.values()) total.add(acc);
    return total;
  }
}
