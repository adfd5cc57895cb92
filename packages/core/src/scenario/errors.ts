/**
 * Errors of the scenario layer. Every problem a user can fix in the scenario file is
 * a `ScenarioIssue` with a stable `code`, a position (1-based line/column, when the
 * scenario came from a file) and a `path` into the document (`flows[1].steps[0].capture[0].json`).
 * A `ScenarioError` carries all issues found; its own fields repeat the first one.
 */

import { LoadctlError } from '../errors.js';
export type ScenarioErrorCode =
  /** The file is not valid YAML. */
  | 'E_YAML_SYNTAX'
  /** The scenario file could not be read. */
  | 'E_FILE'
  /** A key that is not part of the format (with a did-you-mean suggestion when close to one). */
  | 'E_UNKNOWN_KEY'
  /** A value of the wrong type (string where a number is expected, ...). */
  | 'E_TYPE'
  /** A value of the right type but not allowed (negative users, unknown method, bad URL). */
  | 'E_BAD_VALUE'
  /** A required key is missing. */
  | 'E_MISSING'
  /** Keys that cannot be used together (`users` and `rate`, `json` and `form`). */
  | 'E_CONFLICT'
  /** A duration that does not parse (`30`, `5 min`). */
  | 'E_BAD_DURATION'
  /** A threshold expression that does not parse or does not fit its scope. */
  | 'E_BAD_THRESHOLD'
  /** A reference to a capture, variable, data source/column, flow or request that is never defined. */
  | 'E_UNKNOWN_REFERENCE'
  /** A template that does not parse or calls an unknown function. */
  | 'E_BAD_TEMPLATE'
  /** An environment variable used without a default is not set. */
  | 'E_ENV'
  /** A data file is missing, unreadable, malformed or empty. */
  | 'E_DATA_FILE';

export interface ScenarioIssue {
  code: ScenarioErrorCode;
  /** Source file, if known. */
  file?: string;
  /** 1-based line of the offending key or value, when the scenario came from text. */
  line?: number;
  /** 1-based column of it. */
  column?: number;
  /** Where in the document: `flows[1].steps[0].capture[0].json`; "" for the document itself. */
  path: string;
  /** What was wrong, e.g. `unknown key "nmae"`. */
  problem: string;
  /** What would have been right, e.g. `one of name, get, post`. */
  expected?: string;
  /** Did-you-mean suggestion (a known key or name). */
  suggestion?: string;
  /** The full one-line message: `file:line:column: path: problem, expected ...; did you mean "x"?` */
  message: string;
}

export function formatIssue(i: Omit<ScenarioIssue, 'message'>): string {
  let loc = '';
  if (i.file !== undefined) {
    loc = i.file;
    if (i.line !== undefined) loc += `:${i.line}:${i.column ?? 1}`;
    loc += ': ';
  } else if (i.line !== undefined) {
    loc = `${i.line}:${i.column ?? 1}: `;
  }
  let msg = `${loc}${i.path === '' ? '(document)' : i.path}: ${i.problem}`;
  if (i.expected !== undefined) msg += `, expected ${i.expected}`;
  if (i.suggestion !== undefined) msg += `; did you mean "${i.suggestion}"?`;
  return msg;
}

export function makeIssue(i: Omit<ScenarioIssue, 'message'>): ScenarioIssue {
  const out: ScenarioIssue = { ...i, message: formatIssue(i) };
  // Keep the object tidy for deep-equal tests and JSON output.
  for (const k of Object.keys(out) as Array<keyof ScenarioIssue>) if (out[k] === undefined) delete out[k];
  return out;
}

const MAX_LISTED = 20;

/** Bad input in a scenario (exit code 2). `issues[0]` is the first problem in document order. */
export class ScenarioError extends LoadctlError {
  override readonly name = 'ScenarioError';
  declare readonly code: ScenarioErrorCode;
  readonly file?: string;
  /** 1-based line of the first issue, when the scenario came from text. */
  readonly line?: number;
  /** 1-based column of the first issue. */
  readonly column?: number;
  readonly path: string;
  readonly issues: ScenarioIssue[];

  constructor(issues: ScenarioIssue[]) {
    if (issues.length === 0) throw new TypeError('ScenarioError needs at least one issue');
    const shown = issues.slice(0, MAX_LISTED).map((i) => i.message);
    if (issues.length > MAX_LISTED) shown.push(`... and ${issues.length - MAX_LISTED} more`);
    super(issues[0].code, shown.join('\n'), 2);
    const first = issues[0];
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.path = first.path;
    this.issues = issues;
  }
}

export function isScenarioError(e: unknown): e is ScenarioError {
  return e instanceof ScenarioError;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions),
 * case-insensitive.
 */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/**
 * The known word closest to `word`, if close enough to be a plausible typo:
 * distance 1 for words up to 4 characters, 2 up to 8, else 3.
 */
export function suggest(word: string, known: Iterable<string>): string | undefined {
  const max = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= max ? best : undefined;
}
