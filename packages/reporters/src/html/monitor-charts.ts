/**
 * Charts of the monitored series (Interval.monitor): a "target" section (its memory, CPU,
 * descriptors and threads, TCP connections per state, scraped series) and a "generator"
 * section (loadctl's heap, RSS, CPU, event-loop lag, the workers' ELU, and the host).
 * Series are grouped into charts by source and unit; bytes are drawn in MB and ratios in %.
 */
import { seriesUnit, type Interval, type RunResult, type SeriesUnit } from '@loadctl/core';
import { reduceMean, type Reduced, type TimeGrid } from './downsample.js';

/** What charts.ts hands over (its run views and series builder), so this module imports nothing from it. */
export interface MonitorChartInput<V extends { result: RunResult; groups: Interval[][] }, S> {
  views: readonly V[];
  grid: TimeGrid;
  compare: boolean;
  series: (grid: TimeGrid, v: V, compare: boolean, label: string, color: string, reduced: Reduced) => S;
  palette: readonly string[];
}

/** A time chart (structurally a charts.ts ChartSpec) in the target or generator section. */
export interface MonitorChart<S> {
  id: string;
  title: string;
  kind: 'time';
  unit: string;
  xs: number[];
  series: S[];
  markers: never[];
  section: ChartSection;
}

export type ChartSection = 'target' | 'generator';

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

interface Key {
  source: string;
  series: string;
}

/** Every monitored series over the runs, in first-seen order; TCP states that were never seen are left out. */
function monitoredKeys(views: ReadonlyArray<{ result: RunResult }>): Key[] {
  const seen = new Map<string, Key & { nonZero: boolean }>();
  for (const v of views) {
    for (const iv of v.result.timeline) {
      if (!iv.monitor) continue;
      for (const source in iv.monitor) {
        for (const series in iv.monitor[source]) {
          const id = `${source}\u0000${series}`;
          const k = seen.get(id) ?? { source, series, nonZero: false };
          k.nonZero ||= iv.monitor[source][series] !== 0;
          seen.set(id, k);
        }
      }
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

/** Charts for the target and generator sections; none when the run monitored nothing. */
export function monitorCharts<V extends { result: RunResult; groups: Interval[][] }, S>(input: MonitorChartInput<V, S>): Array<MonitorChart<S>> {
  const { views, grid, compare, palette } = input;
  const line = (v: V, label: string, color: string, pick: (iv: Interval) => number | null): S => input.series(grid, v, compare, label, color, reduceMean(v.groups, pick));
  const keys = monitoredKeys(views);
  if (keys.length === 0) return [];
  const charts: Array<MonitorChart<S>> = [];
  for (const g of groups(keys)) {
    const out: S[] = [];
    for (const v of views) {
      g.keys.forEach(({ source, series }, i) => {
        const pick = (iv: Interval): number | null => {
          const x = iv.monitor?.[source]?.[series];
          return x === undefined ? null : x * g.scale;
        };
        const label = g.keys.length === 1 ? `${source}.${series}` : series.startsWith('tcp.') ? series.slice(4) : series;
        out.push(line(v, label, palette[i % palette.length], pick));
      });
    }
    charts.push({ id: g.id, title: g.title, kind: 'time', unit: g.unit, xs: grid.xs, series: out, markers: [], section: g.section });
  }
  if (keys.some((k) => k.source === 'generator')) {
    // The workers' highest event-loop utilisation, already in every interval.
    const elu = views.map((v) => line(v, 'workers (highest ELU)', '#111827', (iv) => Math.round(iv.generator.cpu * 1000) / 10));
    charts.push({ id: 'monitor-workers-elu', title: 'generator: worker threads busy (event-loop utilisation)', kind: 'time', unit: '%', xs: grid.xs, series: elu, markers: [], section: 'generator' });
  }
  // Target charts first, then the generator's.
  return [...charts.filter((c) => c.section === 'target'), ...charts.filter((c) => c.section === 'generator')];
}
