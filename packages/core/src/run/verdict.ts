/**
 * The verdict of a run, and why it did not pass. A run passes only when it completed,
 * every threshold passed and at least one request succeeded: a run in which nothing
 * succeeded (a dead port, every request timed out or answered >= 400) is never PASSED,
 * thresholds or not, and an interrupted or aborted run is never PASSED either.
 */
import type { RequestStats, ThresholdResult, Verdict, VerdictReason } from '../metrics/model.js';

export interface VerdictInput {
  endReason: Verdict['endReason'];
  thresholds: ThresholdResult[];
  total: Pick<RequestStats, 'count' | 'failed' | 'errors' | 'statuses'>;
}

const END_REASONS: Record<Exclude<Verdict['endReason'], 'completed'>, VerdictReason> = {
  interrupted: { code: 'INTERRUPTED', message: 'the run was interrupted before it completed' },
  threshold_abort: { code: 'THRESHOLD_ABORT', message: 'a threshold with abortOnFail stopped the run' },
  rate_shortfall_abort: { code: 'RATE_SHORTFALL_ABORT', message: 'the achieved arrival rate fell short and the run was aborted' },
  error: { code: 'ERROR', message: 'the run stopped because of an error' },
};

/** "40 connect_refused", "12 timeout, 3 × 503": what the failed requests were. */
function describeFailures(total: VerdictInput['total']): string {
  const parts: string[] = [];
  for (const [kind, n] of Object.entries(total.errors)) if (n) parts.push(`${n} ${kind}`);
  for (const [status, n] of Object.entries(total.statuses)) if (Number(status) >= 400 && n) parts.push(`${n} × ${status}`);
  return parts.join(', ');
}

export function decideVerdict(x: VerdictInput): Verdict {
  const reasons: VerdictReason[] = [];
  if (x.endReason !== 'completed') reasons.push(END_REASONS[x.endReason]);
  const failed = x.thresholds.filter((t) => !t.passed).length;
  if (failed > 0) reasons.push({ code: 'THRESHOLDS_FAILED', message: `${failed} of ${x.thresholds.length} thresholds failed` });
  if (x.total.count === 0) {
    // An interrupt before the first request is said by INTERRUPTED already.
    if (x.endReason === 'completed') reasons.push({ code: 'NO_REQUESTS', message: 'no request was completed' });
  } else if (x.total.failed >= x.total.count) {
    reasons.push({ code: 'NO_SUCCESSFUL_REQUESTS', message: `no request succeeded (${x.total.count} sent: ${describeFailures(x.total)})` });
  }
  return { passed: reasons.length === 0, thresholds: x.thresholds, endReason: x.endReason, reasons };
}
