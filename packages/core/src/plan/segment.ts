/**
 * Execution segments: how a run is split between workers (and shards) so that
 * any split adds up exactly to the whole. Unit i of a whole (user i, arrival i,
 * iteration i) belongs to segment i mod n; segment k of n therefore owns
 * floor(total / n) units plus one if k < total mod n.
 */
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

export function formatSegment(seg: Segment): string {
  return `${seg.index}/${seg.count}`;
}
