/**
 * One tick as the aggregator collects it until every live worker has reported it: the
 * run's figures, each side-by-side load's, which workers reported, and the workers' CPU use,
 * event-loop lag and latest snapshot time. The records are kept as the workers sent them
 * (sparse, tick.ts): a load's part of a tick holds the same raw records as the run's.
 */
import type { WorkerSnapshot } from './snapshot.js';
import { TickFigures } from './tick-figures.js';

export interface TickState {
  reported: Set<number>;
  /** The run's figures (every load's together); its generator delay is the workers' top-level one. */
  run: TickFigures;
  /** Side-by-side loads: each load's part of the tick. */
  loads: Map<string, TickFigures> | null;
  cpu: number;
  lag: number;
  /** Latest snapshot time: the end of a partial (last) tick. */
  at: number;
  /** Ticks this state covers (2 when a short last tick was folded in). */
  ticks: number;
}

export function newTickState(): TickState {
  return { reported: new Set(), run: new TickFigures(), loads: null, cpu: 0, lag: 0, at: 0, ticks: 1 };
}

/**
 * A worker's snapshot into the tick. With loads side by side its top-level counters (and
 * generator delay) are the sums of its sections' and its requests, flows and checks are in
 * the sections: each section goes to its load and its records to the run's figures.
 */
export function addSnapshot(s: TickState, snap: WorkerSnapshot): void {
  s.reported.add(snap.worker);
  s.run.add(snap);
  for (const name in snap.loads ?? {}) {
    const raw = snap.loads![name];
    s.loads ??= new Map();
    let t = s.loads.get(name);
    if (!t) s.loads.set(name, (t = new TickFigures()));
    t.add(raw);
    s.run.addRecords(raw);
  }
  // CPU, lag and the snapshot time keep their maximum.
  s.cpu = Math.max(s.cpu, snap.cpu);
  s.lag = Math.max(s.lag, snap.eventLoopLagMs);
  s.at = Math.max(s.at, snap.at);
}

/** Add the state of the tick after `into` to it (folding a short last tick). */
export function mergeTick(into: TickState, from: TickState): void {
  into.run.merge(from.run);
  into.cpu = Math.max(into.cpu, from.cpu);
  into.lag = Math.max(into.lag, from.lag);
  into.at = Math.max(into.at, from.at);
  into.ticks += from.ticks;
  if (from.loads !== null) {
    into.loads ??= new Map();
    for (const [name, t] of from.loads) {
      const mine = into.loads.get(name);
      if (mine) mine.merge(t);
      else into.loads.set(name, t);
    }
  }
}
