/**
 * A run's verdict in words, for test suites: which thresholds failed, what was measured
 * and what the limit was, in the metric's unit (ms, %, /s), and why the run ended.
 */
import type { RunResult, Summary, ThresholdResult, Verdict } from '../metrics/model.js';
import { scopeLabel } from '../metrics/scope-label.js';

/** What `assertPassed` and `toPass` accept: a run result (run, quick), its summary, or the verdict itself. */
export type VerdictSource = RunResult | Summary | Verdict;

/** Why a verdict did not pass, when the run says (absent in older results). */
interface Reason {
  code: string;
  message: string;
}

function isVerdict(v: unknown): v is Verdict {
  return typeof v === 'object' && v !== null && typeof (v as Verdict).passed === 'boolean' && Array.isArray((v as Verdict).thresholds);
}

/** The verdict inside a run result or summary. Throws TypeError for anything else. */
export function verdictOf(source: VerdictSource): Verdict {
  const s = source as Partial<RunResult & Summary>;
  const v: unknown = isVerdict(source) ? source : (s.summary?.verdict ?? s.verdict);
  if (!isVerdict(v)) throw new TypeError('expected a run result (from run or quick), its summary or its verdict');
  return v;
}

const num = (n: number, digits: number) => String(Number(n.toFixed(digits)));

/** A measured value or limit in its metric's unit: `312.4 ms`, `3.2%`, `450/s`, `1200`. */
export function formatMeasure(value: number | null, unit: string): string {
  if (value === null) return 'no data';
  switch (unit) {
    case 'ms':
      return value >= 1000 ? `${num(value / 1000, 3)} s` : `${num(value, 2)} ms`;
    case 'ratio':
      return `${num(value * 100, 3)}%`;
    case '1/s':
      return `${num(value, 1)}/s`;
    case 'count':
      return num(value, 0);
    default:
      return `${num(value, 3)} ${unit}`;
  }
}

/** One line per threshold: `✗ p(95) < 200ms (total): measured 312.4 ms, limit 200 ms`. */
export function describeThreshold(t: ThresholdResult): string {
  const label = scopeLabel(t);
  const where = label === 'total' ? '' : ` (${label})`;
  if (t.passed) return `✓ ${t.expression}${where}: ${formatMeasure(t.actual, t.unit)}`;
  const measured = t.actual === null ? 'nothing measured in this scope' : `measured ${formatMeasure(t.actual, t.unit)}`;
  return `✗ ${t.expression}${where}: ${measured}, limit ${formatMeasure(t.limit, t.unit)}${t.aborted ? ' (stopped the run)' : ''}`;
}

const ENDINGS: Record<Verdict['endReason'], string> = {
  completed: 'the run completed',
  threshold_abort: 'the run was stopped by an abort-on-fail threshold',
  rate_shortfall_abort: 'the run was stopped: the arrival rate was not reached (rateShortfall)',
  interrupted: 'the run was interrupted',
  error: 'the run ended with an error',
};

/** The verdict as a message: a headline, the failing thresholds first, then the passing ones. */
export function describeVerdict(source: VerdictSource): string {
  const v = verdictOf(source);
  const failed = v.thresholds.filter((t) => !t.passed);
  const reasons = ((v as Verdict & { reasons?: Reason[] }).reasons ?? []).filter((r) => r.code !== 'THRESHOLDS_FAILED');
  const head = v.passed
    ? `load test passed: ${v.thresholds.length} threshold${v.thresholds.length === 1 ? '' : 's'} held (${ENDINGS[v.endReason]})`
    : `load test failed: ${failed.length} of ${v.thresholds.length} threshold${v.thresholds.length === 1 ? '' : 's'} failed (${ENDINGS[v.endReason]})`;
  const lines = [head, ...reasons.map((r) => `  ${r.message}`), ...failed.map((t) => `  ${describeThreshold(t)}`), ...v.thresholds.filter((t) => t.passed).map((t) => `  ${describeThreshold(t)}`)];
  return lines.join('\n');
}
