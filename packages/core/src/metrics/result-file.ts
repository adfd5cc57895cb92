/**
 * result.json: writing it atomically and reading it back with validation.
 *
 * A result file is the only input of `report`, `merge` and `compare`, so a bad
 * one must fail with a message that says which file and what is wrong — never
 * with a TypeError three modules later. Every failure is a `ResultFileError`
 * with `code: 'E_RESULT_FILE'`, the `path` and a `reason`.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../atomic-write.js';
import type { RunResult } from './model.js';

/** The schema version this build writes and the newest one it can read. */
export const RESULT_SCHEMA_VERSION = 1;

export class ResultFileError extends Error {
  readonly code = 'E_RESULT_FILE';
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`result file ${path}: ${reason}`, options);
    this.name = 'ResultFileError';
    this.path = path;
    this.reason = reason;
  }
}

/**
 * Write `result` to `path` as JSON, atomically: the data goes to a temp file in
 * the same directory which is then renamed over `path`, so a reader never sees
 * a half-written file. Parent directories are created.
 */
export async function writeResult(path: string, result: RunResult): Promise<void> {
  let text: string;
  try {
    text = serialize(result);
  } catch (err) {
    throw new ResultFileError(path, `cannot serialise the result: ${(err as Error).message}`, { cause: err });
  }
  try {
    await writeFileAtomic(path, text);
  } catch (err) {
    throw new ResultFileError(path, `cannot write: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Pretty JSON, except that each timeline entry is one compact line: readable and
 * diffable, while a long run's timeline stays about half the size of indented JSON.
 */
function serialize(result: RunResult): string {
  const members: string[] = [];
  for (const [key, value] of Object.entries(result)) {
    if (key === 'timeline' && Array.isArray(value)) {
      const rows = value.map((iv) => `    ${JSON.stringify(iv)}`);
      members.push(`  "timeline": [${rows.length > 0 ? `\n${rows.join(',\n')}\n  ` : ''}]`);
      continue;
    }
    const json = JSON.stringify(value, null, 2);
    if (json === undefined) continue;
    members.push(`  ${JSON.stringify(key)}: ${json.replace(/\n/g, '\n  ')}`);
  }
  return `{\n${members.join(',\n')}\n}\n`;
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
 * Check that `value` has the shape of a RunResult; returns it typed, or throws a
 * ResultFileError listing the first problems found (JSON paths, expected vs got).
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
  const problems: string[] = [];
  checkShape(value, RESULT_SHAPE, '', problems);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new ResultFileError(path, `invalid result: ${shown}${more}`);
  }
  return value as unknown as RunResult;
}

// --- a tiny structural checker ------------------------------------------------

type Shape =
  | 'number'
  | 'number|null'
  | 'string'
  | 'boolean'
  | 'any'
  | { optional: Shape }
  | { arrayOf: Shape }
  | { recordOf: Shape }
  | { oneOf: readonly string[] }
  | { [key: string]: Shape };

const opt = (s: Shape): Shape => ({ optional: s });

const LATENCY: Shape = {
  count: 'number',
  min: 'number',
  mean: 'number',
  stdev: 'number',
  max: 'number',
  percentiles: { recordOf: 'number' },
};

const REQUEST_STATS = {
  count: 'number',
  responses: 'number',
  errorCount: 'number',
  failed: 'number',
  statuses: { recordOf: 'number' },
  errors: { recordOf: 'number' },
  bytesIn: 'number',
  bytesOut: 'number',
  latency: LATENCY,
  serviceTime: LATENCY,
} satisfies Record<string, Shape>;

const CUMULATIVE_STATS: Shape = {
  ...REQUEST_STATS,
  successLatency: opt(LATENCY),
  latencyHistogram: 'string',
  serviceTimeHistogram: 'string',
  successLatencyHistogram: opt('string'),
  rps: 'number',
};

const FLOW: Shape = { iterations: 'number', failed: 'number', duration: LATENCY };
const CHECKS: Shape = { recordOf: { passes: 'number', fails: 'number' } };

const META: Shape = {
  runId: 'string',
  scenario: 'string',
  target: 'string',
  kind: { oneOf: ['quick', 'scenario'] },
  startedAt: 'number',
  workers: 'number',
  plannedDurationMs: opt('number'),
  intervalMs: 'number',
  segment: 'string',
  loadctlVersion: 'string',
  model: 'string',
  tags: { recordOf: 'string' },
};

const INTERVAL: Shape = {
  index: 'number',
  start: 'number',
  end: 'number',
  elapsedMs: 'number',
  total: REQUEST_STATS,
  requests: { recordOf: REQUEST_STATS },
  flows: { recordOf: FLOW },
  checks: CHECKS,
  rps: 'number',
  activeUsers: 'number',
  targetRate: opt('number'),
  achievedRate: opt('number'),
  dropped: 'number',
  missed: opt('number'),
  late: 'number',
  stage: opt('string'),
  generator: { cpu: 'number', eventLoopLagMs: 'number' },
};

const CAPACITY_LATENCY: Shape = { p50: 'number', p95: 'number', p99: 'number', mean: 'number' };

/** summary.capacity (`loadctl capacity`): the figures `compare` and `report` read. */
const CAPACITY: Shape = {
  status: { oneOf: ['found', 'none', 'inconclusive'] },
  limitedBy: { oneOf: ['target', 'generator', 'range'] },
  stopReason: 'string',
  maxRate: 'number',
  maxRps: 'number',
  confirmed: 'boolean',
  answerStep: 'number|null',
  lowestFailingRate: 'number|null',
  explanation: 'string',
  slos: { arrayOf: 'string' },
  settings: 'any',
  usl: 'any',
  elapsedMs: 'number',
  steps: {
    arrayOf: {
      index: 'number',
      kind: 'string',
      rate: 'number',
      achievedRate: 'number',
      throughputRps: 'number',
      errorRate: 'number',
      latency: CAPACITY_LATENCY,
      verdict: { oneOf: ['pass', 'fail', 'generator', 'aborted'] },
      slos: { arrayOf: { expression: 'string', scope: 'string', actual: 'number|null', limit: 'number', unit: 'string', passed: 'boolean' } },
      reasons: { arrayOf: 'string' },
    },
  },
};

const SUMMARY: Shape = {
  meta: META,
  endedAt: 'number',
  durationMs: 'number',
  loadDurationMs: opt('number'),
  total: CUMULATIVE_STATS,
  requests: { recordOf: CUMULATIVE_STATS },
  flows: { recordOf: FLOW },
  checks: CHECKS,
  rps: { mean: 'number', min: 'number', max: 'number', stdev: 'number' },
  dropped: 'number',
  missed: opt('number'),
  late: 'number',
  verdict: {
    passed: 'boolean',
    thresholds: {
      arrayOf: {
        expression: 'string',
        scope: 'string',
        actual: 'number|null',
        limit: 'number',
        unit: 'string',
        passed: 'boolean',
        aborted: opt('boolean'),
      },
    },
    endReason: { oneOf: ['completed', 'threshold_abort', 'rate_shortfall_abort', 'interrupted', 'error'] },
    reasons: opt({ arrayOf: { code: 'string', message: 'string' } }),
  },
  warnings: { arrayOf: { code: 'string', severity: { oneOf: ['info', 'warn', 'error'] }, message: 'string' } },
  reporters: { recordOf: { errors: 'number', dropped: 'number', notes: { arrayOf: 'string' } } },
  capacity: opt(CAPACITY),
};

const RESULT_SHAPE: Shape = {
  schemaVersion: 'number',
  summary: SUMMARY,
  timeline: { arrayOf: INTERVAL },
  config: opt('any'),
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function join2(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

const MAX_PROBLEMS = 20;

function checkShape(value: unknown, shape: Shape, path: string, problems: string[]): void {
  if (problems.length >= MAX_PROBLEMS) return;
  const where = path || '(top level)';
  if (typeof shape === 'string') {
    switch (shape) {
      case 'any':
        return;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${where}: expected a number, got ${describe(value)}`);
        return;
      case 'number|null':
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
          problems.push(`${where}: expected a number or null, got ${describe(value)}`);
        return;
      case 'string':
      case 'boolean':
        if (typeof value !== shape) problems.push(`${where}: expected a ${shape}, got ${describe(value)}`);
        return;
    }
    return;
  }
  if ('optional' in shape && Object.keys(shape).length === 1) {
    if (value !== undefined) checkShape(value, shape.optional as Shape, path, problems);
    return;
  }
  if ('oneOf' in shape && Array.isArray(shape.oneOf)) {
    const allowed = shape.oneOf as readonly string[];
    if (typeof value !== 'string' || !allowed.includes(value))
      problems.push(`${where}: expected one of ${allowed.join(', ')}, got ${describe(value)}`);
    return;
  }
  if ('arrayOf' in shape && Object.keys(shape).length === 1) {
    if (!Array.isArray(value)) {
      problems.push(`${where}: expected an array, got ${describe(value)}`);
      return;
    }
    value.forEach((item, i) => checkShape(item, shape.arrayOf as Shape, join2(path, i), problems));
    return;
  }
  if ('recordOf' in shape && Object.keys(shape).length === 1) {
    if (!isObject(value)) {
      problems.push(`${where}: expected an object, got ${describe(value)}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) checkShape(v, shape.recordOf as Shape, join2(path, k), problems);
    return;
  }
  if (!isObject(value)) {
    problems.push(`${where}: expected an object, got ${describe(value)}`);
    return;
  }
  for (const [key, sub] of Object.entries(shape as Record<string, Shape>)) {
    const v = value[key];
    const optional = typeof sub === 'object' && 'optional' in sub && Object.keys(sub).length === 1;
    if (v === undefined && !optional) {
      problems.push(`${join2(path, key)}: missing`);
      continue;
    }
    checkShape(v, sub, join2(path, key), problems);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeOf(v);
}
