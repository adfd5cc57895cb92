/**
 * Monitored series and trends on the Prometheus endpoint:
 *   loadctl_monitor{source="target",series="rss"}                    latest sample's value
 *   loadctl_trend_per_hour{metric="target.rss",unit="bytes",verdict="growing"}   at the end
 * Values keep their series' unit (bytes, ratio 0..1, counts, ms); see docs/soak.md.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Interval, Summary } from '@loadctl/core';

export class MonitorGauges {
  private readonly monitor: Gauge<'source' | 'series'>;
  private readonly trend: Gauge<'metric' | 'unit' | 'verdict'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.monitor = new Gauge({ name: 'loadctl_monitor', help: 'Latest monitor sample: target process, scraped endpoint, generator and host series (unit of the series).', labelNames: ['source', 'series'], registers });
    this.trend = new Gauge({ name: 'loadctl_trend_per_hour', help: 'Linear trend per hour of a series over the steady part of the run, set at the end.', labelNames: ['metric', 'unit', 'verdict'], registers });
  }

  interval(iv: Interval): void {
    if (!iv.monitor) return;
    for (const [source, values] of Object.entries(iv.monitor)) {
      for (const [series, v] of Object.entries(values)) if (Number.isFinite(v)) this.monitor.set({ source, series }, v);
    }
  }

  end(summary: Summary): void {
    for (const t of summary.trends ?? []) this.trend.set({ metric: t.metric, unit: t.unit || 'none', verdict: t.verdict }, t.slopePerHour);
  }
}
