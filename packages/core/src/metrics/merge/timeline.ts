/**
 * Merging shard timelines by wall-clock interval. Shards started with one `--start-at`
 * share one interval grid (their interval k starts at the same epoch ms), so interval k of
 * the merged timeline is the sum of every shard's interval k. A shard off the grid (started
 * late without --start-at) has each of its intervals put in the merged interval its start
 * falls closest to: every request is still counted exactly once, but the time of a
 * request may be off by up to half an interval (reported as `maxOffsetMs`).
 */
import type { Interval } from '../model.js';
import { mergeLoadIntervals } from './loads.js';
import { mergeChecks, mergeKeyed, mergeFlowStats, mergeRequestStats } from './stats.js';
import { mergeGeneratorHealth } from './generator.js';

/** An interval that may carry the encoded histogram of its total latency (results that have it). */
type IntervalWithHistogram = Interval & { latencyHistogram?: unknown };

export interface MergedTimeline {
  timeline: Interval[];
  /** Largest distance (ms) between a shard interval's start and the merged interval it went into. */
  maxOffsetMs: number;
  /** Every merged interval's total latency comes from the shards' interval histograms (exact). */
  totalLatencyExact: boolean;
  /** Some per-interval figure (per request name, service time, flow duration) is a count-weighted estimate. */
  approximate: boolean;
}

/** Merge the timelines of shards whose run started at `startEpoch` (the earliest start) with intervals of `intervalMs`. */
export function mergeTimelines(timelines: ReadonlyArray<readonly Interval[]>, startEpoch: number, intervalMs: number): MergedTimeline {
  const buckets = new Map<number, Interval[]>();
  let maxOffsetMs = 0;
  for (const tl of timelines) {
    for (const iv of tl) {
      const k = Math.max(0, Math.round((iv.start - startEpoch) / intervalMs));
      maxOffsetMs = Math.max(maxOffsetMs, Math.abs(iv.start - (startEpoch + k * intervalMs)));
      let b = buckets.get(k);
      if (!b) buckets.set(k, (b = []));
      b.push(iv);
    }
  }
  let approximate = false;
  let totalLatencyExact = true;
  const timeline: Interval[] = [];
  for (const k of [...buckets.keys()].sort((a, b) => a - b)) {
    const parts = buckets.get(k)!;
    const start = startEpoch + k * intervalMs;
    const end = Math.max(start + 1, ...parts.map((p) => p.end));
    // The interval's total latency histogram rides on the interval itself.
    const total = mergeRequestStats(parts.map((p: IntervalWithHistogram) => ({ ...p.total, latencyHistogram: p.latencyHistogram })));
    const requests = mergeKeyed(parts.map((p) => p.requests), mergeRequestStats);
    const flows = mergeKeyed(parts.map((p) => p.flows), mergeFlowStats);
    totalLatencyExact &&= !total.approximate;
    approximate ||= total.serviceApproximate || requests.approximate || flows.approximate;
    const seconds = (end - start) / 1000;
    const { latencyHistogram, serviceTimeHistogram: _s, ...totalStats } = total.value;
    const iv: IntervalWithHistogram = {
      index: k,
      start,
      end,
      elapsedMs: end - startEpoch,
      total: totalStats,
      requests: requests.value,
      flows: flows.value,
      checks: mergeChecks(parts.map((p) => p.checks)),
      rps: total.value.count / seconds,
      activeUsers: parts.reduce((a, p) => a + p.activeUsers, 0),
      dropped: parts.reduce((a, p) => a + p.dropped, 0),
      late: parts.reduce((a, p) => a + p.late, 0),
      ...(parts.some((p) => p.missed !== undefined) ? { missed: parts.reduce((a, p) => a + (p.missed ?? 0), 0) } : {}),
      generator: mergeGeneratorHealth(parts.map((p) => p.generator)),
    };
    const stage = parts.find((p) => p.stage !== undefined)?.stage;
    if (stage !== undefined) iv.stage = stage;
    // Each shard's target and achieved rates are its share: the whole is their sum.
    const rated = parts.filter((p) => p.targetRate !== undefined);
    if (rated.length > 0) {
      iv.targetRate = rated.reduce((a, p) => a + (p.targetRate ?? 0), 0);
      iv.achievedRate = rated.reduce((a, p) => a + (p.achievedRate ?? 0), 0);
    }
    if (typeof latencyHistogram === 'string') iv.latencyHistogram = latencyHistogram;
    const loads = mergeLoadIntervals(parts, seconds);
    if (loads !== undefined) iv.loads = loads;
    timeline.push(iv);
  }
  return { timeline, maxOffsetMs, totalLatencyExact, approximate };
}
