/**
 * The time charts of the report (requests/s, latency, errors, load, dropped), planned as
 * series over channels — what to draw from each interval and how to fold a bucket of them —
 * before the timeline is streamed through a BucketReducer.
 */
import { ERROR_KINDS, type ErrorKind, type Interval, type RequestStats, type Summary } from '@loadctl/core';
import type { ChartMarker, ChartSpec, RunKey, SeriesSpec } from './chart-types.js';
import { intervalMsOf, type Channel, type Reduced, type TimeGrid } from './downsample.js';
import { colorOf, ERROR_COLORS, LATENCY_COLORS, TOTAL_COLOR } from './palette.js';
import type { TimelineScan } from './timeline-scan.js';

export interface TimeRun {
  key: RunKey;
  label: string;
  summary: Summary;
  intervalMs: number;
  scan: TimelineScan;
}

/** One series to draw: from which run, through which channel, folded as mean (with envelope) or max. */
export interface PlannedSeries {
  run: number;
  label: string;
  color: string;
  channel: Channel;
  agg: 'mean' | 'max';
  axis?: 'right';
}

export interface PlannedChart extends Omit<ChartSpec, 'series' | 'xs' | 'kind'> {
  series: PlannedSeries[];
}

const perSecond =
  (intervalMs: number, pick: (iv: Interval) => number): Channel['value'] =>
  (iv) =>
    pick(iv) / (intervalMsOf(iv, intervalMs) / 1000);

