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
 *
 * Each tick keeps the workers' raw sparse snapshots (tick.ts) and summarises them from
 * their sparse counts (sparse.ts): no dense histogram is built per tick or request name;
 * measured ticks are added straight into the cumulative accumulators.
 *
 * Side-by-side loads: the snapshots carry each load's section; each load gets its part of
 * every interval and its cumulative figures (tick-figures.ts, tick-state.ts), and the run's
 * figures are collected from the same sections.
 */
import type { WorkerSnapshot } from './snapshot.js';
import { addSparse, createCumulativeHistogram, createHistogram, encodeHistogram, type Histogram, type SparseCounts } from './histogram.js';
import type { Interval, LoadInterval } from './model.js';
import { SparseSum, summarizeSparse } from './sparse.js';
import { Totals, type LoadContext } from './tick-figures.js';
import { addSnapshot, mergeTick, newTickState, type TickState } from './tick-state.js';

/** A last interval shorter than this fraction of an interval is folded into the previous one. */
export const FOLD_FRACTION = 0.2;

export interface IntervalContext extends LoadContext {
  /** Planned length of the load (ms); undefined when the end is not planned (count-bounded runs). */
  plannedDurationMs?: number;
  /**
   * Intervals starting before this (ms since the run start) are emitted and kept in
   * the timeline but left out of the cumulative stats (a warm-up). Default 0.
   */
  excludeBeforeMs?: number;
  /** Side-by-side loads: each load's requested rate and stages. */
  loads?: Record<string, LoadContext>;
}

/** The run's cumulative figures (Totals: requests, flows, checks, dropped, ...) and the ticks being collected. */
export class Aggregator extends Totals {
  /** Epoch ms of the latest snapshot: when the workers last measured anything. */
  lastSnapshotAt = 0;
  /** Intervals emitted so far. */
  emitted = 0;
  /** Side-by-side loads: each load's cumulative figures, by name (empty for a one-load run). */
  readonly loads = new Map<string, Totals>();
  /** Generator delay (µs) over the measured intervals, all request names and loads (64-bit counts). */
  readonly generatorDelay: Histogram = createCumulativeHistogram();

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
  ) {
    super();
  }

  start(startEpoch: number): void {
    this.startEpoch = startEpoch;
  }

  /** The run is stopping (interrupt, abort): from now on every interval may be the last. */
  stop(): void {
    this.stopping = true;
  }

  private state(tick: number): TickState {
    let s = this.pending.get(tick);
    if (!s) this.pending.set(tick, (s = newTickState()));
    return s;
  }

  add(snap: WorkerSnapshot): void {
    addSnapshot(this.state(snap.tick), snap);
    for (const name in snap.loads ?? {}) {
      const totals = this.loadTotals(name);
      totals.loadEndedAt = Math.max(totals.loadEndedAt, snap.loads![name].loadEndedAt);
    }
    this.lastSnapshotAt = Math.max(this.lastSnapshotAt, snap.at);
    this.loadEndedAt = Math.max(this.loadEndedAt, snap.loadEndedAt);
    if (snap.final) this.finishedAt.set(snap.worker, snap.tick);
    this.emitReady(false, 0);
  }

  private loadTotals(name: string): Totals {
    let t = this.loads.get(name);
    if (!t) this.loads.set(name, (t = new Totals()));
    return t;
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
    const endMs = end - this.startEpoch;
    const measured = startMs >= (this.ctx.excludeBeforeMs ?? 0);
    const tally = this.tally;
    const r = s.run;
    const { interval: figures, latencies } = r.toInterval(tally, seconds, startMs, endMs, this.ctx);
    if (measured) {
      this.addTick(r);
      for (const d of r.delay) addSparse(this.generatorDelay, d);
    }
    const interval: Interval = {
      index: tick,
      start,
      end,
      elapsedMs: endMs,
      ...figures,
      stage: figures.stage,
      generator: { cpu: s.cpu, eventLoopLagMs: s.lag },
    };
    if (r.delay.length > 0) {
      const d = summarizeSparse(tally, r.delay);
      interval.generator.delay = { p50: d.percentiles['50'], p99: d.percentiles['99'], max: d.max };
    }
    if (interval.total.latency.count > 0) interval.latencyHistogram = this.encodeSparse(latencies);
    if (s.loads !== null) {
      const loads: Record<string, LoadInterval> = {};
      for (const [name, t] of s.loads) {
        loads[name] = t.toInterval(tally, seconds, startMs, endMs, this.ctx.loads?.[name]).interval;
        if (measured) this.loadTotals(name).addTick(t);
      }
      interval.loads = loads;
    }
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
}
