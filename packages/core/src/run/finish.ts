/**
 * The end of a run, on every way out: the summary over the measured window, the soak
 * verdict, thresholds and the verdict, sinks ended first (what they lost is a warning of
 * the result), then the Result written by the outputs; and the result `execute` returns.
 */
import type { RunResult, ThresholdResult } from '../metrics/model.js';
import { RESULT_SCHEMA_VERSION } from '../metrics/model.js';
import { timelineArray, type Result } from '../metrics/result.js';
import { runWarnings, summaryAt, type RunContext } from './context.js';
import { DEFAULT_TIMELINE_LIMIT } from './options.js';
import { errorMessage } from './state.js';
import { trendStagesMs } from './loads.js';
import { finishSoak } from './soak.js';
import { decideVerdict } from './verdict.js';
import { generatorWarnings, reporterWarnings } from './warnings.js';

/** Verdict, warnings, the Result, and the ends of every reporter. Never throws. */
export async function finishRun(ctx: RunContext): Promise<Result> {
  const { agg, state, journal, bus, o } = ctx;
  await ctx.monitor?.stop();
  ctx.pauses.stop();
  if (ctx.hooks && !o.hookSession) state.warnings.push(...(await ctx.hooks.teardown(state.endReason)));
  // The run ends when the workers last measured, not after their shutdown.
  const endEpoch = agg.lastSnapshotAt > state.startEpoch && state.startEpoch > 0 ? agg.lastSnapshotAt : performance.timeOrigin + performance.now();
  if (state.startEpoch === 0) {
    state.startEpoch = endEpoch;
    agg.start(endEpoch);
  }
  agg.finish(endEpoch);
  await journal.finish();

  const endReason = state.endReason;
  const summary = summaryAt(ctx, endEpoch, { passed: false, thresholds: [], endReason }, []);
  const stagesMs = trendStagesMs(ctx.scenario);
  state.warnings.push(...finishSoak(summary, ctx.trendPoints, ctx.monitor, { stagesMs, trendWarmupMs: o.trendWarmupMs }));
  let thresholds: ThresholdResult[] = [];
  try {
    thresholds = o.judge ? o.judge.evaluate(summary) : [];
  } catch (err) {
    state.warnings.push({ code: 'THRESHOLDS_FAILED', severity: 'error', message: `thresholds could not be evaluated: ${errorMessage(err)}` });
  }
  for (const t of thresholds) if (state.aborted.some((a) => a.scope === t.scope && a.load === t.load && a.expression === t.expression)) t.aborted = true;
  summary.verdict = decideVerdict({ endReason, thresholds, total: summary.total });
  const shortfall = ctx.stats.shortfall();
  if (shortfall !== null) summary.rateShortfall = shortfall;

  // Sinks first, so that what they lost is a warning of the result the files are written from.
  await bus.endSinks(summary);
  const before = summary.reporters;
  summary.warnings = [...runWarnings(ctx), ...generatorWarnings(summary), ...(ctx.hooks?.warnings() ?? []), ...journal.warnings(), ...reporterWarnings(before)];
  const r: Result = { schemaVersion: RESULT_SCHEMA_VERSION, summary, timeline: journal.timeline(), config: ctx.config };
  await bus.endOutputs(summary, r);
  // A file or output reporter that failed at its end is known only now: that reaches the
  // returned summary (and the console), not the files already written.
  const late = Object.fromEntries(Object.entries(summary.reporters).filter(([name, h]) => h.errors > (before[name]?.errors ?? 0)));
  summary.warnings.push(...reporterWarnings(late));
  agg.requests.destroy();
  agg.flows.destroy();
  agg.generatorDelay.destroy();
  return r;
}

/** The result `execute` returns: the timeline in memory when it is at most `timelineLimit` intervals; the journal closed. */
export async function returnedResult(ctx: RunContext, r: Result): Promise<RunResult> {
  const limit = ctx.o.timelineLimit ?? DEFAULT_TIMELINE_LIMIT;
  try {
    const timeline = r.timeline.length <= limit ? await timelineArray(r.timeline) : [];
    return { ...r, timeline };
  } finally {
    await ctx.journal.close();
  }
}
