/**
 * The main thread's Aggregator: merges the workers' snapshots tick by tick into
 * Intervals (emitted in order, once every live worker has reported the tick)
 * and keeps the cumulative stats per request name and flow, losslessly. It keeps
 * no timeline: each Interval is handed to `onInterval` and forgotten, so its
 * memory does not grow with the run's length.
 *
 * Per-second figures divide by the interval's real length. A last interval shorter
 * than FOLD_FRACTION of an interval (the run ended just after a tick) is folded into
 * the one before, so that 2 requests in 12 ms never show as 160 req/s: an interval
 * that may be followed by such a tail (near the planned end, after a stop, or in a run
 * whose end is not planned) is held back until the next one is known.
 */
import type { WorkerSnapshot } from './snapshot.js';
import { AccumulatorMap, FlowAccumulator, RequestAccumulator, addCheckCounts, zeroCounters } from './accumulator.js';
import { addSparse, createCumulativeHistogram, createHistogram, encodeHistogram, type Histogram, type SparseCounts } from './histogram.js';
import { SparseSum, summarizeSparse } from './sparse.js';
import { TickFlow, TickMap, TickRequest } from './tick.js';
import type { CheckCounts, Interval } from './model.js';

interface TickState {
  reported: Set<number>;
  requests: TickMap<TickRequest>;
  flows: TickMap<TickFlow>;
  checks: CheckCounts;
  activeUsers: number;
  scheduled: number;
  started: number;
  dropped: number;
  missed: number;
  late: number;
  cpu: number;
  lag: number;
  /** Generator delay (µs) of the tick's requests sent: the workers' sparse counts. */
  delay: SparseCounts[];
  /** Latest snapshot time: the end of a partial (last) tick. */
  at: number;
  /** Ticks this state covers (2 when a short last tick was folded in). */
  ticks: number;
}

/** A last interval shorter than this fraction of an interval is folded into the previous one. */
export const FOLD_FRACTION = 0.2;

export interface IntervalContext {
  /** Requested arrival rate over [startMs, endMs) since the run start (open model). */
  targetRate?(startMs: number, endMs: number): number;
  stageAt?(elapsedMs: number): string | undefined;
  /** Planned length of the load (ms); undefined when the end is not planned (count-bounded runs). */
  plannedDurationMs?: number;
  /**
   * Intervals starting before this (ms since the run start) are emitted and kept in
   * the timeline but left out of the cumulative stats (a warm-up). Default 0.
   */
  excludeBeforeMs?: number;
}

export class Aggregator {
  /** Cumulative over the run: 64-bit histogram counts (a 24 h run overflows 32-bit buckets). */
  readonly requests = new AccumulatorMap(() => new RequestAccumulator(true));
  readonly flows = new AccumulatorMap(() => new FlowAccumulator(true));
  /** Cumulative over all request names, kept as the ticks come (64-bit counts). */
  private readonly total = new RequestAccumulator(true);
  readonly checks: CheckCounts = {};
  /** Generator delay (µs) over the measured intervals, all request names (64-bit counts). */
  readonly generatorDelay: Histogram = createCumulativeHistogram();
  dropped = 0;
  missed = 0;
  late = 0;
  /** Epoch ms of the latest snapshot: when the workers last measured anything. */
  lastSnapshotAt = 0;
  /** Epoch ms at which the last worker stopped starting iterations (0: not reported). */
  loadEndedAt = 0;
  /** Intervals emitted so far. */
  emitted = 0;

  private readonly pending = new Map<number, TickState>();
  /** Scratch for the interval summaries, and the histogram that encodes the interval's total latency. */
  private readonly tally = new SparseSum();
  private encoder: Histogram | null = null;
  /** Worker -> tick of its final snapshot. */
  private readonly finishedAt = new Map<number, number>();
  private nextTick = 0;
  private startEpoch = 0;
  /** A complete interval not emitted yet: a short last tick may still be folded into it. */
  private held: { tick: number; s: TickState } | null = null;
  /** The run was told to stop: its end can come at any time. */
  private stopping = false;

