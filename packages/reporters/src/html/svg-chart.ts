/**
 * A small static line chart drawn as inline SVG on the server: axes with round
 * ticks (linear or log10), lines with dots, dashed reference lines and labelled
 * vertical markers. No script, so it reads the same without JavaScript, in
 * print and in tests. Values are plotted as given; labels go through escapeHtml.
 */
import { escapeHtml as e } from './escape.js';

export interface SvgSeries {
  label: string;
  color: string;
  points: Array<[number, number]>;
  dash?: boolean;
  /** Dots on the points (measurements), or a plain line (a fitted curve). Default true. */
  dots?: boolean;
  /** Join the points with a line. Default true. */
  line?: boolean;
}

export interface SvgMarker {
  x: number;
  label: string;
  color: string;
}

export interface SvgChartSpec {
  id: string;
  xLabel: string;
  yLabel: string;
  series: SvgSeries[];
  markers?: SvgMarker[];
  yLog?: boolean;
  width?: number;
  height?: number;
}

const PAD = { left: 64, right: 16, top: 34, bottom: 42 };

function niceStep(range: number, target: number): number {
  const raw = range / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function linearTicks(lo: number, hi: number): number[] {
  const step = niceStep(hi - lo || 1, 5);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const few = Math.log10(hi / lo) < 2;
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of few ? [1, 2, 5] : [1]) {
      const v = m * 10 ** p;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

export function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  if (a >= 1) return `${+v.toPrecision(4)}`;
  return `${+v.toPrecision(2)}`;
}

export function svgChart(spec: SvgChartSpec): string {
  const W = spec.width ?? 640;
  const H = spec.height ?? 300;
  const pts = spec.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!spec.yLog || y > 0));
  const xs = [...pts.map((p) => p[0]), ...(spec.markers ?? []).map((m) => m.x)];
  if (pts.length === 0) return `<p class="note">No data to draw.</p>`;
  const xMin = 0;
  const xMax = Math.max(...xs) * 1.05 || 1;
  let yMin = spec.yLog ? Math.min(...pts.map((p) => p[1])) / 1.3 : 0;
  let yMax = Math.max(...pts.map((p) => p[1])) * (spec.yLog ? 1.3 : 1.08) || 1;
  if (spec.yLog) {
    yMin = 10 ** Math.floor(Math.log10(yMin));
    yMax = 10 ** Math.ceil(Math.log10(yMax));
  }
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const sx = (x: number): number => PAD.left + ((x - xMin) / (xMax - xMin)) * iw;
  const sy = (y: number): number =>
    spec.yLog ? PAD.top + ih - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * ih : PAD.top + ih - ((y - yMin) / (yMax - yMin)) * ih;
  const r = (v: number): string => v.toFixed(1);

  const parts: string[] = [];
  const yTicks = spec.yLog ? logTicks(yMin, yMax) : linearTicks(yMin, yMax);
  for (const t of yTicks) {
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + iw}" y1="${r(sy(t))}" y2="${r(sy(t))}" stroke="#e2e8f0"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${r(sy(t) + 4)}" text-anchor="end">${e(fmtTick(t))}</text>`);
  }
  for (const t of linearTicks(xMin, xMax)) {
    parts.push(`<line x1="${r(sx(t))}" x2="${r(sx(t))}" y1="${PAD.top + ih}" y2="${PAD.top + ih + 4}" stroke="#64748b"/>`);
    parts.push(`<text x="${r(sx(t))}" y="${PAD.top + ih + 16}" text-anchor="middle">${e(fmtTick(t))}</text>`);
  }
  parts.push(`<line x1="${PAD.left}" x2="${PAD.left + iw}" y1="${PAD.top + ih}" y2="${PAD.top + ih}" stroke="#64748b"/>`);
  parts.push(`<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + ih}" stroke="#64748b"/>`);
  parts.push(`<text x="${PAD.left + iw / 2}" y="${H - 6}" text-anchor="middle" class="axis">${e(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${PAD.top + ih / 2}) rotate(-90)" text-anchor="middle" class="axis">${e(spec.yLabel)}</text>`);

  (spec.markers ?? []).forEach((m, i) => {
    const x = r(sx(m.x));
    parts.push(
      `<g class="marker" data-marker="${e(m.label)}" data-x="${m.x}"><line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${PAD.top + ih}" stroke="${m.color}" stroke-dasharray="4 3"/>` +
        `<text x="${x}" y="${PAD.top + 10 + 12 * i}" dx="4" fill="${m.color}">${e(m.label)}</text></g>`,
    );
  });
  for (const s of spec.series) {
    const valid = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!spec.yLog || y > 0));
    if (valid.length === 0) continue;
    const d = valid.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r(sx(x))} ${r(sy(y))}`).join(' ');
    const dots = s.dots === false ? '' : valid.map(([x, y]) => `<circle cx="${r(sx(x))}" cy="${r(sy(y))}" r="3" fill="${s.color}"/>`).join('');
    const path = s.line === false ? '' : `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ' stroke-dasharray="6 4"' : ''}/>`;
    parts.push(`<g class="series" data-series="${e(s.label)}" data-points="${valid.length}">${path}${dots}</g>`);
  }
  let lx = PAD.left;
  const legend = spec.series.map((s) => {
    const item = `<g transform="translate(${lx} 12)"><rect width="12" height="3" y="-4" fill="${s.color}"/><text x="16" y="0">${e(s.label)}</text></g>`;
    lx += 28 + s.label.length * 6.5;
    return item;
  });
  return (
    `<svg class="svg-chart" id="${e(spec.id)}" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${e(spec.yLabel)} against ${e(spec.xLabel)}" ` +
    `font-size="11" font-family="system-ui, sans-serif" fill="#334155">${legend.join('')}${parts.join('')}</svg>`
  );
}
