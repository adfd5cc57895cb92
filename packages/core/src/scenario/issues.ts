/**
 * The issues of one scenario, with positions: what the structural check and the
 * normaliser report through. Remembers which paths have a problem, so the
 * normaliser skips what the schema already rejected (no knock-on errors), and which
 * unknown keys look like a typo of a required one (reported once, not also missing).
 */
import { makeIssue, suggest, type ScenarioErrorCode, type ScenarioIssue } from './errors.js';
import { pathToString, type Seg, type SourceMap } from './parse.js';

export interface IssueOptions {
  expected?: string;
  suggestion?: string;
  /** Point at the key rather than the value. */
  at?: 'key' | 'value';
  /** Text to find inside the value, for an exact column. */
  needle?: string;
}

export class Issues {
  private readonly list: ScenarioIssue[] = [];
  /** Paths (and their ancestors) with an issue. */
  private readonly bad = new Set<string>();
  /** "<parent path>\0<key>" of keys an unknown key was taken for. */
  private readonly typoFor = new Set<string>();
  private readonly missing: Array<{ at: string; issue: ScenarioIssue }> = [];

  constructor(readonly source: SourceMap) {}

  add(code: ScenarioErrorCode, path: readonly Seg[], problem: string, o: IssueOptions = {}): void {
    this.list.push(this.make(code, path, problem, o));
  }

  /** A key the format does not have, with the nearest known one as suggestion. */
  unknownKey(path: readonly Seg[], known: readonly string[]): void {
    const key = String(path[path.length - 1]);
    const suggestion = suggest(key, known);
    if (suggestion !== undefined) this.typoFor.add(`${pathToString(path.slice(0, -1))}\0${suggestion}`);
    this.add('E_UNKNOWN_KEY', path, `unknown key "${key}"`, { at: 'key', expected: `one of ${known.join(', ')}`, suggestion });
  }

  /** A required key missing from the mapping at `parent` (dropped if an unknown key is its typo). */
  missingKey(parent: readonly Seg[], key: string, expected: string): undefined {
    this.missing.push({ at: `${pathToString(parent)}\0${key}`, issue: this.make('E_MISSING', parent, `missing "${key}"`, { expected, at: 'key' }) });
    return undefined;
  }

  /** No issue at `path` or below it. */
  ok(path: readonly Seg[]): boolean {
    return this.bad.size === 0 || !this.bad.has(pathToString(path));
  }

  get count(): number {
    return this.list.length + this.missing.length;
  }

  /** All issues in document order (issues without a position last, in the order found). */
  done(): ScenarioIssue[] {
    const all = [...this.list, ...this.missing.filter((m) => !this.typoFor.has(m.at)).map((m) => m.issue)];
    return all
      .map((i, k) => ({ i, k }))
      .sort((a, b) => (a.i.line ?? Infinity) - (b.i.line ?? Infinity) || (a.i.column ?? 0) - (b.i.column ?? 0) || a.k - b.k)
      .map((x) => x.i);
  }

  private make(code: ScenarioErrorCode, path: readonly Seg[], problem: string, o: IssueOptions): ScenarioIssue {
    for (let n = 0; n <= path.length; n++) this.bad.add(pathToString(path.slice(0, n)));
    const pos = this.source.locate(path, o.at ?? 'value', o.needle);
    return makeIssue({ code, file: this.source.file, line: pos?.line, column: pos?.column, path: pathToString(path), problem, expected: o.expected, suggestion: o.suggestion });
  }
}
