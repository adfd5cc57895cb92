/**
 * Exact fractions for segment boundaries (k6 uses big.Rat for the same reason: a
 * third of the load must stay a third, not 0.333…). Numerators and denominators are
 * kept small (segments have at most a few decimal digits), so plain integers do.
 */

/** n/d, reduced, d > 0. */
export interface Fraction {
  /** Numerator (an integer). */
  readonly n: number;
  /** Denominator (an integer > 0). */
  readonly d: number;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

export function fraction(n: number, d = 1): Fraction {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d === 0) throw new RangeError(`not a fraction: ${n}/${d}`);
  const g = gcd(n, d) || 1;
  const s = d < 0 ? -1 : 1;
  return { n: (s * n) / g, d: (s * d) / g };
}

export const ZERO: Fraction = { n: 0, d: 1 };
export const ONE: Fraction = { n: 1, d: 1 };

export function compare(a: Fraction, b: Fraction): number {
  return a.n * b.d - b.n * a.d;
}

export function sub(a: Fraction, b: Fraction): Fraction {
  const d = lcm(a.d, b.d);
  return fraction(a.n * (d / a.d) - b.n * (d / b.d), d);
}

export function add(a: Fraction, b: Fraction): Fraction {
  const d = lcm(a.d, b.d);
  return fraction(a.n * (d / a.d) + b.n * (d / b.d), d);
}

export function mul(a: Fraction, b: Fraction): Fraction {
  return fraction(a.n * b.n, a.d * b.d);
}

export function toNumber(f: Fraction): number {
  return f.n / f.d;
}

/**
 * A decimal ("0.25"), a fraction ("1/4") or a percentage ("25%"), exactly; undefined
 * when `s` is none of these.
 */
export function parseFraction(s: string): Fraction | undefined {
  const t = s.trim();
  let m = /^(\d+)\/(\d+)$/.exec(t);
  if (m) return Number(m[2]) === 0 ? undefined : fraction(Number(m[1]), Number(m[2]));
  m = /^(\d{1,9})(?:\.(\d{1,9}))?(%?)$/.exec(t);
  if (!m) return undefined;
  const decimals = m[2] ?? '';
  const scale = 10 ** decimals.length * (m[3] === '%' ? 100 : 1);
  return fraction(Number(m[1] + decimals), scale);
}

/** "0.25" when the fraction has a short exact decimal form, else "1/3". */
export function formatFraction(f: Fraction): string {
  if (f.d === 1) return String(f.n);
  let d = f.d;
  let twos = 0;
  let fives = 0;
  for (; d % 2 === 0; d /= 2) twos++;
  for (; d % 5 === 0; d /= 5) fives++;
  const digits = Math.max(twos, fives);
  if (d === 1 && digits <= 6) return (f.n / f.d).toFixed(digits);
  return `${f.n}/${f.d}`;
}
