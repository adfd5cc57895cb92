/**
 * Template syntax: the parts of a template string, its parser and what it references.
 * The grammar is in template.ts.
 */
import { LoadctlError } from '../errors.js';
import { suggest } from './errors.js';
import { TEMPLATE_FUNCTION_NAMES, TEMPLATE_FUNCTIONS } from './template-functions.js';

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
