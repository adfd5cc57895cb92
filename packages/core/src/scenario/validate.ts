/**
 * Schema-walk primitives: read a value at a document path, check its type, apply env
 * substitution, and record issues with positions. normalize.ts drives them.
 */
import { parseDuration, parseDurationRange } from './duration.js';
import { EnvMissingError, substituteEnv, type Env } from './env.js';
import { makeIssue, suggest, type ScenarioErrorCode, type ScenarioIssue } from './errors.js';
import { pathToString, type Seg, type SourceMap } from './parse.js';
import { parseTemplate, templateRefs, TemplateError, type TemplatePart } from './template.js';

export type Obj = Record<string, unknown>;

export interface IssueOptions {
  expected?: string;
  suggestion?: string;
  at?: 'key' | 'value';
  /** Text to find inside the value for a precise column. */
  needle?: string;
}

/** Names a template may refer to, at one point of a flow. */
export interface RefScope {
  vars: ReadonlySet<string>;
  /** Captured by an earlier step of this flow. */
  captured: ReadonlySet<string>;
  /** Captured by this step or a later one (for a better message). */
  capturedLater: ReadonlySet<string>;
  /** Data source -> its columns. */
  data: ReadonlyMap<string, ReadonlySet<string>>;
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '...' : v}"`;
  return String(v);
}

export class Reader {
  readonly issues: ScenarioIssue[] = [];
  /** "<parent path>\0<suggested key>" of unknown keys: a missing key they stand for is not reported twice. */
  private readonly typoFor = new Set<string>();

  constructor(
    readonly source: SourceMap,
    readonly env: Env,
  ) {}

  issue(code: ScenarioErrorCode, path: readonly Seg[], problem: string, o: IssueOptions = {}): void {
    const pos = this.source.locate(path, o.at ?? 'value', o.needle);
    this.issues.push(
      makeIssue({
        code,
        file: this.source.file,
        line: pos?.line,
        column: pos?.column,
        path: pathToString(path),
        problem,
        expected: o.expected,
        suggestion: o.suggestion,
      }),
    );
  }

  typeError(path: readonly Seg[], v: unknown, expected: string): undefined {
    this.issue('E_TYPE', path, `got ${typeName(v)}`, { expected });
    return undefined;
  }

  /** A mapping whose keys are all in `known` (unknown keys are reported, with a suggestion). */
  object(v: unknown, path: readonly Seg[], known: readonly string[] | null, what = 'a mapping'): Obj | undefined {
    if (!isObj(v)) return this.typeError(path, v, what);
    if (known) {
      for (const k of Object.keys(v)) {
        if (!known.includes(k)) {
          const suggestion = suggest(k, known);
          if (suggestion !== undefined) this.typoFor.add(`${pathToString(path)}\0${suggestion}`);
          this.issue('E_UNKNOWN_KEY', [...path, k], `unknown key "${k}"`, {
            at: 'key',
            expected: `one of ${known.join(', ')}`,
            suggestion,
          });
        }
      }
    }
    return v;
  }

  /** A list; a single non-list value counts as a list of one when `single`. */
  list(v: unknown, path: readonly Seg[], what: string, single = false): unknown[] | undefined {
    if (Array.isArray(v)) return v;
    if (single && v !== undefined && v !== null) return [v];
    return this.typeError(path, v, what);
  }

  /** Env substitution on a string value, reporting unset variables and bad templates. */
  private subst(s: string, path: readonly Seg[], mode: 'template' | 'literal'): { value: string; substituted: boolean } | undefined {
    try {
      return substituteEnv(s, this.env, mode);
    } catch (e) {
      if (e instanceof EnvMissingError) {
        this.issue('E_ENV', path, e.message, { needle: s.slice(e.offset), expected: `it to be set, or a default: \${env.${e.variable} ?? 'value'}` });
      } else if (e instanceof TemplateError) {
        this.issue('E_BAD_TEMPLATE', path, e.message, { needle: s.slice(e.offset), expected: e.expected, suggestion: e.suggestion });
      } else throw e;
      return undefined;
    }
  }

