/**
 * Reading the output directory of a run back: its result.json when the run finished, or,
 * when it did not (kill -9, OOM kill, power cut: checkpoint.json is still there), a partial
 * Result rebuilt from the last checkpoint and the timeline lines it covers.
 */
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_FILE, readCheckpoint, type Checkpoint } from '../metrics/checkpoint-file.js';
import type { ThresholdResult } from '../metrics/model.js';
import { memoryTimeline, toResult, type Result } from '../metrics/result.js';
import { readResult, ResultFileError } from '../metrics/result-file.js';
import { fileTimeline, readTimeline, TIMELINE_FILE } from '../metrics/timeline-file.js';
import type { ThresholdSpec } from '../thresholds/spec.js';
import { evaluateThresholds, thresholdStatsFromSummary } from '../thresholds/evaluate.js';
import { decideVerdict } from './verdict.js';

export const RESULT_FILE = 'result.json';

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return pid !== process.pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whole intervals readable from the timeline file, at most `limit`. */
async function countIntervals(path: string, limit: number): Promise<number> {
  if (!(await exists(path))) return 0;
  let n = 0;
  for await (const _ of readTimeline(path, { limit })) n++;
  return n;
}

function thresholdsOf(config: unknown): ThresholdSpec[] {
  const t = (config as { thresholds?: unknown } | null)?.thresholds;
  return Array.isArray(t) ? (t as ThresholdSpec[]) : [];
}

/** The partial Result of a run that left `checkpoint` behind in `dir`. */
export async function partialResult(dir: string, checkpoint: Checkpoint): Promise<Result> {
  const timelinePath = join(dir, TIMELINE_FILE);
  const recorded = await countIntervals(timelinePath, Infinity);
  const covered = Math.min(checkpoint.intervals, recorded);
  const summary = structuredClone(checkpoint.summary);
  let thresholds: ThresholdResult[] = [];
  try {
    thresholds = evaluateThresholds(thresholdsOf(checkpoint.config), thresholdStatsFromSummary(summary));
  } catch {
    // a config without usable thresholds: none are judged
  }
  summary.verdict = decideVerdict({ endReason: 'interrupted', thresholds, total: summary.total });
  const at = new Date(checkpoint.writtenAt).toISOString();
  const elapsed = `${Math.round(summary.durationMs / 1000)} s into the run`;
  const reason = processAlive(checkpoint.pid)
    ? `the run is still going (process ${checkpoint.pid}): this is its last checkpoint, written at ${at}, ${elapsed}`
    : `the run did not finish (killed, crashed or the machine stopped): rebuilt from its last checkpoint, written at ${at}, ${elapsed}; ` +
      `it covers ${covered} of the ${recorded} intervals recorded, later figures are lost`;
  summary.warnings = [{ code: 'RUN_INCOMPLETE', severity: 'error', message: reason }, ...summary.warnings];
  return {
    schemaVersion: checkpoint.schemaVersion,
    partial: true,
    partialReason: reason,
    summary,
    timeline: covered > 0 ? fileTimeline(timelinePath, covered) : memoryTimeline([]),
    config: checkpoint.config,
  };
}

/**
 * The Result of the run whose output directory is `dir`: partial (rebuilt from checkpoint.json)
 * when the run did not finish, else its result.json. Throws a ResultFileError (exit 2) when
 * `dir` holds neither.
 */
export async function readRunDirectory(dir: string): Promise<Result> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new ResultFileError(dir, info ? 'not a directory' : 'directory not found');
  const checkpointPath = join(dir, CHECKPOINT_FILE);
  if (await exists(checkpointPath)) {
    let checkpoint: Checkpoint;
    try {
      checkpoint = await readCheckpoint(checkpointPath);
    } catch (err) {
      throw new ResultFileError(checkpointPath, `unreadable checkpoint: ${(err as Error).message}`, { cause: err });
    }
    return partialResult(dir, checkpoint);
  }
  const resultPath = join(dir, RESULT_FILE);
  if (await exists(resultPath)) return toResult(await readResult(resultPath));
  throw new ResultFileError(dir, `neither ${RESULT_FILE} nor ${CHECKPOINT_FILE}: not the output directory of a loadctl run`);
}
