/**
 * The timeline on disk: one Interval per line (JSON Lines), appended as the run goes, so the
 * main thread never holds it. Lines are written with one write(2) each and read back in
 * order; a torn last line (the process was killed mid-write) is skipped, not fatal.
 */
import { closeSync, createReadStream, fdatasync, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Interval } from './model.js';
import type { Timeline } from './result.js';

export const TIMELINE_FILE = 'timeline.jsonl';

export interface ReadTimelineOptions {
  /** Read at most this many intervals (count). */
  limit?: number;
  /** Called for each line that is not a JSON object (a torn or damaged line), with its 1-based line number. */
  onBadLine?(lineNumber: number): void;
}

/**
 * One interval as a timeline.jsonl line: exactly the Interval the reporters got, so that the
 * timeline read back is the one that was streamed.
 */
export function timelineLine(i: Interval): string {
  return `${JSON.stringify(i)}\n`;
}

/** The intervals of a timeline.jsonl file, in file order. */
export async function* readTimeline(path: string, o: ReadTimelineOptions = {}): AsyncGenerator<Interval> {
  const limit = o.limit ?? Infinity;
  if (limit <= 0) return;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        o.onBadLine?.(lineNumber);
        continue;
      }
      yield value as Interval;
      if (++n >= limit) return;
    }
  } finally {
    lines.close();
  }
}

/** A Timeline read from a timeline.jsonl file (`length` intervals of it). */
export function fileTimeline(path: string, length: number): Timeline {
  return {
    length,
    [Symbol.asyncIterator]: () => readTimeline(path, { limit: length }),
  };
}

/**
 * Appends intervals to a timeline.jsonl file. Write failures (disk full) never throw into the
 * run: they are counted, and the timeline is then known to be incomplete.
 */
export class TimelineWriter {
  private fd: number | null;
  /** Intervals written. */
  written = 0;
  /** Intervals that could not be written. */
  failed = 0;
  lastError: string | undefined;

  /** Opens (and truncates) `path`. Throws if it cannot be created. */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  append(i: Interval): void {
    if (this.fd === null || this.failed > 0) {
      this.failed++;
      return;
    }
    try {
      writeSync(this.fd, timelineLine(i));
      this.written++;
    } catch (err) {
      this.failed++;
      this.lastError = (err as Error).message;
    }
  }

  /** Flush written lines to the disk (before a checkpoint refers to them). */
  sync(): Promise<void> {
    const fd = this.fd;
    if (fd === null) return Promise.resolve();
    return new Promise((resolve) => fdatasync(fd, () => resolve()));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
