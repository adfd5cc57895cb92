/**
 * What the aggregator adds up per tick: the figures of one tick (TickFigures), the run's or,
 * with loads side by side, one load's, merged from the workers' snapshots or their
 * sections; and cumulative figures (Totals: the run's, and each load's). The run's own figures are
 * merged from the same sections, so they stay the exact sums of the loads'.
 */
import { AccumulatorMap, addCheckCounts, FlowAccumulator, RequestAccumulator } from './accumulator.js';
import type { CheckCounts, LoadInterval } from './model.js';
import type { LoadSnapshot } from './snapshot.js';

/** What the aggregator knows of a load beyond its snapshots: its requested rate and its stages. */
export interface LoadContext {
  /** Requested arrival rate over [startMs, endMs) since the run start (open model), this process's part. */
  targetRate?(startMs: number, endMs: number): number;
  stageAt?(elapsedMs: number): string | undefined;
}

/** The figures of one tick (the run's, or one load's), merged over the workers. */
export class TickFigures {
  readonly requests = new AccumulatorMap(() => new RequestAccumulator());
  readonly flows = new AccumulatorMap(() => new FlowAccumulator());
  readonly checks: CheckCounts = {};
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
    for (const name in raw.requests) this.requests.get(name).addRaw(raw.requests[name]);
    for (const name in raw.flows) this.flows.get(name).addRaw(raw.flows[name]);
    addCheckCounts(this.checks, raw.checks);
  }

  /** Its users in flight and open-model counters. */
  addCounters(raw: Omit<LoadSnapshot, 'requests' | 'flows' | 'checks' | 'loadEndedAt'>): void {
    this.activeUsers += raw.activeUsers;
    this.scheduled += raw.scheduled;
    this.started += raw.started;
    this.dropped += raw.dropped;
    this.missed += raw.missed;
    this.late += raw.late;
  }

  /** Fold the next (short, last) tick into this one. */
  merge(from: TickFigures): void {
    for (const [name, acc] of from.requests.byName) this.requests.get(name).add(acc);
    for (const [name, acc] of from.flows.byName) this.flows.get(name).add(acc);
    addCheckCounts(this.checks, from.checks);
    this.activeUsers = from.activeUsers; // as at the end of the merged interval
    this.scheduled += from.scheduled;
    this.started += from.started;
    this.dropped += from.dropped;
    this.missed += from.missed;
    this.late += from.late;
  }

  toInterval(seconds: number, startMs: number, endMs: number, ctx: LoadContext | undefined): LoadInterval {
    const total = new RequestAccumulator();
    for (const acc of this.requests.byName.values()) total.add(acc);
    const out: LoadInterval = {
      total: total.toStats(),
      requests: this.requests.map((a) => a.toStats()),
      flows: this.flows.map((a) => a.toStats()),
      checks: this.checks,
      rps: total.count / seconds,
      activeUsers: this.activeUsers,
      dropped: this.dropped,
      missed: this.missed,
      late: this.late,
    };
    total.destroy();
    const stage = ctx?.stageAt?.(endMs - 1);
    if (stage !== undefined) out.stage = stage;
    if (ctx?.targetRate) {
      out.targetRate = ctx.targetRate(startMs, endMs);
      out.achievedRate = this.started / seconds;
    }
    return out;
  }

  destroy(): void {
    this.requests.destroy();
    this.flows.destroy();
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

  addTick(t: TickFigures): void {
    for (const [name, acc] of t.requests.byName) this.requests.get(name).add(acc);
    for (const [name, acc] of t.flows.byName) this.flows.get(name).add(acc);
    addCheckCounts(this.checks, t.checks);
    this.dropped += t.dropped;
    this.missed += t.missed;
    this.late += t.late;
  }

  /** Cumulative total over all request names. */
  totalAccumulator(): RequestAccumulator {
    const total = new RequestAccumulator(true);
    for (const acc of this.requests.byName.values()) total.add(acc);
    return total;
  }

  destroy(): void {
    this.requests.destroy();
    this.flows.destroy();
  }
}
