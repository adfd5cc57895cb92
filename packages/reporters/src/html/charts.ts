/**
 * The chart data embedded in the HTML report: built in Node from RunResults,
 * already downsampled, drawn in the page by uPlot (see client.ts).
 */
import { decodeHistogram, percentileSpectrum, ERROR_KINDS } from '@loadctl/core';
import type { ErrorKind, Interval, RequestStats, RunResult } from '@loadctl/core';
import {
  DEFAULT_MAX_POINTS,
  groupByBucket,
  intervalMsOf,
  planGrid,
  reduceMax,
  reduceMean,
  round3,
  type Reduced,
  type TimeGrid,
} from './downsample.js';
import { monitorCharts } from './monitor-charts.js';

export interface SeriesSpec {
  label: string;
  values: Array<number | null>;
  /** Min/max envelope of the bucket, present only when the timeline was downsampled. */
  lo?: Array<number | null>;
  hi?: Array<number | null>;
  color: string;
  /** Drawn dashed: the base run in compare mode. */
  dash?: boolean;
  /** Which y axis: left (default) or right. */
  axis?: 'right';
  /** How a bucket's value was made: mean of its intervals (with envelope) or their max. */
  agg: 'mean' | 'max' | 'exact';
}

export interface ChartMarker {
  /** x in chart units (seconds since start). */
  x: number;
  label: string;
  dash?: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** time: x = seconds since the run start; spectrum: x = 1/(1-p), drawn on a log axis. */
  kind: 'time' | 'spectrum';
  unit: string;
  rightUnit?: string;
  xs: number[];
  series: SeriesSpec[];
  markers: ChartMarker[];
  note?: string;
  /** Monitored series are drawn in their own sections of the report (monitor-charts.ts). */
  section?: 'target' | 'generator';
}

export interface ReportData {
  version: 1;
  mode: 'single' | 'compare';
  runs: Array<{ key: RunKey; label: string; intervals: number }>;
  grid: { bucketMs: number; factor: number; points: number };
  charts: ChartSpec[];
}

export type RunKey = 'run' | 'base' | 'current';

export interface ChartOptions {
  /** Most points per drawn time series (default 1500). */
  maxPoints?: number;
  /** Most request names drawn as their own series (default 12); the rest are in the tables. */
  maxNamedSeries?: number;
}

interface RunView {
  key: RunKey;
  label: string;
  result: RunResult;
  intervalMs: number;
  groups: Interval[][];
}

export const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#475569',
  '#ea580c',
  '#0d9488',
  '#9333ea',
];

const LATENCY_COLORS = { p50: '#16a34a', p95: '#d97706', p99: '#dc2626', max: '#7c3aed' };
const ERROR_COLORS: Record<ErrorKind | 'http', string> = {
  http: '#dc2626',
  connect_refused: '#7c3aed',
  connect_timeout: '#9333ea',
  reset: '#d97706',
  timeout: '#ea580c',
  tls: '#0891b2',
  dns: '#0d9488',
  protocol: '#db2777',
  aborted: '#475569',
  other: '#65a30d',
};
const MAX_MARKERS = 200;

export function buildReportData(runs: Array<{ key: RunKey; label: string; result: RunResult }>, options: ChartOptions = {}): ReportData {
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const maxNamed = options.maxNamedSeries ?? 12;
  const grid = planGrid(
    runs.map((r) => ({ timeline: r.result.timeline, intervalMs: r.result.summary.meta.intervalMs })),
    maxPoints,
  );
  const views: RunView[] = runs.map((r) => ({
    ...r,
    intervalMs: r.result.summary.meta.intervalMs,
    groups: groupByBucket(r.result.timeline, r.result.summary.meta.intervalMs, grid),
  }));
  const compare = views.length > 1;
  const names = requestNames(runs.map((r) => r.result));
  const drawnNames = names.slice(0, maxNamed);
  const skipped = names.length - drawnNames.length;

  const charts: ChartSpec[] = [
    rpsChart(views, grid, drawnNames, compare, skipped),
    latencyChart(views, grid, compare),
    errorsChart(views, grid, compare),
    loadChart(views, grid, compare),
    droppedChart(views, grid, compare),
    ...spectrumCharts(views, drawnNames, compare, skipped),
    ...monitorCharts({ views, grid, compare, series, palette: PALETTE }),
  ];
  return {
    version: 1,
    mode: compare ? 'compare' : 'single',
    runs: views.map((v) => ({ key: v.key, label: v.label, intervals: v.result.timeline.length })),
    grid: { bucketMs: grid.bucketMs, factor: grid.factor, points: grid.xs.length },
    charts,
  };
}

