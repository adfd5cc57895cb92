/**
 * What a worker thread ships to the main thread every interval tick: counters and
 * sparse histogram counts, unsummarised (the aggregator merges them losslessly).
 * The control messages around it are in engine/control.ts.
 */
import type { SparseCounts } from './histogram.js';
import type { RequestStats } from './model.js';

/** Counters and histogram counts of one request name over one tick of one worker (RequestStats' counters, unsummarised). */
export type RawRequestStats = Omit<RequestStats, 'latency' | 'serviceTime'> & {
  latency: SparseCounts;
  serviceTime: SparseCounts;
  /** Latencies of the failed requests only (status >= 400 or transport error); empty when none failed. */
  failedLatency: SparseCounts;
};

export interface RawFlowStats {
  iterations: number;
  failed: number;
  duration: SparseCounts;
}

/** The first error of one JavaScript hook in one worker (later ones are only counted, as failed checks). */
export interface HookErrorReport {
  /** beforeFlow, beforeRequest or afterResponse. */
  hook: string;
  worker: number;
  message: string;
  /** The error's stack, loadctl's own frames removed. */
  stack?: string;
}

/** What one load of one worker measured in one tick (all of it, for a one-load scenario). */
export interface LoadSnapshot {
  requests: Record<string, RawRequestStats>;
  flows: Record<string, RawFlowStats>;
  checks: Record<string, { passes: number; fails: number }>;
  /** Generator delay (µs) of the requests sent in this tick, all names together: sparse counts, empty when none. */
  generatorDelay: SparseCounts;
  /** At the snapshot: running virtual users (closed) or iterations in flight (open). */
  activeUsers: number;
  /** Open model: arrivals due in this tick (started + dropped) and started. */
  scheduled: number;
  started: number;
  dropped: number;
  /** Of `dropped`: arrivals not started before the load's end (the generator fell behind). */
  missed: number;
  late: number;
  /** Epoch ms at which the worker stopped starting iterations (graceful drain excluded); 0 while the load runs. */
  loadEndedAt: number;
}

/**
 * One worker's tick. For a one-load scenario its load's figures are the top-level fields.
 * With loads side by side, `loads` holds each load's section the worker runs; the
 * top-level requests, flows and checks are then empty, its counters and activeUsers the
 * sums of the sections', and loadEndedAt the latest once every section has ended (else 0).
 */
export interface WorkerSnapshot extends LoadSnapshot {
  type: 'snapshot';
  worker: number;
  tick: number;
  /** Epoch ms when the snapshot was taken. */
  at: number;
  /** The last snapshot of this worker: the worker is done. */
  final: boolean;
  /** Side-by-side loads: load name -> what this worker measured of it. */
  loads?: Record<string, LoadSnapshot>;
  /** Event-loop utilisation of the worker thread in this tick (0..1). */
  cpu: number;
  eventLoopLagMs: number;
  /** First errors of hooks not reported before (absent when none). */
  hookErrors?: HookErrorReport[];
}
