/**
 * Latency distribution charts: the percentile spectrum (HdrHistogram's plot) of the run's
 * cumulative histograms, one curve per request name, or base vs current in compare mode.
 */
import { type Summary } from '@loadctl/core';
import { decodeHistogram, percentileSpectrum } from '@loadctl/core/internal';
import type { ChartSpec, RunKey } from './chart-types.js';
import { round3 } from './downsample.js';
import { BASE_RUN_COLOR, colorOf, TOTAL_COLOR } from './palette.js';

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

export interface SpectrumRun {
  key: RunKey;
  label: string;
  summary: Summary;
}

export function spectrumCharts(runs: readonly SpectrumRun[], names: string[], skipped: number): ChartSpec[] {
  const scopes: Array<{ label: string; hist: (s: Summary) => string | undefined }> = [
    { label: 'total', hist: (s) => s.total.latencyHistogram },
    ...names.map((n) => ({ label: n, hist: (s: Summary) => s.requests[n]?.latencyHistogram })),
  ];
  if (runs.length === 1) {
    const run = runs[0];
    const parts = scopes.map((s, i) => ({ label: s.label, color: i === 0 ? TOTAL_COLOR : colorOf(i - 1), sp: spectrumOf(s.hist(run.summary)) }));
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
    const joined = joinSpectra(runs.map((r) => spectrumOf(s.hist(r.summary))));
    const color = i === 0 ? TOTAL_COLOR : colorOf(i - 1);
    return {
      id: `distribution-${i}`,
      title: `Latency distribution: ${s.label}`,
      kind: 'spectrum' as const,
      unit: 'ms',
      xs: joined.xs,
      series: runs.map((r, j) => ({
        label: `${s.label} (${r.label})`,
        values: joined.columns[j],
        color: r.key === 'base' ? BASE_RUN_COLOR : color,
        agg: 'exact' as const,
        ...(r.key === 'base' ? { dash: true } : {}),
      })),
      markers: [],
    };
  });
}