/** Request names, busiest first, over all runs. */
export function requestNames(results: readonly RunResult[]): string[] {
  const counts = new Map<string, number>();
  for (const r of results) {
    for (const [name, s] of Object.entries(r.summary.requests)) counts.set(name, (counts.get(name) ?? 0) + s.count);
    for (const iv of r.timeline) for (const name of Object.keys(iv.requests)) if (!counts.has(name)) counts.set(name, 0);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n);
}

function secondsOf(v: RunView, iv: Interval): number {
  return intervalMsOf(iv, v.intervalMs) / 1000;
}

/** A series from a reducer result: the envelope is kept only when buckets hold several intervals. */
function series(
  grid: TimeGrid,
  v: RunView,
  compare: boolean,
  label: string,
  color: string,
  reduced: Reduced | Array<number | null>,
  extra: Partial<SeriesSpec> = {},
): SeriesSpec {
  const s: SeriesSpec = {
    label: compare ? `${label} (${v.label})` : label,
    values: Array.isArray(reduced) ? reduced : reduced.values,
    color,
    agg: grid.factor === 1 ? 'exact' : Array.isArray(reduced) ? 'max' : 'mean',
    ...extra,
  };
  if (!Array.isArray(reduced) && grid.factor > 1) {
    s.lo = reduced.lo;
    s.hi = reduced.hi;
  }
  if (compare && v.key === 'base') s.dash = true;
  return s;
}

function rate(v: RunView, pick: (iv: Interval) => number): (iv: Interval) => number {
  return (iv) => pick(iv) / secondsOf(v, iv);
}

function rpsChart(views: RunView[], grid: TimeGrid, names: string[], compare: boolean, skipped: number): ChartSpec {
  const out: SeriesSpec[] = [];
  for (const v of views) {
    out.push(series(grid, v, compare, 'total', '#111827', reduceMean(v.groups, rate(v, (iv) => iv.total.count))));
    names.forEach((name, i) => {
      out.push(
        series(grid, v, compare, name, PALETTE[i % PALETTE.length], reduceMean(v.groups, rate(v, (iv) => iv.requests[name]?.count ?? 0))),
      );
    });
  }
  return {
    id: 'rps',
    title: 'Requests per second',
    kind: 'time',
    unit: 'req/s',
    xs: grid.xs,
    series: out,
    markers: [],
    note: skipped > 0 ? `${skipped} more request names are in the tables only.` : undefined,
  };
}

function latencyChart(views: RunView[], grid: TimeGrid, compare: boolean): ChartSpec {
  const out: SeriesSpec[] = [];
  const weight = (iv: Interval): number => iv.total.latency.count;
  const pct =
    (label: string) =>
    (iv: Interval): number | null =>
      iv.total.latency.count > 0 ? (iv.total.latency.percentiles[label] ?? 0) / 1000 : null;
  for (const v of views) {
    out.push(series(grid, v, compare, 'p50', LATENCY_COLORS.p50, reduceMean(v.groups, pct('50'), weight)));
    out.push(series(grid, v, compare, 'p95', LATENCY_COLORS.p95, reduceMean(v.groups, pct('95'), weight)));
    out.push(series(grid, v, compare, 'p99', LATENCY_COLORS.p99, reduceMean(v.groups, pct('99'), weight)));
    out.push(
      series(
        grid,
        v,
        compare,
        'max',
        LATENCY_COLORS.max,
        reduceMax(v.groups, (iv) => (iv.total.latency.count > 0 ? iv.total.latency.max / 1000 : null)),
      ),
    );
  }
  return {
    id: 'latency',
    title: 'Latency',
    kind: 'time',
    unit: 'ms',
    xs: grid.xs,
    series: out,
    markers: [],
    note: grid.factor > 1 ? `max is the highest value in each bucket of ${grid.factor} intervals.` : undefined,
  };
}

