/**
 * Execution segments: how a run is split between workers (and shards) so that
 * any split adds up exactly to the whole. Unit i of a whole (user i, arrival i,
 * iteration i) belongs to segment i mod n; segment k of n therefore owns
 * floor(total / n) units plus one if k < total mod n.
 */
import { badInput, type LoadctlError } from '../errors.js';

export interface Segment {
  index: number;
  count: number;
}

export function shareOf(total: number, seg: Segment): number {
  const base = Math.floor(total / seg.count);
  return base + (seg.index < total % seg.count ? 1 : 0);
}

/** Does global unit `i` belong to this segment? */
export function owns(i: number, seg: Segment): boolean {
  return i % seg.count === seg.index;
}

/** Worker w of n inside shard k of m: segment k + m·w of m·n (the union over all pairs is every unit exactly once). */
export function compose(shard: Segment, worker: Segment): Segment {
  return { index: shard.index + shard.count * worker.index, count: shard.count * worker.count };
}

/**
 * How a segment is written: `k/n` (the k-th of n equal parts, 1-based, as
 * `--segment 2/4` and `$((JOB_COMPLETION_INDEX+1))/N` write it). The whole run is "1/1".
 */
export function formatSegment(seg: Segment): string {
  return `${seg.index + 1}/${seg.count}`;
}

function bad(input: string, reason: string): LoadctlError {
  return badInput('E_BAD_SEGMENT', `segment "${input}": ${reason}`, 'e.g. --segment 2/4 or --segment 0.25:0.5');
}

const MAX_SEGMENTS = 1_000_000;

/**
 * Parse `k/n` (1 ≤ k ≤ n) or `from:to` (fractions of the whole, 0 ≤ from < to ≤ 1, e.g.
 * `0.25:0.5`). Until the plan stage splits at any fraction, `from:to` must be one of n
 * equal parts (`0.25:0.5` is `2/4`); other fractions are refused with a clear message.
 */
export function parseSegment(text: string): Segment {
  const s = text.trim();
  const kn = /^(\d+)\/(\d+)$/.exec(s);
  if (kn) {
    const k = Number(kn[1]);
    const n = Number(kn[2]);
    if (n < 1 || n > MAX_SEGMENTS) throw bad(text, `the number of parts must be 1..${MAX_SEGMENTS}, got ${n}`);
    if (k < 1 || k > n) throw bad(text, `the part must be 1..${n} (parts are numbered from 1), got ${k}`);
    return { index: k - 1, count: n };
  }
  const range = /^(\d+(?:\.\d+)?|\.\d+)\s*:\s*(\d+(?:\.\d+)?|\.\d+)$/.exec(s);
  if (!range) throw bad(text, 'expected k/n (e.g. 2/4) or from:to fractions of the whole (e.g. 0.25:0.5)');
  const from = Number(range[1]);
  const to = Number(range[2]);
  if (!(from >= 0 && to <= 1 && from < to)) throw bad(text, 'expected 0 ≤ from < to ≤ 1');
  const count = Math.round(1 / (to - from));
  const index = Math.round(from * count);
  const exact = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-9;
  if (count < 1 || count > MAX_SEGMENTS || !exact(1 / count, to - from) || !exact(index / count, from)) {
    throw bad(text, 'only equal parts of the whole can run for now (from:to = (k-1)/n:k/n, e.g. 0.25:0.5 = 2/4)');
  }
  return { index, count };
}
