/**
 * The structural check: a value against the scenario schema (schema/), with TypeBox's
 * compiled checker, and when it fails, TypeBox's errors turned into issues that say
 * what and where in the words of the schema's meta. A union reports the errors of the
 * variant the value meant (by its type, or the union's own selector), not of all.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Errors, ValueErrorType, type ValueError, type ValueErrorIterator } from '@sinclair/typebox/errors';
import { suggest } from './errors.js';
import type { Issues } from './issues.js';
import type { Seg } from './parse.js';
import { readKind } from './schema/kinds.js';
import { metaOf, type Meta, type SelectIssue } from './schema/meta.js';
import { isObj, typeName } from './values.js';

const checkers = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker(schema: TSchema): TypeCheck<TSchema> {
  let c = checkers.get(schema);
  if (!c) checkers.set(schema, (c = TypeCompiler.Compile(schema)));
  return c;
}

/** Check `value` (found at `path`) against `schema`; report every problem to `issues`. True when valid. */
export function checkStructure(schema: TSchema, value: unknown, path: readonly Seg[], issues: Issues): boolean {
  if (checker(schema).Check(value)) return true;
  new Explainer(value, path, issues).errors(Errors(schema, value), '', []);
  return false;
}

/** True when `value` fits `schema` (no issues). */
export function fits(schema: TSchema, value: unknown): boolean {
  return checker(schema).Check(value);
}

/** Report what a union's selector said about a value at `path`. */
export function reportSelectIssue(issues: Issues, path: readonly Seg[], picked: SelectIssue): void {
  const at = [...path, ...picked.path];
  if (picked.key !== undefined) issues.missingKey(at, picked.key, picked.expected ?? '');
  else issues.add(picked.code, at, picked.problem, { at: picked.at, expected: picked.expected });
}

const MIN = new Set([ValueErrorType.NumberMinimum, ValueErrorType.NumberExclusiveMinimum, ValueErrorType.IntegerMinimum, ValueErrorType.IntegerExclusiveMinimum]);
const MAX = new Set([ValueErrorType.NumberMaximum, ValueErrorType.NumberExclusiveMaximum, ValueErrorType.IntegerMaximum, ValueErrorType.IntegerExclusiveMaximum]);

const TYPE_WORDS: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false', null: 'nothing' };

type Node = TSchema & { anyOf?: TSchema[]; const?: unknown; type?: string; properties?: Record<string, TSchema>; not?: unknown };

