/**
 * Execution segments: which part of the whole load a process runs. A segment is the
 * part [from, to) of [0, 1); `k/n` is the k-th of n equal parts (1-based, as
 * `--segment 2/4`), `a:b` any part (`0.25:0.5`, `1/3:2/3`, `25%:50%`).
 *
 * As in k6 (lib/execution_segment.go), a segment is one part of a sequence: a
 * partition of [0, 1) that every shard of a run shares. Units (users, arrivals,
 * iterations, connections, rows) are dealt to the parts of the sequence (stripe.ts),
 * so the shares of any partition add up exactly to the whole. A `k/n` segment
 * implies its sequence (n equal parts); unequal `a:b` shards should all be given
 * the same sequence, else each fills the rest of [0, 1) around itself.
 */
import { badInput } from '../errors.js';
import { compare, formatFraction, fraction, ONE, parseFraction, sub, ZERO, type Fraction } from './fraction.js';

export interface Segment {
  readonly from: Fraction;
  readonly to: Fraction;
}

/** Boundaries 0 = b0 < b1 < … < bm = 1 of a partition of the whole. */
export type SegmentSequence = readonly Fraction[];

export const WHOLE_SEGMENT: Segment = { from: ZERO, to: ONE };

/** Boundaries are kept to this denominator (6 decimal digits), so shares stay exact in plain integers. */
export const MAX_DENOMINATOR = 1_000_000;

const GRAMMAR = 'expected k/n (the k-th of n equal parts, e.g. 2/4) or a:b with 0 <= a < b <= 1 (e.g. 0.25:0.5, 1/3:2/3, 25%:50%)';

function boundary(text: string, what: string): Fraction {
  const f = parseFraction(text);
  if (f === undefined) throw badInput('E_BAD_SEGMENT', `${what} "${text}" is not a number: use a decimal (0.25), a fraction (1/4) or a percentage (25%)`);
  if (f.d > MAX_DENOMINATOR) throw badInput('E_BAD_SEGMENT', `${what} "${text}" is too fine: use at most 6 decimal digits`);
  return f;
}

export function parseSegment(text: string): Segment {
  const t = text.trim();
  const part = /^(\d+)\/(\d+)$/.exec(t);
  if (part) {
    const k = Number(part[1]);
    const n = Number(part[2]);
    if (!(n >= 1 && k >= 1 && k <= n)) throw badInput('E_BAD_SEGMENT', `segment "${text}": k/n needs 1 <= k <= n (parts are numbered from 1)`);
    if (n > MAX_DENOMINATOR) throw badInput('E_BAD_SEGMENT', `segment "${text}": at most ${MAX_DENOMINATOR} parts`);
    return { from: fraction(k - 1, n), to: fraction(k, n) };
  }
  const colon = t.indexOf(':');
  if (colon < 0) throw badInput('E_BAD_SEGMENT', `segment "${text}": ${GRAMMAR}`);
  const from = boundary(t.slice(0, colon), `segment "${text}": start`);
  const to = boundary(t.slice(colon + 1), `segment "${text}": end`);
  if (!(compare(from, to) < 0 && compare(to, ONE) <= 0)) throw badInput('E_BAD_SEGMENT', `segment "${text}": ${GRAMMAR}`);
  return { from, to };
}

/** k and n when the segment is the k-th of n equal parts. */
export function equalPart(s: Segment): { k: number; n: number } | undefined {
  const len = sub(s.to, s.from);
  if (len.n !== 1) return undefined;
  const k = (s.from.n * len.d) / s.from.d;
  return Number.isInteger(k) ? { k: k + 1, n: len.d } : undefined;
}

/** "2/4" for an equal part, else "0.1:0.35" or "1/3:1/2"; parseSegment reads it back. The whole run is "1/1". */
export function formatSegment(s: Segment): string {
  const p = equalPart(s);
  return p ? `${p.k}/${p.n}` : `${formatFraction(s.from)}:${formatFraction(s.to)}`;
}

/** Is this text (a result's meta.segment) the whole run? Also true for "0/1", what results before plans wrote. */
export function isWholeSegment(text: string): boolean {
  if (text.trim() === '0/1') return true;
  try {
    const s = parseSegment(text);
    return compare(s.from, ZERO) === 0 && compare(s.to, ONE) === 0;
  } catch {
    return false;
  }
}

export function parseSequence(text: string): SegmentSequence {
  const points = text.split(',').map((p, i) => boundary(p, `segment sequence "${text}": point ${i + 1}`));
  checkSequence(points, text);
  return points;
}

export function formatSequence(seq: SegmentSequence): string {
  return seq.map(formatFraction).join(',');
}

function checkSequence(seq: SegmentSequence, text: string): void {
  const ok = seq.length >= 2 && compare(seq[0], ZERO) === 0 && compare(seq[seq.length - 1], ONE) === 0 && seq.every((b, i) => i === 0 || compare(seq[i - 1], b) < 0);
  if (!ok) throw badInput('E_BAD_SEGMENT', `segment sequence "${text}": expected increasing points from 0 to 1, e.g. 0,1/4,1/2,1`);
}

/**
 * The sequence a segment is planned in, and its position there: `sequence` when given
 * (it must have the segment as one of its parts), else n equal parts for a k/n
 * segment, else the segment with the rest of [0, 1) around it.
 */
export function placeSegment(segment: Segment, sequence?: SegmentSequence): { sequence: SegmentSequence; index: number } {
  let seq: SegmentSequence;
  if (sequence !== undefined) {
    checkSequence(sequence, formatSequence(sequence));
    seq = sequence;
  } else {
    const p = equalPart(segment);
    if (p) seq = Array.from({ length: p.n + 1 }, (_, i) => fraction(i, p.n));
    else seq = [ZERO, segment.from, segment.to, ONE].filter((b, i, all) => i === 0 || compare(all[i - 1], b) !== 0);
  }
  const index = seq.findIndex((b, i) => i + 1 < seq.length && compare(b, segment.from) === 0 && compare(seq[i + 1], segment.to) === 0);
  if (index < 0) throw badInput('E_BAD_SEGMENT', `segment ${formatSegment(segment)} is not one of the parts of the sequence ${formatSequence(seq)}`);
  return { sequence: seq, index };
}
