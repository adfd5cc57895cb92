/**
 * The template language of scenario strings. Safe by construction: a tiny parser and
 * a closure compiler, no `eval`, no `new Function`.
 *
 *   template := ( text | "${" expr "}" )*       "$${" and "\${" write a literal "${"
 *   expr     := ref [ "??" literal ] | call
 *   ref      := name                            capture of this iteration, else variable
 *             | "vars." name                    scenario variable (constant)
 *             | "env." NAME                     environment variable (resolved when the scenario is loaded)
 *             | "data." source "." column       column of the current row of a data source
 *             | name "." key ( "." key )*       field of a captured object
 *   call     := fn "(" [ arg ( "," arg )* ] ")"
 *   arg      := literal | ref
 *   literal  := number | 'text' | "text"
 *
 * Functions: uuid(), randomInt(min, max), randomString(len[, chars]), pick(a, b, ...),
 * now() (epoch ms), isoNow(), timestamp() (epoch s), iteration(), vu(),
 * base64(x), urlencode(x), string(x).
 */
import { randomUUID } from 'node:crypto';
import { LoadctlError } from '../errors.js';
import { suggest } from './errors.js';

export type Literal = string | number;

export type Expr =
  | { kind: 'lit'; value: Literal }
  | { kind: 'ref'; ns: 'name' | 'vars' | 'env' | 'data'; path: string[]; fallback?: Literal }
  | { kind: 'call'; fn: string; args: Expr[] };

export type TemplatePart =
  | { kind: 'text'; text: string }
  /** `start`/`end`: offsets of "${" and just after "}" in the source. */
  | { kind: 'expr'; expr: Expr; src: string; start: number; end: number };

/** A template that does not parse; `offset` is where in the source string. */
export class TemplateError extends LoadctlError {
  declare readonly code: 'E_BAD_TEMPLATE';
  constructor(
    message: string,
    /** 0-based offset of the problem in the template string. */
    readonly offset: number,
    readonly expected?: string,
    readonly suggestion?: string,
  ) {
    super('E_BAD_TEMPLATE', message, 2, expected === undefined ? undefined : `expected ${expected}`);
    this.name = 'TemplateError';
  }
}

/** What templates see at run time (vars and env are folded in when compiling). */
export interface TemplateContext {
  captures: Record<string, unknown>;
  /** Current row of each data source used by the flow. */
  rows: Record<string, Record<string, string> | undefined>;
  iteration: number;
  vu: number;
  /** Seeded PRNG in [0, 1). */
  rand: () => number;
}