  constructor(
    private readonly workers: number,
    private readonly intervalMs: number,
    private readonly ctx: IntervalContext,
    private readonly onInterval: (i: Interval) => void,
  ) {}

  start(startEpoch: number): void {
    this.startEpoch = startEpoch;
  }

  /** The run is stopping (interrupt, abort): from now on every interval may be the last. */
  stop(): void {
    this.stopping = true;
  }

  private state(tick: number): TickState {
    let s = this.pending.get(tick);
    if (!s) {
      s = {
        reported: new Set(),
        requests: new TickMap(() => new TickRequest()),
        flows: new TickMap(() => new TickFlow()),
        checks: {},
        activeUsers: 0,
        scheduled: 0,
        started: 0,
        dropped: 0,
        missed: 0,
        late: 0,
        cpu: 0,
        lag: 0,
        delay: [],
        at: 0,
        ticks: 1,
      };
      this.pending.set(tick, s);
    }
    return s;
  }

  add(snap: WorkerSnapshot): void {
    const s = this.state(snap.tick);
    s.reported.add(snap.worker);
    for (const name in snap.requests) s.requests.get(name).add(snap.requests[name]);
    for (const name in snap.flows) s.flows.get(name).add(snap.flows[name]);
    addCheckCounts(s.checks, snap.checks);
    if (snap.generatorDelay.length > 0) s.delay.push(snap.generatorDelay);
    s.activeUsers += snap.activeUsers;
    addTickCounters(s, { ...snap, lag: snap.eventLoopLagMs });
    this.lastSnapshotAt = Math.max(this.lastSnapshotAt, snap.at);
    this.loadEndedAt = Math.max(this.loadEndedAt, snap.loadEndedAt);
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
      const last = force ? ![...this.pending.keys()].some((k) => k > this.nextTick) : this.isLast(this.nextTick);
      this.ready(this.nextTick, s, last, endEpoch);
      this.nextTick++;
    }
  }

  /** Every worker has sent its final snapshot, none for a later tick. */
  private isLast(tick: number): boolean {
    if (this.finishedAt.size < this.workers) return false;
    for (const fin of this.finishedAt.values()) if (fin > tick) return false;
    return true;
  }

  /** A complete tick: fold it into the held one if it is a short last tail, else emit what can be. */
  private ready(tick: number, s: TickState, last: boolean, endEpoch: number): void {
    const held = this.held;
    this.held = null;
    if (held !== null) {
      const start = this.startEpoch + tick * this.intervalMs;
      if (last && held.tick === tick - 1 && this.endOf(tick, s, endEpoch) - start < FOLD_FRACTION * this.intervalMs) {
        mergeTick(held.s, s);
        this.emit(held.tick, held.s, endEpoch);
        return;
      }
      this.emit(held.tick, held.s, endEpoch);
    }
    if (!last && this.mayPrecedeTail(tick)) this.held = { tick, s };
    else this.emit(tick, s, endEpoch);
  }

  /** Could the run end less than FOLD_FRACTION of an interval after this tick's end? */
  private mayPrecedeTail(tick: number): boolean {
    const planned = this.ctx.plannedDurationMs;
    if (this.stopping || planned === undefined) return true;
    // A run that completes ends no earlier than its planned end.
    return (tick + 1) * this.intervalMs > planned - FOLD_FRACTION * this.intervalMs;
  }

  /** Emit whatever is pending (end of run), the last interval ending at `endEpoch`. */
  finish(endEpoch: number): void {
    this.emitReady(true, endEpoch);
    const held = this.held;
    this.held = null;
    if (held !== null) this.emit(held.tick, held.s, endEpoch);
  }

  /** Epoch ms at which the state of `tick` ends: its nominal end, or earlier for the last (partial) one. */
  private endOf(tick: number, s: TickState, endEpoch: number): number {
    const start = this.startEpoch + tick * this.intervalMs;
    let end = start + s.ticks * this.intervalMs;
    if (s.at > 0 && s.at < end) end = s.at;
    if (endEpoch > 0 && endEpoch < end) end = endEpoch;
    return Math.max(start + 1, end);
  }

  private emit(tick: number, s: TickState, endEpoch: number): void {
    const start = this.startEpoch + tick * this.intervalMs;
    const end = this.endOf(tick, s, endEpoch);
    const seconds = (end - start) / 1000;
    const startMs = start - this.startEpoch;
    const measured = startMs >= (this.ctx.excludeBeforeMs ?? 0);
    const tally = this.tally;
    const requests: Interval['requests'] = {};
    const totalCounters = zeroCounters();
    const latencies: SparseCounts[] = [];
    const serviceTimes: SparseCounts[] = [];
    for (const [name, t] of s.requests.byName) {
      requests[name] = t.toStats(tally);
      t.counters(totalCounters);
      latencies.push(...t.latencies());
      serviceTimes.push(...t.serviceTimes());
      if (measured) {
        t.addTo(this.requests.get(name));
        t.addTo(this.total);
      }
    }
    const flows: Interval['flows'] = {};
    for (const [name, t] of s.flows.byName) {
      flows[name] = t.toStats(tally);
      if (measured) t.addTo(this.flows.get(name));
    }
    if (measured) {
      addCheckCounts(this.checks, s.checks);
      this.dropped += s.dropped;
      this.missed += s.missed;
      this.late += s.late;
      for (const d of s.delay) addSparse(this.generatorDelay, d);
    }
    const endMs = end - this.startEpoch;
    const interval: Interval = {
      index: tick,
      start,
      end,
      elapsedMs: endMs,
      total: { ...totalCounters, latency: summarizeSparse(tally, latencies), serviceTime: summarizeSparse(tally, serviceTimes) },
      requests,
      flows,
      checks: s.checks,
      rps: totalCounters.count / seconds,
      activeUsers: s.activeUsers,
      dropped: s.dropped,
      missed: s.missed,
      late: s.late,
      stage: this.ctx.stageAt?.(endMs - 1),
      generator: { cpu: s.cpu, eventLoopLagMs: s.lag },
    };
    if (s.delay.length > 0) {
      const d = summarizeSparse(tally, s.delay);
      interval.generator.delay = { p50: d.percentiles['50'], p99: d.percentiles['99'], max: d.max };
    }
    if (this.ctx.targetRate) {
      interval.targetRate = this.ctx.targetRate(startMs, endMs);
      interval.achievedRate = s.started / seconds;
    }
    if (interval.total.latency.count > 0) interval.latencyHistogram = this.encodeSparse(latencies);
    this.emitted++;
    this.onInterval(interval);
  }



  /** The compressed encoding of sparse arrays' sum, through one reused histogram (32-bit: one interval). */
  private encodeSparse(list: readonly SparseCounts[]): string {
    const h = (this.encoder ??= createHistogram());
    h.reset();
    addSparse(h, this.tally.clear().addAll(list).toSparse());
    this.tally.clear();
    return encodeHistogram(h);
  }

  /** Cumulative total over all request names (a copy: destroy it after use). */
  totalAccumulator(): RequestAccumulator {
    const total = new RequestAccumulator(true);
    total.add(this.total);
    return total;
  }
}

type TickCounters = Pick<TickState, 'scheduled' | 'started' | 'dropped' | 'missed' | 'late' | 'cpu' | 'lag' | 'at'>;

/** Counters add up; CPU, lag and the snapshot time keep their maximum. */
function addTickCounters(into: TickState, c: TickCounters): void {
  into.scheduled += c.scheduled;
  into.started += c.started;
  into.dropped += c.dropped;
  into.missed += c.missed;
  into.late += c.late;
  into.cpu = Math.max(into.cpu, c.cpu);
  into.lag = Math.max(into.lag, c.lag);
  into.at = Math.max(into.at, c.at);
}

/** Add the state of the tick after `into` to it (folding a short last tick). */
function mergeTick(into: TickState, from: TickState): void {
  for (const [name, t] of from.requests.byName) into.requests.get(name).merge(t);
  for (const [name, t] of from.flows.byName) into.flows.get(name).merge(t);
  addCheckCounts(into.checks, from.checks);
  into.activeUsers = from.activeUsers; // as at the end of the merged interval
  addTickCounters(into, from);
  into.delay.push(...from.delay);
  into.ticks += from.ticks;
}
