/**
 * Charts of the monitored series (Interval.monitor): a "target" section (its memory, CPU,
 * descriptors and threads, TCP connections per state, scraped series) and a "generator"
 * section (loadctl's heap, RSS, CPU, event-loop lag, the workers' ELU, and the host).
 * Series are grouped into charts by source and unit; bytes are drawn in MB and ratios in %.
 * Planned as channels like the other time charts (time-charts.ts), from the first pass's scan.
 */
import { type Interval, type SeriesUnit } from '@loadctl/core';
import { seriesUnit } from '@loadctl/core/internal';
import { colorOf } from './palette.js';
import type { PlannedChart, PlannedSeries, TimeRun } from './time-charts.js';

export type ChartSection = 'target' | 'generator';

interface Key {
  source: string;
  series: string;
}

interface Group {
  id: string;
  title: string;
  section: ChartSection;
  unit: string;
  scale: number;
  keys: Key[];
}

const DRAWN: Record<SeriesUnit, { unit: string; scale: number; what: string }> = {
  bytes: { unit: 'MB', scale: 1e-6, what: 'memory' },
  ratio: { unit: '%', scale: 100, what: 'CPU' },
  count: { unit: 'count', scale: 1, what: 'descriptors, threads and counts' },
  ms: { unit: 'ms', scale: 1, what: 'event-loop lag and times' },
  s: { unit: 's', scale: 1, what: 'times' },
  '1/s': { unit: '/s', scale: 1, what: 'rates' },
  '': { unit: '', scale: 1, what: 'load average and other series' },
};

/** Every monitored series over the runs, in first-seen order; TCP states that were never seen are left out. */
function monitoredKeys(runs: readonly TimeRun[]): Key[] {
  const seen = new Map<string, Key & { nonZero: boolean }>();
  for (const r of runs) {
    for (const [id, k] of r.scan.monitored) {
      const prev = seen.get(id);
      seen.set(id, { source: k.source, series: k.series, nonZero: (prev?.nonZero ?? false) || k.nonZero });
    }
  }
  return [...seen.values()].filter((k) => k.nonZero || !k.series.startsWith('tcp.')).map(({ source, series }) => ({ source, series }));
}

function groups(keys: readonly Key[]): Group[] {
  const out = new Map<string, Group>();
  for (const key of keys) {
    const { source } = key;
    const section: ChartSection = source === 'generator' || source === 'host' ? 'generator' : 'target';
    const unit = seriesUnit(`${source}.${key.series}`);
    const tcp = key.series.startsWith('tcp.');
    const id = `monitor-${source.replace(/[^\w-]/g, '-')}-${tcp ? 'tcp' : unit === '' ? 'other' : unit.replace('/', '-per-')}`;
    let g = out.get(id);
    if (!g) {
      const what = tcp ? 'TCP connections by state' : DRAWN[unit].what;
      g = { id, title: `${source}: ${what}`, section, unit: DRAWN[unit].unit, scale: DRAWN[unit].scale, keys: [] };
      out.set(id, g);
    }
    g.keys.push(key);
  }
  return [...out.values()];
}

/** Charts for the target and generator sections (target first); none when the run monitored nothing. */
export function planMonitorCharts(runs: readonly TimeRun[]): PlannedChart[] {
  const keys = monitoredKeys(runs);
  if (keys.length === 0) return [];
  const charts: PlannedChart[] = [];
  for (const g of groups(keys)) {
    const series: PlannedSeries[] = [];
    runs.forEach((_, run) => {
      g.keys.forEach(({ source, series: name }, i) => {
        const value = (iv: Interval): number | null => {
          const x = iv.monitor?.[source]?.[name];
          return x === undefined ? null : x * g.scale;
        };
        const label = g.keys.length === 1 ? `${source}.${name}` : name.startsWith('tcp.') ? name.slice(4) : name;
        series.push({ run, label, color: colorOf(i), agg: 'mean', channel: { value } });
      });
    });
    charts.push({ id: g.id, title: g.title, unit: g.unit, series, markers: [], section: g.section });
  }
  if (keys.some((k) => k.source === 'generator')) {
    // The workers' highest event-loop utilisation, already in every interval.
    const series = runs.map((_, run): PlannedSeries => ({
      run,
      label: 'workers (highest ELU)',
      color: '#111827',
      agg: 'mean',
      channel: { value: (iv) => Math.round(iv.generator.cpu * 1000) / 10 },
    }));
    charts.push({ id: 'monitor-workers-elu', title: 'generator: worker threads busy (event-loop utilisation)', unit: '%', series, markers: [], section: 'generator' });
  }
  return [...charts.filter((c) => c.section === 'target'), ...charts.filter((c) => c.section === 'generator')];
}