interface FnDef {
  min: number;
  max: number;
  /** Literal argument kinds checked at parse time ('any' accepts refs too). */
  args?: Array<'number' | 'string' | 'any'>;
  constant?: boolean;
  impl: (args: unknown[], ctx: TemplateContext) => unknown;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function toInt(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

export const TEMPLATE_FUNCTIONS: Readonly<Record<string, FnDef>> = {
  uuid: { min: 0, max: 0, impl: () => randomUUID() },
  randomInt: {
    min: 2,
    max: 2,
    args: ['number', 'number'],
    impl: (a, ctx) => {
      const lo = toInt(a[0]);
      const hi = toInt(a[1]);
      return lo + Math.floor(ctx.rand() * (hi - lo + 1));
    },
  },
  randomString: {
    min: 1,
    max: 2,
    args: ['number', 'string'],
    impl: (a, ctx) => {
      const n = toInt(a[0]);
      const chars = a.length > 1 ? String(a[1]) || ALNUM : ALNUM;
      let s = '';
      for (let i = 0; i < n; i++) s += chars[Math.floor(ctx.rand() * chars.length)];
      return s;
    },
  },
  pick: { min: 1, max: Infinity, impl: (a, ctx) => a[Math.floor(ctx.rand() * a.length)] },
  now: { min: 0, max: 0, impl: () => Date.now() },
  isoNow: { min: 0, max: 0, impl: () => new Date().toISOString() },
  timestamp: { min: 0, max: 0, impl: () => Math.floor(Date.now() / 1000) },
  iteration: { min: 0, max: 0, impl: (_a, ctx) => ctx.iteration },
  vu: { min: 0, max: 0, impl: (_a, ctx) => ctx.vu },
  base64: { min: 1, max: 1, constant: true, impl: (a) => Buffer.from(stringify(a[0])).toString('base64') },
  urlencode: { min: 1, max: 1, constant: true, impl: (a) => encodeURIComponent(stringify(a[0])) },
  string: { min: 1, max: 1, constant: true, impl: (a) => stringify(a[0]) },
};

export const TEMPLATE_FUNCTION_NAMES: readonly string[] = Object.keys(TEMPLATE_FUNCTIONS);

/** How a value appears inside a string: null/undefined as "", objects as JSON. */
export function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** True if `src` contains a `${` that is not escaped. */
export function hasTemplate(src: string): boolean {
  let i = src.indexOf('${');
  while (i !== -1) {
    const escaped = i > 0 && (src[i - 1] === '$' || src[i - 1] === '\\');
    if (!escaped) return true;
    i = src.indexOf('${', i + 2);
  }
  return false;
}

// ---------------------------------------------------------------- parser

const cache = new Map<string, TemplatePart[]>();

/** Split a template into text and expressions. Throws TemplateError. Results are cached. */
export function parseTemplate(src: string): TemplatePart[] {
  const hit = cache.get(src);
  if (hit) return hit;
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '$' && src[i + 1] === '$' && src[i + 2] === '{') {
      text += '${';
      i += 3;
      continue;
    }
    if (c === '\\' && src[i + 1] === '$' && src[i + 2] === '{') {
      text += '${';
      i += 3;
      continue;
    }
    if (c === '$' && src[i + 1] === '{') {
      const end = findClose(src, i + 2);
      if (end === -1) throw new TemplateError(`unterminated "\${" in template`, i, 'a closing "}"');
      const exprSrc = src.slice(i + 2, end);
      const expr = parseExpression(exprSrc, i + 2);
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'expr', expr, src: exprSrc, start: i, end: end + 1 });
      i = end + 1;
      continue;
    }
    text += c;
    i++;
  }
  if (text) parts.push({ kind: 'text', text });
  if (cache.size > 5000) cache.clear();
  cache.set(src, parts);
  return parts;
}

/** Parse the inside of one `${...}`; `base` is its offset in the template (for error offsets). */
export function parseExpression(src: string, base = 0): Expr {
  return new ExprParser(src, base).parse();
}

/** Index of the "}" closing a "${" whose expression starts at `from` (quotes respected), or -1. */
export function findClose(src: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < src.length; j++) {
    const ch = src[j];
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '}') return j;
  }
  return -1;
}

class ExprParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly base: number,
  ) {}

  parse(): Expr {
    this.ws();
    if (this.i >= this.s.length) throw this.err('empty expression', 'a name, vars.x, env.X, data.source.column or a function call');
    const e = this.primary(true);
    this.ws();
    if (this.i < this.s.length) throw this.err(`unexpected "${this.s.slice(this.i)}"`, 'the end of the expression');
    return e;
  }

  private err(msg: string, expected?: string, suggestion?: string): TemplateError {
    return new TemplateError(`${msg} in "\${${this.s}}"`, this.base + this.i, expected, suggestion);
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private ident(): string | null {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i));
    if (!m) return null;
    this.i += m[0].length;
    return m[0];
  }

  private literal(): Literal | null {
    const rest = this.s.slice(this.i);
    const num = /^-?\d+(?:\.\d+)?/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return Number(num[0]);
    }
    const q = rest[0];
    if (q === "'" || q === '"') {
      let out = '';
      for (let j = 1; j < rest.length; j++) {
        if (rest[j] === '\\' && j + 1 < rest.length) {
          out += rest[++j];
        } else if (rest[j] === q) {
          this.i += j + 1;
          return out;
        } else out += rest[j];
      }
      throw this.err('unterminated string', `a closing ${q}`);
    }
    return null;
  }

  private primary(top: boolean): Expr {
    const lit = this.literal();
    if (lit !== null) {
      if (top) throw this.err('a literal alone is not an expression', 'a name, vars.x, env.X, data.source.column or a function call');
      return { kind: 'lit', value: lit };
    }
    const start = this.i;
    const name = this.ident();
    if (name === null) throw this.err(`unexpected "${this.s.slice(this.i)}"`, 'a name, a literal or a function call');
    this.ws();
    if (this.s[this.i] === '(') {
      this.i++;
      return this.call(name, start);
    }
    const path = [name];
    while (this.s[this.i] === '.') {
      this.i++;
      const seg = this.ident();
      if (seg === null) throw this.err('expected a name after "."', 'a name');
      path.push(seg);
      this.ws();
    }
    let ref: Expr & { kind: 'ref' };
    if (path[0] === 'vars' || path[0] === 'env') {
      if (path.length !== 2) throw this.err(`"${path.join('.')}" must be ${path[0]}.NAME`, `${path[0]}.NAME`);
      ref = { kind: 'ref', ns: path[0], path: [path[1]] };
    } else if (path[0] === 'data') {
      if (path.length !== 3) throw this.err(`"${path.join('.')}" must be data.source.column`, 'data.source.column');
      ref = { kind: 'ref', ns: 'data', path: path.slice(1) };
    } else ref = { kind: 'ref', ns: 'name', path };
    this.ws();
    if (top && this.s.startsWith('??', this.i)) {
      this.i += 2;
      this.ws();
      const fb = this.literal();
      if (fb === null) throw this.err('expected a literal after "??"', "a number or a 'quoted' string");
      ref.fallback = fb;
    }
    return ref;
  }

  private call(fn: string, start: number): Expr {
    const def = TEMPLATE_FUNCTIONS[fn];
    if (!def) {
      this.i = start;
      throw this.err(`unknown function "${fn}()"`, `one of ${TEMPLATE_FUNCTION_NAMES.map((f) => f + '()').join(', ')}`, suggest(fn, TEMPLATE_FUNCTION_NAMES));
    }
    const args: Expr[] = [];
    this.ws();
    if (this.s[this.i] === ')') this.i++;
    else {
      for (;;) {
        this.ws();
        args.push(this.primary(false));
        this.ws();
        const ch = this.s[this.i];
        this.i++;
        if (ch === ')') break;
        if (ch !== ',') {
          this.i--;
          throw this.err(`expected "," or ")" in call of ${fn}()`, '"," or ")"');
        }
      }
    }
    if (args.length < def.min || args.length > def.max) {
      const want = def.min === def.max ? `${def.min}` : def.max === Infinity ? `at least ${def.min}` : `${def.min} to ${def.max}`;
      this.i = start;
      throw this.err(`${fn}() takes ${want} argument${def.max === 1 ? '' : 's'}, got ${args.length}`, `${want} argument(s)`);
    }
    if (def.args) {
      args.forEach((a, k) => {
        const want = def.args![k];
        if (a.kind === 'lit' && want !== 'any' && typeof a.value !== want) {
          this.i = start;
          throw this.err(`argument ${k + 1} of ${fn}() must be a ${want}`, `a ${want}`);
        }
      });
    }
    return { kind: 'call', fn, args };
  }
}

/** Every reference made by a template (for validation). */
export function templateRefs(parts: TemplatePart[]): Array<{ ref: Expr & { kind: 'ref' }; part: TemplatePart & { kind: 'expr' } }> {
  const out: Array<{ ref: Expr & { kind: 'ref' }; part: TemplatePart & { kind: 'expr' } }> = [];
  const walk = (e: Expr, part: TemplatePart & { kind: 'expr' }) => {
    if (e.kind === 'ref') out.push({ ref: e, part });
    else if (e.kind === 'call') e.args.forEach((a) => walk(a, part));
  };
  for (const p of parts) if (p.kind === 'expr') walk(p.expr, p);
  return out;
}

/** Re-escape literal text so it reads back as the same text. */
export function escapeTemplateText(text: string): string {
  return text.split('${').join('$${');
}

/** The literal text of a template that must not contain expressions (escapes removed). */
export function unescapeTemplateText(src: string): string {
  return src.split('$${').join('${').split('\\${').join('${');
}

// ---------------------------------------------------------------- compiler

export interface CompileTemplateOptions {
  /** Scenario variables: folded in as constants. */
  vars?: Record<string, string>;
  /** Environment for `env.X` (normally already substituted at load time). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Names captured somewhere in the flow: these read the iteration's captures first. */
  captured?: ReadonlySet<string>;
}

type Eval = (ctx: TemplateContext) => unknown;
interface Compiled {
  constant: boolean;
  value?: unknown;
  fn: Eval;
}

function constant(value: unknown): Compiled {
  return { constant: true, value, fn: () => value };
}

function walkPath(v: unknown, path: string[], from: number): unknown {
  for (let k = from; k < path.length && v !== undefined && v !== null; k++) {
    v = typeof v === 'object' ? (v as Record<string, unknown>)[path[k]] : undefined;
  }
  return v;
}

