/**
 * Output paths are checked before any load is sent: a result file that cannot be written
 * is bad input (exit 2) found in a second, not after a one-hour run. A directory is
 * created if missing and a probe file is written into it and removed (the only check
 * that holds for every reason: a regular file in the path, permissions, a read-only or
 * full file system).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LoadctlError, type Reporter } from '@loadctl/core';

function outputError(label: string, path: string, why: string): LoadctlError {
  return new LoadctlError('E_OUTPUT_PATH', `${label} ${path}: cannot write there (${why})`, 2, 'choose a path in a writable directory');
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left';
    default:
      return e.code ?? e.message;
  }
}

/** Why files cannot be written into `dir` (created if missing), or undefined when they can. */
async function probeDir(dir: string): Promise<string | undefined> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = resolve(dir, `.loadctl-write-check.${process.pid}.${randomBytes(4).toString('hex')}`);
    const fh = await open(probe, 'wx');
    await fh.close();
    await unlink(probe);
    return undefined;
  } catch (err) {
    return reason(err);
  }
}

/** Make sure files can be written into directory `dir` (created if missing). Throws E_OUTPUT_PATH (exit 2). */
export async function checkWritableDir(dir: string, label: string): Promise<void> {
  const why = await probeDir(resolve(dir));
  if (why !== undefined) throw outputError(label, dir, why);
}

/** Make sure `file` can be written: not a directory, in a writable directory. Throws E_OUTPUT_PATH (exit 2). */
export async function checkWritableFile(file: string, label: string): Promise<void> {
  const abs = resolve(file);
  const st = await stat(abs).catch(() => null);
  const why = st?.isDirectory() ? 'it is a directory' : await probeDir(dirname(abs));
  if (why !== undefined) throw outputError(label, file, why);
}

/**
 * Check the files of the given reporters (those with a `path`: result, JUnit, HTML) before a
 * run. `labelOf` names where each path came from (e.g. the CLI flag); default the reporter's name.
 */
export async function checkOutputPaths(reporters: readonly Reporter[], labelOf?: (path: string, reporter: Reporter) => string): Promise<void> {
  for (const r of reporters) {
    const path = (r as { path?: unknown }).path;
    if (typeof path !== 'string' || path === '') continue;
    await checkWritableFile(path, labelOf?.(path, r) ?? `${r.name} output`);
  }
}
