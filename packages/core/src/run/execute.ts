/**
 * One run, start to end: preflight, worker pool, aggregator, the journal on disk (timeline
 * and checkpoints), reporter bus, thresholds (also mid-run for abort-on-fail), verdict and
 * the one Result. Every way out (completion, threshold abort, rate-shortfall abort, signal,
 * worker crash, exception) ends the reporters, in a `finally`, and writes the result files.
 *
 * This module is the sequence; the parts are: options.ts (what a run takes), meta.ts,
 * context.ts (what the stages share, the summary at any moment), interval.ts (each interval
 * on the main thread), guards.ts (mid-run aborts), pool.ts (the workers), finish.ts (the end).
 */
import { randomInt } from 'node:crypto';
import { Aggregator } from '../metrics/aggregator.js';
import type { RunResult } from '../metrics/model.js';
import { warmUpEncoding } from '../metrics/histogram.js';
import type { Result } from '../metrics/result.js';
import { TimelineStats } from '../metrics/timeline-stats.js';
import { TrendPoints } from '../soak/trends.js';
import type { WorkerPool } from '../engine/pool.js';
import { plan } from '../plan/plan.js';
import { ReporterBus } from '../reporting/bus.js';
import { badInput } from '../errors.js';
import type { Scenario } from '../scenario/model.js';
import type { Monitor } from '../monitor/index.js';
import { tellWarnings, type RunContext } from './context.js';
import { finishRun, returnedResult } from './finish.js';
import { intervalHandler } from './interval.js';
import { intervalContexts, scenarioCeilingProblems } from './loads.js';
import { runMeta } from './meta.js';
import type { ExecuteOptions } from './options.js';
import { openHooks, type HookSession } from './hooks.js';
import { workerPool } from './pool.js';
import { preflight } from './preflight.js';
import { startMonitoring } from './soak.js';
import { RunState } from './state.js';
import { RunJournal } from './journal.js';
import { MainThreadPauses } from './main-pause.js';
import { resolveWarmup } from './warmup.js';
import { defaultWorkers } from './workers.js';

export { DEFAULT_TIMELINE_LIMIT, type ExecuteOptions, type RunListener, type ThresholdJudge } from './options.js';

export async function execute(scenario: Scenario, o: ExecuteOptions): Promise<RunResult> {
  // A --monitor-cmd target is started (and awaited) before the preflight, and stopped on every way out.
  const monitor = await startMonitoring(o.monitor, scenario.target, o.intervalMs ?? 1000);
  try {
    return await executeRun(scenario, o, monitor);
  } finally {
    await monitor?.stop();
  }
}

async function executeRun(scenario: Scenario, o: ExecuteOptions, monitor: Monitor | null): Promise<RunResult> {
  const intervalMs = o.intervalMs ?? 1000;
  const excludeMs = Math.ceil(Math.max(0, o.excludeFirstMs ?? 0) / intervalMs) * intervalMs;
  // The seed is chosen here (when not given) so that the result records it: the same seed replays the same randomness.
  const seed = o.seed ?? randomInt(0, 2 ** 32 - 1);
  const runPlan = plan(scenario, { workers: Math.max(1, Math.floor(o.workers ?? defaultWorkers())), segment: o.segment, sequence: o.segmentSequence, seed });
  // Again here: overrides (--scale) and --workers change what the validated scenario asked of this machine.
  const beyond = scenarioCeilingProblems(scenario, { workers: runPlan.workers.length, share: runPlan.fraction, ceiling: o.loadCeiling });
  if (beyond.length > 0) throw badInput('E_LOAD_CEILING', beyond.map((p) => `${p.path}: ${p.problem}`).join('; '), beyond[0].expected);
  if (o.preflight !== false) await preflight(scenario.target);

  // this process's part of the requested rate (a shard runs its segment's fraction of the arrivals), each load's too
  const contexts = intervalContexts(scenario, runPlan.fraction);
  const warmup = resolveWarmup(scenario, o.warmupMs);
  const meta = runMeta(scenario, o, runPlan, intervalMs, warmup.ms, seed);
  const journal = new RunJournal({ dir: o.outDir, checkpointMs: o.checkpointMs });
  warmUpEncoding();
  // setup() runs once before the load, teardown() once after it (finishRun), on every way out.
  let hooks: HookSession | null;
  try {
    hooks = o.hookSession ?? (await openHooks(scenario, o.signal));
  } catch (err) {
    await journal.close();
    throw err;
  }
  hooks?.attach(runPlan);

  let pool: WorkerPool | null = null;
  const state = new RunState(
    [...runPlan.notes.map((n) => ({ code: 'PLAN', ...n })), ...(warmup.note ? [warmup.note] : [])],
    warmup.ms,
    (reason) => {
      ctx.agg.stop();
      pool?.broadcast({ type: 'stop', reason });
    },
  );
  const ctx: RunContext = {
    scenario,
    o,
    meta,
    excludeMs,
    config: o.config ?? null,
    stats: new TimelineStats(intervalMs),
    trendPoints: new TrendPoints(),
    journal,
    bus: new ReporterBus(o.reporters ?? []),
    monitor,
    hooks,
    state,
    pauses: new MainThreadPauses(),
    agg: new Aggregator(
      runPlan.workers.length,
      intervalMs,
      {
        targetRate: contexts.run.targetRate,
        stageAt: contexts.run.stageAt,
        plannedDurationMs: meta.plannedDurationMs,
        excludeBeforeMs: excludeMs,
        loads: contexts.loads,
      },
      (i) => onInterval(i),
    ),
  };
  const onInterval = intervalHandler(ctx);

  const onSignal = (): void => state.stop('interrupt', 'interrupted');
  const onGraceful = (): void => state.stop('abort', 'interrupted');
  const onForce = (): void => {
    state.forced = true;
    if (state.endReason === 'completed') state.stop('interrupt', 'interrupted');
    ctx.bus.hurry();
    void pool?.destroy();
  };

  let result: Result | null = null;
  try {
    await ctx.bus.start(meta);
    o.listener?.start?.(meta);
    tellWarnings(ctx);
    if (o.signal?.aborted || o.gracefulSignal?.aborted) state.endReason = 'interrupted';
    o.signal?.addEventListener('abort', onSignal, { once: true });
    o.gracefulSignal?.addEventListener('abort', onGraceful, { once: true });
    if (o.forceSignal?.aborted) onForce();
    o.forceSignal?.addEventListener('abort', onForce, { once: true });
    if (state.endReason === 'completed') {
      pool = workerPool(ctx, runPlan);
      try {
        await pool.run();
      } finally {
        await pool.destroy();
      }
    }
  } catch (err) {
    state.fail(err);
  } finally {
    o.signal?.removeEventListener('abort', onSignal);
    o.gracefulSignal?.removeEventListener('abort', onGraceful);
    result = await finishRun(ctx);
    o.forceSignal?.removeEventListener('abort', onForce);
  }
  if (state.failure !== null) {
    await journal.close();
    throw state.failure.error;
  }
  return returnedResult(ctx, result);
}