  /** A string (numbers and booleans are accepted and converted when `scalars`). Env expressions are substituted; no other templates. */
  string(v: unknown, path: readonly Seg[], o: { what?: string; scalars?: boolean; nonEmpty?: boolean } = {}): string | undefined {
    const what = o.what ?? 'a string';
    if (o.scalars && (typeof v === 'number' || typeof v === 'boolean')) return String(v);
    if (typeof v !== 'string') return this.typeError(path, v, what);
    const r = this.subst(v, path, 'literal');
    if (r === undefined) return undefined;
    if (o.nonEmpty && r.value.trim() === '') {
      this.issue('E_BAD_VALUE', path, 'empty string', { expected: what });
      return undefined;
    }
    return r.value;
  }

  /** A template string (numbers and booleans converted): env substituted, syntax checked, references checked against `scope`. */
  template(v: unknown, path: readonly Seg[], scope: RefScope | null, what = 'a string'): string | undefined {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') return this.typeError(path, v, what);
    const r = this.subst(v, path, 'template');
    if (r === undefined) return undefined;
    let parts: TemplatePart[];
    try {
      parts = parseTemplate(r.value);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      this.issue('E_BAD_TEMPLATE', path, e.message, { needle: r.value.slice(e.offset), expected: e.expected, suggestion: e.suggestion });
      return undefined;
    }
    if (scope) this.checkRefs(parts, path, scope);
    return r.value;
  }

  private checkRefs(parts: TemplatePart[], path: readonly Seg[], scope: RefScope): void {
    for (const { ref, part } of templateRefs(parts)) {
      const needle = '${' + part.src;
      if (ref.ns === 'vars') {
        if (!scope.vars.has(ref.path[0])) {
          this.issue('E_UNKNOWN_REFERENCE', path, `variable "${ref.path[0]}" is not defined`, {
            needle,
            expected: scope.vars.size ? `one of ${[...scope.vars].join(', ')}` : 'a name under variables:',
            suggestion: suggest(ref.path[0], scope.vars),
          });
        }
      } else if (ref.ns === 'data') {
        const [src, col] = ref.path;
        const cols = scope.data.get(src);
        if (!cols) {
          this.issue('E_UNKNOWN_REFERENCE', path, `data source "${src}" is not defined`, {
            needle,
            expected: scope.data.size ? `one of ${[...scope.data.keys()].join(', ')}` : 'a name under data:',
            suggestion: suggest(src, scope.data.keys()),
          });
        } else if (cols.size > 0 && !cols.has(col)) {
          this.issue('E_UNKNOWN_REFERENCE', path, `data source "${src}" has no column "${col}"`, {
            needle,
            expected: `one of ${[...cols].join(', ')}`,
            suggestion: suggest(col, cols),
          });
        }
      } else if (ref.ns === 'name') {
        const name = ref.path[0];
        if (scope.captured.has(name) || scope.vars.has(name)) continue;
        if (scope.capturedLater.has(name)) {
          this.issue('E_UNKNOWN_REFERENCE', path, `"${name}" is used before it is captured`, {
            needle,
            expected: 'a capture made by an earlier step of the same flow',
          });
          continue;
        }
        const known = [...scope.captured, ...scope.vars];
        this.issue('E_UNKNOWN_REFERENCE', path, `"${name}" is neither a capture of an earlier step nor a variable`, {
          needle,
          expected: known.length ? `one of ${known.join(', ')}` : 'a capture, a variable, vars.x, env.X or data.source.column',
          suggestion: suggest(name, known),
        });
      }
    }
  }

