/**
 * YAML text -> plain JS value plus a source map from document paths to 1-based
 * line/column, so that every later error can point at the offending key or value.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { makeIssue, ScenarioError } from './errors.js';
import { loadFast } from './yaml-fast.js';

export type Seg = string | number;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `flows[1].steps[0].capture[0].json`; odd keys quoted: `thresholds["GET /x"][0]`. */
export function pathToString(path: readonly Seg[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export interface Position {
  line: number;
  column: number;
}

/** Where things are in the source text. Lookups of unknown paths fall back to the nearest ancestor. */
export interface SourceMap {
  readonly file?: string;
  locate(path: readonly Seg[], at?: 'key' | 'value', needle?: string): Position | undefined;
}

/** A source map for objects built in code (defineScenario): no positions. */
export function noSource(file?: string): SourceMap {
  return { file, locate: () => undefined };
}

/**
 * Positions of document paths, found on demand in the YAML AST: only paths with an
 * issue are ever looked up, so a valid document costs nothing here. The pairs of a
 * mapping are indexed by key the first time one of its keys is looked up.
 */
class YamlSourceMap implements SourceMap {
  private readonly pairs = new WeakMap<YAMLMap, Map<string, Pair>>();
  constructor(
    readonly file: string | undefined,
    private readonly text: string,
    private readonly lines: LineCounter,
    private readonly root: YamlNode | null,
  ) {}

  locate(path: readonly Seg[], at: 'key' | 'value' = 'value', needle?: string): Position | undefined {
    let node: YamlNode | null = this.root;
    let key: number | undefined;
    let depth = 0;
    for (const seg of path) {
      if (node === null || isAlias(node)) break;
      if (isMap(node)) {
        const pair = this.pairOf(node, String(seg));
        if (!pair) break;
        key = (pair.key as YamlNode | null)?.range?.[0];
        node = pair.value as YamlNode | null;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        key = undefined;
        node = node.items[seg] as YamlNode | null;
      } else break;
      depth++;
    }
    const exact = depth === path.length;
    const range = node?.range;
    let off = exact && at === 'key' && key !== undefined ? key : (range?.[0] ?? key);
    if (off === undefined) return undefined;
    if (exact && needle !== undefined && range) {
      const idx = this.text.slice(range[0], range[1]).indexOf(needle);
      if (idx >= 0) off = range[0] + idx;
    }
    return this.pos(off);
  }

  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    let index = this.pairs.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const k = item.key;
        const name = isScalar(k) ? String(k.value) : k === null ? '' : String(k);
        if (!index.has(name)) index.set(name, item);
      }
      this.pairs.set(map, index);
    }
    return index.get(key);
  }

  pos(offset: number): Position {
    const lp = this.lines.linePos(offset);
    return { line: lp.line, column: lp.col };
  }
}

export interface ParsedYaml {
  value: unknown;
  source: SourceMap;
}

/** A source map that parses the document with `yaml` only when a position is first asked for. */
class LazySourceMap implements SourceMap {
  private map: YamlSourceMap | undefined;
  constructor(
    readonly file: string | undefined,
    private readonly text: string,
  ) {}

  locate(path: readonly Seg[], at?: 'key' | 'value', needle?: string): Position | undefined {
    if (this.map === undefined) {
      const lines = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true, keepSourceTokens: false });
      this.map = new YamlSourceMap(this.file, this.text, lines, doc.contents as YamlNode | null);
    }
    return this.map.locate(path, at, needle);
  }
}

/**
 * Parse YAML text. A valid document is read by the fast path (yaml-fast.ts: the same values,
 * no positions until one is asked for); anything else by the `yaml` library. Throws
 * ScenarioError(E_YAML_SYNTAX) for the first syntax error: the ones after it are nearly
 * always knock-on effects (one unquoted `$[1]` can yield hundreds).
 */
export function parseYaml(text: string, file?: string): ParsedYaml {
  const fast = loadFast(text);
  if (fast !== undefined) return { value: fast.value, source: new LazySourceMap(file, text) };
  return parseYamlFully(text, file);
}

/** Parse with the `yaml` library's document API: positions, syntax errors, anchors and merges. */
export function parseYamlFully(text: string, file?: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true, keepSourceTokens: false });
  const map = new YamlSourceMap(file, text, lineCounter, doc.contents as YamlNode | null);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = map.pos(e.pos[0]);
    const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more syntax errors after it, most likely caused by this one)` : '';
    throw new ScenarioError([
      makeIssue({ code: 'E_YAML_SYNTAX', file, line: p.line, column: p.column, path: '', problem: `YAML syntax error: ${first}${more}`, expected: 'valid YAML' }),
    ]);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ScenarioError([makeIssue({ code: 'E_YAML_SYNTAX', file, line: 1, column: 1, path: '', problem: `YAML error: ${(e as Error).message}`, expected: 'valid YAML' })]);
  }
  return { value, source: map };
}
