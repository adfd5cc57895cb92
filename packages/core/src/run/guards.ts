/**
 * The mid-run guards that stop a run early: abort-on-fail thresholds over the cumulative
 * figures so far, and a requested rate not achieved for longer than its grace period.
 */
import type { Interval, Summary, ThresholdResult, Warning } from '../metrics/model.js';
import type { RateShortfallPolicy } from '../scenario/model.js';
import type { ThresholdJudge } from './options.js';

/** The abort-on-fail thresholds that are due and failing ([] when none, or no judge asks). */
export function failingAbortThresholds(judge: ThresholdJudge | undefined, summary: () => Summary, elapsedMs: number): ThresholdResult[] {
  if (!judge?.shouldAbort) return [];
  return judge.shouldAbort(summary(), elapsedMs);
}

/** Watches the achieved rate interval by interval (open model, `rateShortfall.abort`): the run's, or one side-by-side load's. */
export class RateShortfallGuard {
  /** Start of the current run of short intervals. */
  private since: number | null = null;

  constructor(
    private readonly rule: RateShortfallPolicy | undefined,
    /** The load whose rate it watches (its part of each interval); undefined: the run's. */
    private readonly load?: string,
  ) {}

  /** The abort warning once the rate has been short by more than allowed for the grace period, else null. */
  check(i: Interval): Warning | null {
    const rs = this.rule;
    const r = this.load === undefined ? i : i.loads?.[this.load];
    if (!rs?.abort || r?.targetRate === undefined || r.achievedRate === undefined || !(r.targetRate > 0)) return null;
    const short = 1 - r.achievedRate / r.targetRate;
    if (short <= rs.maxShortfall) {
      this.since = null;
      return null;
    }
    this.since ??= i.start;
    if (i.end - this.since < rs.graceMs) return null;
    return {
      code: 'RATE_SHORTFALL_ABORT',
      severity: 'error',
      message: `run aborted: ${this.load === undefined ? '' : `load "${this.load}": `}achieved rate ${(short * 100).toFixed(1)}% below the requested rate for ${((i.end - this.since) / 1000).toFixed(0)} s`,
    };
  }
}
