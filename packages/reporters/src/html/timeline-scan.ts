/**
 * The first pass over a run's timeline before drawing: how long it spans, which request
 * names and error kinds occur, whether it is an open-model run, and where stages change.
 * Constant memory per interval (stage markers are capped).
 */
import type { ErrorKind, Interval, Summary, Timeline } from '@loadctl/core';
import { intervalMsOf, round3 } from './downsample.js';

const MAX_MARKERS = 200;

export interface TimelineScan {
  intervals: number;
  /** Elapsed ms at the end of the last interval. */
  spanMs: number;
  /** Request names seen in the timeline. */
  names: Set<string>;
  /** Transport error kinds that occurred. */
  errorKinds: Set<ErrorKind>;
  /** Intervals carry a requested arrival rate (open model). */
  open: boolean;
  /** Stage changes: x (s since start) and the stage name. */
  stages: Array<{ x: number; stage: string }>;
  /** Monitored series (Interval.monitor) in first-seen order, and whether any value was not 0. */
  monitored: Map<string, { source: string; series: string; nonZero: boolean }>;
}

export async function scanTimeline(timeline: Timeline, intervalMs: number): Promise<TimelineScan> {
  const scan: TimelineScan = { intervals: 0, spanMs: 0, names: new Set(), errorKinds: new Set(), open: false, stages: [], monitored: new Map() };
  let prev: string | undefined;
  for await (const iv of timeline) {
    addToScan(scan, iv, intervalMs, prev);
    prev = iv.stage;
  }
  return scan;
}

function addToScan(scan: TimelineScan, iv: Interval, intervalMs: number, prevStage: string | undefined): void {
  scan.intervals++;
  if (iv.elapsedMs > scan.spanMs) scan.spanMs = iv.elapsedMs;
  for (const name in iv.requests) scan.names.add(name);
  for (const [k, n] of Object.entries(iv.total.errors)) if (n) scan.errorKinds.add(k as ErrorKind);
  if (iv.targetRate !== undefined && iv.targetRate !== null) scan.open = true;
  if (iv.monitor) {
    for (const source in iv.monitor) {
      for (const series in iv.monitor[source]) {
        const id = `${source}\u0000${series}`;
        const k = scan.monitored.get(id) ?? { source, series, nonZero: false };
        k.nonZero ||= iv.monitor[source][series] !== 0;
        scan.monitored.set(id, k);
      }
    }
  }
  if (iv.stage !== undefined && iv.stage !== prevStage && scan.stages.length < MAX_MARKERS) {
    scan.stages.push({ x: round3(Math.max(0, iv.elapsedMs - intervalMsOf(iv, intervalMs)) / 1000), stage: iv.stage });
  }
}

/** Request names, busiest first, over all runs (names only in a timeline count 0). */
export function requestNames(runs: ReadonlyArray<{ summary: Summary; scan: TimelineScan }>): string[] {
  const counts = new Map<string, number>();
  for (const r of runs) {
    for (const [name, s] of Object.entries(r.summary.requests)) counts.set(name, (counts.get(name) ?? 0) + s.count);
    for (const name of r.scan.names) if (!counts.has(name)) counts.set(name, 0);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n);
}
