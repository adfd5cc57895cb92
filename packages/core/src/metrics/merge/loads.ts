/**
 * Merging the per-load parts of shard results (loads side by side): each load's interval
 * parts and its cumulative figures are merged as the run's are, load by load, so that a
 * merged result has `loads` as one machine running the whole would have written it.
 */
import type { CumulativeRequestStats, Interval, LoadInterval, LoadSummary, Summary } from '../model.js';
import { TimelineStats } from '../timeline-stats.js';
import { mergeChecks, mergeCumulative, mergeFlowStats, mergeKeyed, mergeRequestStats } from './stats.js';

const sum = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((a, x) => a + f(x), 0);

/** Every load named in any part, in first-seen order. */
function names(parts: ReadonlyArray<Record<string, unknown> | undefined>): string[] {
  return [...new Set(parts.flatMap((p) => Object.keys(p ?? {})))];
}

/** Each load's part of one merged interval of `seconds`; undefined when no part has loads. Per-interval latency is an estimate. */
export function mergeLoadIntervals(parts: readonly Interval[], seconds: number): Record<string, LoadInterval> | undefined {
  const loads = names(parts.map((p) => p.loads));
  if (loads.length === 0) return undefined;
  const out: Record<string, LoadInterval> = {};
  for (const name of loads) {
    const xs = parts.flatMap((p) => (p.loads?.[name] ? [p.loads[name]] : []));
    const { latencyHistogram: _l, serviceTimeHistogram: _s, ...total } = mergeRequestStats(xs.map((x) => x.total)).value;
    const l: LoadInterval = {
      total,
      requests: mergeKeyed(xs.map((x) => x.requests), mergeRequestStats).value,
      flows: mergeKeyed(xs.map((x) => x.flows), mergeFlowStats).value,
      checks: mergeChecks(xs.map((x) => x.checks)),
      rps: total.count / seconds,
      activeUsers: sum(xs, (x) => x.activeUsers),
      dropped: sum(xs, (x) => x.dropped),
      missed: sum(xs, (x) => x.missed),
      late: sum(xs, (x) => x.late),
    };
    const stage = xs.find((x) => x.stage !== undefined)?.stage;
    if (stage !== undefined) l.stage = stage;
    // Each shard's requested and achieved rates are its share: the whole is their sum.
    const rated = xs.filter((x) => x.targetRate !== undefined);
    if (rated.length > 0) {
      l.targetRate = sum(rated, (x) => x.targetRate ?? 0);
      l.achievedRate = sum(rated, (x) => x.achievedRate ?? 0);
    }
    out[name] = l;
  }
  return out;
}

/** Each load's cumulative figures over the shards; rates over each load's merged load window. */
export function mergeLoadSummaries(summaries: readonly Summary[], startedAt: number, durationMs: number, timeline: readonly Interval[], intervalMs: number): Record<string, LoadSummary> | undefined {
  const loads = names(summaries.map((s) => s.loads));
  if (loads.length === 0) return undefined;
  const stats = new TimelineStats(intervalMs);
  for (const i of timeline) stats.add(i);
  const out: Record<string, LoadSummary> = {};
  for (const name of loads) {
    const xs = summaries.flatMap((s) => (s.loads?.[name] ? [{ meta: s.meta, l: s.loads[name] }] : []));
    const loadEnd = Math.max(...xs.map((x) => x.meta.startedAt + x.l.loadDurationMs));
    const loadDurationMs = Math.max(0, Math.min(durationMs, loadEnd - startedAt));
    const total = mergeCumulative(xs.map((x) => x.l.total), loadDurationMs).value;
    const l: LoadSummary = {
      loadDurationMs,
      total,
      requests: mergeKeyed<CumulativeRequestStats, CumulativeRequestStats>(xs.map((x) => x.l.requests), (ys) => mergeCumulative(ys, loadDurationMs)).value,
      flows: mergeKeyed(xs.map((x) => x.l.flows), mergeFlowStats).value,
      checks: mergeChecks(xs.map((x) => x.l.checks)),
      rps: { mean: total.rps, ...stats.rpsSpread(name) },
      dropped: sum(xs, (x) => x.l.dropped),
      missed: sum(xs, (x) => x.l.missed),
      late: sum(xs, (x) => x.l.late),
    };
    const shortfall = stats.shortfall(name);
    if (shortfall !== null) l.rateShortfall = shortfall;
    out[name] = l;
  }
  return out;
}
