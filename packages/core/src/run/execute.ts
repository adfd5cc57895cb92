/**
 * One run, start to end: preflight, worker pool, aggregator, the journal on disk (timeline
 * and checkpoints), reporter bus, thresholds (also mid-run for abort-on-fail), verdict and
 * the one Result. Every way out (completion, threshold abort, rate-shortfall abort, signal,
 * worker crash, exception) ends the reporters, in a `finally`, and writes the result files.
 */
import { randomUUID } from 'node:crypto';
import { Aggregator } from '../metrics/aggregator.js';
import type { Interval, RunMeta, RunResult, Summary, ThresholdResult, Verdict, Warning } from '../metrics/model.js';
import { RESULT_SCHEMA_VERSION } from '../metrics/model.js';
import { warmUpEncoding } from '../metrics/histogram.js';
import { timelineArray, type Result } from '../metrics/result.js';
import { TimelineStats } from '../metrics/timeline-stats.js';
import { TrendPoints } from '../soak/trends.js';
import type { HttpClientKind } from '../engine/connections.js';
import type { ArrivalTimerKind } from '../engine/precise-timer.js';
import { WorkerPool } from '../engine/pool.js';
import { plan } from '../plan/plan.js';
import type { Segment, SegmentSequence } from '../plan/segment.js';
import { ArrivalSchedule, stageIndexAt, stageLabel, totalDurationMs } from '../plan/stages.js';
import { ReporterBus } from '../reporting/bus.js';
import type { Reporter } from '../reporting/reporter.js';
import { badInput } from '../errors.js';
import { loadCeilingProblems, type LoadCeilingOption } from '../scenario/ceiling.js';
import type { Scenario } from '../scenario/model.js';
import { redactUrlSecrets } from '../scenario/redact.js';
import { LOADCTL_VERSION } from '../version.js';
import { preflight } from './preflight.js';
import { buildSummary } from './summary.js';
import { decideVerdict } from './verdict.js';
import { RunJournal } from './journal.js';
import { reporterWarnings, timelineWarnings } from './warnings.js';
import { defaultWorkers } from './workers.js';
import { finishSoak, joinSample, startMonitoring, type SoakOptions } from './soak.js';
import type { Monitor } from '../monitor/index.js';

/** Intervals of timeline `run()` returns in memory by default: an hour at 1-s intervals. */
export const DEFAULT_TIMELINE_LIMIT = 3600;

/** Decides thresholds; supplied by the thresholds module (kept apart so the engine never depends on it). */
export interface ThresholdJudge {
  /** Final verdict over the whole run. */
  evaluate(summary: Summary): ThresholdResult[];
  /** Mid-run: results of abort-on-fail thresholds that are due and failing, from cumulative stats. */
  shouldAbort?(summary: Summary, elapsedMs: number): ThresholdResult[];
}

