/**
 * result.json: writing it atomically and reading it back with validation.
 *
 * A result file is the only input of `report`, `merge` and `compare`, so a bad
 * one must fail with a message that says which file and what is wrong — never
 * with a TypeError three modules later. Every failure is a `ResultFileError`
 * with `code: 'E_RESULT_FILE'`, the `path` and a `reason`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { trackTempFile } from '../atomic-write.js';
import { LoadctlError } from '../errors.js';
import { RESULT_SCHEMA_VERSION, type RunResult } from './model.js';
import { toResult, type Result } from './result.js';
import { resultProblems } from './result-validate.js';

/** A result file that cannot be read or written: bad input (exit 2). */
export class ResultFileError extends LoadctlError {
  declare readonly code: 'E_RESULT_FILE';
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super('E_RESULT_FILE', `result file ${path}: ${reason}`, 2, undefined, options);
    this.name = 'ResultFileError';
    this.path = path;
    this.reason = reason;
  }
}

/**
 * Write `result` to `path` as JSON, atomically: the data goes to a temp file in the same
 * directory which is then renamed over `path`, so a reader never sees a half-written file.
 * Parent directories are created. The timeline is streamed from wherever it is (a Result's
 * timeline.jsonl, or an array), never held whole as text.
 *
 * The layout is pretty JSON except that each timeline entry is one compact line: readable
 * and diffable, while a long run's timeline stays about half the size of indented JSON.
 */
export async function writeResult(path: string, result: RunResult | Result): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const untrack = trackTempFile(tmp);
  try {
    await mkdir(dir, { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await writeMembers(fh, toResult(result), path);
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    untrack();
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    untrack();
    if (err instanceof ResultFileError) throw err;
    throw new ResultFileError(path, `cannot write: ${(err as Error).message}`, { cause: err });
  }
}

const CHUNK = 1 << 16;

async function writeMembers(fh: FileHandle, result: Result, path: string): Promise<void> {
  let buf = '{\n';
  let first = true;
  const flush = async (force: boolean): Promise<void> => {
    if (buf.length >= CHUNK || (force && buf.length > 0)) {
      await fh.write(buf);
      buf = '';
    }
  };
  for (const [key, value] of Object.entries(result)) {
    if (value === undefined) continue;
    buf += `${first ? '' : ',\n'}  ${JSON.stringify(key)}: `;
    first = false;
    if (key === 'timeline') {
      let n = 0;
      buf += '[';
      for await (const iv of result.timeline) {
        buf += `${n++ === 0 ? '\n' : ',\n'}    ${JSON.stringify(iv)}`;
        await flush(false);
      }
      buf += n > 0 ? '\n  ]' : ']';
      continue;
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(value, null, 2);
    } catch (err) {
      throw new ResultFileError(path, `cannot serialise "${key}": ${(err as Error).message}`, { cause: err });
    }
    buf += (json ?? 'null').replace(/\n/g, '\n  ');
    await flush(false);
  }
  buf += '\n}\n';
  await flush(true);
}

/** Read and validate a result file written by `writeResult` (this or an older schema version). */
export async function readResult(path: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a result file'
          : code === 'EACCES'
            ? 'permission denied'
            : `cannot read: ${(err as Error).message}`;
    throw new ResultFileError(path, reason, { cause: err });
  }
  if (text.trim() === '') throw new ResultFileError(path, 'file is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ResultFileError(path, `not valid JSON (${(err as Error).message})`, { cause: err });
  }
  return validateResult(value, path);
}

/**
 * Check that `value` is a result file (the published JSON Schema, ajv); returns it typed, or
 * throws a ResultFileError listing the first problems found (JSON paths, expected vs got).
 */
export function validateResult(value: unknown, path = '<result>'): RunResult {
  if (!isObject(value)) throw new ResultFileError(path, `not a loadctl result (top level is ${typeOf(value)}, expected an object)`);
  const version = value.schemaVersion;
  if (version === undefined) {
    throw new ResultFileError(path, 'not a loadctl result: "schemaVersion" is missing');
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ResultFileError(path, `invalid "schemaVersion" ${JSON.stringify(version)} (expected ${RESULT_SCHEMA_VERSION})`);
  }
  if (version > RESULT_SCHEMA_VERSION) {
    throw new ResultFileError(
      path,
      `schema version ${version} was written by a newer loadctl; this version reads up to ${RESULT_SCHEMA_VERSION} — upgrade loadctl`,
    );
  }
  const problems = resultProblems(value);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new ResultFileError(path, `invalid result: ${shown}${more}`);
  }
  return value as unknown as RunResult;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