function compileExpr(e: Expr, o: CompileTemplateOptions): Compiled {
  if (e.kind === 'lit') return constant(e.value);
  if (e.kind === 'ref') {
    const fb = e.fallback;
    const orFallback = (v: unknown) => (v === undefined || v === null || (fb !== undefined && v === '') ? fb ?? v : v);
    if (e.ns === 'env') {
      const env = o.env ?? process.env;
      const v = env[e.path[0]];
      return constant(v === undefined || v === '' ? fb ?? '' : v);
    }
    if (e.ns === 'vars') return constant(orFallback(o.vars?.[e.path[0]]));
    if (e.ns === 'data') {
      const [src, col] = e.path;
      return { constant: false, fn: (ctx) => orFallback(ctx.rows[src]?.[col]) };
    }
    const name = e.path[0];
    const hasVar = o.vars !== undefined && Object.prototype.hasOwnProperty.call(o.vars, name);
    if (hasVar && !o.captured?.has(name)) return constant(orFallback(walkPath(o.vars![name], e.path, 1)));
    const varValue = hasVar ? o.vars![name] : undefined;
    if (e.path.length === 1) {
      return {
        constant: false,
        fn: (ctx) => {
          const v = ctx.captures[name];
          return orFallback(v === undefined ? varValue : v);
        },
      };
    }
    return { constant: false, fn: (ctx) => orFallback(walkPath(ctx.captures[name] ?? varValue, e.path, 1)) };
  }
  const def = TEMPLATE_FUNCTIONS[e.fn];
  const args = e.args.map((a) => compileExpr(a, o));
  if (def.constant && args.every((a) => a.constant)) {
    return constant(def.impl(args.map((a) => a.value), undefined as unknown as TemplateContext));
  }
  const impl = def.impl;
  if (args.length === 0) return { constant: false, fn: (ctx) => impl([], ctx) };
  const fns = args.map((a) => a.fn);
  return { constant: false, fn: (ctx) => impl(fns.map((f) => f(ctx)), ctx) };
}

/** A compiled template: call it with the iteration context. `constant` is set when it never changes. */
export interface TemplateFn {
  (ctx: TemplateContext): string;
  readonly isConstant: boolean;
}

/** Compile a template string to a closure. A template without `${` returns its constant text. */
export function compileTemplate(src: string, opts: CompileTemplateOptions = {}): TemplateFn {
  const parts = parseTemplate(src);
  const pieces: Array<string | Eval> = [];
  for (const p of parts) {
    let piece: string | Eval;
    if (p.kind === 'text') piece = p.text;
    else {
      const c = compileExpr(p.expr, opts);
      piece = c.constant ? stringify(c.value) : c.fn;
    }
    const last = pieces.length - 1;
    if (typeof piece === 'string' && last >= 0 && typeof pieces[last] === 'string') pieces[last] = (pieces[last] as string) + piece;
    else pieces.push(piece);
  }
  let fn: (ctx: TemplateContext) => string;
  if (pieces.length === 0) fn = () => '';
  else if (pieces.length === 1 && typeof pieces[0] === 'string') {
    const s = pieces[0];
    fn = () => s;
  } else if (pieces.length === 1) {
    const f = pieces[0] as Eval;
    fn = (ctx) => stringify(f(ctx));
  } else {
    fn = (ctx) => {
      let out = '';
      for (let k = 0; k < pieces.length; k++) {
        const p = pieces[k];
        out += typeof p === 'string' ? p : stringify(p(ctx));
      }
      return out;
    };
  }
  const isConstant = pieces.length <= 1 && (pieces.length === 0 || typeof pieces[0] === 'string');
  return Object.assign(fn, { isConstant });
}

/**
 * Compile a template that keeps the type of a lone expression: `"${randomInt(1, 9)}"`
 * gives a number, `"${user}"` gives whatever was captured (number, object...).
 * Anything else (text around the expression, several expressions) gives a string.
 */
export function compileTypedTemplate(src: string, opts: CompileTemplateOptions = {}): { fn: Eval; isConstant: boolean } {
  const parts = parseTemplate(src);
  if (parts.length === 1 && parts[0].kind === 'expr') {
    const c = compileExpr(parts[0].expr, opts);
    return { fn: c.fn, isConstant: c.constant };
  }
  const t = compileTemplate(src, opts);
  return { fn: t, isConstant: t.isConstant };
}