function httpFailures(s: RequestStats): number {
  let n = 0;
  for (const [code, count] of Object.entries(s.statuses)) if (Number(code) >= 400) n += count;
  return n;
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

function rpsChart(runs: readonly TimeRun[], names: string[], skipped: number): PlannedChart {
  const series: PlannedSeries[] = [];
  runs.forEach((r, run) => {
    series.push({ run, label: 'total', color: TOTAL_COLOR, agg: 'mean', channel: { value: perSecond(r.intervalMs, (iv) => iv.total.count) } });
    names.forEach((name, i) =>
      series.push({ run, label: name, color: colorOf(i), agg: 'mean', channel: { value: perSecond(r.intervalMs, (iv) => iv.requests[name]?.count ?? 0) } }),
    );
  });
  return { id: 'rps', title: 'Requests per second', unit: 'req/s', series, markers: [], note: skipped > 0 ? `${skipped} more request names are in the tables only.` : undefined };
}

function latencyChart(runs: readonly TimeRun[], factor: number): PlannedChart {
  const weight = (iv: Interval): number => iv.total.latency.count;
  const pct = (label: string): Channel => ({
    value: (iv) => (iv.total.latency.count > 0 ? (iv.total.latency.percentiles[label] ?? 0) / 1000 : null),
    weight,
  });
  const series: PlannedSeries[] = [];
  runs.forEach((_, run) => {
    series.push({ run, label: 'p50', color: LATENCY_COLORS.p50, agg: 'mean', channel: pct('50') });
    series.push({ run, label: 'p95', color: LATENCY_COLORS.p95, agg: 'mean', channel: pct('95') });
    series.push({ run, label: 'p99', color: LATENCY_COLORS.p99, agg: 'mean', channel: pct('99') });
    series.push({ run, label: 'max', color: LATENCY_COLORS.max, agg: 'max', channel: { value: (iv) => (iv.total.latency.count > 0 ? iv.total.latency.max / 1000 : null) } });
  });
  return { id: 'latency', title: 'Latency', unit: 'ms', series, markers: [], note: factor > 1 ? `max is the highest value in each bucket of ${factor} intervals.` : undefined };
}

function errorsChart(runs: readonly TimeRun[]): PlannedChart {
  const kinds = new Set<ErrorKind>();
  for (const r of runs) {
    for (const [k, n] of Object.entries(r.summary.total.errors)) if (n) kinds.add(k as ErrorKind);
    for (const k of r.scan.errorKinds) kinds.add(k);
  }
  const ordered = ERROR_KINDS.filter((k) => kinds.has(k));
  for (const k of kinds) if (!ordered.includes(k)) ordered.push(k);
  const series: PlannedSeries[] = [];
  runs.forEach((r, run) => {
    series.push({ run, label: 'HTTP status ≥ 400', color: ERROR_COLORS.http, agg: 'mean', channel: { value: perSecond(r.intervalMs, (iv) => httpFailures(iv.total)) } });
    for (const k of ordered) {
      series.push({ run, label: k, color: ERROR_COLORS[k] ?? '#475569', agg: 'mean', channel: { value: perSecond(r.intervalMs, (iv) => iv.total.errors[k] ?? 0) } });
    }
  });
  return { id: 'errors', title: 'Errors per second', unit: '/s', series, markers: [] };
}

function loadChart(runs: readonly TimeRun[]): PlannedChart {
  const anyOpen = runs.some((r) => r.scan.open);
  const compare = runs.length > 1;
  const series: PlannedSeries[] = [];
  const markers: ChartMarker[] = [];
  runs.forEach((r, run) => {
    if (r.scan.open) {
      series.push({ run, label: 'target rate', color: '#475569', agg: 'mean', channel: { value: (iv) => iv.targetRate ?? null } });
      // Iterations started per second as the engine reports it, else iterations completed per second.
      const achieved = (iv: Interval): number => (typeof iv.achievedRate === 'number' ? iv.achievedRate : iterationsOf(iv) / (intervalMsOf(iv, r.intervalMs) / 1000));
      series.push({ run, label: 'achieved rate', color: '#2563eb', agg: 'mean', channel: { value: achieved } });
    }
    series.push({ run, label: anyOpen ? 'in flight' : 'active users', color: '#16a34a', agg: 'mean', channel: { value: (iv) => iv.activeUsers }, ...(anyOpen ? { axis: 'right' as const } : {}) });
    for (const s of r.scan.stages) {
      markers.push({ x: s.x, label: compare ? `${s.stage} (${r.label})` : s.stage, ...(compare && r.key === 'base' ? { dash: true } : {}) });
    }
  });
  return {
    id: 'load',
    title: anyOpen ? 'Target vs achieved rate' : 'Active users',
    unit: anyOpen ? 'iterations/s' : 'users',
    rightUnit: anyOpen ? 'in flight' : undefined,
    series,
    markers,
  };
}

function droppedChart(runs: readonly TimeRun[]): PlannedChart {
  const series: PlannedSeries[] = [];
  runs.forEach((r, run) => {
    series.push({ run, label: 'dropped', color: '#dc2626', agg: 'mean', channel: { value: perSecond(r.intervalMs, (iv) => iv.dropped) } });
    series.push({ run, label: 'late', color: '#d97706', agg: 'mean', channel: { value: perSecond(r.intervalMs, (iv) => iv.late) } });
  });
  return { id: 'dropped', title: 'Dropped and late iterations per second', unit: '/s', series, markers: [] };
}

/** The generator's own health per interval: its delay (p50, p99, max) and the main thread's longest pause. */
function generatorChart(runs: readonly TimeRun[]): PlannedChart {
  const series: PlannedSeries[] = [];
  const delay = (pick: (d: NonNullable<Interval['generator']['delay']>) => number): Channel => ({
    value: (iv) => (iv.generator.delay ? pick(iv.generator.delay) / 1000 : null),
  });
  runs.forEach((_, run) => {
    series.push({ run, label: 'delay p50', color: LATENCY_COLORS.p50, agg: 'mean', channel: delay((d) => d.p50) });
    series.push({ run, label: 'delay p99', color: LATENCY_COLORS.p99, agg: 'max', channel: delay((d) => d.p99) });
    series.push({ run, label: 'delay max', color: LATENCY_COLORS.max, agg: 'max', channel: delay((d) => d.max) });
    series.push({ run, label: 'main-thread pause', color: '#475569', agg: 'max', axis: 'right', channel: { value: (iv) => iv.generator.mainPauseMs ?? null } });
  });
  return {
    id: 'generator',
    title: 'Generator delay (how late requests were sent) and main-thread pauses',
    unit: 'ms',
    rightUnit: 'ms pause',
    series,
    markers: [],
  };
}

/** Every time chart, in page order (the generator's when some run measured it). */
export function planTimeCharts(runs: readonly TimeRun[], names: string[], skipped: number, grid: TimeGrid): PlannedChart[] {
  const charts = [rpsChart(runs, names, skipped), latencyChart(runs, grid.factor), errorsChart(runs), loadChart(runs), droppedChart(runs)];
  if (runs.some((r) => r.summary.generator !== undefined)) charts.push(generatorChart(runs));
  return charts;
}

/** A planned series as drawn, from its channel's reduction. */
export function toSeriesSpec(p: PlannedSeries, reduced: Reduced, run: TimeRun, grid: TimeGrid, compare: boolean): SeriesSpec {
  const s: SeriesSpec = {
    label: compare ? `${p.label} (${run.label})` : p.label,
    values: p.agg === 'max' ? reduced.max : reduced.values,
    color: p.color,
    agg: grid.factor === 1 ? 'exact' : p.agg,
    ...(p.axis ? { axis: p.axis } : {}),
  };
  if (p.agg === 'mean' && grid.factor > 1) {
    s.lo = reduced.lo;
    s.hi = reduced.hi;
  }
  if (compare && run.key === 'base') s.dash = true;
  return s;
}
