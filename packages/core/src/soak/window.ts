/**
 * Which part of a run trends are fitted over: the steady part. The first `warmupMs` are left
 * out (a cold JIT, caches and connection pools filling, the heap finding its size), and when
 * the load has several stages only the longest one counts (ramps up and down are not steady).
 */

/** Default trend warm-up: 10 % of the run, at most 5 minutes. */
export const DEFAULT_WARMUP_FRACTION = 0.1;
export const MAX_DEFAULT_WARMUP_MS = 5 * 60_000;

export interface WindowInput {
  /** Stage lengths in order (one stage: the whole run). */
  stagesMs: readonly number[];
  /** How long the run actually lasted (it may end early: count-bounded, aborted, interrupted). */
  runMs: number;
  /** Trend warm-up; default min(10 % of the run, 5 min). */
  warmupMs?: number;
}

export function defaultTrendWarmupMs(runMs: number): number {
  return Math.min(MAX_DEFAULT_WARMUP_MS, Math.max(0, runMs) * DEFAULT_WARMUP_FRACTION);
}

/** The steady window, ms since the run start. */
export function steadyWindow(o: WindowInput): { fromMs: number; toMs: number } {
  const warmup = o.warmupMs ?? defaultTrendWarmupMs(o.runMs);
  let from = 0;
  let to = o.runMs;
  if (o.stagesMs.length > 1) {
    let at = 0;
    let longest = -1;
    for (const d of o.stagesMs) {
      if (d > longest) {
        longest = d;
        from = at;
        to = at + d;
      }
      at += d;
    }
  }
  return { fromMs: Math.max(from, warmup), toMs: Math.min(to, o.runMs) };
}
