/**
 * `merge` (library and `loadctl merge`): shard results into one result whose verdict is
 * the scenario's thresholds evaluated again on the merged stats — a threshold over the
 * whole load (count, rps, p99 over every sample) is only known after the merge. The
 * thresholds come from the redacted scenario each result carries (`config.thresholds`).
 */
import { badInput } from '../errors.js';
import { mergeResults, type MergeInput, type MergeResultsOptions } from '../metrics/merge/merge.js';
import type { RunResult, ThresholdResult } from '../metrics/model.js';
import { readResult } from '../metrics/result-file.js';
import type { ThresholdSpec } from '../thresholds/spec.js';
import { evaluateThresholds, thresholdStatsFromSummary } from '../thresholds/evaluate.js';
import { parseThreshold } from '../thresholds/parse.js';
import { decideVerdict } from './verdict.js';
import { rateShortfall } from './warnings.js';

export type MergeOptions = MergeResultsOptions;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The threshold specs of a result's stored scenario (none for quick runs or results without a config). */
export function thresholdSpecsOf(config: unknown, source = 'the merged result'): ThresholdSpec[] {
  if (!isRecord(config) || config.thresholds === undefined) return [];
  const list = config.thresholds;
  if (!Array.isArray(list)) throw badInput('E_MERGE', `${source}: config.thresholds is not a list`);
  return list.map((t: unknown, i) => {
    if (!isRecord(t) || typeof t.expression !== 'string') throw badInput('E_MERGE', `${source}: config.thresholds[${i}] has no expression`);
    try {
      parseThreshold(t.expression);
    } catch (err) {
      throw badInput('E_MERGE', `${source}: config.thresholds[${i}] "${t.expression}": ${(err as Error).message}`);
    }
    const spec: ThresholdSpec = {
      expression: t.expression,
      scope: typeof t.scope === 'string' ? t.scope : 'total',
      abortOnFail: t.abortOnFail === true,
      delayAbortEvalMs: typeof t.delayAbortEvalMs === 'number' ? t.delayAbortEvalMs : 0,
    };
    // A threshold of one of the loads side by side.
    if (typeof t.load === 'string') spec.load = t.load;
    return spec;
  });
}

/**
 * Merge shard results (see metrics/merge/merge.ts for what is refused) and judge the
 * merged result as a run is judged (run/verdict.ts): thresholds re-evaluated on the merged
 * stats, a threshold that aborted a shard stays marked `aborted`, and the worst way a shard
 * ended (interrupted, aborted, error) is the merged run's.
 */
export function merge(inputs: ReadonlyArray<MergeInput | RunResult>, o: MergeOptions = {}): RunResult {
  const list: MergeInput[] = inputs.map((x) => ('summary' in x ? { result: x } : x));
  const merged = mergeResults(list, o);
  const summary = merged.summary;
  const specs = thresholdSpecsOf(merged.config);
  const aborted = list.flatMap((x) => x.result.summary.verdict.thresholds.filter((t) => t.aborted));
  const thresholds: ThresholdResult[] = evaluateThresholds(specs, thresholdStatsFromSummary(summary)).map((t) =>
    aborted.some((a) => a.scope === t.scope && a.load === t.load && a.expression === t.expression) ? { ...t, aborted: true } : t,
  );
  summary.verdict = decideVerdict({ endReason: summary.verdict.endReason, thresholds, total: summary.total });
  const shortfall = rateShortfall(merged.timeline);
  if (shortfall !== null) summary.rateShortfall = shortfall;
  return merged;
}

/** Read result files and merge them (`loadctl merge a.json b.json …`). */
export async function mergeFiles(paths: readonly string[], o: MergeOptions = {}): Promise<RunResult> {
  const inputs: MergeInput[] = [];
  for (const p of paths) inputs.push({ result: await readResult(p), source: p });
  return merge(inputs, o);
}
