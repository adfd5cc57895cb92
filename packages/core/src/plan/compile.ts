/**
 * A step's request and response handling as closures, compiled once per worker from
 * its StepPlan (program.ts): templates compiled, constant parts of the request
 * prebuilt, JSON paths parsed. Nothing here allocates per request beyond what a
 * dynamic template needs.
 */
import { compileJsonPath } from '../scenario/jsonpath.js';
import type { Check, HttpMethod, TemplateValue, ThinkTime } from '../scenario/model.js';
import { compileTemplate, compileTypedTemplate, type CompileTemplateOptions, type TemplateContext } from '../scenario/template.js';
import type { StepPlan } from './program.js';

/** State of one iteration of a flow: fresh for every iteration, so captures never leak. */
export interface IterationContext extends TemplateContext {
  flowIndex: number;
  /** Values captured so far in this iteration (JSON values keep their type). */
  captures: Record<string, unknown>;
  /** Current row of each data source the flow uses. */
  rows: Record<string, Record<string, string> | undefined>;
  /** Unique across workers and shards: the global number of this iteration. */
  iteration: number;
  vu: number;
  rand: () => number;
}

export interface RenderedRequest {
  /** Path and query string, to send to `origin`. */
  path: string;
  /** Flat [name, value, name, value, ...], names lower-case, content-type included. */
  headers: string[];
  body: string | null;
}

export interface ResponseView {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The body as text ("" unless the step `needsBody`). */
  body: string;
  durationMs: number;
}

export interface EvaluateResult {
  checks: Array<{ name: string; passed: boolean }>;
  /** True if a check failed or a capture found nothing. */
  failed: boolean;
  /** Names of captures that found nothing (their variables stay unset). */
  missingCaptures: string[];
}

export interface CompiledStep {
  name: string;
  method: HttpMethod;
  /** scheme://host:port the request goes to (the target's, or an absolute step URL's). */
  origin: string;
  /** The origin is not the target's. */
  foreign: boolean;
  /** Captures or checks run on the response. */
  hasEvaluation: boolean;
  /** True if captures/checks need the response body as text (the engine buffers it only then). */
  needsBody: boolean;
  /** True if captures need response headers. */
  needsHeaders: boolean;
  /** Path, headers and body are constant: `render` returns the same object every time. */
  isStatic: boolean;
  /** The prebuilt request when `isStatic` (no need to make an IterationContext to get it). */
  staticRequest?: RenderedRequest;
  timeoutMs: number;
  /** Think time after this step. */
  think?: ThinkTime;
  /** Names of the step's checks, in order (a request that fails without a response fails them all). */
  checkNames: readonly string[];
  render(ctx: IterationContext): RenderedRequest;
  evaluate(res: ResponseView, ctx: IterationContext): EvaluateResult;
}

function formEncode(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+');
}

type Eval<T> = (ctx: IterationContext) => T;

function compileJson(v: TemplateValue, o: CompileTemplateOptions): { fn: Eval<unknown>; isConstant: boolean } {
  if (typeof v === 'string') return compileTypedTemplate(v, o) as { fn: Eval<unknown>; isConstant: boolean };
  if (v === null || typeof v !== 'object') return { fn: () => v, isConstant: true };
  if (Array.isArray(v)) {
    const items = v.map((x) => compileJson(x, o));
    if (items.every((i) => i.isConstant)) {
      const c = items.map((i) => i.fn(undefined as unknown as IterationContext));
      return { fn: () => c, isConstant: true };
    }
    return { fn: (ctx) => items.map((i) => i.fn(ctx)), isConstant: false };
  }
  const entries = Object.entries(v).map(([k, x]) => [k, compileJson(x, o)] as const);
  if (entries.every(([, e]) => e.isConstant)) {
    const c = Object.fromEntries(entries.map(([k, e]) => [k, e.fn(undefined as unknown as IterationContext)]));
    return { fn: () => c, isConstant: true };
  }
  return {
    fn: (ctx) => {
      const out: Record<string, unknown> = {};
      for (const [k, e] of entries) out[k] = e.fn(ctx);
      return out;
    },
    isConstant: false,
  };
}

function scalarEquals(actual: unknown, expected: string | number | boolean | null): boolean {
  if (actual === undefined) return false;
  if (actual === expected) return true;
  if (expected === null || actual === null || actual === undefined || typeof actual === 'object') return false;
  return String(actual) === String(expected);
}