export interface ExecuteOptions extends SoakOptions {
  kind: 'quick' | 'scenario';
  /** Worker threads; default: cores - 1 (at least 1). */
  workers?: number;
  intervalMs?: number;
  /**
   * Send load for this long before the run without measuring it (like autocannon's
   * --warmup): a cold JIT makes a generator's first seconds slow and their latencies high.
   */
  warmupMs?: number;
  /**
   * Leave the first N ms of the load (rounded up to whole intervals) out of the summary,
   * thresholds and warnings, while still streaming those intervals to reporters and
   * keeping them in the timeline: a warm-up under the real load (used by `capacity`).
   */
  excludeFirstMs?: number;
  reporters?: Reporter[];
  /** HTTP client for plain http targets: `fast` (lean HTTP/1.1 over net, the default) or `undici`. https always uses undici. */
  httpClient?: HttpClientKind;
  /** Open model: how workers wait for arrivals, `precise` (sub-millisecond, the default) or `coarse` (Node's 1 ms timers). */
  arrivalTimer?: ArrivalTimerKind;
  /** Aborting it stops the run like SIGINT: in-flight requests are dropped, results are kept. */
  signal?: AbortSignal;
  /**
   * Aborting it ends the run at once (a second Ctrl-C): worker threads are terminated (what
   * they measured since their last snapshot is lost), sinks are not waited for; the result
   * files are still written with what was measured.
   */
  forceSignal?: AbortSignal;
  /** Connect once before the run and fail with exit 3 if the target is unreachable. Default true. */
  preflight?: boolean;
  /** This process's part of the whole load (a shard of a distributed run); default all of it. */
  segment?: Segment;
  /** The partition every shard's segment belongs to (k6's segment sequence); default see placeSegment. */
  segmentSequence?: SegmentSequence;
  /** Seed of the run's PRNGs (think times, random rows, template functions); default random. */
  seed?: number;
  /**
   * Epoch ms at which the load starts, so that shards started independently begin together
   * (`--start-at`). Workers are started beforehand and wait for it; when they are ready too
   * late, the load starts at the next interval boundary after it (intervals of every shard
   * stay aligned) and a SHARD_START_LATE warning says by how much.
   */
  startAt?: number;
  /** The redacted config stored in the result. */
  config?: unknown;
  tags?: Record<string, string>;
  judge?: ThresholdJudge;
  /** Human summary of the load model for the meta. */
  model?: string;
  /** Per-worker load ceilings (scenario/ceiling.ts); `false` lifts them. Default: the documented ceilings. */
  loadCeiling?: LoadCeilingOption;
  /**
   * Directory of the run's timeline (timeline.jsonl) and checkpoints (checkpoint.json); the
   * same as the result files' in the CLI. Without it the timeline goes to a temp directory
   * removed at the end, and there are no checkpoints.
   */
  outDir?: string;
  /** How often the cumulative figures are saved to checkpoint.json (ms). Default 60 000; 0: never. */
  checkpointMs?: number;
  /**
   * The returned result holds the timeline (read back from timeline.jsonl) when the run has at
   * most this many intervals; longer runs return an empty `timeline` (read it with
   * `readTimeline(outDir + '/timeline.jsonl')` or from result.json). Default 3600; 0: never.
   */
  timelineLimit?: number;
}

