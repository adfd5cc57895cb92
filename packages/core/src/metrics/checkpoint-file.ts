/**
 * checkpoint.json: the cumulative histograms and counters of a running run, written beside
 * its timeline every checkpoint period, atomically (temp file, fsync, rename, fsync of the
 * directory), so that a kill -9, an OOM kill or a power cut loses at most one period. A run
 * that ends normally removes it: its presence means the run did not finish.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { trackTempFile } from '../atomic-write.js';
import { LoadctlError } from '../errors.js';
import { RESULT_SCHEMA_VERSION, type Summary } from './model.js';

export const CHECKPOINT_FILE = 'checkpoint.json';

export interface Checkpoint {
  format: 'loadctl-checkpoint';
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  /** Epoch ms when it was written. */
  writtenAt: number;
  /** The first `intervals` lines of timeline.jsonl are what `summary` adds up. */
  intervals: number;
  /** The process that wrote it (to tell a killed run from one still going). */
  pid: number;
  /** Cumulative figures up to the end of interval `intervals - 1` (verdict not yet decided). */
  summary: Summary;
  /** The redacted scenario or quick options. */
  config: unknown;
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  }
}

/** Write `data` to `path` atomically and durably. */
export async function writeFileDurably(path: string, data: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const untrack = trackTempFile(tmp);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  } finally {
    untrack();
  }
  await syncDir(dir);
}

export async function writeCheckpoint(path: string, c: Checkpoint): Promise<void> {
  await writeFileDurably(path, JSON.stringify(c));
}

/** Read a checkpoint; throws with a plain reason when it is missing or not one. */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  const value = JSON.parse(await readFile(path, 'utf8')) as Partial<Checkpoint> | null;
  if (!value || value.format !== 'loadctl-checkpoint' || typeof value.intervals !== 'number' || !value.summary) {
    throw new LoadctlError('E_CHECKPOINT', 'not a loadctl checkpoint', 2);
  }
  if ((value.schemaVersion ?? 0) > RESULT_SCHEMA_VERSION) {
    throw new LoadctlError('E_CHECKPOINT', `written by a newer loadctl (schema version ${value.schemaVersion})`, 2, 'read it with that version or a newer one');
  }
  return value as Checkpoint;
}
