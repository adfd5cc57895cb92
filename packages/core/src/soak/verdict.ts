/**
 * The soak verdict in one line, over the trends: did the target look stable, leaking
 * (a target resource growing) or degrading (latency or errors up, RPS down), and why.
 */
import { formatSlope, formatSeriesValue } from '../metrics/series.js';
import type { SoakVerdict, Trend } from '../metrics/model.js';
import { MIN_TREND_POINTS, spanText } from './trends.js';

const SHOWN = 2;

function describe(t: Trend, hours: number): string {
  const change = t.slopePerHour * hours;
  return (
    `${t.metric} ${t.verdict} ${formatSlope(t.slopePerHour, t.unit)} ` +
    `(95% CI ${formatSlope(t.low, t.unit)} .. ${formatSlope(t.high, t.unit)}; ` +
    `${change >= 0 ? '+' : ''}${formatSeriesValue(change, t.unit)} over the window, mean ${formatSeriesValue(t.mean, t.unit)})`
  );
}

function list(ts: Trend[], hours: number): string {
  const shown = ts.slice(0, SHOWN).map((t) => describe(t, hours));
  return shown.join('; ') + (ts.length > SHOWN ? `; and ${ts.length - SHOWN} more` : '');
}

/** Biggest relative change first. */
function byWeight(ts: Trend[], hours: number): Trend[] {
  const w = (t: Trend): number => Math.abs(t.slopePerHour * hours) / Math.max(Math.abs(t.mean), 1e-12);
  return [...ts].sort((a, b) => w(b) - w(a));
}

const isTarget = (t: Trend): boolean => t.metric === 'target' || t.metric.startsWith('target.');

/** One line for the console summary and the HTML report; `fromMs`/`toMs` is the steady window. */
export function soakVerdict(trends: readonly Trend[], fromMs: number, toMs: number): SoakVerdict {
  const hours = Math.max(0, toMs - fromMs) / 3_600_000;
  const window = spanText(hours);
  if (trends.length === 0) {
    return {
      status: 'too_short',
      headline: `too short to judge trends: fewer than ${MIN_TREND_POINTS} full intervals after the trend warm-up (a soak run needs minutes to hours)`,
      fromMs,
      toMs,
    };
  }
  const growing = byWeight(trends.filter((t) => t.verdict === 'growing' && isTarget(t)), hours);
  const degrading = byWeight(trends.filter((t) => t.verdict === 'degrading'), hours);
  const elsewhere = trends.filter((t) => t.verdict === 'growing' && !isTarget(t));
  const aside = elsewhere.length > 0 ? `; also growing, not in the target: ${elsewhere.map((t) => `${t.metric} ${formatSlope(t.slopePerHour, t.unit)}`).join(', ')}` : '';
  if (growing.length > 0) {
    const also = degrading.length > 0 ? `; degrading: ${degrading.map((t) => t.metric).join(', ')}` : '';
    return { status: 'leaking', headline: `target looked LEAKING over ${window}: ${list(growing, hours)}${also}${aside}`, fromMs, toMs };
  }
  if (degrading.length > 0) {
    return { status: 'degrading', headline: `target looked DEGRADING over ${window}: ${list(degrading, hours)}${aside}`, fromMs, toMs };
  }
  const targetSeries = trends.filter(isTarget);
  const why =
    targetSeries.length > 0
      ? `no target series grew beyond noise (${targetSeries
          .slice(0, 3)
          .map((t) => `${t.metric} ${formatSlope(t.slopePerHour, t.unit)}`)
          .join(', ')}${targetSeries.length > 3 ? ', …' : ''}); latency, error rate and rps steady`
      : 'latency, error rate and rps steady; no target resources were monitored (--monitor-pid, --monitor-cmd or --monitor-url)';
  return { status: 'stable', headline: `target looked stable over ${window}: ${why}${aside}`, fromMs, toMs };
}