function httpFailures(s: RequestStats): number {
  let n = 0;
  for (const [code, count] of Object.entries(s.statuses)) if (Number(code) >= 400) n += count;
  return n;
}

function errorsChart(views: RunView[], grid: TimeGrid, compare: boolean): ChartSpec {
  const kinds = new Set<ErrorKind>();
  for (const v of views) {
    for (const [k, n] of Object.entries(v.result.summary.total.errors)) if (n) kinds.add(k as ErrorKind);
    for (const iv of v.result.timeline) for (const [k, n] of Object.entries(iv.total.errors)) if (n) kinds.add(k as ErrorKind);
  }
  const ordered = ERROR_KINDS.filter((k) => kinds.has(k));
  for (const k of kinds) if (!ordered.includes(k)) ordered.push(k);
  const out: SeriesSpec[] = [];
  for (const v of views) {
    out.push(series(grid, v, compare, 'HTTP status ≥ 400', ERROR_COLORS.http, reduceMean(v.groups, rate(v, (iv) => httpFailures(iv.total)))));
    for (const k of ordered) {
      out.push(series(grid, v, compare, k, ERROR_COLORS[k] ?? '#475569', reduceMean(v.groups, rate(v, (iv) => iv.total.errors[k] ?? 0))));
    }
  }
  return { id: 'errors', title: 'Errors per second', kind: 'time', unit: '/s', xs: grid.xs, series: out, markers: [] };
}

function isOpen(v: RunView): boolean {
  return v.result.timeline.some((iv) => iv.targetRate !== undefined && iv.targetRate !== null);
}

function iterationsOf(iv: Interval): number {
  let n = 0;
  let any = false;
  for (const f of Object.values(iv.flows)) {
    n += f.iterations;
    any = true;
  }
  return any ? n : iv.total.count;
}

/** Iterations started per second as the engine reports it, else iterations completed per second. */
function achievedRate(v: RunView): (iv: Interval) => number {
  return (iv) => {
    const reported = (iv as Interval & { achievedRate?: number }).achievedRate;
    return typeof reported === 'number' ? reported : iterationsOf(iv) / secondsOf(v, iv);
  };
}

function stageMarkers(v: RunView, compare: boolean): ChartMarker[] {
  const out: ChartMarker[] = [];
  let prev: string | undefined;
  for (const iv of v.result.timeline) {
    if (iv.stage !== undefined && iv.stage !== prev) {
      const x = round3(Math.max(0, iv.elapsedMs - intervalMsOf(iv, v.intervalMs)) / 1000);
      out.push({ x, label: compare ? `${iv.stage} (${v.label})` : iv.stage, ...(compare && v.key === 'base' ? { dash: true } : {}) });
    }
    prev = iv.stage;
  }
  return out.slice(0, MAX_MARKERS);
}

function loadChart(views: RunView[], grid: TimeGrid, compare: boolean): ChartSpec {
  const anyOpen = views.some(isOpen);
  const out: SeriesSpec[] = [];
  const markers: ChartMarker[] = [];
  for (const v of views) {
    if (isOpen(v)) {
      out.push(series(grid, v, compare, 'target rate', '#475569', reduceMean(v.groups, (iv) => iv.targetRate ?? null)));
      out.push(series(grid, v, compare, 'achieved rate', '#2563eb', reduceMean(v.groups, achievedRate(v))));
    }
    out.push(
      series(grid, v, compare, anyOpen ? 'in flight' : 'active users', '#16a34a', reduceMean(v.groups, (iv) => iv.activeUsers), anyOpen ? { axis: 'right' } : {}),
    );
    markers.push(...stageMarkers(v, compare));
  }
  return {
    id: 'load',
    title: anyOpen ? 'Target vs achieved rate' : 'Active users',
    kind: 'time',
    unit: anyOpen ? 'iterations/s' : 'users',
    rightUnit: anyOpen ? 'in flight' : undefined,
    xs: grid.xs,
    series: out,
    markers,
  };
}