export function compileStep(st: StepPlan, o: CompileTemplateOptions): CompiledStep {
  const pathSrc = st.path;
  const pathT = compileTemplate(pathSrc, o);
  const query = st.query.map(([k, v]) => [k, compileTemplate(v, o)] as const);
  const joiner = pathSrc.includes('?') ? '&' : '?';
  const renderPath: Eval<string> = query.length === 0 ? pathT : (ctx) => {
    let p = pathT(ctx);
    for (let i = 0; i < query.length; i++) p += (i === 0 ? joiner : '&') + query[i][0] + '=' + encodeURIComponent(query[i][1](ctx));
    return p;
  };
  const pathConstant = pathT.isConstant && query.every(([, t]) => t.isConstant);

  const headerTs = st.headers.map(([k, v]) => [k, compileTemplate(v, o)] as const);
  const headersConstant = headerTs.every(([, t]) => t.isConstant);
  const constHeaders = headersConstant ? headerTs.flatMap(([k, t]) => [k, t(undefined as unknown as IterationContext)]) : null;
  const renderHeaders: Eval<string[]> = constHeaders
    ? () => constHeaders
    : (ctx) => {
        const out: string[] = new Array(headerTs.length * 2);
        for (let i = 0; i < headerTs.length; i++) {
          out[2 * i] = headerTs[i][0];
          out[2 * i + 1] = headerTs[i][1](ctx);
        }
        return out;
      };

  let renderBody: Eval<string | null> = () => null;
  let bodyConstant = true;
  if (st.body?.kind === 'json') {
    const j = compileJson(st.body.value, o);
    bodyConstant = j.isConstant;
    if (j.isConstant) {
      const text = JSON.stringify(j.fn(undefined as unknown as IterationContext));
      renderBody = () => text;
    } else renderBody = (ctx) => JSON.stringify(j.fn(ctx));
  } else if (st.body?.kind === 'form') {
    const fields = Object.entries(st.body.value).map(([k, v]) => [formEncode(k), compileTemplate(v, o)] as const);
    bodyConstant = fields.every(([, t]) => t.isConstant);
    const render = (ctx: IterationContext) => fields.map(([k, t]) => `${k}=${formEncode(t(ctx))}`).join('&');
    if (bodyConstant) {
      const text = render(undefined as unknown as IterationContext);
      renderBody = () => text;
    } else renderBody = render;
  } else if (st.body?.kind === 'raw') {
    const t = compileTemplate(st.body.value, o);
    bodyConstant = t.isConstant;
    renderBody = t;
  }

  const isStatic = pathConstant && headersConstant && bodyConstant;
  let render: (ctx: IterationContext) => RenderedRequest;
  let fixed: RenderedRequest | undefined;
  if (isStatic) {
    const none = undefined as unknown as IterationContext;
    const req: RenderedRequest = { path: renderPath(none), headers: renderHeaders(none), body: renderBody(none) };
    fixed = req;
    render = () => req;
  } else render = (ctx) => ({ path: renderPath(ctx), headers: renderHeaders(ctx), body: renderBody(ctx) });

  // captures and checks
  const captures = st.captures.map((c) => {
    if (c.from === 'json') {
      const get = compileJsonPath(c.path);
      return { as: c.as, kind: 'json' as const, get };
    }
    if (c.from === 'header') {
      const h = c.header.toLowerCase();
      return { as: c.as, kind: 'header' as const, get: (res: ResponseView) => res.headers[h] ?? findHeader(res.headers, h) };
    }
    return { as: c.as, kind: 'status' as const, get: (res: ResponseView) => res.status };
  });
  const checks = st.checks.map((c) => compileCheck(c, o));
  const NOT_PARSED = Symbol('not parsed');
  const BAD_JSON = Symbol('bad json');

  const evaluate = (res: ResponseView, ctx: IterationContext): EvaluateResult => {
    let json: unknown = NOT_PARSED;
    const doc = () => {
      if (json === NOT_PARSED) {
        try {
          json = JSON.parse(res.body);
        } catch {
          json = BAD_JSON;
        }
      }
      return json === BAD_JSON ? undefined : json;
    };
    const missingCaptures: string[] = [];
    for (const c of captures) {
      const v = c.kind === 'json' ? c.get(doc()) : c.get(res);
      if (v === undefined) missingCaptures.push(c.as);
      else ctx.captures[c.as] = v;
    }
    const results = new Array<{ name: string; passed: boolean }>(checks.length);
    let failed = missingCaptures.length > 0;
    for (let i = 0; i < checks.length; i++) {
      const passed = checks[i].test(res, doc, ctx);
      if (!passed) failed = true;
      results[i] = { name: checks[i].name, passed };
    }
    return { checks: results, failed, missingCaptures };
  };

  const out: CompiledStep = {
    name: st.name,
    method: st.method,
    origin: st.origin,
    foreign: st.foreign,
    hasEvaluation: st.hasEvaluation,
    needsBody: st.needsBody,
    needsHeaders: st.needsHeaders,
    isStatic,
    timeoutMs: st.timeoutMs,
    checkNames: checks.map((c) => c.name),
    render,
    evaluate,
  };
  if (st.think) out.think = st.think;
  if (fixed) out.staticRequest = fixed;
  return out;
}

function findHeader(headers: Record<string, string>, lower: string): string | undefined {
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) return headers[k];
  return undefined;
}

function compileCheck(c: Check, o: CompileTemplateOptions): { name: string; test: (res: ResponseView, doc: () => unknown, ctx: IterationContext) => boolean } {
  switch (c.kind) {
    case 'status': {
      const set = c.in;
      return { name: c.name, test: (res) => set.includes(res.status) };
    }
    case 'json_equals': {
      const get = compileJsonPath(c.path);
      const value = c.value;
      if (typeof value === 'string') {
        const t = compileTypedTemplate(value, o);
        return { name: c.name, test: (_res, doc, ctx) => scalarEquals(get(doc()), t.fn(ctx) as string | number | boolean | null) };
      }
      return { name: c.name, test: (_res, doc) => scalarEquals(get(doc()), value) };
    }
    case 'json_exists': {
      const get = compileJsonPath(c.path);
      return { name: c.name, test: (_res, doc) => get(doc()) !== undefined };
    }
    case 'body_contains': {
      const t = compileTemplate(c.text, o);
      return { name: c.name, test: (res, _doc, ctx) => res.body.includes(t(ctx)) };
    }
    case 'max_duration': {
      const ms = c.ms;
      return { name: c.name, test: (res) => res.durationMs <= ms };
    }
  }
}
