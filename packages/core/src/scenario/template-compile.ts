/** Template compiler: a parsed template to a closure over the iteration context (no eval). */
import { stringify, TEMPLATE_FUNCTIONS, type TemplateContext } from './template-functions.js';
import { parseTemplate, type Expr } from './template-syntax.js';

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
