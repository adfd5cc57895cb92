/**
 * What each worker does once before the run: turn the plain `Scenario` into closures.
 * Templates are compiled, constant parts of requests prebuilt, JSON paths parsed, the
 * flow picker and data-row cursors set up. Nothing here allocates per request beyond
 * what a dynamic template needs.
 */
import { randomInt as cryptoRandomInt } from 'node:crypto';
import { compileJsonPath } from '../scenario/jsonpath.js';
import type { Check, Flow, Scenario, Step, TemplateValue, ThinkTime } from '../scenario/model.js';
import { compileTemplate, compileTypedTemplate, parseTemplate, templateRefs, type CompileTemplateOptions, type TemplateContext } from '../scenario/template.js';

/** State of one iteration of a flow: fresh for every iteration, so captures never leak. */
export interface IterationContext extends TemplateContext {
  flowIndex: number;
  /** Values captured so far in this iteration (JSON values keep their type). */
  captures: Record<string, unknown>;
  /** Current row of each data source the flow uses. */
  rows: Record<string, Record<string, string> | undefined>;
  /** Unique across workers: local iteration number × workerCount + workerIndex. */
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
  method: string;
  /** scheme://host:port the request goes to (the target's, or an absolute step URL's). */
  origin: string;
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

export interface CompiledFlow {
  name: string;
  weight: number;
  steps: CompiledStep[];
  /** Think time after each iteration. */
  pace?: ThinkTime;
  /** Data sources whose row advances with each iteration of this flow. */
  dataSources: string[];
}

export interface CompiledScenario {
  name: string;
  origin: string;
  flows: CompiledFlow[];
  workerIndex: number;
  workerCount: number;
  /** A fresh context for one iteration of flow `flowIndex` by virtual user `vuId` (advances data cursors). */
  newIteration(flowIndex: number, vuId: number): IterationContext;
  /** Deterministic smooth weighted round robin: over sum(weights) calls each flow comes exactly `weight` times. */
  nextFlow(): number;
  /** Weighted pick from a uniform number in [0, 1). */
  pickFlow(rand: number): number;
  /** The worker's seeded PRNG, [0, 1). */
  random(): number;
  /** A think/pace time in ms (uniform in the range). */
  thinkMs(t: ThinkTime | undefined): number;
}

export interface CompileOptions {
  workerIndex: number;
  workerCount: number;
  /** PRNG seed (per worker it is mixed with the worker index); default random. */
  seed?: number;
}

/** mulberry32: small, fast, good enough for load shaping. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Smooth weighted round robin (as in nginx): exact counts per cycle, well interleaved. */
export function smoothWeightedRoundRobin(weights: readonly number[]): () => number {
  const current = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  return () => {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      current[i] += weights[i];
      if (current[i] > current[best]) best = i;
    }
    current[best] -= total;
    return best;
  };
}

/** Weighted pick from cumulative weights: rand in [0, 1) -> index. */
export function cumulativePicker(weights: readonly number[]): (rand: number) => number {
  const total = weights.reduce((a, b) => a + b, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const w of weights) cum.push((acc += w) / total);
  return (rand) => {
    for (let i = 0; i < cum.length; i++) if (rand < cum[i]) return i;
    return cum.length - 1;
  };
}

/**
 * Row indices a worker reads from a source of `n` rows in sequential order: worker w of W
 * takes rows w, w+W, w+2W, ... and wraps within its own stripe, so that over one cycle the
 * workers together read every row exactly once. With fewer rows than workers, worker w
 * reads row w mod n.
 */
export function stripe(n: number, w: number, W: number): number[] {
  const out: number[] = [];
  for (let i = w; i < n; i += W) out.push(i);
  return out.length > 0 ? out : [w % n];
}

const CONTENT_TYPE = { json: 'application/json', form: 'application/x-www-form-urlencoded', raw: 'text/plain; charset=utf-8' } as const;

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

/** All template strings of a step (for finding data sources and captures it uses). */
function stepTemplates(st: Step): string[] {
  const out = [st.path, ...Object.values(st.query), ...Object.values(st.headers)];
  const walk = (v: TemplateValue) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  if (st.body?.kind === 'json') walk(st.body.value);
  else if (st.body?.kind === 'form') out.push(...Object.values(st.body.value));
  else if (st.body?.kind === 'raw') out.push(st.body.value);
  for (const c of st.checks) {
    if (c.kind === 'json_equals' && typeof c.value === 'string') out.push(c.value);
    else if (c.kind === 'body_contains') out.push(c.text);
  }
  return out;
}

function dataSourcesOf(templates: string[]): Set<string> {
  const out = new Set<string>();
  for (const t of templates) {
    for (const { ref } of templateRefs(parseTemplate(t))) if (ref.ns === 'data') out.add(ref.path[0]);
  }
  return out;
}

