/**
 * The worker pool of one run, wired to it: the common start moves the run's start (and says
 * when a shard started after --start-at), snapshots go to the aggregator, and a worker lost
 * other than on purpose stops the run.
 */
import { WorkerPool } from '../engine/pool.js';
import type { Plan } from '../plan/worker-plan.js';
import type { RunContext } from './context.js';
import { errorMessage } from './state.js';

export function workerPool(ctx: RunContext, runPlan: Plan): WorkerPool {
  const { o, agg, state, meta } = ctx;
  return new WorkerPool({
    plans: runPlan.workers,
    intervalMs: meta.intervalMs,
    warmupMs: state.warmup.durationMs,
    httpClient: o.httpClient,
    arrivalTimer: o.arrivalTimer,
    startAt: o.startAt,
    onReady: (warmupRequests) => {
      state.warmup.requests += warmupRequests;
    },
    onStart: (e) => {
      state.startEpoch = e;
      ctx.pauses.start();
      if (o.startAt !== undefined && e > o.startAt) {
        state.warnings.push({
          code: 'SHARD_START_LATE',
          severity: 'warn',
          message: `started ${((e - o.startAt) / 1000).toFixed(1)} s after --start-at (workers were not ready in time); intervals stay aligned with the other shards`,
        });
      }
      meta.startedAt = Math.round(e);
      agg.start(e);
      ctx.monitor?.sampleNow();
    },
    onSnapshot: (s) => {
      try {
        if (s.hookErrors) for (const w of ctx.hooks?.observe(s) ?? []) o.listener?.warning?.(w);
        agg.add(s);
      } catch (err) {
        state.fail(err);
      }
    },
    onWorkerLost: (w, err) => {
      agg.workerLost(w);
      if (state.forced) return; // terminated on purpose
      state.warnings.push({ code: 'WORKER_CRASHED', severity: 'error', message: `worker ${w} crashed: ${errorMessage(err)}` });
      state.stop('abort', 'error');
    },
  });
}
