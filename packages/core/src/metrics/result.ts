/**
 * The one Result of a run, built once by run/ after the load has ended and the sinks have
 * flushed: result.json, JUnit XML and the HTML report are all written from it. Its timeline
 * is not held in memory: it is read back, as often as needed, from where it was recorded
 * (timeline.jsonl), or from an array for results that came from a file or a test.
 */
import type { Interval, RunResult } from './model.js';

/** The per-interval timeline, readable as many times as needed, in order. */
export interface Timeline extends AsyncIterable<Interval> {
  /** Number of intervals. */
  readonly length: number;
}

/** A RunResult whose timeline is a Timeline (what run/ builds and file reporters get). */
export interface Result extends Omit<RunResult, 'timeline'> {
  timeline: Timeline;
}

/** A Timeline over intervals already in memory. */
export function memoryTimeline(intervals: readonly Interval[]): Timeline {
  return {
    length: intervals.length,
    async *[Symbol.asyncIterator]() {
      yield* intervals;
    },
  };
}

/** A Result from a RunResult (e.g. read from result.json); a Result is returned as is. */
export function toResult(r: RunResult | Result): Result {
  return Array.isArray(r.timeline) ? { ...r, timeline: memoryTimeline(r.timeline) } : (r as Result);
}

/** Every interval of a timeline in an array. */
export async function timelineArray(t: Timeline | readonly Interval[]): Promise<Interval[]> {
  if (Array.isArray(t)) return [...t];
  const out: Interval[] = [];
  for await (const i of t as Timeline) out.push(i);
  return out;
}
