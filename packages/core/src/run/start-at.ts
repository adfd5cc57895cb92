/**
 * `--start-at`: shards of one run, started independently (Kubernetes pods, ssh, CI jobs),
 * begin their load at one agreed wall-clock instant. The time is checked (a time in the
 * past beyond a tolerance is refused: that shard would run out of step with the others),
 * then the process sleeps until shortly before it, and the worker pool starts the load
 * exactly at it (engine/pool.ts).
 */
import { badInput } from '../errors.js';

/** How far in the past a start time may be before it is refused (clock skew, slow pod starts). */
export const DEFAULT_START_TOLERANCE_MS = 30_000;

/** Workers are started this long before the start time (thread start, compile, connections). */
export const START_PREPARE_MS = 5_000;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch ms of an ISO 8601 date-time with a time zone (`2025-06-01T12:00:00Z`,
 * `2025-06-01T14:00:00+02:00`). Without a zone every machine would read it in its own
 * local time, so it is refused.
 */
export function parseStartAt(text: string): number {
  const s = text.trim();
  const t = ISO.test(s) ? Date.parse(s) : NaN;
  if (!Number.isFinite(t)) {
    throw badInput('E_BAD_START_AT', `start time "${text}" is not an ISO 8601 date-time with a time zone`, "e.g. --start-at 2025-06-01T12:00:00Z (date -u -d '+2 min' +%FT%TZ)");
  }
  return t;
}

/** Refuse a start time more than `toleranceMs` in the past. */
export function checkStartAt(startAt: number, now: number, toleranceMs = DEFAULT_START_TOLERANCE_MS): void {
  if (!Number.isFinite(startAt)) throw badInput('E_BAD_START_AT', `start time ${startAt} is not a time`);
  const late = now - startAt;
  if (late > toleranceMs) {
    throw badInput(
      'E_START_AT_PAST',
      `start time ${new Date(startAt).toISOString()} is ${(late / 1000).toFixed(1)} s in the past (tolerance ${(toleranceMs / 1000).toFixed(0)} s): this shard would not run together with the others`,
      'give a start time in the future to every shard, e.g. two minutes ahead',
    );
  }
}

/** Sleep until `until` (epoch ms), or until `signal` aborts. */
export function sleepUntil(until: number, signal?: AbortSignal): Promise<void> {
  const ms = until - Date.now();
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
