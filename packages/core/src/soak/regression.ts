/**
 * Least-squares line through (x, y) points with a 95 % confidence interval of its slope that
 * accounts for autocorrelation: consecutive samples of a soak run (RSS, p99 per second) are not
 * independent, and the textbook interval assumes they are, so it comes out far too narrow and
 * "finds" trends in noise. The residuals' lag-1 autocorrelation r (an AR(1) model) widens the
 * standard error by √((1+r)/(1−r)) (the effective number of points is n·(1−r)/(1+r)). The t
 * quantile keeps n−2 degrees of freedom: with the widened error its coverage stays near 95 % for
 * AR(1) noise up to r = 0.9 (measured: 92 %), whereas a t on the few effective points of a short,
 * smooth series (a leak growing at a varying pace) makes every interval all but infinite.
 */

export interface SlopeFit {
  slope: number;
  intercept: number;
  /** 95 % confidence interval of the slope. */
  low: number;
  high: number;
  /** Lag-1 autocorrelation of the residuals, clamped to [0, MAX_AUTOCORRELATION]. */
  autocorrelation: number;
  /** Effective number of independent points after the autocorrelation correction. */
  effectivePoints: number;
  points: number;
}

/** Beyond this the correction would make every interval infinite; such series are smooth curves, not noise. */
export const MAX_AUTOCORRELATION = 0.95;

/** Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08,
  2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const Z975 = 1.959963984540054;

/** The 97.5 % quantile of Student's t with `df` degrees of freedom (rounded down: the wider interval). */
export function tQuantile975(df: number): number {
  const d = Math.max(1, Math.floor(df));
  if (d <= T975.length) return T975[d - 1];
  // Cornish-Fisher expansion around the normal quantile; error < 1e-4 for df > 30.
  const z = Z975;
  return z + (z ** 3 + z) / (4 * d) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * d * d);
}

/** Fit y = intercept + slope·x. Needs at least 3 points with distinct x; returns null otherwise. */
export function fitSlope(xs: readonly number[], ys: readonly number[]): SlopeFit | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    sxx += dx * dx;
    sxy += dx * (ys[i] - my);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  let lagged = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const e = ys[i] - (intercept + slope * xs[i]);
    sse += e * e;
    if (i > 0) lagged += e * prev;
    prev = e;
  }
  const r = sse > 0 ? Math.min(MAX_AUTOCORRELATION, Math.max(0, lagged / sse)) : 0;
  const effectivePoints = (n * (1 - r)) / (1 + r);
  const se = Math.sqrt(sse / (n - 2) / sxx) * Math.sqrt((1 + r) / (1 - r));
  const half = tQuantile975(n - 2) * se;
  return { slope, intercept, low: slope - half, high: slope + half, autocorrelation: r, effectivePoints, points: n };
}