  /** A number; a string is accepted when env substitution made it numeric (`${env.RATE ?? 100}`). */
  number(v: unknown, path: readonly Seg[], o: { min?: number; minExclusive?: boolean; integer?: boolean; what?: string } = {}): number | undefined {
    const what = o.what ?? (o.integer ? 'an integer' : 'a number');
    let n: number | undefined;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && v.includes('${')) {
      const r = this.subst(v, path, 'literal');
      if (r === undefined) return undefined;
      if (/^\s*-?\d+(\.\d+)?\s*$/.test(r.value)) n = Number(r.value);
      else return this.typeError(path, r.value, what);
    } else return this.typeError(path, v, what);
    if (!Number.isFinite(n) || (o.integer && !Number.isInteger(n))) return this.typeError(path, v, what);
    if (o.min !== undefined && (o.minExclusive ? n <= o.min : n < o.min)) {
      this.issue('E_BAD_VALUE', path, `${n} is too small`, { expected: what });
      return undefined;
    }
    return n;
  }

  boolean(v: unknown, path: readonly Seg[]): boolean | undefined {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && v.includes('${')) {
      const s = this.string(v, path);
      if (s === 'true' || s === 'false') return s === 'true';
    }
    return this.typeError(path, v, 'true or false');
  }

  /** A duration in ms: `500ms`, `30s`, `5m`, `1h30m`. */
  duration(v: unknown, path: readonly Seg[], o: { positive?: boolean } = {}): number | undefined {
    const expected = 'a duration like 500ms, 30s, 5m or 1h30m';
    if (typeof v === 'number') {
      if (v === 0 && !o.positive) return 0;
      this.issue('E_BAD_DURATION', path, `${v} has no unit`, { expected: `${expected} (e.g. ${v}s)` });
      return undefined;
    }
    if (typeof v !== 'string') {
      this.issue('E_BAD_DURATION', path, `got ${typeName(v)}`, { expected });
      return undefined;
    }
    const s = this.string(v, path);
    if (s === undefined) return undefined;
    const ms = parseDuration(s);
    if (ms === undefined) {
      this.issue('E_BAD_DURATION', path, `"${s}" is not a duration`, { expected });
      return undefined;
    }
    if (o.positive && ms <= 0) {
      this.issue('E_BAD_DURATION', path, `"${s}" must be longer than 0`, { expected });
      return undefined;
    }
    return ms;
  }

  /** A think time: `1s` or a range `500ms..2s`. */
  durationRange(v: unknown, path: readonly Seg[]): { minMs: number; maxMs: number } | undefined {
    const expected = 'a duration (1s) or a range (500ms..2s)';
    if (v === 0) return { minMs: 0, maxMs: 0 };
    if (typeof v !== 'string') {
      this.issue('E_BAD_DURATION', path, typeof v === 'number' ? `${v} has no unit` : `got ${typeName(v)}`, { expected });
      return undefined;
    }
    const s = this.string(v, path);
    if (s === undefined) return undefined;
    const r = parseDurationRange(s);
    if (!r) this.issue('E_BAD_DURATION', path, `"${s}" is not a duration or range`, { expected });
    return r;
  }

  /** A ratio: `10%` or a number 0..1. */
  ratio(v: unknown, path: readonly Seg[]): number | undefined {
    const expected = 'a percentage like 10% or a ratio like 0.1';
    let n: number | undefined;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string') {
      const s = this.string(v, path);
      if (s === undefined) return undefined;
      const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(s);
      if (m) n = Number(m[1]) / 100;
      else if (/^\s*\d+(\.\d+)?\s*$/.test(s)) n = Number(s);
    }
    if (n === undefined || n < 0 || n > 1) {
      this.issue(n === undefined ? 'E_TYPE' : 'E_BAD_VALUE', path, `got ${typeName(v)}`, { expected });
      return undefined;
    }
    return n;
  }

  /** Report a required key that is missing from the mapping at `path`. */
  missing(path: readonly Seg[], key: string, expected: string): undefined {
    if (this.typoFor.has(`${pathToString(path)}\0${key}`)) return undefined;
    this.issue('E_MISSING', path, `missing "${key}"`, { expected, at: 'key' });
    return undefined;
  }
}
