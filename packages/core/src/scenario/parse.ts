/**
 * YAML text -> plain JS value plus a source map from document paths to 1-based
 * line/column, so that every later error can point at the offending key or value.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { makeIssue, ScenarioError } from './errors.js';

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

interface Entry {
  key?: number;
  start?: number;
  end?: number;
}

class YamlSourceMap implements SourceMap {
  readonly entries = new Map<string, Entry>();
  constructor(
    readonly file: string | undefined,
    private readonly text: string,
    private readonly lines: LineCounter,
  ) {}

  locate(path: readonly Seg[], at: 'key' | 'value' = 'value', needle?: string): Position | undefined {
    for (let n = path.length; n >= 0; n--) {
      const e = this.entries.get(pathToString(path.slice(0, n)));
      if (!e) continue;
      let off: number | undefined;
      if (n === path.length && at === 'key' && e.key !== undefined) off = e.key;
      else off = e.start ?? e.key;
      if (off === undefined) continue;
      if (n === path.length && needle !== undefined && e.start !== undefined && e.end !== undefined) {
        const idx = this.text.slice(e.start, e.end).indexOf(needle);
        if (idx >= 0) off = e.start + idx;
      }
      return this.pos(off);
    }
    return undefined;
  }

  pos(offset: number): Position {
    const lp = this.lines.linePos(offset);
    return { line: lp.line, column: lp.col };
  }
}

function index(map: YamlSourceMap, node: YamlNode | null | undefined, path: Seg[], keyOffset?: number): void {
  const key = pathToString(path);
  const entry: Entry = { key: keyOffset };
  if (node && node.range) {
    entry.start = node.range[0];
    entry.end = node.range[1];
  }
  map.entries.set(key, entry);
  if (!node || isAlias(node)) return;
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = item.key;
      const name = isScalar(k) ? String(k.value) : k === null ? '' : String(k);
      const kOff = k && (k as YamlNode).range ? (k as YamlNode).range![0] : undefined;
      index(map, item.value as YamlNode | null, [...path, name], kOff);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => index(map, item as YamlNode, [...path, i]));
  }
}

export interface ParsedYaml {
  value: unknown;
  source: SourceMap;
}

/**
 * Parse YAML text. Throws ScenarioError(E_YAML_SYNTAX) for the first syntax error: the
 * ones after it are nearly always knock-on effects (one unquoted `$[1]` can yield hundreds).
 */
export function parseYaml(text: string, file?: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true, keepSourceTokens: false });
  const map = new YamlSourceMap(file, text, lineCounter);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = map.pos(e.pos[0]);
    const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more syntax errors after it, most likely caused by this one)` : '';
    throw new ScenarioError([
      makeIssue({ code: 'E_YAML_SYNTAX', file, line: p.line, column: p.column, path: '', problem: `YAML syntax error: ${first}${more}`, expected: 'valid YAML' }),
    ]);
  }
  index(map, doc.contents as YamlNode | null, []);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ScenarioError([makeIssue({ code: 'E_YAML_SYNTAX', file, line: 1, column: 1, path: '', problem: `YAML error: ${(e as Error).message}`, expected: 'valid YAML' })]);
  }
  return { value, source: map };
}
