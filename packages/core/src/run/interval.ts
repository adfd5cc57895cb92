/**
 * What the main thread does with each interval the aggregator emits: the monitor's sample
 * joined, the journal and trends fed, the running statistics updated (an excluded warm-up
 * stays in the timeline but not in the run's figures), the reporters given it, a checkpoint
 * when due, and the mid-run guards consulted.
 */
import type { Interval } from '../metrics/model.js';
import { checkpoint, PENDING_VERDICT, summaryAt, tellWarnings, type RunContext } from './context.js';
import { failingAbortThresholds, RateShortfallGuard } from './guards.js';
import { scenarioLoads } from '../scenario/loads.js';
import { joinSample } from './soak.js';

/** The aggregator's `onInterval` for this run. */
export function intervalHandler(ctx: RunContext): (i: Interval) => void {
  // Each load's own rate-shortfall rule, side by side.
  const guards = scenarioLoads(ctx.scenario).map((e) => new RateShortfallGuard(e.rateShortfall, e.name));
  return (i) => {
    const { state } = ctx;
    const measured = i.start - state.startEpoch >= ctx.excludeMs;
    i.generator.mainPauseMs = ctx.pauses.take(measured);
    joinSample(ctx.monitor, i);
    ctx.journal.append(i);
    ctx.trendPoints.add(i);
    if (measured) ctx.stats.add(i);
    ctx.bus.interval(i);
    ctx.o.listener?.interval?.(i);
    tellWarnings(ctx);
    if (ctx.journal.checkpointDue(i)) checkpoint(ctx, i.end);
    if (state.endReason !== 'completed') return;
    const failing = failingAbortThresholds(ctx.o.judge, () => summaryAt(ctx, performance.timeOrigin + performance.now(), PENDING_VERDICT, [], true), i.elapsedMs);
    if (failing.length > 0) {
      state.aborted = failing;
      for (const t of failing) ctx.o.listener?.threshold?.({ ...t, aborted: true });
      state.stop('abort', 'threshold_abort');
    }
    for (const guard of guards) {
      const short = guard.check(i);
      if (short && state.endReason === 'completed') {
        state.warnings.push(short);
        state.stop('abort', 'rate_shortfall_abort');
      }
    }
  };
}
