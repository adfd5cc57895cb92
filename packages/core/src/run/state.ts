/**
 * How a run stands: why it ends (completed until something stops it), the thresholds that
 * aborted it, the warnings gathered on the way, and the exception that failed it. Stopping
 * is asked for here; what a stop does (the aggregator told, the workers told) is given.
 */
import type { ThresholdResult, Verdict, Warning } from '../metrics/model.js';

export type StopReason = 'interrupt' | 'abort';

export class RunState {
  endReason: Verdict['endReason'] = 'completed';
  /** Abort-on-fail thresholds that stopped the run. */
  aborted: ThresholdResult[] = [];
  /** Warnings from the plan and from the run's events, besides those of the timeline. */
  readonly warnings: Warning[];
  /** An exception anywhere in the run: thrown after the results are written. */
  failure: { error: unknown } | null = null;
  /** The run was ended at once (a second Ctrl-C): workers were terminated on purpose. */
  forced = false;
  /** Epoch ms of the common start; 0 until the workers are ready. */
  startEpoch = 0;
  /** The unmeasured warm-up: asked length, and the requests the workers sent in it (known at the start). */
  readonly warmup: { durationMs: number; requests: number };
  /** How many of `warnings` the run's listener has been told. */
  told = 0;

  constructor(
    warnings: Warning[],
    warmupMs: number,
    private readonly onStop: (reason: StopReason) => void,
  ) {
    this.warnings = warnings;
    this.warmup = { durationMs: warmupMs, requests: 0 };
  }

  /** Stop the load for `why`; only the first stop counts. */
  stop(reason: StopReason, why: Verdict['endReason']): void {
    if (this.endReason !== 'completed') return;
    this.endReason = why;
    this.onStop(reason);
  }

  /** An exception anywhere in the run: it stops the load, the results are still written, then it is thrown. */
  fail(err: unknown): void {
    if (this.failure) return;
    this.failure = { error: err };
    this.warnings.push({ code: 'RUN_FAILED', severity: 'error', message: `the run failed: ${errorMessage(err)}` });
    this.stop('abort', 'error');
    this.endReason = 'error';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
