/**
 * Which units of the whole a part owns. Units are numbered 0, 1, 2, … (user i,
 * arrival i, iteration i, connection i, data row i); a stripe owns unit u when
 * `u mod period` is one of its slots. The stripes of the parts of a segment
 * sequence, or of the workers a stripe is split into, own every unit exactly once,
 * so shares of any amount add up to the whole, and an owner's count only grows as
 * the amount grows (k6's striped offsets, lib/execution_segment.go).
 */
import { badInput } from '../errors.js';
import { lcm, sub } from './fraction.js';
import { smoothWeightedRoundRobin } from './picker.js';
import { MAX_DENOMINATOR, type SegmentSequence } from './segment.js';

export interface Stripe {
  /** Units per block (count): the owned slots repeat every `period` units. */
  readonly period: number;
  /** Sorted, distinct, each in [0, period). */
  readonly slots: readonly number[];
}

/** The whole: every unit. */
export const EVERY_UNIT: Stripe = { period: 1, slots: [0] };

/**
 * One stripe per part of the sequence. With L the common denominator of the parts'
 * lengths, part j of length p_j/L owns p_j of every L consecutive units, dealt by
 * smooth weighted round robin so that each part's units are spread evenly
 * (equal parts: unit u goes to part u mod n).
 */
export function sequenceStripes(seq: SegmentSequence): Stripe[] {
  const lengths = seq.slice(1).map((b, i) => sub(b, seq[i]));
  const period = lengths.reduce((acc, f) => lcm(acc, f.d), 1);
  if (period > MAX_DENOMINATOR) throw badInput('E_BAD_SEGMENT', `the segment sequence's parts have a common denominator of ${period}: use coarser boundaries (at most ${MAX_DENOMINATOR})`);
  const deal = smoothWeightedRoundRobin(lengths.map((f) => (f.n * period) / f.d));
  const slots: number[][] = lengths.map(() => []);
  for (let u = 0; u < period; u++) slots[deal()].push(u);
  return slots.map((s) => ({ period, slots: s }));
}

/**
 * Split a stripe into `parts` stripes (a shard's units among its workers): the r-th
 * unit the stripe owns goes to part r mod parts.
 */
export function splitStripe(s: Stripe, parts: number): Stripe[] {
  const len = s.slots.length;
  let g = len;
  for (let b = parts; b !== 0; ) [g, b] = [b, g % b];
  const cycles = parts / g;
  const out: number[][] = Array.from({ length: parts }, () => []);
  for (let c = 0; c < cycles; c++) for (let i = 0; i < len; i++) out[(c * len + i) % parts].push(c * s.period + s.slots[i]);
  return out.map((slots) => ({ period: s.period * cycles, slots }));
}

/** How many of the units 0 … n-1 the stripe owns. */
export function owned(s: Stripe, n: number): number {
  if (n <= 0) return 0;
  const whole = Math.floor(n / s.period);
  const rest = n - whole * s.period;
  let lo = 0;
  let hi = s.slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.slots[mid] < rest) lo = mid + 1;
    else hi = mid;
  }
  return whole * s.slots.length + lo;
}

/** The global number of the j-th unit (0-based) the stripe owns. */
export function unitAt(s: Stripe, j: number): number {
  const len = s.slots.length;
  const c = Math.floor(j / len);
  return c * s.period + s.slots[j - c * len];
}