/** Could `v` be an instance of `s`, judging by its JSON type only? */
function accepts(s: Node, v: unknown): boolean {
  if (s.anyOf) return s.anyOf.some((x) => accepts(x, v));
  if ('const' in s) return typeof s.const === typeof v;
  switch (s.type) {
    case 'object':
      return isObj(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'number':
    case 'integer':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
  }
  return s.not === undefined;
}

const isLiteral = (s: Node) => 'const' in s;

/** What a schema wants, in words: its meta, else its variants' ("a list ..., or a mapping ..."), else its type. */
function describe(s: Node): string | undefined {
  const m = metaOf(s)?.expected;
  if (m) return m;
  if (s.anyOf) {
    const words = s.anyOf.filter((x) => (x as Node).type !== 'null').map((x) => describe(x as Node));
    return words.every((w) => w !== undefined) ? words.join(', or ') : undefined;
  }
  return TYPE_WORDS[s.type ?? ''];
}

class Explainer {
  constructor(
    private readonly root: unknown,
    private readonly base: readonly Seg[],
    private readonly issues: Issues,
  ) {}

  /** `metas`: meta of the unions whose variant is being explained, at path `at`. */
  errors(it: ValueErrorIterator, at: string, metas: Array<Meta | undefined>): void {
    for (const e of it) {
      if (e.value === undefined && e.type !== ValueErrorType.ObjectRequiredProperty) continue; // echo of a missing key
      const chain = [metaOf(e.schema), ...(e.path === at ? metas : [])];
      if (e.type === ValueErrorType.Union) this.union(e, chain);
      else this.report(e, chain);
    }
  }

  private union(e: ValueError, chain: Array<Meta | undefined>): void {
    const meta = chain[0];
    const variants = (e.schema as Node).anyOf ?? [];
    if (meta?.atomic || chain.some((m) => m?.kind)) return this.report(e, chain);
    let index: number | undefined;
    const picked = meta?.select?.(e.value);
    if (typeof picked === 'object') return reportSelectIssue(this.issues, this.segs(e.path), picked);
    index = picked;
    if (index === undefined) {
      const fit = variants.map((v, i) => (accepts(v, e.value) ? i : -1)).filter((i) => i >= 0);
      if (variants.every(isLiteral)) return this.enumIssue(e, chain, variants);
      if (fit.length === 0) return this.typeIssue(e, chain);
      index = fit.length === 1 ? fit[0] : this.fewestErrors(e, fit);
    }
    this.errors(e.errors[index], e.path, chain);
  }

  private fewestErrors(e: ValueError, fit: number[]): number {
    let best = fit[0];
    let bestCount = Infinity;
    for (const i of fit) {
      let n = 0;
      for (const _ of Errors((e.schema as Node).anyOf![i], e.value)) if (++n >= 20) break;
      if (n < bestCount) [best, bestCount] = [i, n];
    }
    return best;
  }

  private report(e: ValueError, chain: Array<Meta | undefined>): void {
    const path = this.segs(e.path);
    if (e.type === ValueErrorType.ObjectRequiredProperty) {
      const key = String(path[path.length - 1]);
      this.issues.missingKey(path.slice(0, -1), key, chain[0]?.missing ?? `${key}: <value>`);
      return;
    }
    const kindMeta = chain.find((m) => m?.kind);
    if (kindMeta?.kind) {
      const r = readKind(kindMeta.kind, e.value, kindMeta);
      if (!r.ok) return this.issues.add(r.code, path, r.problem, { expected: r.expected });
    }
    const meta = chain[0];
    const expected = chain.find((m) => m?.expected)?.expected ?? describe(e.schema as Node);
    if (meta?.atomic) return this.typeIssue(e, chain);
    switch (e.type) {
      case ValueErrorType.ObjectAdditionalProperties: {
        const props = (e.schema as Node).properties ?? {};
        return this.issues.unknownKey(path, Object.keys(props).filter((k) => (props[k] as Node).not === undefined));
      }
      case ValueErrorType.Never: {
        const key = String(path[path.length - 1]);
        const other = meta?.conflictsWith;
        if (other) return this.issues.add('E_CONFLICT', path, `"${key}" and "${other}" cannot be used together`, { at: 'key', expected: `${other}, or ${key} without ${other}` });
        return this.issues.add('E_CONFLICT', path, `"${key}" cannot be used here`, { at: 'key', expected });
      }
      case ValueErrorType.ArrayMinItems:
      case ValueErrorType.ObjectMinProperties: {
        const [problem, exp] = meta?.empty ?? ['empty', 'at least one item'];
        return this.issues.add('E_BAD_VALUE', path, problem, { expected: exp });
      }
      case ValueErrorType.StringMinLength:
        return this.issues.add('E_BAD_VALUE', path, 'empty string', { expected });
      case ValueErrorType.StringPattern:
        if (meta?.noun) return this.issues.add('E_BAD_VALUE', path, `"${String(e.value)}" is not ${meta.noun}`, { expected });
    }
    if (typeof e.value === 'number' && (MIN.has(e.type) || MAX.has(e.type))) {
      return this.issues.add('E_BAD_VALUE', path, `${e.value} is too ${MIN.has(e.type) ? 'small' : 'large'}`, { expected });
    }
    this.typeIssue(e, chain);
  }

  private typeIssue(e: ValueError, chain: Array<Meta | undefined>): void {
    const expected = chain.find((m) => m?.expected)?.expected ?? describe(e.schema as Node) ?? 'another value';
    this.issues.add('E_TYPE', this.segs(e.path), `got ${typeName(e.value)}`, { expected });
  }

  private enumIssue(e: ValueError, chain: Array<Meta | undefined>, variants: Node[]): void {
    const meta = chain.find((m) => m?.noun);
    const words = variants.map((v) => String(v.const));
    if (typeof e.value !== 'string' || !meta?.noun) return this.typeIssue(e, chain);
    this.issues.add('E_BAD_VALUE', this.segs(e.path), `"${e.value}" is not ${meta.noun}`, { expected: meta.expected ?? `one of ${words.join(', ')}`, suggestion: suggest(e.value, words) });
  }

  /** A JSON pointer of TypeBox into document segments (numbers for list indexes). */
  private segs(pointer: string): Seg[] {
    const out: Seg[] = [...this.base];
    if (pointer === '') return out;
    let v: unknown = this.root;
    for (const raw of pointer.slice(1).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(v)) {
        out.push(Number(key));
        v = v[Number(key)];
      } else {
        out.push(key);
        v = isObj(v) ? v[key] : undefined;
      }
    }
    return out;
  }
}
