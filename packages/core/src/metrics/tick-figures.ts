/**
 * What the aggregator adds up per tick: the figures of one tick (TickFigures), the run's or,
 * with loads side by side, one load's, collected from the workers' snapshots or their
 * sections as the workers sent them (sparse: tick.ts, summarised by sparse.ts without a dense
 * histogram); and cumulative figures (Totals: the run's, and each load's), fed from the same
 * raw records. The run's own figures are collected from the same sections, so they stay the
 * exact sums of the loads'.
 */
import { AccumulatorMap, addCheckCounts, FlowAccumulator, RequestAccumulator, zeroCounters } from './accumulator.js';
import type { SparseCounts } from './histogram.js';
import type { CheckCounts, LoadInterval } from './model.js';
import type { LoadSnapshot } from './snapshot.js';
import { summarizeSparse, type SparseSum } from './sparse.js';
import { TickFlow, TickMap, TickRequest } from './tick.js';

/** What the aggregator knows of a load beyond its snapshots: its requested rate and its stages. */
export interface LoadContext {
  /** Requested arrival rate over [startMs, endMs) since the run start (open model), this process's part. */
  targetRate?(startMs: number, endMs: number): number;
  stageAt?(elapsedMs: number): string | undefined;
}

/** The figures of one tick (the run's, or one load's), as the workers sent them. */
export class TickFigures {
  readonly requests = new TickMap(() => new TickRequest());
  readonly flows = new TickMap(() => new TickFlow());
  readonly checks: CheckCounts = {};
  /** Generator delay (µs) of the tick's requests sent: the workers' sparse counts. */
  readonly delay: SparseCounts[] = [];
  activeUsers = 0;
  scheduled = 0;
  started = 0;
  dropped = 0;
  missed = 0;
  late = 0;

  add(raw: LoadSnapshot): void {
    this.addRecords(raw);
    this.addCounters(raw);
  }

  /** Its requests, flows and checks. */
  addRecords(raw: Pick<LoadSnapshot, 'requests' | 'flows' | 'checks'>): void {
    for (const name in raw.requests) this.requests.get(name).add(raw.requests[name]);
    for (const name in raw.flows) this.flows.get(name).add(raw.flows[name]);
    addCheckCounts(this.checks, raw.checks);
  }

  /** Its generator delay, users in flight and open-model counters. */
  addCounters(raw: Omit<LoadSnapshot, 'requests' | 'flows' | 'checks' | 'loadEndedAt'>): void {
    if (raw.generatorDelay.length > 0) this.delay.push(raw.generatorDelay);
    this.activeUsers += raw.activeUsers;
    this.scheduled += raw.scheduled;
    this.started += raw.started;
    this.dropped += raw.dropped;
    this.missed += raw.missed;
    this.late += raw.late;
  }

  /** Fold the next (short, last) tick into this one. */
  merge(from: TickFigures): void {
    for (const [name, t] of from.requests.byName) this.requests.get(name).merge(t);
    for (const [name, t] of from.flows.byName) this.flows.get(name).merge(t);
    addCheckCounts(this.checks, from.checks);
    this.delay.push(...from.delay);
    this.activeUsers = from.activeUsers; // as at the end of the merged interval
    this.scheduled += from.scheduled;
    this.started += from.started;
    this.dropped += from.dropped;
    this.missed += from.missed;
    this.late += from.late;
  }

  /**
   * The tick's figures over `seconds`, summarised from the sparse counts through `tally`, and
   * the sparse latencies of all its requests (for the interval's encoded histogram).
   */
  toInterval(tally: SparseSum, seconds: number, startMs: number, endMs: number, ctx: LoadContext | undefined): { interval: LoadInterval; latencies: SparseCounts[] } {
    const requests: LoadInterval['requests'] = {};
    const counters = zeroCounters();
    const latencies: SparseCounts[] = [];
    const serviceTimes: SparseCounts[] = [];
    for (const [name, t] of this.requests.byName) {
      requests[name] = t.toStats(tally);
      t.counters(counters);
      latencies.push(...t.latencies());
      serviceTimes.push(...t.serviceTimes());
    }
    const flows: LoadInterval['flows'] = {};
    for (const [name, t] of this.flows.byName) flows[name] = t.toStats(tally);
    const interval: LoadInterval = {
      total: { ...counters, latency: summarizeSparse(tally, latencies), serviceTime: summarizeSparse(tally, serviceTimes) },
      requests,
      flows,
      checks: this.checks,
      rps: counters.count / seconds,
      activeUsers: this.activeUsers,
      dropped: this.dropped,
      missed: this.missed,
      late: this.late,
    };
    const stage = ctx?.stageAt?.(endMs - 1);
    if (stage !== undefined) interval.stage = stage;
    if (ctx?.targetRate) {
      interval.targetRate = ctx.targetRate(startMs, endMs);
      interval.achievedRate = this.started / seconds;
    }
    return { interval, latencies };
  }
}

/** Cumulative figures, the run's (the Aggregator's own) or one load's: 64-bit histogram counts (a 24 h run overflows 32-bit buckets). */
export class Totals {
  readonly requests = new AccumulatorMap(() => new RequestAccumulator(true));
  readonly flows = new AccumulatorMap(() => new FlowAccumulator(true));
  readonly checks: CheckCounts = {};
  dropped = 0;
  missed = 0;
  late = 0;
  /** Epoch ms at which the last worker stopped starting iterations (0: not reported). */
  loadEndedAt = 0;
  /** Cumulative over all request names, kept as the ticks come. */
  private readonly total = new RequestAccumulator(true);

  /** A measured tick's raw records, added straight into the accumulators' counts arrays. */
  addTick(t: TickFigures): void {
    for (const [name, r] of t.requests.byName) {
      r.addTo(this.requests.get(name));
      r.addTo(this.total);
    }
    for (const [name, f] of t.flows.byName) f.addTo(this.flows.get(name));
    addCheckCounts(this.checks, t.checks);
    this.dropped += t.dropped;
    this.missed += t.missed;
    this.late += t.late;
  }

  /** Cumulative total over all request names (a copy: destroy it after use). */
  totalAccumulator(): RequestAccumulator {
    const total = new RequestAccumulator(true);
    total.add(this.total);
    return total;
  }

  destroy(): void {
    this.requests.destroy();
    this.flows.destroy();
    this.total.destroy();
  }
}
