/**
 * The chart data embedded in the HTML report, built from one or two runs in two streaming
 * passes over each timeline (scan, then downsample), so that a 24-hour timeline read from
 * timeline.jsonl is never held in memory.
 */
import type { Summary, Timeline } from '@loadctl/core';
import type { ChartOptions, ChartSpec, ReportData, RunKey } from './chart-types.js';
import { BucketReducer, DEFAULT_MAX_POINTS, planGrid } from './downsample.js';
import { spectrumCharts } from './spectrum.js';
import { planMonitorCharts } from './monitor-charts.js';
import { planTimeCharts, toSeriesSpec, type TimeRun } from './time-charts.js';
import { requestNames, scanTimeline } from './timeline-scan.js';

export interface ReportRun {
  key: RunKey;
  label: string;
  summary: Summary;
  timeline: Timeline;
}

export async function buildReportData(runs: readonly ReportRun[], options: ChartOptions = {}): Promise<ReportData> {
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const maxNamed = options.maxNamedSeries ?? 12;
  const timeRuns: TimeRun[] = [];
  for (const r of runs) {
    const intervalMs = r.summary.meta.intervalMs;
    timeRuns.push({ key: r.key, label: r.label, summary: r.summary, intervalMs, scan: await scanTimeline(r.timeline, intervalMs) });
  }
  const grid = planGrid(timeRuns.map((r) => ({ spanMs: r.scan.spanMs, intervalMs: r.intervalMs })), maxPoints);
  const compare = runs.length > 1;
  const names = requestNames(timeRuns);
  const drawn = names.slice(0, maxNamed);
  const skipped = names.length - drawn.length;

  const planned = [...planTimeCharts(timeRuns, drawn, skipped, grid), ...planMonitorCharts(timeRuns)];
  const charts: ChartSpec[] = planned.map((c) => ({ ...c, kind: 'time', xs: grid.xs, series: [] }));
  for (let run = 0; run < runs.length; run++) {
    const mine = planned.flatMap((c, ci) => c.series.map((p, si) => ({ p, ci, si }))).filter((x) => x.p.run === run);
    const reducer = new BucketReducer(grid, timeRuns[run].intervalMs, mine.map((x) => x.p.channel));
    for await (const iv of runs[run].timeline) reducer.add(iv);
    mine.forEach((x, c) => {
      charts[x.ci].series[x.si] = toSeriesSpec(x.p, reducer.reduced(c), timeRuns[run], grid, compare);
    });
  }
  const spectra = spectrumCharts(runs, drawn, skipped);
  return {
    version: 1,
    mode: compare ? 'compare' : 'single',
    runs: timeRuns.map((v) => ({ key: v.key, label: v.label, intervals: v.scan.intervals })),
    grid: { bucketMs: grid.bucketMs, factor: grid.factor, points: grid.xs.length },
    // The run's charts, its latency distributions, then the monitor sections.
    charts: [...charts.filter((c) => !c.section), ...spectra, ...charts.filter((c) => c.section)],
  };
}
