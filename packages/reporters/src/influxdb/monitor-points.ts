/**
 * Monitored series and trends as InfluxDB points (schema in docs/reporters.md and docs/soak.md):
 *
 *   loadctl_monitor  tags: run tags + source ("target", "target.api", "generator", "host")
 *                    fields: the source's series, e.g. rss, cpu, fds, threads, tcp.established,
 *                    heap, lag, mem.used, load1, process_resident_memory_bytes (float)
 *                    one point per source per interval, timestamp = interval end
 *   loadctl_trends   tags: run tags + metric, unit, verdict
 *                    fields: slope_per_hour, low, high, mean, points; one per trend at the end
 */
import { Point } from '@influxdata/influxdb-client';
import type { Interval, Summary } from '@loadctl/core';

export const MONITOR_MEASUREMENTS = { monitor: 'loadctl_monitor', trends: 'loadctl_trends' } as const;

function point(measurement: string, tags: Record<string, string>, ts: number): Point {
  const p = new Point(measurement);
  for (const [k, v] of Object.entries(tags)) if (v !== '' && k !== '') p.tag(k, v);
  p.timestamp(Math.round(ts));
  return p;
}

/** A field key for a series: label selectors of scraped series ({space="old"}) flattened to plain characters. */
export function monitorField(series: string): string {
  return series.replace(/[^\w.:-]+/g, '_').replace(/_+$/, '');
}

/** One `loadctl_monitor` point per monitored source of the interval. */
export function monitorPoints(iv: Interval, tags: Record<string, string>): Point[] {
  const out: Point[] = [];
  if (!iv.monitor) return out;
  for (const [source, values] of Object.entries(iv.monitor)) {
    const p = point(MONITOR_MEASUREMENTS.monitor, { ...tags, source }, iv.end);
    let fields = 0;
    for (const [series, v] of Object.entries(values)) {
      if (!Number.isFinite(v)) continue;
      p.floatField(monitorField(series), v);
      fields++;
    }
    if (fields > 0) out.push(p);
  }
  return out;
}

/** One `loadctl_trends` point per trend of the summary (timestamp = endedAt). */
export function trendPoints(summary: Summary, tags: Record<string, string>): Point[] {
  return (summary.trends ?? []).map((t) => {
    const p = point(MONITOR_MEASUREMENTS.trends, { ...tags, metric: t.metric, unit: t.unit || 'none', verdict: t.verdict }, summary.endedAt);
    p.floatField('slope_per_hour', t.slopePerHour);
    p.floatField('low', t.low);
    p.floatField('high', t.high);
    p.floatField('mean', t.mean);
    p.intField('points', t.points);
    return p;
  });
}
