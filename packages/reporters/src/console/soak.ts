/** The soak part of the console summary: the one-line verdict and the trends behind it. */
import type { ChalkInstance } from 'chalk';
import { type Summary, type Trend } from '@loadctl/core';
import { formatSeriesValue, formatSlope } from '@loadctl/core/internal';
import { table } from './format.js';

const MAX_ROWS = 24;

/** Whether the run asked for a soak verdict: something monitored in the target, or a long enough run. */
function wanted(s: Summary): boolean {
  if (!s.soak) return false;
  if (s.soak.status !== 'too_short') return true;
  return (s.monitor ?? []).some((m) => m.kind === 'pid' || m.kind === 'cmd' || m.kind === 'url');
}

/** Performance series and the target's first, then the rest; everything not stable always shown. */
function shown(trends: readonly Trend[]): Trend[] {
  const key = (t: Trend): number => (t.verdict !== 'stable' ? 0 : t.metric.startsWith('target') ? 2 : t.metric.includes('.') && !t.metric.startsWith('latency.') ? 3 : 1);
  const sorted = [...trends].sort((a, b) => key(a) - key(b));
  const must = sorted.filter((t) => t.verdict !== 'stable');
  return sorted.slice(0, Math.max(MAX_ROWS, must.length)).sort((a, b) => trends.indexOf(a) - trends.indexOf(b));
}

export function renderSoak(s: Summary, c: ChalkInstance): string[] {
  if (!wanted(s)) return [];
  const v = s.soak!;
  const colour = v.status === 'stable' ? c.green : v.status === 'too_short' ? c.dim : v.status === 'leaking' ? c.red.bold : c.yellow.bold;
  const out = ['', c.bold.underline('Soak'), `  ${colour(v.headline)}`];
  const trends = s.trends ?? [];
  if (trends.length > 0) {
    const rows = [['series', 'trend', '95% CI', 'mean', 'verdict']];
    for (const t of shown(trends)) {
      const verdict = t.verdict === 'stable' ? 'stable' : t.verdict === 'growing' ? c.red(t.verdict) : c.yellow(t.verdict);
      rows.push([t.metric, formatSlope(t.slopePerHour, t.unit), `${formatSlope(t.low, t.unit)} .. ${formatSlope(t.high, t.unit)}`, formatSeriesValue(t.mean, t.unit), verdict]);
    }
    out.push(table(rows));
    if (trends.length > rows.length - 1) out.push(c.dim(`  ${trends.length - rows.length + 1} more stable series in result.json (trends)`));
    out.push(c.dim(`  trends per hour over the steady window ${Math.round(v.fromMs / 1000)}s..${Math.round(v.toMs / 1000)}s; see docs/soak.md for what the verdict means`));
  }
  return out;
}
