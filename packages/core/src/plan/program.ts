/**
 * The program a worker runs, as plain data computed once on the main thread: each
 * step with its origin and path resolved against the target, its headers merged and
 * its content type set, what its response evaluation needs, and each flow with the
 * data sources it reads. Workers turn it into closures (compile.ts): functions
 * cannot cross threads, everything else is done here.
 */
import type { Capture, Check, Flow, HttpMethod, ScenarioBase, Step, StepBody, Template, TemplateValue, ThinkTime } from '../scenario/model.js';
import { parseTemplate, templateRefs } from '../scenario/template.js';

export type { ThinkTime, HttpMethod };

export interface StepPlan {
  /** Metric key. */
  name: string;
  method: HttpMethod;
  /** scheme://host:port the request goes to (the target's, or an absolute step URL's). */
  origin: string;
  /** The origin is not the target's: the request goes through a pool of its own. */
  foreign: boolean;
  /** Path template with the target's base path applied (absolute URLs: their path). */
  path: Template;
  /** Query parameters to append: names already URL-encoded, values templates. */
  query: Array<[string, Template]>;
  /** Lower-case names: the scenario's headers, the step's (winning), then a content type for the body. */
  headers: Array<[string, Template]>;
  body?: StepBody;
  captures: Capture[];
  checks: Check[];
  /** Captures/checks need the response body as text (the engine buffers it only then). */
  needsBody: boolean;
  /** Captures need response headers. */
  needsHeaders: boolean;
  /** Captures or checks to run on the response. */
  hasEvaluation: boolean;
  /** Per-request timeout (ms). */
  timeoutMs: number;
  /** Think time after this step. */
  think?: ThinkTime;
}

export interface FlowPlan {
  name: string;
  /** Relative weight among the flows (a count: weight 3 runs three times as often as weight 1). */
  weight: number;
  steps: StepPlan[];
  /** Think time after each iteration. */
  pace?: ThinkTime;
  /** Data sources whose row advances with each iteration of this flow. */
  dataSources: string[];
  /** Names captured somewhere in the flow (templates read these from the iteration first). */
  captured: string[];
}

export interface ProgramPlan {
  name: string;
  /** The target's origin. */
  origin: string;
  /** Scenario variables, folded into templates as constants. */
  vars: Record<string, string>;
  flows: FlowPlan[];
}

const CONTENT_TYPE = { json: 'application/json', form: 'application/x-www-form-urlencoded', raw: 'text/plain; charset=utf-8' } as const;

/** All template strings of a step (for finding the data sources it uses). */
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

function planStep(s: ScenarioBase, target: URL, st: Step): StepPlan {
  const basePath = target.pathname.replace(/\/+$/, '');
  let origin = target.origin;
  let path = st.path;
  const abs = /^https?:\/\/[^/?#]*/i.exec(st.path);
  if (abs) {
    origin = new URL(abs[0]).origin;
    path = st.path.slice(abs[0].length) || '/';
    if (!path.startsWith('/')) path = '/' + path;
  } else path = basePath + st.path;

  // headers: scenario defaults, step wins (case-insensitive), then content-type for the body
  const merged = new Map<string, string>();
  for (const [k, v] of Object.entries(s.headers)) merged.set(k.toLowerCase(), v);
  for (const [k, v] of Object.entries(st.headers)) merged.set(k.toLowerCase(), v);
  if (st.body && !merged.has('content-type')) {
    merged.set('content-type', st.body.kind === 'raw' ? st.body.contentType ?? CONTENT_TYPE.raw : CONTENT_TYPE[st.body.kind]);
  }
  const needsBody = st.captures.some((c) => c.from === 'json') || st.checks.some((c) => c.kind === 'json_equals' || c.kind === 'json_exists' || c.kind === 'body_contains');
  const out: StepPlan = {
    name: st.name,
    method: st.method,
    origin,
    foreign: origin !== target.origin,
    path,
    query: Object.entries(st.query).map(([k, v]) => [encodeURIComponent(k), v]),
    headers: [...merged],
    captures: st.captures,
    checks: st.checks,
    needsBody,
    needsHeaders: st.captures.some((c) => c.from === 'header'),
    hasEvaluation: st.captures.length > 0 || st.checks.length > 0,
    timeoutMs: st.timeoutMs ?? s.timeoutMs,
  };
  if (st.body) out.body = st.body;
  if (st.think) out.think = st.think;
  return out;
}

function planFlow(s: ScenarioBase, target: URL, f: Flow): FlowPlan {
  const sources = dataSourcesOf([...f.steps.flatMap(stepTemplates), ...Object.values(s.headers)]);
  const out: FlowPlan = {
    name: f.name,
    weight: f.weight,
    steps: f.steps.map((st) => planStep(s, target, st)),
    dataSources: [...sources].filter((d) => d in s.data),
    // With hooks, any variable may be set per iteration (ctx.vars): templates read it from the iteration first.
    captured: [...new Set([...f.steps.flatMap((st) => st.captures.map((c) => c.as)), ...(s.hooks !== undefined ? Object.keys(s.variables) : [])])],
  };
  if (f.pace) out.pace = f.pace;
  return out;
}

/** The program of one load: its `flows`, with the scenario's target, headers, variables and data. */
export function planProgram(s: ScenarioBase, flows: readonly Flow[]): ProgramPlan {
  const target = new URL(s.target);
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.variables)) vars[k] = v.value;
  return { name: s.name, origin: target.origin, vars, flows: flows.map((f) => planFlow(s, target, f)) };
}

/** Origins other than the target's that steps send to, in first-use order. */
export function foreignOrigins(p: ProgramPlan): string[] {
  return [...new Set(p.flows.flatMap((f) => f.steps.filter((st) => st.foreign).map((st) => st.origin)))];
}
