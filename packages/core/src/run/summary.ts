import { RequestAccumulator } from '../metrics/accumulator.js';
import type { Aggregator } from '../metrics/aggregator.js';
import { encodeHistogram, summarizeHistogram } from '../metrics/histogram.js';
import type { GeneratorSummary, LoadSummary, RunMeta, Summary, Verdict, Warning } from '../metrics/model.js';
import type { Totals } from '../metrics/tick-figures.js';
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
  /** Leave the encoded histograms empty: figures for a mid-run judgement, not for a file. Default false. */
  lean?: boolean;
  /** The generator figures the aggregator does not keep: the main thread's pauses and the warm-up (default none). */
  generator?: Pick<GeneratorSummary, 'mainPause' | 'warmup'>;
}

/** The load window: from the start until no more iterations started (`loadEndedAt`), the graceful drain excluded. */
function loadWindowMs(x: SummaryInput, loadEndedAt: number): number {
  const loadEnd = loadEndedAt > 0 ? Math.min(x.endEpoch, Math.max(x.startEpoch, loadEndedAt)) : x.endEpoch;
  return Math.max(0, loadEnd - x.startEpoch);
}

function loadSummary(x: SummaryInput, name: string, t: Totals | undefined): LoadSummary {
  const loadDurationMs = loadWindowMs(x, t?.loadEndedAt ?? 0);
  // A load that measured nothing (yet) has empty figures.
  const total = t ? t.totalAccumulator() : new RequestAccumulator(true);
  const cumulative = total.toCumulative(loadDurationMs, !x.lean);
  const out: LoadSummary = {
    loadDurationMs,
    total: cumulative,
    requests: t ? t.requests.map((a) => a.toCumulative(loadDurationMs, !x.lean)) : {},
    flows: t ? t.flows.map((a) => a.toCumulative(!x.lean)) : {},
    checks: structuredClone(t?.checks ?? {}),
    rps: { mean: cumulative.rps, ...x.stats.rpsSpread(name) },
    dropped: t?.dropped ?? 0,
    missed: t?.missed ?? 0,
    late: t?.late ?? 0,
  };
  total.destroy();
  const shortfall = x.stats.shortfall(name);
  if (shortfall !== null) out.rateShortfall = shortfall;
  return out;
}

/** The cumulative Summary from the aggregator's state (callable mid-run for abort checks and checkpoints). */
export function buildSummary(x: SummaryInput): Summary {
  const durationMs = Math.max(0, x.endEpoch - x.startEpoch);
  // The load window ends when the last worker stopped starting iterations; the graceful drain is not in it.
  const loadDurationMs = loadWindowMs(x, x.agg.loadEndedAt);
  const total = x.agg.totalAccumulator();
  const mean = loadDurationMs > 0 ? total.count / (loadDurationMs / 1000) : 0;
  const summary: Summary = {
    meta: x.meta,
    endedAt: Math.round(x.endEpoch),
    durationMs,
    loadDurationMs,
    total: total.toCumulative(loadDurationMs, !x.lean),
    requests: x.agg.requests.map((a) => a.toCumulative(loadDurationMs, !x.lean)),
    flows: x.agg.flows.map((a) => a.toCumulative(!x.lean)),
    checks: structuredClone(x.agg.checks),
    rps: { mean, ...x.stats.rpsSpread() },
    dropped: x.agg.dropped,
    missed: x.agg.missed,
    late: x.agg.late,
    verdict: x.verdict,
    warnings: x.warnings,
    reporters: {},
    generator: {
      delay: summarizeHistogram(x.agg.generatorDelay),
      delayHistogram: x.lean ? '' : encodeHistogram(x.agg.generatorDelay),
      mainPause: { ...(x.generator?.mainPause ?? { maxMs: 0, p50Ms: 0 }) },
      warmup: { ...(x.generator?.warmup ?? { durationMs: 0, requests: 0 }) },
    },
  };
  total.destroy();
  // Side-by-side loads, in the scenario's order (meta.loads).
  if (x.meta.loads !== undefined) summary.loads = Object.fromEntries(Object.keys(x.meta.loads).map((name) => [name, loadSummary(x, name, x.agg.loads.get(name))]));
  return summary;
}
