/**
 * The unmeasured warm-up before a run, so that a cold JIT is not in the numbers: asked for
 * (`warmupMs`, 0 turns it off) or by default DEFAULT_WARMUP_MS, at most a tenth of the
 * run's planned length. No default warm-up for a run that writes (a step other than GET,
 * HEAD or OPTIONS: the warm-up would send its writes again and reuse its data rows) or that
 * is bounded by a count of iterations (it sends exactly what was asked); the summary says so.
 * With loads side by side, each load warms up its own shape (the same length for all).
 */
import type { Warning } from '../metrics/model.js';
import { plannedDurationMs, scenarioFlows, scenarioLoads } from '../scenario/loads.js';
import type { Scenario } from '../scenario/model.js';

export const DEFAULT_WARMUP_MS = 2000;
/** The default warm-up takes at most this fraction of the run's planned length. */
export const WARMUP_SHARE = 0.1;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Warmup {
  ms: number;
  /** Why there is no default warm-up (an info warning of the run). */
  note?: Warning;
}

/** The warm-up of a run: `asked` when given, else the default for this scenario. */
export function resolveWarmup(s: Scenario, asked: number | undefined): Warmup {
  if (asked !== undefined) return { ms: Math.max(0, asked) };
  if (scenarioLoads(s).some(({ load }) => load.model === 'closed' && load.iterations !== undefined)) return { ms: 0 };
  const writes = [...new Set(scenarioFlows(s).flatMap((f) => f.steps.map((st) => st.method)).filter((m) => !READS.has(m)))];
  if (writes.length > 0) {
    return {
      ms: 0,
      note: {
        code: 'NO_WARMUP',
        severity: 'info',
        message: `no warm-up: the scenario sends ${writes.join(', ')}, which a warm-up would send again; the first seconds include a cold JIT (--warmup 2s warms up anyway)`,
      },
    };
  }
  return { ms: Math.min(DEFAULT_WARMUP_MS, Math.round(WARMUP_SHARE * (plannedDurationMs(s) ?? 0))) };
}
