/**
 * The browser code of the HTML report, compiled for the browser (lib dom) by
 * tsconfig.client.json and inlined into the report (report.ts) as a module script. It
 * reads the chart data from the `<script type="application/json" id="loadctl-data">` block
 * and draws it with uPlot (inlined before it, as the global `uPlot`).
 *
 * For tests and tooling it exposes `window.__loadctlReport`:
 *   { ready, readyMs, renderMs, errors, charts: [{ id, kind, points, series: [{ label, length, values }] }] }
 * where `values` are the arrays handed to uPlot (the drawn data).
 */
import type UPlot from 'uplot';
import type { ChartSpec, ReportData, SeriesSpec } from '../chart-types.js';

declare const uPlot: typeof UPlot;

type ScaleKey = 'y' | 'y2';

interface DrawnChart {
  id: string;
  kind: ChartSpec['kind'];
  points: number;
  series: Array<{ label: string; length: number; values: ArrayLike<number | null | undefined>; envelope: boolean }>;
}

interface PageReport {
  ready: boolean;
  readyMs: number | null;
  renderMs: number | null;
  errors: string[];
  charts: DrawnChart[];
  plots: Record<string, UPlot>;
}

declare global {
  interface Window {
    __loadctlReport: PageReport;
  }
}

const t0 = performance.now();
const report: PageReport = { ready: false, readyMs: null, renderMs: null, errors: [], charts: [], plots: {} };
window.__loadctlReport = report;

function fail(where: string, err: unknown): void {
  const msg = `${where}: ${err instanceof Error ? err.message : String(err)}`;
  report.errors.push(msg);
  console.error(`[loadctl report] ${msg}`);
}