function droppedChart(views: RunView[], grid: TimeGrid, compare: boolean): ChartSpec {
  const out: SeriesSpec[] = [];
  for (const v of views) {
    out.push(series(grid, v, compare, 'dropped', '#dc2626', reduceMean(v.groups, rate(v, (iv) => iv.dropped))));
    out.push(series(grid, v, compare, 'late', '#d97706', reduceMean(v.groups, rate(v, (iv) => iv.late))));
  }
  return { id: 'dropped', title: 'Dropped and late iterations per second', kind: 'time', unit: '/s', xs: grid.xs, series: out, markers: [] };
}

/** One percentile spectrum as points (x = 1/(1-p), latency in ms). */
export interface Spectrum {
  xs: number[];
  ms: number[];
}

/**
 * The percentile spectrum of an encoded latency histogram (µs): x = 1/(1-p) so
 * that 50% → 2, 90% → 10, 99% → 100, 99.9% → 1000 on a log axis. The 100% point
 * (the max) is placed at x = count, "one in count". Null for an empty or unreadable histogram.
 */
export function spectrumOf(encoded: string | undefined): Spectrum | null {
  if (!encoded) return null;
  let h;
  try {
    h = decodeHistogram(encoded);
  } catch {
    return null;
  }
  try {
    const count = h.totalCount;
    if (count === 0) return null;
    const xs: number[] = [];
    const ms: number[] = [];
    for (const { percentile, value } of percentileSpectrum(h)) {
      let x = percentile >= 100 ? count : 1 / (1 - percentile / 100);
      const last = xs[xs.length - 1];
      if (last !== undefined && x <= last) {
        if (percentile < 100) continue;
        x = last * 1.5;
      }
      xs.push(Number(x.toPrecision(10)));
      ms.push(round3(value / 1000));
    }
    return { xs, ms };
  } finally {
    h.destroy();
  }
}

/** Join spectra on the union of their x values (null where a spectrum has no point). */
export function joinSpectra(spectra: Array<Spectrum | null>): { xs: number[]; columns: Array<Array<number | null>> } {
  const all = new Set<number>();
  for (const s of spectra) if (s) for (const x of s.xs) all.add(x);
  const xs = [...all].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = spectra.map((s) => {
    const col: Array<number | null> = new Array(xs.length).fill(null);
    if (s) s.xs.forEach((x, i) => (col[index.get(x)!] = s.ms[i]));
    return col;
  });
  return { xs, columns };
}

function spectrumCharts(views: RunView[], names: string[], compare: boolean, skipped: number): ChartSpec[] {
  const scopes: Array<{ label: string; hist: (r: RunResult) => string | undefined }> = [
    { label: 'total', hist: (r) => r.summary.total.latencyHistogram },
    ...names.map((n) => ({ label: n, hist: (r: RunResult) => r.summary.requests[n]?.latencyHistogram })),
  ];
  if (!compare) {
    const v = views[0];
    const parts = scopes.map((s, i) => ({ label: s.label, color: i === 0 ? '#111827' : PALETTE[(i - 1) % PALETTE.length], sp: spectrumOf(s.hist(v.result)) }));
    const shown = parts.filter((p) => p.sp !== null);
    const joined = joinSpectra(shown.map((p) => p.sp));
    return [
      {
        id: 'distribution',
        title: 'Latency distribution (percentile spectrum)',
        kind: 'spectrum',
        unit: 'ms',
        xs: joined.xs,
        series: shown.map((p, i) => ({ label: p.label, values: joined.columns[i], color: p.color, agg: 'exact' as const })),
        markers: [],
        note: skipped > 0 ? `${skipped} more request names are in the tables only.` : undefined,
      },
    ];
  }
  // Compare: one chart per scope, base vs current, so that two curves per chart stay readable.
  return scopes.slice(0, 9).map((s, i) => {
    const spectra = views.map((v) => spectrumOf(s.hist(v.result)));
    const joined = joinSpectra(spectra);
    const color = i === 0 ? '#111827' : PALETTE[(i - 1) % PALETTE.length];
    return {
      id: `distribution-${i}`,
      title: `Latency distribution: ${s.label}`,
      kind: 'spectrum' as const,
      unit: 'ms',
      xs: joined.xs,
      series: views.map((v, j) => ({
        label: `${s.label} (${v.label})`,
        values: joined.columns[j],
        color: v.key === 'base' ? '#64748b' : color,
        agg: 'exact' as const,
        ...(v.key === 'base' ? { dash: true } : {}),
      })),
      markers: [],
    };
  });
}