function describeModel(s: Scenario): string {
  const l = s.load;
  if (l.model === 'closed') {
    const peak = Math.max(...l.stages.map((x) => x.users));
    return l.iterations !== undefined ? `closed ${peak} users, ${l.iterations} iterations` : `closed ${peak} users`;
  }
  const peak = Math.max(l.startRate, ...l.stages.map((x) => x.rate));
  return `open up to ${peak}/s, max ${l.maxInFlight} in flight`;
}

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
  const runPlan = plan(scenario, { workers: Math.max(1, Math.floor(o.workers ?? defaultWorkers())), segment: o.segment, sequence: o.segmentSequence, seed: o.seed });
  const workers = runPlan.workers.length;
  // Again here: overrides (--scale) and --workers change what the validated scenario asked of this machine.
  const beyond = loadCeilingProblems(scenario.load, { workers, share: runPlan.fraction, ceiling: o.loadCeiling });
  if (beyond.length > 0) throw badInput('E_LOAD_CEILING', beyond.map((p) => `${p.path}: ${p.problem}`).join('; '), beyond[0].expected);
  if (o.preflight !== false) await preflight(scenario.target);

  const load = scenario.load;
  const schedule = load.model === 'open' ? new ArrivalSchedule(load.startRate, load.stages) : null;
  const plannedDurationMs = totalDurationMs(load);
  const meta: RunMeta = {
    runId: randomUUID(),
    scenario: scenario.name,
    target: redactUrlSecrets(scenario.target, scenario.secrets?.query),
    kind: o.kind,
    startedAt: Date.now(),
    workers,
    plannedDurationMs: load.model === 'closed' && load.iterations !== undefined ? undefined : plannedDurationMs,
    intervalMs,
    segment: runPlan.segment,
    loadctlVersion: LOADCTL_VERSION,
    model: o.model ?? describeModel(scenario),
    tags: { ...scenario.tags, ...o.tags },
  };

  const config = o.config ?? null;
  const journal = new RunJournal({ dir: o.outDir, checkpointMs: o.checkpointMs });
  warmUpEncoding();
  const stats = new TimelineStats(intervalMs);
  const trendPoints = new TrendPoints();
  const bus = new ReporterBus(o.reporters ?? []);

  const state: { endReason: Verdict['endReason'] } = { endReason: 'completed' };
  let aborted: ThresholdResult[] = [];
  const extraWarnings: Warning[] = runPlan.notes.map((n) => ({ code: 'PLAN', ...n }));
  let shortfallSince: number | null = null;
  let pool: WorkerPool | null = null;
  let startEpoch = 0;

  const stop = (reason: 'interrupt' | 'abort', why: Verdict['endReason']): void => {
    if (state.endReason !== 'completed') return;
    state.endReason = why;
    agg.stop();
    pool?.broadcast({ type: 'stop', reason });
  };

  // The summary covers the measured window: from the end of an excluded warm-up.
  const measuredFrom = (end: number): number => Math.min(end, startEpoch + excludeMs);
  const pendingVerdict: Verdict = { passed: true, thresholds: [], endReason: 'completed' };
  const summaryAt = (endEpoch: number, verdict: Verdict, warnings: Warning[]): Summary =>
    buildSummary({ meta, agg, stats, endEpoch, startEpoch: measuredFrom(endEpoch), verdict, warnings });
  const checkpoint = (endEpoch: number): void =>
    journal.checkpoint(() => {
      const summary = summaryAt(endEpoch, { ...pendingVerdict, endReason: state.endReason }, [
        ...timelineWarnings(stats, agg.dropped, agg.late, agg.missed),
        ...extraWarnings,
      ]);
      const shortfall = stats.shortfall();
      if (shortfall !== null) summary.rateShortfall = shortfall;
      return { schemaVersion: RESULT_SCHEMA_VERSION, summary, config };
    });

  const onInterval = (i: Interval): void => {
    joinSample(monitor, i);
    journal.append(i);
    trendPoints.add(i);
    // An excluded warm-up stays in the timeline but not in the run's figures.
    if (i.start - startEpoch >= excludeMs) stats.add(i);
    bus.interval(i);
    if (journal.checkpointDue(i)) checkpoint(i.end);
    if (state.endReason !== 'completed') return;
    // Abort-on-fail thresholds, judged on the cumulative stats so far.
    if (o.judge?.shouldAbort) {
      const failing = o.judge.shouldAbort(summaryAt(performance.timeOrigin + performance.now(), pendingVerdict, []), i.elapsedMs);
      if (failing.length > 0) {
        aborted = failing;
        stop('abort', 'threshold_abort');
      }
    }
    // Requested rate not achieved for longer than the grace period.
    const rs = scenario.rateShortfall;
    if (rs?.abort && i.targetRate !== undefined && i.achievedRate !== undefined && i.targetRate > 0) {
      const short = 1 - i.achievedRate / i.targetRate;
      if (short > rs.maxShortfall) {
        shortfallSince ??= i.start;
        if (i.end - shortfallSince >= rs.graceMs) {
          extraWarnings.push({
            code: 'RATE_SHORTFALL_ABORT',
            severity: 'error',
            message: `run aborted: achieved rate ${(short * 100).toFixed(1)}% below the requested rate for ${((i.end - shortfallSince) / 1000).toFixed(0)} s`,
          });
          stop('abort', 'rate_shortfall_abort');
        }
      } else shortfallSince = null;
    }
  };

  const agg = new Aggregator(
    workers,
    intervalMs,
    {
      // this process's part of the requested rate (a shard runs its segment's fraction of the arrivals)
      targetRate: schedule ? (a, b) => (((schedule.arrivalsBefore(b) - schedule.arrivalsBefore(a)) * 1000) / (b - a)) * runPlan.fraction : undefined,
      stageAt: (t) => stageLabel(load.stages, stageIndexAt(load.stages, t)),
      plannedDurationMs: meta.plannedDurationMs,
      excludeBeforeMs: excludeMs,
    },
    onInterval,
  );

  const onSignal = (): void => stop('interrupt', 'interrupted');
  let forced = false;
  const onForce = (): void => {
    forced = true;
    if (state.endReason === 'completed') stop('interrupt', 'interrupted');
    bus.hurry();
    void pool?.destroy();
  };
  let failure: { error: unknown } | null = null;
  /** An exception anywhere in the run: it stops the load, the results are still written, then it is thrown. */
  const fail = (err: unknown): void => {
    if (failure) return;
    failure = { error: err };
    extraWarnings.push({ code: 'RUN_FAILED', severity: 'error', message: `the run failed: ${errorMessage(err)}` });
    stop('abort', 'error');
    state.endReason = 'error';
  };

  let result: Result | null = null;
  try {
    await bus.start(meta);
    if (o.signal?.aborted) state.endReason = 'interrupted';
    o.signal?.addEventListener('abort', onSignal, { once: true });
    if (o.forceSignal?.aborted) onForce();
    o.forceSignal?.addEventListener('abort', onForce, { once: true });
    if (state.endReason === 'completed') {
      pool = new WorkerPool({
        plans: runPlan.workers,
        intervalMs,
        warmupMs: o.warmupMs ?? 0,
        httpClient: o.httpClient,
        arrivalTimer: o.arrivalTimer,
        startAt: o.startAt,
        onStart: (e) => {
          startEpoch = e;
          if (o.startAt !== undefined && e > o.startAt) {
            extraWarnings.push({
              code: 'SHARD_START_LATE',
              severity: 'warn',
              message: `started ${((e - o.startAt) / 1000).toFixed(1)} s after --start-at (workers were not ready in time); intervals stay aligned with the other shards`,
            });
          }
          meta.startedAt = Math.round(e);
          agg.start(e);
          monitor?.sampleNow();
        },
        onSnapshot: (s) => {
          try {
            agg.add(s);
          } catch (err) {
            fail(err);
          }
        },
        onWorkerLost: (w, err) => {
          agg.workerLost(w);
          if (forced) return; // terminated on purpose
          extraWarnings.push({ code: 'WORKER_CRASHED', severity: 'error', message: `worker ${w} crashed: ${errorMessage(err)}` });
          stop('abort', 'error');
        },
      });
      try {
        await pool.run();
      } finally {
        await pool.destroy();
      }
    }
  } catch (err) {
    fail(err);
  } finally {
    o.signal?.removeEventListener('abort', onSignal);
    result = await finish();
  }
  if (failure !== null) {
    await journal.close();
    throw (failure as { error: unknown }).error;
  }
  return returned(result);

  /** Verdict, warnings, the Result, and the ends of every reporter. Never throws. */
  async function finish(): Promise<Result> {
    await monitor?.stop();
    // The run ends when the workers last measured, not after their shutdown.
    const endEpoch = agg.lastSnapshotAt > startEpoch && startEpoch > 0 ? agg.lastSnapshotAt : performance.timeOrigin + performance.now();
    if (startEpoch === 0) {
      startEpoch = endEpoch;
      agg.start(endEpoch);
    }
    agg.finish(endEpoch);
    await journal.finish();

    const endReason = state.endReason;
    const summary = summaryAt(endEpoch, { passed: false, thresholds: [], endReason }, []);
    extraWarnings.push(...finishSoak(summary, trendPoints, monitor, { stagesMs: load.stages.map((st) => st.durationMs), trendWarmupMs: o.trendWarmupMs }));
    let thresholds: ThresholdResult[] = [];
    try {
      thresholds = o.judge ? o.judge.evaluate(summary) : [];
    } catch (err) {
      extraWarnings.push({ code: 'THRESHOLDS_FAILED', severity: 'error', message: `thresholds could not be evaluated: ${errorMessage(err)}` });
    }
    for (const t of thresholds) if (aborted.some((a) => a.scope === t.scope && a.expression === t.expression)) t.aborted = true;
    summary.verdict = decideVerdict({ endReason, thresholds, total: summary.total });
    const shortfall = stats.shortfall();
    if (shortfall !== null) summary.rateShortfall = shortfall;

    // Sinks first, so that what they lost is a warning of the result the files are written from.
    await bus.endSinks(summary);
    const before = summary.reporters;
    summary.warnings = [...timelineWarnings(stats, agg.dropped, agg.late, agg.missed), ...extraWarnings, ...journal.warnings(), ...reporterWarnings(before)];
    const r: Result = { schemaVersion: RESULT_SCHEMA_VERSION, summary, timeline: journal.timeline(), config };
    await bus.endOutputs(summary, r);
    o.forceSignal?.removeEventListener('abort', onForce);
    // A file or output reporter that failed at its end is known only now: that reaches the
    // returned summary (and the console), not the files already written.
    const late = Object.fromEntries(Object.entries(summary.reporters).filter(([name, h]) => h.errors > (before[name]?.errors ?? 0)));
    summary.warnings.push(...reporterWarnings(late));
    agg.requests.destroy();
    agg.flows.destroy();
    return r;
  }

  async function returned(r: Result): Promise<RunResult> {
    const limit = o.timelineLimit ?? DEFAULT_TIMELINE_LIMIT;
    try {
      const timeline = r.timeline.length <= limit ? await timelineArray(r.timeline) : [];
      return { ...r, timeline };
    } finally {
      await journal.close();
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