function num(v: number | null | undefined, digits?: number): string {
  if (v == null || !isFinite(v)) return '\u2014';
  const a = Math.abs(v);
  const d = digits ?? (a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3);
  return v.toLocaleString('en-US', { maximumFractionDigits: d });
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

function clock(sec: number | null | undefined): string {
  if (sec == null || !isFinite(sec)) return '\u2014';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

/** x = 1/(1-p) back to a percentile label; extra digits for hover values. */
function pct(x: number | null | undefined, extra = 0): string {
  if (x == null || !isFinite(x) || x < 1) return '\u2014';
  const p = 100 * (1 - 1 / x);
  const digits = Math.max(0, Math.round(Math.log10(x)) - 2 + extra);
  let s = p.toFixed(Math.min(digits, 8));
  if (s.indexOf('.') >= 0 && extra) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return `${s}%`;
}

function rgba(hex: string, a: number): string {
  const h = hex.replace('#', '');
  const n = parseInt(h.length === 3 ? h.replace(/(.)/g, '$1$1') : h, 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}

const TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

const scaleOf = (s: SeriesSpec): ScaleKey => (s.axis === 'right' ? 'y2' : 'y');

/** Largest value (line or envelope) of the shown series on a scale, within the visible x range. */
function visibleMax(u: UPlot, spec: ChartSpec, key: ScaleKey): number {
  const xs = u.data[0];
  const xmin = u.scales.x.min;
  const xmax = u.scales.x.max;
  let max = 0;
  spec.series.forEach((s, i) => {
    if (scaleOf(s) !== key || !u.series[i + 1].show) return;
    const top = s.hi ?? s.values;
    for (let k = 0; k < xs.length; k++) {
      if (xmin != null && xmax != null && (xs[k] < xmin || xs[k] > xmax)) continue;
      const v = top[k];
      if (v != null && v > max) max = v;
    }
  });
  return max;
}

/** The min/max envelopes of downsampled series, drawn under the lines. */
function drawEnvelopes(spec: ChartSpec): (u: UPlot) => void {
  return (u) => {
    const ctx = u.ctx;
    const b = u.bbox;
    const xs = u.data[0];
    ctx.save();
    ctx.beginPath();
    ctx.rect(b.left, b.top, b.width, b.height);
    ctx.clip();
    spec.series.forEach((s, i) => {
      const { lo, hi } = s;
      if (!lo || !hi || !u.series[i + 1].show) return;
      const key = scaleOf(s);
      let seg: number[] = [];
      ctx.fillStyle = rgba(s.color, s.dash ? 0.1 : 0.16);
      const flush = (): void => {
        if (seg.length === 0) return;
        ctx.beginPath();
        seg.forEach((k, j) => {
          const x = u.valToPos(xs[k], 'x', true);
          const y = u.valToPos(hi[k]!, key, true);
          if (j === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        });
        for (let j = seg.length - 1; j >= 0; j--) ctx.lineTo(u.valToPos(xs[seg[j]], 'x', true), u.valToPos(lo[seg[j]]!, key, true));
        ctx.closePath();
        ctx.fill();
        seg = [];
      };
      for (let k = 0; k < xs.length; k++) {
        if (hi[k] == null || lo[k] == null) flush();
        else seg.push(k);
      }
      flush();
    });
    ctx.restore();
  };
}

/** Stage changes as dashed vertical lines with their labels. */
function drawMarkers(spec: ChartSpec): (u: UPlot) => void {
  return (u) => {
    if (!spec.markers || spec.markers.length === 0) return;
    const ctx = u.ctx;
    const b = u.bbox;
    const ratio = window.devicePixelRatio || 1;
    ctx.save();
    ctx.font = `${Math.round(11 * ratio)}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    // Labels go on up to three rows so that close stage changes stay readable.
    const rowEnds = [-Infinity, -Infinity, -Infinity];
    const lineH = 13 * ratio;
    for (const m of spec.markers) {
      const x = Math.round(u.valToPos(m.x, 'x', true));
      if (x < b.left - 1 || x > b.left + b.width + 1) continue;
      ctx.strokeStyle = m.dash ? 'rgba(100,116,139,0.6)' : 'rgba(15,23,42,0.55)';
      ctx.lineWidth = ratio;
      ctx.setLineDash(m.dash ? [2 * ratio, 4 * ratio] : [5 * ratio, 3 * ratio]);
      ctx.beginPath();
      ctx.moveTo(x + 0.5, b.top);
      ctx.lineTo(x + 0.5, b.top + b.height);
      ctx.stroke();
      const w = ctx.measureText(m.label).width;
      let lx = x + 3 * ratio;
      if (lx + w > b.left + b.width) lx = Math.max(b.left, x - 3 * ratio - w);
      const row = rowEnds.findIndex((end) => lx > end);
      if (row >= 0) {
        ctx.fillStyle = m.dash ? '#64748b' : '#334155';
        ctx.fillText(m.label, lx, b.top + 2 * ratio + row * lineH);
        rowEnds[row] = lx + w + 6 * ratio;
      }
    }
    ctx.restore();
  };
}

/** Legend value: the number and unit, and the bucket's range when downsampled. */
function valueFmt(spec: ChartSpec, s: SeriesSpec): (u: UPlot, v: number | null, si: number, idx: number | null) => string {
  const unit = s.axis === 'right' ? (spec.rightUnit ?? '') : spec.unit;
  return (_u, v, _si, idx) => {
    if (v == null) return '\u2014';
    let txt = `${num(v)} ${unit}`;
    if (s.lo && s.hi && idx != null && s.lo[idx] != null) txt += ` (${num(s.lo[idx])}\u2013${num(s.hi[idx])})`;
    return txt;
  };
}

function spectrumSplits(_u: UPlot, _axisIdx: number, min: number, max: number): number[] {
  const out: number[] = [];
  for (let x = 1; x <= max * 1.0001; x *= 10) {
    if (x >= min) out.push(x);
    if (x === 1 && 2 >= min && 2 <= max) out.push(2);
  }
  return out;
}

const numbers = (_u: UPlot, splits: number[]): string[] => splits.map((v) => num(v));

function options(spec: ChartSpec, width: number): UPlot.Options {
  const spectrum = spec.kind === 'spectrum';
  const hasRight = spec.series.some((s) => s.axis === 'right');
  const series: UPlot.Series[] = [
    { label: spectrum ? 'percentile' : 'time', value: spectrum ? (_u, v) => pct(v, 2) : (_u, v) => clock(v) },
    ...spec.series.map((s) => {
      const cfg: UPlot.Series = {
        label: s.label,
        stroke: s.color,
        width: s.agg === 'max' ? 1 : 1.5,
        scale: scaleOf(s),
        spanGaps: spectrum,
        value: valueFmt(spec, s),
      };
      if (s.dash) cfg.dash = [6, 4];
      if (spectrum) cfg.points = { show: true, size: 4 };
      return cfg;
    }),
  ];
  /** Unzoomed, the x axis starts at 'origin' (0 s or 0%); zoomed, it keeps the selection. */
  const xRange =
    (origin: number, grow: number): UPlot.Range.Function =>
    (_u, min, max) => {
      const xs = spec.xs;
      const first = xs[0];
      const last = xs[xs.length - 1];
      if (first == null) return [origin, origin + 1];
      const lo = min == null || min <= first ? Math.min(origin, first) : min;
      const hi = max == null || max >= last ? last * grow : max;
      return [lo, hi > lo ? hi : lo + 1];
    };
  const yRange =
    (key: ScaleKey): UPlot.Range.Function =>
    (u) => {
      const max = visibleMax(u, spec, key);
      return [0, max > 0 ? max * 1.08 : 1];
    };
  const scales: UPlot.Scales = {
    x: spectrum ? { time: false, distr: 3, log: 10, range: xRange(1, 1.25) } : { time: false, range: xRange(0, 1) },
    y: { range: yRange('y') },
  };
  if (hasRight) scales.y2 = { range: yRange('y2') };
  const axes: UPlot.Axis[] = [
    spectrum
      ? { label: 'percentile', splits: spectrumSplits, filter: (_u, splits) => splits, values: (_u, splits) => splits.map((x) => pct(x, 0)) }
      : { label: 'time since start', incrs: TIME_INCRS, values: (_u, splits) => splits.map(clock) },
    { label: spec.unit, size: 60, values: numbers },
  ];
  if (hasRight) axes.push({ scale: 'y2', side: 1, label: spec.rightUnit ?? '', size: 60, grid: { show: false }, values: numbers });
  return {
    width,
    height: 280,
    series,
    scales,
    axes,
    legend: { live: true },
    cursor: spectrum ? { drag: { x: true, y: false } } : { sync: { key: 'loadctl-time' }, drag: { x: true, y: false } },
    hooks: { drawAxes: [drawEnvelopes(spec)], draw: [drawMarkers(spec)] },
  };
}

function readData(): ReportData | null {
  try {
    return JSON.parse(document.getElementById('loadctl-data')?.textContent || '{}') as ReportData;
  } catch (err) {
    fail('data', err);
    return null;
  }
}

function draw(data: ReportData): void {
  const plots: Array<{ u: UPlot; el: HTMLElement }> = [];
  for (const spec of data.charts ?? []) {
    const el = document.querySelector<HTMLElement>(`[data-chart-id="${spec.id}"]`);
    if (!el) {
      fail(spec.id, 'no container');
      continue;
    }
    try {
      const cols = [spec.xs, ...spec.series.map((s) => s.values)] as UPlot.AlignedData;
      const u = new uPlot(options(spec, el.clientWidth || 900), cols, el);
      plots.push({ u, el });
      report.plots[spec.id] = u;
      report.charts.push({
        id: spec.id,
        kind: spec.kind,
        points: u.data[0].length,
        series: spec.series.map((s, i) => ({ label: s.label, length: u.data[i + 1].length, values: u.data[i + 1], envelope: !!s.lo })),
      });
    } catch (err) {
      fail(spec.id, err);
    }
  }
  let pending = 0;
  window.addEventListener('resize', () => {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      pending = 0;
      for (const p of plots) p.u.setSize({ width: p.el.clientWidth || 900, height: 280 });
    });
  });
}

const data = readData();
if (data !== null) {
  if (typeof uPlot !== 'function') fail('uPlot', 'not loaded');
  else {
    document.documentElement.classList.add('js');
    draw(data);
    report.renderMs = performance.now() - t0;
    report.readyMs = performance.now();
    report.ready = true;
    document.documentElement.setAttribute('data-ready', 'true');
  }
}
