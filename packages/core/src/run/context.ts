/**
 * The parts of one run that its stages share (the aggregator, the running timeline
 * statistics, trend points, journal, reporter bus, monitor and state), and the figures they
 * give at any moment: the cumulative summary (for abort checks, checkpoints and the end).
 */
import type { Aggregator } from '../metrics/aggregator.js';
import { RESULT_SCHEMA_VERSION, type RunMeta, type Summary, type Verdict, type Warning } from '../metrics/model.js';
import type { TimelineStats } from '../metrics/timeline-stats.js';
import type { Monitor } from '../monitor/index.js';
import type { ReporterBus } from '../reporting/bus.js';
import type { Scenario } from '../scenario/model.js';
import type { TrendPoints } from '../soak/trends.js';
import type { HookSession } from './hooks.js';
import type { RunJournal } from './journal.js';
import type { MainThreadPauses } from './main-pause.js';
import type { ExecuteOptions } from './options.js';
import type { RunState } from './state.js';
import { buildSummary } from './summary.js';
import { timelineWarnings } from './warnings.js';

export interface RunContext {
  scenario: Scenario;
  o: ExecuteOptions;
  meta: RunMeta;
  /** Length of the excluded warm-up under the real load, whole intervals (ms). */
  excludeMs: number;
  /** The redacted config stored in the result. */
  config: unknown;
  agg: Aggregator;
  stats: TimelineStats;
  trendPoints: TrendPoints;
  journal: RunJournal;
  bus: ReporterBus;
  monitor: Monitor | null;
  /** The scenario's JavaScript hooks (setup done), or null. */
  hooks: HookSession | null;
  state: RunState;
  /** The main thread's pauses, per interval and over the run. */
  pauses: MainThreadPauses;
}

/** The verdict of a summary taken before the end. */
export const PENDING_VERDICT: Verdict = { passed: true, thresholds: [], endReason: 'completed' };

/**
 * The cumulative summary up to `endEpoch`, over the measured window (from the end of an
 * excluded warm-up); `lean`: without the encoded histograms (a mid-run judgement).
 */
export function summaryAt(ctx: RunContext, endEpoch: number, verdict: Verdict, warnings: Warning[], lean = false): Summary {
  const startEpoch = Math.min(endEpoch, ctx.state.startEpoch + ctx.excludeMs);
  const generator = { mainPause: ctx.pauses.summary(), warmup: ctx.state.warmup };
  return buildSummary({ meta: ctx.meta, agg: ctx.agg, stats: ctx.stats, endEpoch, startEpoch, verdict, warnings, generator, lean });
}

/** The warnings about the measurement and the run's events so far. */
export function runWarnings(ctx: RunContext): Warning[] {
  const { stats, agg } = ctx;
  // Side by side: each load's dropped and missed arrivals, in the scenario's order.
  const loads = ctx.meta.loads ? Object.fromEntries(Object.keys(ctx.meta.loads).map((n) => [n, { dropped: agg.loads.get(n)?.dropped ?? 0, missed: agg.loads.get(n)?.missed ?? 0 }])) : undefined;
  return [...timelineWarnings(stats, agg.dropped, agg.late, agg.missed, loads), ...ctx.state.warnings];
}

/** Tell the run's listener (the run handle) the warnings gathered since it was last told. */
export function tellWarnings(ctx: RunContext): void {
  const tell = ctx.o.listener?.warning;
  if (!tell) return;
  const { state } = ctx;
  for (; state.told < state.warnings.length; state.told++) tell(state.warnings[state.told]);
}

/** Save the cumulative figures up to `endEpoch` to checkpoint.json. */
export function checkpoint(ctx: RunContext, endEpoch: number): void {
  ctx.journal.checkpoint(() => {
    const summary = summaryAt(ctx, endEpoch, { ...PENDING_VERDICT, endReason: ctx.state.endReason }, runWarnings(ctx));
    const shortfall = ctx.stats.shortfall();
    if (shortfall !== null) summary.rateShortfall = shortfall;
    return { schemaVersion: RESULT_SCHEMA_VERSION, summary, config: ctx.config };
  });
}
