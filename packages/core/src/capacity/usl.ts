/**
 * Universal Scalability Law (Gunther): X(N) = λN / (1 + σ(N−1) + κN(N−1)),
 * fitted to the steps of a capacity search. N, the requests in flight, comes
 * from Little's law (N = X·R: throughput × mean latency); X is the measured
 * throughput. λ is the throughput of one request in flight, σ contention
 * (serialisation: throughput levels off toward λ/σ), κ coherency (crosstalk:
 * throughput peaks, then falls).
 *
 * Least squares by Levenberg–Marquardt (ml-levenberg-marquardt) on normalised
 * data, from a few starting points, keeping the best; σ and κ bounded to >= 0.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { UslFit, UslPoint } from '../metrics/capacity-model.js';

/** Share of linear scaling lost that we call "sets in". */
const SETS_IN = 0.1;
const GOOD_R2 = 0.9;
const MIN_POINTS = 4;

export function uslThroughput(p: Pick<UslFit, 'lambda' | 'sigma' | 'kappa'>, n: number): number {
  return (p.lambda * n) / (1 + p.sigma * (n - 1) + p.kappa * n * (n - 1));
}

interface RawFit {
  lambda: number;
  sigma: number;
  kappa: number;
  sse: number;
}

function sse(points: readonly UslPoint[], p: Omit<RawFit, 'sse'>): number {
  let s = 0;
  for (const q of points) s += (uslThroughput(p, q.concurrency) - q.throughput) ** 2;
  return s;
}

function fitOnce(points: readonly UslPoint[], nScale: number, xScale: number, init: [number, number, number]): RawFit | null {
  // Normalised: n = N / nScale, x = X / xScale; parameters a = λ·nScale/xScale, σ, k = κ·nScale².
  const xs = points.map((q) => q.concurrency / nScale);
  const ys = points.map((q) => q.throughput / xScale);
  const model =
    ([a, s, k]: number[]) =>
    (n: number): number =>
      (a * n) / (1 + s * (n * nScale - 1) + k * n * (n - 1 / nScale));
  try {
    const r = levenbergMarquardt({ x: xs, y: ys }, model, {
      initialValues: init,
      minValues: [1e-9, 0, 0],
      maxValues: [1e9, 1, 1e9],
      maxIterations: 300,
      errorTolerance: 1e-12,
      damping: 1e-2,
    });
    const [a, s, k] = r.parameterValues;
    const fit = { lambda: (a * xScale) / nScale, sigma: s, kappa: k / (nScale * nScale) };
    if (![fit.lambda, fit.sigma, fit.kappa].every(Number.isFinite)) return null;
    return { ...fit, sse: sse(points, fit) };
  } catch {
    return null;
  }
}

const fmt = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Fit the USL to (concurrency, throughput) points; null with fewer than 3 usable points. */
export function fitUsl(input: readonly UslPoint[]): UslFit | null {
  const points = input.filter((p) => Number.isFinite(p.concurrency) && Number.isFinite(p.throughput) && p.concurrency > 0 && p.throughput > 0);
  if (points.length < 3) return null;
  const nScale = Math.max(...points.map((p) => p.concurrency));
  const xScale = Math.max(...points.map((p) => p.throughput));
  // λ starts at the best throughput per request in flight seen.
  const a0 = (Math.max(...points.map((p) => p.throughput / p.concurrency)) * nScale) / xScale;
  let best: RawFit | null = null;
  for (const s0 of [0, 0.01, 0.1, 0.5]) {
    for (const k0 of [0, 0.1, 1, 10]) {
      const f = fitOnce(points, nScale, xScale, [a0, s0, k0]);
      if (f && (best === null || f.sse < best.sse)) best = f;
    }
  }
  if (best === null) return null;
  const mean = points.reduce((n, p) => n + p.throughput, 0) / points.length;
  const sst = points.reduce((n, p) => n + (p.throughput - mean) ** 2, 0);
  const r2 = sst > 0 ? 1 - best.sse / sst : 0;
  const p = { lambda: best.lambda, sigma: best.sigma, kappa: best.kappa };
  const at = (n: number): UslPoint => ({ concurrency: n, throughput: uslThroughput(p, n) });
  const peak = p.kappa > 1e-12 ? at(Math.sqrt(Math.max(0, 1 - p.sigma) / p.kappa)) : null;
  const contentionAt = p.sigma > 1e-9 ? at(1 + SETS_IN / p.sigma) : null;
  const coherencyAt = p.kappa > 1e-12 ? at((1 + Math.sqrt(1 + (4 * SETS_IN) / p.kappa)) / 2) : null;
  const nMin = Math.min(...points.map((q) => q.concurrency));
  const good = points.length >= MIN_POINTS && r2 >= GOOD_R2 && nScale / nMin >= 2;
  return { ...p, r2, points, peak, contentionAt, coherencyAt, good, summary: describe(p, r2, points.length, peak, contentionAt, coherencyAt, good) };
}

function describe(
  p: Pick<UslFit, 'lambda' | 'sigma' | 'kappa'>,
  r2: number,
  n: number,
  peak: UslPoint | null,
  contention: UslPoint | null,
  coherency: UslPoint | null,
  good: boolean,
): string {
  const parts: string[] = [];
  const fitOf = `R² ${r2.toFixed(2)} over ${n} steps`;
  if (peak) parts.push(`throughput peaks near ${fmt(peak.throughput)} req/s with ${fmt(peak.concurrency)} requests in flight, then falls`);
  else if (p.sigma > 1e-9) parts.push(`throughput levels off toward ${fmt(p.lambda / p.sigma)} req/s (no fall seen)`);
  else parts.push('throughput still grows linearly with concurrency (no limit seen)');
  if (contention) parts.push(`contention (σ ${p.sigma.toPrecision(2)}) costs 10% from about ${fmt(contention.concurrency)} in flight (${fmt(contention.throughput)} req/s)`);
  if (coherency) parts.push(`coherency (κ ${p.kappa.toPrecision(2)}) from about ${fmt(coherency.concurrency)} in flight (${fmt(coherency.throughput)} req/s)`);
  const text = `USL fit (${fitOf}): ${parts.join('; ')}.`;
  if (good) return text;
  const why =
    n < MIN_POINTS
      ? `only ${n} steps could be used`
      : r2 < GOOD_R2
        ? `the curve explains the measurements poorly (R² ${r2.toFixed(2)})`
        : 'the steps cover too narrow a range of concurrency';
  return `${text} Caveat: the fit is poor — ${why} — so read the curve as orientation, not as a prediction; steps past the capacity mostly measure queueing.`;
}