function compileStep(s: Scenario, st: Step, o: CompileTemplateOptions): CompiledStep {
  const target = new URL(s.target);
  const basePath = target.pathname.replace(/\/+$/, '');
  let origin = target.origin;
  let pathSrc = st.path;
  const abs = /^https?:\/\/[^/?#]*/i.exec(st.path);
  if (abs) {
    origin = new URL(abs[0]).origin;
    pathSrc = st.path.slice(abs[0].length) || '/';
    if (!pathSrc.startsWith('/')) pathSrc = '/' + pathSrc;
  } else pathSrc = basePath + st.path;

  const pathT = compileTemplate(pathSrc, o);
  const query = Object.entries(st.query).map(([k, v]) => [encodeURIComponent(k), compileTemplate(v, o)] as const);
  const joiner = pathSrc.includes('?') ? '&' : '?';
  const renderPath: Eval<string> = query.length === 0 ? pathT : (ctx) => {
    let p = pathT(ctx);
    for (let i = 0; i < query.length; i++) p += (i === 0 ? joiner : '&') + query[i][0] + '=' + encodeURIComponent(query[i][1](ctx));
    return p;
  };
  const pathConstant = pathT.isConstant && query.every(([, t]) => t.isConstant);

  // headers: scenario defaults, step wins (case-insensitive), then content-type for the body
  const merged = new Map<string, string>();
  for (const [k, v] of Object.entries(s.headers)) merged.set(k.toLowerCase(), v);
  for (const [k, v] of Object.entries(st.headers)) merged.set(k.toLowerCase(), v);
  if (st.body && !merged.has('content-type')) {
    merged.set('content-type', st.body.kind === 'raw' ? st.body.contentType ?? CONTENT_TYPE.raw : CONTENT_TYPE[st.body.kind]);
  }
  const headerTs = [...merged].map(([k, v]) => [k, compileTemplate(v, o)] as const);
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
  const needsBody = st.captures.some((c) => c.from === 'json') || st.checks.some((c) => c.kind === 'json_equals' || c.kind === 'json_exists' || c.kind === 'body_contains');
  const needsHeaders = st.captures.some((c) => c.from === 'header');
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
    origin,
    needsBody,
    needsHeaders,
    isStatic,
    timeoutMs: st.timeoutMs ?? s.timeoutMs,
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

function compileFlow(s: Scenario, f: Flow, vars: Record<string, string>): CompiledFlow {
  const captured = new Set(f.steps.flatMap((st) => st.captures.map((c) => c.as)));
  const o: CompileTemplateOptions = { vars, captured, env: {} };
  const steps = f.steps.map((st) => compileStep(s, st, o));
  const sources = dataSourcesOf([...f.steps.flatMap(stepTemplates), ...Object.values(s.headers)]);
  const out: CompiledFlow = { name: f.name, weight: f.weight, steps, dataSources: [...sources].filter((d) => d in s.data) };
  if (f.pace) out.pace = f.pace;
  return out;
}

/** Compile a scenario for worker `workerIndex` of `workerCount`. */
export function compileScenario(s: Scenario, opts: CompileOptions): CompiledScenario {
  const { workerIndex, workerCount } = opts;
  if (!(Number.isInteger(workerCount) && workerCount >= 1 && Number.isInteger(workerIndex) && workerIndex >= 0 && workerIndex < workerCount)) {
    throw new RangeError(`bad worker index ${workerIndex} of ${workerCount}`);
  }
  const seed = opts.seed ?? cryptoRandomInt(0, 2 ** 32 - 1);
  const random = seededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(workerIndex + 1, 0x85ebca6b)) >>> 0);
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.variables)) vars[k] = v.value;
  const flows = s.flows.map((f) => compileFlow(s, f, vars));
  const weights = flows.map((f) => f.weight);
  const nextFlow = smoothWeightedRoundRobin(weights);
  const pickFlow = cumulativePicker(weights);

  // data cursors
  const cursors = new Map<string, { rows: Record<string, string>[]; stripe: number[]; next: number; random: boolean }>();
  for (const [name, d] of Object.entries(s.data)) {
    cursors.set(name, { rows: d.rows, stripe: stripe(d.rows.length, workerIndex, workerCount), next: 0, random: d.order === 'random' });
  }
  let localIteration = 0;

  return {
    name: s.name,
    origin: new URL(s.target).origin,
    flows,
    workerIndex,
    workerCount,
    newIteration(flowIndex, vuId) {
      const flow = flows[flowIndex];
      const rows: Record<string, Record<string, string> | undefined> = {};
      for (const src of flow.dataSources) {
        const c = cursors.get(src)!;
        if (c.random) rows[src] = c.rows[Math.floor(random() * c.rows.length)];
        else {
          rows[src] = c.rows[c.stripe[c.next]];
          c.next = c.next + 1 === c.stripe.length ? 0 : c.next + 1;
        }
      }
      const iteration = localIteration * workerCount + workerIndex;
      localIteration++;
      return { flowIndex, captures: Object.create(null) as Record<string, unknown>, rows, iteration, vu: vuId, rand: random };
    },
    nextFlow,
    pickFlow,
    random,
    thinkMs(t) {
      if (!t) return 0;
      return t.minMs === t.maxMs ? t.minMs : t.minMs + random() * (t.maxMs - t.minMs);
    },
  };
}
