import type { Aggregator } from '../metrics/aggregator.js';
import type { RunMeta, Summary, Verdict, Warning } from '../metrics/model.js';
import type { TimelineStats } from '../metrics/timeline-stats.js';

export interface SummaryInput {
  meta: RunMeta;
  agg: Aggregator;
  /** The spread of the per-interval figures so far. */
  stats: TimelineStats;
  startEpoch: number;
  endEpoch: number;
  verdict: Verdict;
  warnings: Warning[];
}

/** The cumulative Summary from the aggregator's state (callable mid-run for abort checks and checkpoints). */
export function buildSummary(x: SummaryInput): Summary {
  const durationMs = Math.max(0, x.endEpoch - x.startEpoch);
  // The load window ends when the last worker stopped starting iterations; the graceful drain is not in it.
  const loadEnd = x.agg.loadEndedAt > 0 ? Math.min(x.endEpoch, Math.max(x.startEpoch, x.agg.loadEndedAt)) : x.endEpoch;
  const loadDurationMs = Math.max(0, loadEnd - x.startEpoch);
  const total = x.agg.totalAccumulator();
  const mean = loadDurationMs > 0 ? total.count / (loadDurationMs / 1000) : 0;
  const summary: Summary = {
    meta: x.meta,
    endedAt: Math.round(x.endEpoch),
    durationMs,
    loadDurationMs,
    total: total.toCumulative(loadDurationMs),
    requests: x.agg.requests.map((a) => a.toCumulative(loadDurationMs)),
    flows: x.agg.flows.map((a) => a.toCumulative()),
    checks: structuredClone(x.agg.checks),
    rps: { mean, ...x.stats.rpsSpread() },
    dropped: x.agg.dropped,
    missed: x.agg.missed,
    late: x.agg.late,
    verdict: x.verdict,
    warnings: x.warnings,
    reporters: {},
  };
  total.destroy();
  return summary;
}
