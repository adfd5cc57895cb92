/**
 * The on-disk record of a run as it goes: the timeline appended to timeline.jsonl (so the
 * main thread keeps none of it) and, every checkpoint period, checkpoint.json with the
 * cumulative figures. In the output directory when there is one; otherwise in a temp
 * directory removed at the end (library use), without checkpoints.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cannotProceed } from '../errors.js';
import { CHECKPOINT_FILE, writeCheckpoint, type Checkpoint } from '../metrics/checkpoint-file.js';
import type { Interval, Warning } from '../metrics/model.js';
import type { Timeline } from '../metrics/result.js';
import { fileTimeline, TIMELINE_FILE, TimelineWriter } from '../metrics/timeline-file.js';

export const DEFAULT_CHECKPOINT_MS = 60_000;

export interface JournalOptions {
  /** Output directory; none: a temp directory, removed by `close`. */
  dir?: string;
  /** Checkpoint period; 0 disables checkpoints. Ignored without `dir`. */
  checkpointMs?: number;
}

export class RunJournal {
  readonly dir: string;
  readonly temporary: boolean;
  readonly timelinePath: string;
  readonly checkpointPath: string;
  private readonly writer: TimelineWriter;
  private readonly checkpointMs: number;
  /** Elapsed ms of the last checkpoint: the first is written one period into the run. */
  private lastCheckpointEnd = 0;
  private writing: Promise<void> | null = null;
  private checkpointsWritten = 0;
  private checkpointErrors = 0;
  private lastCheckpointError = '';

  constructor(o: JournalOptions = {}) {
    this.temporary = o.dir === undefined;
    try {
      if (o.dir !== undefined) {
        this.dir = resolve(o.dir);
        mkdirSync(this.dir, { recursive: true });
      } else {
        this.dir = mkdtempSync(join(tmpdir(), 'loadctl-run-'));
      }
      this.timelinePath = join(this.dir, TIMELINE_FILE);
      this.checkpointPath = join(this.dir, CHECKPOINT_FILE);
      this.writer = new TimelineWriter(this.timelinePath);
    } catch (err) {
      throw cannotProceed('E_OUT_DIR', `cannot write the run's timeline in ${o.dir ?? tmpdir()}: ${(err as Error).message}`, 'check that the output directory is writable');
    }
    this.checkpointMs = this.temporary ? 0 : Math.max(0, o.checkpointMs ?? DEFAULT_CHECKPOINT_MS);
  }

  /** Intervals recorded so far. */
  get intervals(): number {
    return this.writer.written;
  }

  append(i: Interval): void {
    this.writer.append(i);
  }

  /** The recorded timeline, read back from the file. */
  timeline(): Timeline {
    return fileTimeline(this.timelinePath, this.writer.written);
  }

  /** True when interval `i` ends a checkpoint period (call after `append(i)`). */
  checkpointDue(i: Interval): boolean {
    if (this.checkpointMs <= 0) return false;
    if (i.elapsedMs - this.lastCheckpointEnd < this.checkpointMs) return false;
    this.lastCheckpointEnd = i.elapsedMs;
    return true;
  }

  /**
   * Write a checkpoint in the background (timeline synced first, so every interval it counts
   * is on disk). Skipped while the previous one is still being written; failures are counted.
   */
  checkpoint(make: () => Omit<Checkpoint, 'format' | 'intervals' | 'pid' | 'writtenAt'>): void {
    if (this.checkpointMs <= 0 || this.writing) return;
    const c: Checkpoint = { format: 'loadctl-checkpoint', intervals: this.writer.written, pid: process.pid, writtenAt: Date.now(), ...make() };
    this.writing = this.writer
      .sync()
      .then(() => writeCheckpoint(this.checkpointPath, c))
      .then(
        () => {
          this.checkpointsWritten++;
        },
        (err: unknown) => {
          this.checkpointErrors++;
          this.lastCheckpointError = (err as Error).message;
        },
      )
      .finally(() => {
        this.writing = null;
      });
  }

  /** Problems recording the run, as warnings. */
  warnings(): Warning[] {
    const out: Warning[] = [];
    if (this.writer.failed > 0) {
      out.push({
        code: 'TIMELINE_INCOMPLETE',
        severity: 'warn',
        message: `${this.writer.failed} intervals could not be written to ${this.timelinePath} (${this.writer.lastError ?? 'write failed'}): the timeline stops early`,
      });
    }
    if (this.checkpointErrors > 0) {
      out.push({
        code: 'CHECKPOINT_FAILED',
        severity: 'warn',
        message: `${this.checkpointErrors} checkpoints could not be written to ${this.checkpointPath} (${this.lastCheckpointError})`,
      });
    }
    return out;
  }

  /** Wait for a checkpoint being written and stop recording. */
  async finish(): Promise<void> {
    while (this.writing) await this.writing;
    await this.writer.sync();
    this.writer.close();
  }

  /**
   * After the result files are written: a finished run removes its checkpoint (its presence
   * means "did not finish"); a temp directory goes entirely.
   */
  async close(): Promise<void> {
    await this.finish();
    if (this.temporary) rmSync(this.dir, { recursive: true, force: true });
    else await unlink(this.checkpointPath).catch(() => undefined);
  }
}
