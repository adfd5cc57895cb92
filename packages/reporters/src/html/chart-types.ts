/**
 * The chart data embedded in the HTML report (the `loadctl-data` JSON block): built in Node
 * (report-data.ts), drawn in the browser by client/report-client.ts. Types only, shared by both.
 */

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

export type RunKey = 'run' | 'base' | 'current';

export interface ReportData {
  version: 1;
  mode: 'single' | 'compare';
  runs: Array<{ key: RunKey; label: string; intervals: number }>;
  grid: { bucketMs: number; factor: number; points: number };
  charts: ChartSpec[];
}

export interface ChartOptions {
  /** Most points per drawn time series (default 1500). */
  maxPoints?: number;
  /** Most request names drawn as their own series (count, default 12); the rest are in the tables. */
  maxNamedSeries?: number;
}
