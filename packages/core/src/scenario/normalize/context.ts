/**
 * What every part of the normaliser shares: the issues, the environment, and the
 * readers that turn a structurally valid value into its normalised form (env
 * expressions substituted, then checked again with the schema's own words).
 */
import type { TSchema } from '@sinclair/typebox';
import type { CeilingContext } from '../ceiling.js';
import { EnvMissingError, substituteEnv, type Env } from '../env.js';
import type { IssueOptions, Issues } from '../issues.js';
import type { Seg } from '../parse.js';
import { readDuration, readDurationRange, readRatio, type Read } from '../schema/kinds.js';
import { metaOf } from '../schema/meta.js';
import { checkStructure } from '../structure.js';
import { parseTemplate, TemplateError, type TemplatePart } from '../template.js';
import { isObj, typeName } from '../values.js';
import { checkRefs, type RefScope } from './refs.js';

export interface NormalizeOptions {
  env: Env;
  /** Directory data files are resolved against. */
  baseDir: string;
  /** Name used when the scenario has none (e.g. the file's base name). */
  defaultName?: string;
  /** Load ceilings to check users, rates and connections against (scenario/ceiling.ts). */
  ceiling?: CeilingContext;
  /** Counts units of work (tests assert it grows linearly with the document). */
  meter?: { work: number };
}

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

export class Context {
  private readonly meter: { work: number };
  /** Query parameter names to redact beyond the built-in ones (`secrets.query`), for request names. */
  secretQuery: readonly string[] = [];
  constructor(
    readonly issues: Issues,
    readonly o: NormalizeOptions,
  ) {
    this.meter = o.meter ?? { work: 0 };
  }

  /** One unit of work (a node visited, a name looked up). */
  tick(n = 1): void {
    this.meter.work += n;
  }

  issue(code: Parameters<Issues['add']>[0], path: readonly Seg[], problem: string, o?: IssueOptions): undefined {
    this.issues.add(code, path, problem, o);
    return undefined;
  }

  ok(path: readonly Seg[]): boolean {
    return this.issues.ok(path);
  }

  /** Env substitution in a string, reporting unset variables and bad expressions. */
  subst(s: string, path: readonly Seg[], mode: 'template' | 'literal'): string | undefined {
    if (!s.includes('${')) return s;
    try {
      return substituteEnv(s, this.o.env, mode).value;
    } catch (e) {
      if (e instanceof EnvMissingError) {
        return this.issue('E_ENV', path, e.message, { needle: s.slice(e.offset), expected: `it to be set, or a default: \${env.${e.variable} ?? 'value'}` });
      }
      if (e instanceof TemplateError) return this.issue('E_BAD_TEMPLATE', path, e.message, { needle: s.slice(e.offset), expected: e.expected, suggestion: e.suggestion });
      throw e;
    }
  }

  /** Text (numbers and booleans converted), env substituted; no other templates. */
  text(v: unknown, path: readonly Seg[], o: { nonEmpty?: boolean; expected?: string } = {}): string | undefined {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') return this.issue('E_TYPE', path, `got ${typeName(v)}`, { expected: o.expected ?? 'a string' });
    const s = this.subst(v, path, 'literal');
    if (s !== undefined && o.nonEmpty && s.trim() === '') return this.issue('E_BAD_VALUE', path, 'empty string', { expected: o.expected ?? 'a string' });
    return s;
  }

  /** A template: env substituted, syntax checked, references checked against `scope`. */
  template(v: unknown, path: readonly Seg[], scope: RefScope | null): string | undefined {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') return this.issue('E_TYPE', path, `got ${typeName(v)}`, { expected: 'a string' });
    const s = this.subst(v, path, 'template');
    if (s === undefined) return undefined;
    let parts: TemplatePart[];
    try {
      parts = parseTemplate(s);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      return this.issue('E_BAD_TEMPLATE', path, e.message, { needle: s.slice(e.offset), expected: e.expected, suggestion: e.suggestion });
    }
    if (scope) {
      this.tick(parts.length);
      checkRefs(parts, path, scope, this.issues);
    }
    return s;
  }

  /** A number of `schema` (a Num): an env expression is substituted, then checked with the schema. */
  num(v: unknown, path: readonly Seg[], schema: TSchema): number | undefined {
    if (typeof v === 'number') return v;
    const expected = metaOf(schema)?.expected;
    if (typeof v !== 'string') return this.issue('E_TYPE', path, `got ${typeName(v)}`, { expected });
    const s = this.subst(v, path, 'literal');
    if (s === undefined) return undefined;
    if (!NUMERIC.test(s)) return this.issue('E_TYPE', path, `got ${typeName(s)}`, { expected });
    const n = Number(s);
    return checkStructure(schema, n, path, this.issues) ? n : undefined;
  }

  /** true/false, or an env expression that gives one. */
  bool(v: unknown, path: readonly Seg[]): boolean | undefined {
    if (typeof v === 'boolean') return v;
    if (typeof v !== 'string') return this.issue('E_TYPE', path, `got ${typeName(v)}`, { expected: 'true or false' });
    const s = this.subst(v, path, 'literal');
    if (s === undefined) return undefined;
    if (s === 'true' || s === 'false') return s === 'true';
    return this.issue('E_TYPE', path, `got ${typeName(s)}`, { expected: 'true or false' });
  }

  /** Milliseconds of a duration of `schema` (PositiveDuration or Duration). */
  ms(v: unknown, path: readonly Seg[], schema: TSchema): number | undefined {
    return this.read(v, path, (x) => readDuration(x, metaOf(schema)?.positive));
  }

  range(v: unknown, path: readonly Seg[]): { minMs: number; maxMs: number } | undefined {
    return this.read(v, path, readDurationRange);
  }

  ratio(v: unknown, path: readonly Seg[]): number | undefined {
    return this.read(v, path, readRatio);
  }

  private read<T>(v: unknown, path: readonly Seg[], reader: (x: unknown) => Read<T>): T | undefined {
    const x = typeof v === 'string' ? this.subst(v, path, 'literal') : v;
    if (x === undefined) return undefined;
    const r = reader(x);
    return r.ok ? r.value : this.issue(r.code, path, r.problem, { expected: r.expected });
  }

  /** Env substitution in every string of a passed-through value (reporter options); other `${...}` stay. */
  envDeep(v: unknown, path: readonly Seg[]): unknown {
    this.tick();
    if (typeof v === 'string') {
      try {
        return substituteEnv(v, this.o.env, 'template').value;
      } catch (e) {
        if (e instanceof EnvMissingError) this.issue('E_ENV', path, e.message, { expected: `it to be set, or a default: \${env.${e.variable} ?? 'value'}` });
        else if (!(e instanceof TemplateError)) throw e;
        return v;
      }
    }
    if (Array.isArray(v)) return v.map((x, i) => this.envDeep(x, [...path, i]));
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.envDeep(x, [...path, k])]));
    return v;
  }
}
