/**
 * Which part of the whole load a result covers, read from its `meta.segment`, as an exact
 * range of [0, 1): `k/n` is [(k-1)/n, k/n), `from:to` is [from, to) (decimals), and the
 * legacy whole-run label `0/1` is [0, 1); boundaries are decimals, fractions or percentages
 * (`0.25`, `1/4`, `25%`). Ranges are exact fractions (bigint), so `2/4`
 * and `0.25:0.5` are the same part, and `1/3` + `2/3` + `3/3` cover the whole exactly.
 */

/** An exact non-negative fraction n/d, always reduced, d > 0. */
export interface Fraction {
  n: bigint;
  d: bigint;
}

export interface SegmentRange {
  from: Fraction;
  to: Fraction;
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
};

function frac(n: bigint, d: bigint): Fraction {
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

/** Compare a and b: negative, 0 or positive. */
export function cmp(a: Fraction, b: Fraction): number {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
}

/** A boundary as segments are written: a decimal (0.25), a fraction (1/4) or a percentage (25%). */
function boundary(text: string): Fraction | null {
  const t = text.trim();
  const dec = /^(\d{1,9})?(?:\.(\d{1,12}))?(%?)$/.exec(t);
  if (dec && (dec[1] !== undefined || dec[2] !== undefined)) {
    const digits = dec[2] ?? '';
    const f = frac(BigInt((dec[1] ?? '0') + digits), 10n ** BigInt(digits.length) * (dec[3] ? 100n : 1n));
    return f;
  }
  const q = /^(\d{1,9})\/(\d{1,9})$/.exec(t);
  if (q && BigInt(q[2]) > 0n) return frac(BigInt(q[1]), BigInt(q[2]));
  return null;
}

/** The range a segment label covers, or null if it is not a segment label. */
export function segmentRange(label: string): SegmentRange | null {
  const s = label.trim();
  if (s === '0/1') return { from: frac(0n, 1n), to: frac(1n, 1n) };
  const kn = /^(\d{1,9})\/(\d{1,9})$/.exec(s);
  if (kn) {
    const k = BigInt(kn[1]);
    const n = BigInt(kn[2]);
    if (n < 1n || k < 1n || k > n) return null;
    return { from: frac(k - 1n, n), to: frac(k, n) };
  }
  const parts = s.split(':');
  if (parts.length !== 2) return null;
  const from = boundary(parts[0]);
  const to = boundary(parts[1]);
  if (from === null || to === null || cmp(from, to) >= 0 || cmp(to, frac(1n, 1n)) > 0) return null;
  return { from, to };
}

/** `k/n` when the range is one of n equal parts, else `from:to` in decimals (or fractions). */
export function formatRange(r: SegmentRange): string {
  const width = frac(r.to.n * r.from.d - r.from.n * r.to.d, r.to.d * r.from.d);
  if (width.n === 1n) {
    // [from, from + 1/n): part k of n when from = (k-1)/n
    const k = r.from.n * width.d;
    if (k % r.from.d === 0n) return `${k / r.from.d + 1n}/${width.d}`;
  }
  const show = (f: Fraction): string => {
    let d = f.d;
    let twos = 0n;
    let fives = 0n;
    while (d % 2n === 0n) (d /= 2n), twos++;
    while (d % 5n === 0n) (d /= 5n), fives++;
    if (d !== 1n) return `${f.n}/${f.d}`;
    const digits = twos > fives ? twos : fives;
    const scaled = (f.n * 10n ** digits) / f.d;
    const text = scaled.toString().padStart(Number(digits) + 1, '0');
    const int = text.slice(0, text.length - Number(digits));
    const dec = text.slice(text.length - Number(digits)).replace(/0+$/, '');
    return dec ? `${int}.${dec}` : int;
  };
  return `${show(r.from)}:${show(r.to)}`;
}

export interface CoverageInput {
  /** Index of the result in the merge's input list. */
  item: number;
  range: SegmentRange;
}

export interface Coverage {
  /** Pairs of inputs whose ranges overlap (the same part twice, or parts that share load). */
  overlaps: Array<[number, number]>;
  /** Parts of [0, 1) no input covers, in order. */
  missing: SegmentRange[];
}

/** Overlaps and gaps of a set of ranges over the whole [0, 1). */
export function coverage(items: readonly CoverageInput[]): Coverage {
  const overlaps: Array<[number, number]> = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i].range;
      const b = items[j].range;
      if (cmp(a.from, b.to) < 0 && cmp(b.from, a.to) < 0) overlaps.push([items[i].item, items[j].item]);
    }
  }
  const sorted = [...items].sort((a, b) => cmp(a.range.from, b.range.from));
  const missing: SegmentRange[] = [];
  let reach = frac(0n, 1n);
  for (const it of sorted) {
    if (cmp(it.range.from, reach) > 0) missing.push({ from: reach, to: it.range.from });
    if (cmp(it.range.to, reach) > 0) reach = it.range.to;
  }
  if (cmp(reach, frac(1n, 1n)) < 0) missing.push({ from: reach, to: frac(1n, 1n) });
  return { overlaps, missing };
}
