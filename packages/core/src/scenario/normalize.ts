/**
 * The schema walk: raw YAML/JS value -> normalised `Scenario`, collecting every issue
 * (unknown keys with suggestions, types, durations, references, templates, thresholds)
 * before throwing one ScenarioError. The format is documented in docs/scenario.md.
 */
import { isAbsolute, resolve } from 'node:path';
import { checkThresholdScope, parseThreshold, scopeKind, ThresholdSyntaxError } from '../thresholds/parse.js';
import { ceilingProblem, type CeilingContext, type LoadCeilingKey } from './ceiling.js';
import { columnsOf, DataFileError, normalizeRows, readDataFile } from './data.js';
import { formatDuration } from './duration.js';
import { substituteEnv, EnvMissingError, type Env } from './env.js';
import { ScenarioError, suggest, type ScenarioIssue } from './errors.js';
import { parseJsonPath, JsonPathError } from './jsonpath.js';
import type {
  Capture,
  Check,
  ClosedStage,
  DataSource,
  Flow,
  HttpMethod,
  LoadModel,
  OpenStage,
  ReporterConfig,
  Scenario,
  Step,
  StepBody,
  TemplateValue,
  ThresholdSpec,
  Variable,
} from './model.js';
import type { Seg, SourceMap } from './parse.js';
import { redactUrlSecrets } from './redact.js';
import { parseTemplate, TemplateError } from './template.js';
import { isObj, Reader, type Obj, type RefScope } from './validate.js';

// ---------------------------------------------------------------- defaults (documented in docs/scenario.md)

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_PIPELINING = 1;
/** Time limit of an iteration-bounded closed run without a duration (like k6 shared-iterations maxDuration). */
export const DEFAULT_ITERATIONS_MAX_DURATION_MS = 10 * 60_000;
export const DEFAULT_RATE_SHORTFALL_GRACE_MS = 10_000;
export const MAX_DEFAULT_CONNECTIONS = 256;

/** Default in-flight cap of the open model: room for iterations taking 2 s at the peak rate, at least 100. */
export function defaultMaxInFlight(peakRate: number): number {
  return Math.max(100, Math.ceil(2 * peakRate));
}
export function defaultConnections(maxInFlight: number): number {
  return Math.min(maxInFlight, MAX_DEFAULT_CONNECTIONS);
}

// ---------------------------------------------------------------- key sets

export const TOP_KEYS = ['name', 'description', 'target', 'headers', 'timeout', 'pipelining', 'variables', 'data', 'load', 'rateShortfall', 'flows', 'scenarios', 'steps', 'thresholds', 'reporters', 'tags', 'secrets'] as const;
const SECRETS_KEYS = ['headers', 'query'] as const;
export const METHOD_KEYS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
export const STEP_KEYS = ['name', 'method', 'path', ...METHOD_KEYS, 'query', 'headers', 'json', 'form', 'body', 'contentType', 'capture', 'check', 'think', 'timeout'] as const;
const FLOW_KEYS = ['name', 'weight', 'pace', 'steps'] as const;
const CAPTURE_KEYS = ['as', 'json', 'header', 'status'] as const;
const CHECK_KEYS = ['name', 'status', 'json', 'equals', 'exists', 'bodyContains', 'maxDuration'] as const;
const LOAD_KEYS = ['users', 'spawnRate', 'duration', 'iterations', 'rate', 'arrivalRate', 'rampTo', 'startRate', 'stages', 'maxInFlight', 'connections'] as const;
const CLOSED_STAGE_KEYS = ['name', 'users', 'spawnRate', 'duration'] as const;
const OPEN_STAGE_KEYS = ['name', 'rate', 'arrivalRate', 'rampTo', 'duration'] as const;
const THRESHOLD_KEYS = ['expression', 'scope', 'abortOnFail', 'delayAbortEval'] as const;
const THRESHOLD_MAP_ITEM_KEYS = ['expression', 'abortOnFail', 'delayAbortEval'] as const;
const SHORTFALL_KEYS = ['maxShortfall', 'grace', 'abort'] as const;
const DATA_KEYS = ['file', 'rows', 'order'] as const;
const VARIABLE_KEYS = ['value', 'secret'] as const;
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED = ['vars', 'env', 'data'];

export interface NormalizeOptions {
  source: SourceMap;
  env: Env;
  /** Directory data files are resolved against. */
  baseDir: string;
  /** Name used when the scenario has none (e.g. the file's base name). */
  defaultName?: string;
  /** Load ceilings to check users, rates and connections against (scenario/ceiling.ts). */
  ceiling?: CeilingContext;
}

/** Turn a raw scenario document into the normalised model. Throws ScenarioError with all issues. */
export function normalizeScenario(raw: unknown, o: NormalizeOptions): Scenario {
  const n = new Normalizer(new Reader(o.source, o.env), o);
  const s = n.run(raw);
  const issues = n.r.issues;
  if (issues.length > 0 || s === undefined) throw new ScenarioError(sortIssues(issues));
  return s;
}

function sortIssues(issues: ScenarioIssue[]): ScenarioIssue[] {
  return issues
    .map((i, k) => ({ i, k }))
    .sort((a, b) => (a.i.line ?? Infinity) - (b.i.line ?? Infinity) || (a.i.column ?? 0) - (b.i.column ?? 0) || a.k - b.k)
    .map((x) => x.i);
}

/** "GET /users/${user.id}" -> "GET /users/{id}": the default metric key of a step. */
export function defaultStepName(method: string, path: string): string {
  let label = '';
  try {
    for (const p of parseTemplate(path)) {
      if (p.kind === 'text') label += p.text;
      else label += `{${p.expr.kind === 'ref' ? p.expr.path[p.expr.path.length - 1] : p.expr.kind === 'call' ? p.expr.fn : String(p.expr.value)}}`;
    }
  } catch {
    label = path;
  }
  return `${method} ${label}`;
}

class Normalizer {
  private vars = new Set<string>();
  private data = new Map<string, Set<string>>();
  /** Query parameter names to redact beyond the built-in ones (`secrets.query`). */
  private secretQuery: string[] = [];
  constructor(
    readonly r: Reader,
    private readonly o: NormalizeOptions,
  ) {}

  run(raw: unknown): Scenario | undefined {
    const r = this.r;
    const root = raw === null || raw === undefined ? {} : r.object(raw, [], TOP_KEYS, 'a mapping (the scenario)');
    if (!root) return undefined;

    const name = root.name === undefined ? this.o.defaultName ?? 'scenario' : r.string(root.name, ['name'], { nonEmpty: true, scalars: true });
    const description = root.description === undefined ? undefined : r.string(root.description, ['description']);
    const target = this.target(root);
    const timeoutMs = root.timeout === undefined ? DEFAULT_TIMEOUT_MS : r.duration(root.timeout, ['timeout'], { positive: true });
    const pipelining = root.pipelining === undefined ? DEFAULT_PIPELINING : r.number(root.pipelining, ['pipelining'], { integer: true, min: 1, what: 'an integer >= 1' });
    const secrets = this.secrets(root.secrets);
    this.secretQuery = secrets?.query ?? [];
    const variables = this.variables(root.variables);
    const data = this.dataSources(root.data);
    const flows = this.flows(root);
    const allCaptures = new Set(flows.flatMap((f) => f.steps.flatMap((s) => s.captures.map((c) => c.as))));
    const headers = this.headers(root.headers, ['headers'], this.scope(allCaptures, new Set()));
    const load = this.load(root.load);
    const rateShortfall = this.rateShortfall(root.rateShortfall, load);
    const thresholds = this.thresholds(root.thresholds, flows);
    const reporters = this.reporters(root.reporters);
    const tags = this.tags(root.tags);

    if (name === undefined || target === undefined || timeoutMs === undefined || pipelining === undefined || load === undefined) return undefined;
    const s: Scenario = { name, target, headers, timeoutMs, pipelining, variables, data, load, flows, thresholds, reporters, tags };
    if (description !== undefined) s.description = description;
    if (rateShortfall) s.rateShortfall = rateShortfall;
    if (secrets) s.secrets = secrets;
    if (this.o.source.file !== undefined) s.file = this.o.source.file;
    return s;
  }

  private scope(captured: ReadonlySet<string>, later: ReadonlySet<string>): RefScope {
    return { vars: this.vars, captured, capturedLater: later, data: this.data };
  }

  private target(root: Obj): string | undefined {
    const r = this.r;
    if (root.target === undefined) return r.missing([], 'target', 'the base URL of the system under test, e.g. target: http://127.0.0.1:3000');
    const t = r.string(root.target, ['target'], { what: 'a URL like http://127.0.0.1:3000' });
    if (t === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(t);
    } catch {
      r.issue('E_BAD_VALUE', ['target'], `"${t}" is not a URL`, { expected: 'an http:// or https:// URL' });
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      r.issue('E_BAD_VALUE', ['target'], `unsupported protocol "${url.protocol}"`, { expected: 'an http:// or https:// URL' });
      return undefined;
    }
    if (url.search || url.hash) {
      r.issue('E_BAD_VALUE', ['target'], 'the target has a query or fragment', { expected: 'a base URL (scheme, host, port and optional base path)' });
      return undefined;
    }
    return t.replace(/\/+$/, '');
  }

  private variables(v: unknown): Record<string, Variable> {
    const r = this.r;
    const out: Record<string, Variable> = {};
    if (v === undefined || v === null) return out;
    const obj = r.object(v, ['variables'], null);
    if (!obj) return out;
    for (const [k, raw] of Object.entries(obj)) {
      const path = ['variables', k];
      if (!NAME.test(k) || RESERVED.includes(k)) {
        r.issue('E_BAD_VALUE', path, `"${k}" cannot be a variable name`, { at: 'key', expected: `a name of letters, digits and _ (not ${RESERVED.join(', ')})` });
        continue;
      }
      this.vars.add(k);
      if (isObj(raw)) {
        const o = r.object(raw, path, VARIABLE_KEYS)!;
        if (o.value === undefined) {
          r.missing(path, 'value', 'value: <the value>');
          continue;
        }
        const value = r.string(o.value, [...path, 'value'], { scalars: true, what: 'a string or number' });
        const secret = o.secret === undefined ? false : r.boolean(o.secret, [...path, 'secret']);
        if (value !== undefined && secret !== undefined) out[k] = { value, secret };
      } else {
        const value = r.string(raw, path, { scalars: true, what: 'a string, a number or { value, secret }' });
        if (value !== undefined) out[k] = { value, secret: false };
      }
    }
    return out;
  }

  private dataSources(v: unknown): Record<string, DataSource> {
    const r = this.r;
    const out: Record<string, DataSource> = {};
    if (v === undefined || v === null) return out;
    const obj = r.object(v, ['data'], null);
    if (!obj) return out;
    for (const [k, raw] of Object.entries(obj)) {
      const path: Seg[] = ['data', k];
      if (!NAME.test(k)) {
        r.issue('E_BAD_VALUE', path, `"${k}" cannot be a data source name`, { at: 'key', expected: 'a name of letters, digits and _' });
        continue;
      }
      this.data.set(k, new Set());
      let file: string | undefined;
      let filePath = path;
      let inline: unknown;
      let order: 'sequential' | 'random' = 'sequential';
      if (typeof raw === 'string') file = r.string(raw, path);
      else {
        const o = r.object(raw, path, DATA_KEYS, 'a file name or { file, order }');
        if (!o) continue;
        if (o.file !== undefined && o.rows !== undefined) {
          r.issue('E_CONFLICT', [...path, 'rows'], '"file" and "rows" cannot be used together', { at: 'key', expected: 'one of them' });
          continue;
        }
        if (o.file === undefined && o.rows === undefined) {
          r.missing(path, 'file', 'file: <path to a .csv or .json file>');
          continue;
        }
        if (o.file !== undefined) {
          filePath = [...path, 'file'];
          file = r.string(o.file, filePath, { nonEmpty: true });
        } else inline = o.rows;
        if (o.order !== undefined) {
          const ord = r.string(o.order, [...path, 'order']);
          if (ord === 'sequential' || ord === 'random') order = ord;
          else if (ord !== undefined) r.issue('E_BAD_VALUE', [...path, 'order'], `"${ord}" is not an order`, { expected: 'sequential or random', suggestion: suggest(ord, ['sequential', 'random']) });
        }
      }
      let rows: Record<string, string>[] | undefined;
      try {
        if (file !== undefined) rows = readDataFile(isAbsolute(file) ? file : resolve(this.o.baseDir, file));
        else if (inline !== undefined) {
          rows = normalizeRows(inline);
          if (rows.length === 0) throw new DataFileError('rows is empty');
        }
      } catch (e) {
        if (!(e instanceof DataFileError)) throw e;
        r.issue('E_DATA_FILE', file !== undefined ? filePath : [...path, 'rows'], e.message, { expected: file !== undefined ? 'a CSV file with a header row or a JSON array of objects' : 'a non-empty list of objects' });
      }
      if (rows) {
        this.data.set(k, columnsOf(rows));
        out[k] = { file: file ?? '(inline)', order, rows };
      }
    }
    return out;
  }

  private headers(v: unknown, path: Seg[], scope: RefScope): Record<string, string> {
    const r = this.r;
    const out: Record<string, string> = {};
    if (v === undefined || v === null) return out;
    const obj = r.object(v, path, null);
    if (!obj) return out;
    for (const [k, raw] of Object.entries(obj)) {
      if (!HEADER_NAME.test(k)) {
        r.issue('E_BAD_VALUE', [...path, k], `"${k}" is not a valid header name`, { at: 'key', expected: 'a header name like x-request-id' });
        continue;
      }
      const t = r.template(raw, [...path, k], scope, 'a string');
      if (t !== undefined) out[k] = t;
    }
    return out;
  }

  // ---------------------------------------------------------------- flows and steps

  private flows(root: Obj): Flow[] {
    const r = this.r;
    const present = (['flows', 'scenarios', 'steps'] as const).filter((k) => root[k] !== undefined);
    if (present.length === 0) {
      r.missing([], 'flows', 'flows: (a list of { name, weight, steps }) or steps: (a list of requests)');
      return [];
    }
    if (present.length > 1) {
      r.issue('E_CONFLICT', [present[1]], `"${present[0]}" and "${present[1]}" cannot be used together`, { at: 'key', expected: 'one of flows, scenarios or steps' });
      return [];
    }
    const key = present[0];
    if (key === 'steps') {
      const f = this.flow({ steps: root.steps }, [], 'default', 0);
      return f ? [f] : [];
    }
    const v = root[key];
    const entries: Array<[Seg[], unknown, string | undefined]> = [];
    if (isObj(v)) for (const [k, f] of Object.entries(v)) entries.push([[key, k], f, k]);
    else {
      const list = r.list(v, [key], 'a list of flows');
      if (!list) return [];
      list.forEach((f, i) => entries.push([[key, i], f, undefined]));
    }
    if (entries.length === 0) {
      r.issue('E_BAD_VALUE', [key], 'no flows', { expected: 'at least one flow' });
      return [];
    }
    const out: Flow[] = [];
    const names = new Set<string>();
    entries.forEach(([path, f, mapName], i) => {
      const flow = this.flow(f, path, mapName, i);
      if (!flow) return;
      if (names.has(flow.name)) {
        r.issue('E_BAD_VALUE', [...path, 'name'], `flow name "${flow.name}" is used twice`, { expected: 'unique flow names' });
        return;
      }
      names.add(flow.name);
      out.push(flow);
    });
    return out;
  }

  private flow(v: unknown, path: Seg[], mapName: string | undefined, index: number): Flow | undefined {
    const r = this.r;
    const o = r.object(v, path, FLOW_KEYS, 'a flow: { name, weight, steps }');
    if (!o) return undefined;
    let name = mapName ?? `flow${index + 1}`;
    if (o.name !== undefined) {
      const nm = r.string(o.name, [...path, 'name'], { nonEmpty: true, scalars: true });
      if (nm !== undefined) name = nm;
    } else if (mapName === undefined && path.length > 0) {
      r.missing(path, 'name', 'name: <flow name> (flows are named in metrics and thresholds)');
    }
    const weight = o.weight === undefined ? 1 : r.number(o.weight, [...path, 'weight'], { min: 0, minExclusive: true, what: 'a number > 0' });
    const pace = o.pace === undefined ? undefined : r.durationRange(o.pace, [...path, 'pace']);
    if (o.steps === undefined) return r.missing(path, 'steps', 'steps: a list of requests');
    const stepsPath = [...path, 'steps'];
    const list = r.list(o.steps, stepsPath, 'a list of requests');
    if (!list) return undefined;
    if (list.length === 0) {
      r.issue('E_BAD_VALUE', stepsPath, 'no steps', { expected: 'at least one request' });
      return undefined;
    }
    // Captures made by each step (loosely read) so that "used before captured" can be told apart from "unknown".
    const capturesAt = list.map((s) => {
      const names: string[] = [];
      const c = isObj(s) ? s.capture : undefined;
      for (const item of Array.isArray(c) ? c : c !== undefined ? [c] : []) if (isObj(item) && typeof item.as === 'string') names.push(item.as);
      return names;
    });
    const captured = new Set<string>();
    const steps: Step[] = [];
    list.forEach((s, j) => {
      const later = new Set(capturesAt.slice(j).flat());
      const step = this.step(s, [...stepsPath, j], this.scope(new Set(captured), later));
      if (step) {
        steps.push(step);
        for (const c of step.captures) captured.add(c.as);
      }
    });
    if (weight === undefined) return undefined;
    const flow: Flow = { name, weight, steps };
    if (pace) flow.pace = pace;
    return flow;
  }

  private step(v: unknown, path: Seg[], scope: RefScope): Step | undefined {
    const r = this.r;
    if (typeof v === 'string') {
      const s = r.template(v, path, null);
      const m = s === undefined ? null : /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(s);
      if (!m || !METHODS.includes(m[1].toUpperCase() as HttpMethod)) {
        if (s !== undefined) r.issue('E_BAD_VALUE', path, `"${s}" is not a request`, { expected: '"METHOD /path" or { get: /path, ... }' });
        return undefined;
      }
      return this.step({ method: m[1], path: m[2] }, path, scope);
    }
    const o = r.object(v, path, STEP_KEYS, 'a request: { get: /path } or { method, path }');
    if (!o) return undefined;

    // method and path
    const methodKeys = METHOD_KEYS.filter((k) => o[k] !== undefined);
    let method: HttpMethod | undefined;
    let pathKey: Seg[];
    let pathRaw: unknown;
    if (methodKeys.length > 1 || (methodKeys.length === 1 && (o.method !== undefined || o.path !== undefined))) {
      const second = methodKeys.length > 1 ? methodKeys[1] : o.method !== undefined ? 'method' : 'path';
      r.issue('E_CONFLICT', [...path, second], `"${methodKeys[0]}" and "${second}" cannot be used together`, { at: 'key', expected: 'one request per step: get: /path, or method and path' });
      return undefined;
    }
    if (methodKeys.length === 1) {
      method = methodKeys[0].toUpperCase() as HttpMethod;
      pathKey = [...path, methodKeys[0]];
      pathRaw = o[methodKeys[0]];
    } else {
      if (o.method === undefined) return r.missing(path, o.path === undefined ? 'get' : 'method', 'a request: get: /path (or post/put/patch/delete/head/options), or method and path');
      const m = r.string(o.method, [...path, 'method']);
      if (m === undefined) return undefined;
      if (!METHODS.includes(m.toUpperCase() as HttpMethod)) {
        r.issue('E_BAD_VALUE', [...path, 'method'], `"${m}" is not an HTTP method`, { expected: `one of ${METHODS.join(', ')}`, suggestion: suggest(m.toUpperCase(), METHODS) });
        return undefined;
      }
      method = m.toUpperCase() as HttpMethod;
      if (o.path === undefined) return r.missing(path, 'path', 'path: /some/path');
      pathKey = [...path, 'path'];
      pathRaw = o.path;
    }
    const urlPath = r.template(pathRaw, pathKey, scope, 'a path like /users/${id}');
    if (urlPath !== undefined) {
      const abs = /^https?:\/\//i.test(urlPath);
      if (!abs && !urlPath.startsWith('/')) {
        r.issue('E_BAD_VALUE', pathKey, `"${urlPath}" does not start with "/"`, { expected: 'a path like /users/${id} or an absolute http(s):// URL' });
      } else if (abs) {
        const origin = /^https?:\/\/[^/?#]*/i.exec(urlPath)![0];
        if (origin.includes('${')) r.issue('E_BAD_VALUE', pathKey, 'the scheme and host of an absolute URL cannot be templated', { expected: 'a constant origin like https://api.example.com' });
      }
    }

    let name: string | undefined;
    if (o.name !== undefined) name = r.string(o.name, [...path, 'name'], { nonEmpty: true, scalars: true });
    else if (method && urlPath !== undefined) name = defaultStepName(method, urlPath);
    // The request name is the metric key every output shows: no credentials in it.
    if (name !== undefined) name = redactUrlSecrets(name, this.secretQuery);

    const query: Record<string, string> = {};
    if (o.query !== undefined) {
      const q = r.object(o.query, [...path, 'query'], null);
      if (q) for (const [k, qv] of Object.entries(q)) {
        const t = r.template(qv, [...path, 'query', k], scope, 'a string or number');
        if (t !== undefined) query[k] = t;
      }
    }
    const headers = this.headers(o.headers, [...path, 'headers'], scope);
    const body = this.body(o, path, scope);
    const captures = this.captures(o.capture, [...path, 'capture']);
    const checks = name === undefined ? [] : this.checks(o.check, [...path, 'check'], name, scope);
    const think = o.think === undefined ? undefined : r.durationRange(o.think, [...path, 'think']);
    const timeoutMs = o.timeout === undefined ? undefined : r.duration(o.timeout, [...path, 'timeout'], { positive: true });

    if (method === undefined || urlPath === undefined || name === undefined) return undefined;
    const step: Step = { name, method, path: urlPath, query, headers, captures, checks };
    if (body) step.body = body;
    if (think) step.think = think;
    if (timeoutMs !== undefined) step.timeoutMs = timeoutMs;
    return step;
  }

  private body(o: Obj, path: Seg[], scope: RefScope): StepBody | undefined {
    const r = this.r;
    const kinds = (['json', 'form', 'body'] as const).filter((k) => o[k] !== undefined);
    if (kinds.length > 1) {
      r.issue('E_CONFLICT', [...path, kinds[1]], `"${kinds[0]}" and "${kinds[1]}" cannot be used together`, { at: 'key', expected: 'one body per request' });
      return undefined;
    }
    if (o.contentType !== undefined && kinds[0] !== 'body') {
      r.issue('E_CONFLICT', [...path, 'contentType'], '"contentType" goes with a raw "body"', { at: 'key', expected: 'body: <text> with contentType, or a content-type header' });
    }
    if (kinds.length === 0) return undefined;
    if (kinds[0] === 'json') {
      const value = this.jsonValue(o.json, [...path, 'json'], scope);
      return value === undefined ? undefined : { kind: 'json', value };
    }
    if (kinds[0] === 'form') {
      const f = r.object(o.form, [...path, 'form'], null, 'a mapping of form fields');
      if (!f) return undefined;
      const value: Record<string, string> = {};
      for (const [k, fv] of Object.entries(f)) {
        const t = r.template(fv, [...path, 'form', k], scope, 'a string or number');
        if (t !== undefined) value[k] = t;
      }
      return { kind: 'form', value };
    }
    const value = r.template(o.body, [...path, 'body'], scope, 'a string (use json: for structured bodies)');
    if (value === undefined) return undefined;
    const b: StepBody = { kind: 'raw', value };
    if (o.contentType !== undefined) {
      const ct = r.string(o.contentType, [...path, 'contentType'], { nonEmpty: true });
      if (ct !== undefined) b.contentType = ct;
    }
    return b;
  }

  private jsonValue(v: unknown, path: Seg[], scope: RefScope): TemplateValue | undefined {
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'string') return this.r.template(v, path, scope);
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) {
      const out: TemplateValue[] = [];
      v.forEach((x, i) => {
        const t = this.jsonValue(x, [...path, i], scope);
        if (t !== undefined) out.push(t);
      });
      return out;
    }
    if (isObj(v)) {
      const out: Record<string, TemplateValue> = {};
      for (const [k, x] of Object.entries(v)) {
        const t = this.jsonValue(x, [...path, k], scope);
        if (t !== undefined) out[k] = t;
      }
      return out;
    }
    return this.r.typeError(path, v, 'a JSON value');
  }

  private captures(v: unknown, path: Seg[]): Capture[] {
    const r = this.r;
    const out: Capture[] = [];
    if (v === undefined) return out;
    const list = r.list(v, path, 'a list of captures like { json: $.id, as: id }', true);
    if (!list) return out;
    list.forEach((item, i) => {
      const p = Array.isArray(v) ? [...path, i] : path;
      const o = r.object(item, p, CAPTURE_KEYS, 'a capture like { json: $.id, as: id }');
      if (!o) return;
      if (o.as === undefined) return r.missing(p, 'as', 'as: <variable name>');
      const as = r.string(o.as, [...p, 'as']);
      if (as !== undefined && (!NAME.test(as) || RESERVED.includes(as))) {
        r.issue('E_BAD_VALUE', [...p, 'as'], `"${as}" cannot be a capture name`, { expected: 'a name of letters, digits and _' });
        return;
      }
      const from = (['json', 'header', 'status'] as const).filter((k) => o[k] !== undefined);
      if (from.length === 0) return r.missing(p, 'json', 'one of json: <path>, header: <name>, status: true');
      if (from.length > 1) {
        r.issue('E_CONFLICT', [...p, from[1]], `"${from[0]}" and "${from[1]}" cannot be used together`, { at: 'key', expected: 'one source per capture' });
        return;
      }
      if (as === undefined) return;
      if (from[0] === 'json') {
        const jp = r.string(o.json, [...p, 'json'], { what: 'a JSON path like $.items[0].id' });
        if (jp === undefined) return;
        try {
          parseJsonPath(jp);
        } catch (e) {
          if (!(e instanceof JsonPathError)) throw e;
          r.issue('E_BAD_VALUE', [...p, 'json'], e.message, { expected: 'a JSON path like $.items[0].id, items.0.id or $["odd key"]' });
          return;
        }
        out.push({ as, from: 'json', path: jp });
      } else if (from[0] === 'header') {
        const h = r.string(o.header, [...p, 'header'], { nonEmpty: true, what: 'a header name' });
        if (h !== undefined) out.push({ as, from: 'header', header: h });
      } else {
        if (o.status !== true) r.typeError([...p, 'status'], o.status, 'true');
        else out.push({ as, from: 'status' });
      }
    });
    return out;
  }

  private checks(v: unknown, path: Seg[], stepName: string, scope: RefScope): Check[] {
    const r = this.r;
    const out: Check[] = [];
    if (v === undefined) return out;
    const list = r.list(v, path, 'a list of checks like { status: 200 }', true);
    if (!list) return out;
    list.forEach((item, i) => {
      const p = Array.isArray(v) ? [...path, i] : path;
      const o = r.object(item, p, CHECK_KEYS, 'a check like { status: 200 }');
      if (!o) return;
      const kinds = (['status', 'json', 'bodyContains', 'maxDuration'] as const).filter((k) => o[k] !== undefined);
      if (kinds.length === 0) return r.missing(p, 'status', 'one of status, json, bodyContains, maxDuration');
      if (o.name !== undefined && kinds.length > 1) {
        r.issue('E_CONFLICT', [...p, 'name'], 'a named check tests one thing', { at: 'key', expected: `one of ${kinds.join(', ')} with "name"` });
        return;
      }
      if ((o.equals !== undefined || o.exists !== undefined) && o.json === undefined) {
        r.issue('E_CONFLICT', [...p, o.equals !== undefined ? 'equals' : 'exists'], `"${o.equals !== undefined ? 'equals' : 'exists'}" goes with "json"`, { at: 'key', expected: 'json: <path> with equals or exists' });
        return;
      }
      const named = o.name === undefined ? undefined : r.string(o.name, [...p, 'name'], { nonEmpty: true });
      for (const kind of kinds) {
        let c: Check | undefined;
        if (kind === 'status') {
          const sp = [...p, 'status'];
          const codes = Array.isArray(o.status) ? o.status : [o.status];
          const ok = codes.length > 0 && codes.every((x) => Number.isInteger(x) && (x as number) >= 100 && (x as number) <= 599);
          if (!ok) r.typeError(sp, o.status, 'a status code (100-599) or a list of them');
          else {
            const set = codes as number[];
            c = { name: `${stepName}: status ${set.join('|')}`, kind: 'status', in: set };
          }
        } else if (kind === 'json') {
          const jp = r.string(o.json, [...p, 'json'], { what: 'a JSON path like $.id' });
          if (jp === undefined) continue;
          try {
            parseJsonPath(jp);
          } catch (e) {
            if (!(e instanceof JsonPathError)) throw e;
            r.issue('E_BAD_VALUE', [...p, 'json'], e.message, { expected: 'a JSON path like $.items[0].id' });
            continue;
          }
          if (o.equals !== undefined && o.exists !== undefined) {
            r.issue('E_CONFLICT', [...p, 'exists'], '"equals" and "exists" cannot be used together', { at: 'key', expected: 'one of them' });
            continue;
          }
          if (o.equals !== undefined) {
            const eq = o.equals;
            if (eq !== null && typeof eq !== 'string' && typeof eq !== 'number' && typeof eq !== 'boolean') {
              r.typeError([...p, 'equals'], eq, 'a string, number, boolean or null');
              continue;
            }
            let value = eq;
            if (typeof eq === 'string') {
              const sv = r.template(eq, [...p, 'equals'], scope);
              if (sv === undefined) continue;
              value = sv;
            }
            c = { name: `${stepName}: ${jp} == ${JSON.stringify(value)}`, kind: 'json_equals', path: jp, value };
          } else {
            if (o.exists !== undefined && o.exists !== true) {
              r.typeError([...p, 'exists'], o.exists, 'true');
              continue;
            }
            c = { name: `${stepName}: ${jp} exists`, kind: 'json_exists', path: jp };
          }
        } else if (kind === 'bodyContains') {
          const t = r.template(o.bodyContains, [...p, 'bodyContains'], scope);
          if (t !== undefined) c = { name: `${stepName}: body contains ${JSON.stringify(t)}`, kind: 'body_contains', text: t };
        } else {
          const ms = r.duration(o.maxDuration, [...p, 'maxDuration'], { positive: true });
          if (ms !== undefined) c = { name: `${stepName}: duration <= ${formatDuration(ms)}`, kind: 'max_duration', ms };
        }
        if (c) {
          if (named !== undefined) c.name = named;
          out.push(c);
        }
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- load

  private load(v: unknown): LoadModel | undefined {
    const r = this.r;
    const path: Seg[] = ['load'];
    if (v === undefined) return r.missing([], 'load', 'load: { users, spawnRate, duration } (closed model) or { rate, duration } (open model)');
    const o = r.object(v, path, LOAD_KEYS, 'a mapping: { users, duration } or { rate, duration }');
    if (!o) return undefined;
    const stages = Array.isArray(o.stages) ? o.stages : [];
    const closedKeys = ['users', 'spawnRate', 'iterations'].filter((k) => o[k] !== undefined);
    const openKeys = ['rate', 'arrivalRate', 'rampTo', 'startRate', 'maxInFlight', 'connections'].filter((k) => o[k] !== undefined);
    const stageClosed = stages.some((s) => isObj(s) && (s.users !== undefined || s.spawnRate !== undefined));
    const stageOpen = stages.some((s) => isObj(s) && (s.rate !== undefined || s.arrivalRate !== undefined || s.rampTo !== undefined));
    const closed = closedKeys.length > 0 || stageClosed;
    const open = openKeys.length > 0 || stageOpen;
    if (closed && open) {
      const k = openKeys[0] ?? 'stages';
      r.issue('E_CONFLICT', [...path, k], `the closed model (${closedKeys[0] ?? 'users'}) and the open model (${k}) cannot be mixed`, {
        at: 'key',
        expected: 'users/spawnRate/iterations (closed) or rate/arrivalRate/startRate/maxInFlight/connections (open)',
      });
      return undefined;
    }
    if (!closed && !open) return r.missing(path, 'users', 'users (closed model: virtual users) or rate (open model: iterations/s)');
    if (o.stages !== undefined && (o.duration !== undefined || o.users !== undefined || o.rate !== undefined || o.arrivalRate !== undefined || o.rampTo !== undefined)) {
      const k = ['duration', 'users', 'rate', 'arrivalRate', 'rampTo'].find((x) => o[x] !== undefined)!;
      r.issue('E_CONFLICT', [...path, k], `"${k}" and "stages" cannot be used together`, { at: 'key', expected: `stages, or ${k} without stages` });
      return undefined;
    }
    return closed ? this.closedLoad(o, path) : this.openLoad(o, path);
  }

  /** A load figure beyond what one machine can hold is an error at its position. */
  private ceiling(key: LoadCeilingKey, value: number | undefined, path: readonly Seg[]): void {
    if (value === undefined) return;
    const p = ceilingProblem(key, value, this.o.ceiling);
    if (p) this.r.issue('E_BAD_VALUE', path, p.problem, { expected: p.expected });
  }

  private closedLoad(o: Obj, path: Seg[]): LoadModel | undefined {
    const r = this.r;
    const spawnRate = o.spawnRate === undefined ? undefined : r.number(o.spawnRate, [...path, 'spawnRate'], { min: 0, minExclusive: true, what: 'users per second > 0' });
    const iterations = o.iterations === undefined ? undefined : r.number(o.iterations, [...path, 'iterations'], { integer: true, min: 1, what: 'an integer >= 1' });
    const stages: ClosedStage[] = [];
    let ok = true;
    if (o.stages !== undefined) {
      const list = r.list(o.stages, [...path, 'stages'], 'a list of stages like { users: 100, spawnRate: 10, duration: 5m }');
      if (!list) return undefined;
      if (list.length === 0) {
        r.issue('E_BAD_VALUE', [...path, 'stages'], 'no stages', { expected: 'at least one stage' });
        return undefined;
      }
      list.forEach((s, i) => {
        const p = [...path, 'stages', i];
        const so = r.object(s, p, CLOSED_STAGE_KEYS, 'a stage like { users: 100, spawnRate: 10, duration: 5m }');
        if (!so) return (ok = false);
        if (so.users === undefined) {
          r.missing(p, 'users', 'users: <virtual users at the end of the stage>');
          return (ok = false);
        }
        if (so.duration === undefined) {
          r.missing(p, 'duration', 'duration: <how long the stage lasts, e.g. 5m>');
          return (ok = false);
        }
        const users = r.number(so.users, [...p, 'users'], { integer: true, min: 0, what: 'an integer >= 0' });
        this.ceiling('users', users, [...p, 'users']);
        const durationMs = r.duration(so.duration, [...p, 'duration'], { positive: true });
        const sr = so.spawnRate === undefined ? spawnRate : r.number(so.spawnRate, [...p, 'spawnRate'], { min: 0, minExclusive: true, what: 'users per second > 0' });
        const name = so.name === undefined ? undefined : r.string(so.name, [...p, 'name'], { scalars: true });
        if (users === undefined || durationMs === undefined) return (ok = false);
        const st: ClosedStage = { durationMs, users };
        if (sr !== undefined) st.spawnRate = sr;
        if (name !== undefined) st.name = name;
        stages.push(st);
        return true;
      });
      if (stages.length > 0 && stages.every((s) => s.users === 0)) {
        r.issue('E_BAD_VALUE', [...path, 'stages'], 'every stage has 0 users', { expected: 'at least one stage with users > 0' });
        return undefined;
      }
    } else {
      const users = r.number(o.users, [...path, 'users'], { integer: true, min: 1, what: 'an integer >= 1' });
      this.ceiling('users', users, [...path, 'users']);
      let durationMs: number | undefined;
      if (o.duration !== undefined) durationMs = r.duration(o.duration, [...path, 'duration'], { positive: true });
      else if (o.iterations !== undefined) durationMs = DEFAULT_ITERATIONS_MAX_DURATION_MS;
      else return r.missing(path, 'duration', 'duration: <e.g. 5m>, or iterations: <count>');
      if (users === undefined || durationMs === undefined) return undefined;
      const st: ClosedStage = { durationMs, users };
      if (spawnRate !== undefined) st.spawnRate = spawnRate;
      stages.push(st);
    }
    if (!ok) return undefined;
    const model: LoadModel = { model: 'closed', stages };
    if (iterations !== undefined) model.iterations = iterations;
    return model;
  }

  private openLoad(o: Obj, path: Seg[]): LoadModel | undefined {
    const r = this.r;
    const rateOpts = { min: 0, what: 'iterations per second >= 0' };
    let startRate = o.startRate === undefined ? undefined : r.number(o.startRate, [...path, 'startRate'], rateOpts);
    this.ceiling('rate', startRate, [...path, 'startRate']);
    const stages: OpenStage[] = [];
    let ok = true;
    // Each stage: `rate` = k6 target (ramp from the previous rate); `arrivalRate` [+ `rampTo`] = Artillery phase (starts at arrivalRate).
    const addStage = (so: Obj, p: Seg[], first: boolean): boolean => {
      if (so.rate !== undefined && so.arrivalRate !== undefined) {
        r.issue('E_CONFLICT', [...p, 'arrivalRate'], '"rate" and "arrivalRate" cannot be used together', { at: 'key', expected: 'rate (ramp to it, k6 style) or arrivalRate [+ rampTo] (Artillery style)' });
        return false;
      }
      if (so.rampTo !== undefined && so.arrivalRate === undefined) {
        r.issue('E_CONFLICT', [...p, 'rampTo'], '"rampTo" goes with "arrivalRate"', { at: 'key', expected: 'arrivalRate: <start> with rampTo: <end>' });
        return false;
      }
      if (so.rate === undefined && so.arrivalRate === undefined) {
        r.missing(p, 'rate', 'rate: <iterations/s at the end of the stage> (or arrivalRate)');
        return false;
      }
      if (so.duration === undefined) {
        r.missing(p, 'duration', 'duration: <how long the stage lasts, e.g. 5m>');
        return false;
      }
      const durationMs = r.duration(so.duration, [...p, 'duration'], { positive: true });
      const name = so.name === undefined ? undefined : r.string(so.name, [...p, 'name'], { scalars: true });
      let end: number | undefined;
      if (so.rate !== undefined) {
        end = r.number(so.rate, [...p, 'rate'], rateOpts);
        this.ceiling('rate', end, [...p, 'rate']);
        if (first && startRate === undefined && end !== undefined && p.length === 1) startRate = end; // shorthand: constant rate
      } else {
        const from = r.number(so.arrivalRate, [...p, 'arrivalRate'], rateOpts);
        const to = so.rampTo === undefined ? from : r.number(so.rampTo, [...p, 'rampTo'], rateOpts);
        this.ceiling('rate', from, [...p, 'arrivalRate']);
        if (so.rampTo !== undefined) this.ceiling('rate', to, [...p, 'rampTo']);
        if (from === undefined || to === undefined) return false;
        const prev = stages.length ? stages[stages.length - 1].rate : startRate;
        if (prev === undefined) startRate = from;
        else if (prev !== from) stages.push({ durationMs: 0, rate: from }); // step change at the phase start
        end = to;
      }
      if (durationMs === undefined || end === undefined) return false;
      const st: OpenStage = { durationMs, rate: end };
      if (name !== undefined) st.name = name;
      stages.push(st);
      return true;
    };
    if (o.stages !== undefined) {
      const list = r.list(o.stages, [...path, 'stages'], 'a list of stages like { rate: 100, duration: 1m }');
      if (!list) return undefined;
      if (list.length === 0) {
        r.issue('E_BAD_VALUE', [...path, 'stages'], 'no stages', { expected: 'at least one stage' });
        return undefined;
      }
      list.forEach((s, i) => {
        const p = [...path, 'stages', i];
        const so = r.object(s, p, OPEN_STAGE_KEYS, 'a stage like { rate: 100, duration: 1m }');
        if (!so || !addStage(so, p, i === 0)) ok = false;
      });
    } else {
      const so: Obj = {};
      for (const k of ['rate', 'arrivalRate', 'rampTo', 'duration']) if (o[k] !== undefined) so[k] = o[k];
      if (!addStage(so, path, true)) ok = false;
    }
    if (!ok) return undefined;
    startRate ??= 0;
    const peak = Math.max(startRate, ...stages.map((s) => s.rate));
    if (peak <= 0) {
      r.issue('E_BAD_VALUE', path, 'the arrival rate is 0 throughout', { expected: 'a rate > 0 in at least one stage' });
      return undefined;
    }
    const maxInFlight = o.maxInFlight === undefined ? defaultMaxInFlight(peak) : r.number(o.maxInFlight, [...path, 'maxInFlight'], { integer: true, min: 1, what: 'an integer >= 1' });
    const connections = o.connections === undefined ? (maxInFlight === undefined ? undefined : defaultConnections(maxInFlight)) : r.number(o.connections, [...path, 'connections'], { integer: true, min: 1, what: 'an integer >= 1' });
    if (o.maxInFlight !== undefined) this.ceiling('maxInFlight', maxInFlight, [...path, 'maxInFlight']);
    if (o.connections !== undefined) this.ceiling('connections', connections, [...path, 'connections']);
    if (maxInFlight === undefined || connections === undefined) return undefined;
    return { model: 'open', startRate, stages, maxInFlight, connections };
  }

  private rateShortfall(v: unknown, load: LoadModel | undefined): Scenario['rateShortfall'] {
    const r = this.r;
    if (v === undefined) return undefined;
    const path: Seg[] = ['rateShortfall'];
    const o = r.object(v, path, SHORTFALL_KEYS, 'a mapping: { maxShortfall: 10%, grace: 30s }');
    if (!o) return undefined;
    if (load && load.model !== 'open') {
      r.issue('E_CONFLICT', path, 'rateShortfall needs the open model (a requested arrival rate)', { at: 'key', expected: 'load with rate/arrivalRate, or no rateShortfall' });
      return undefined;
    }
    if (o.maxShortfall === undefined) return r.missing(path, 'maxShortfall', 'maxShortfall: <e.g. 10%>');
    const maxShortfall = r.ratio(o.maxShortfall, [...path, 'maxShortfall']);
    const graceMs = o.grace === undefined ? DEFAULT_RATE_SHORTFALL_GRACE_MS : r.duration(o.grace, [...path, 'grace']);
    const abort = o.abort === undefined ? true : r.boolean(o.abort, [...path, 'abort']);
    if (maxShortfall === undefined || graceMs === undefined || abort === undefined) return undefined;
    return { maxShortfall, graceMs, abort };
  }

  // ---------------------------------------------------------------- thresholds, reporters, tags

  private thresholds(v: unknown, flows: Flow[]): ThresholdSpec[] {
    const r = this.r;
    const out: ThresholdSpec[] = [];
    if (v === undefined || v === null) return out;
    const requests = new Set(flows.flatMap((f) => f.steps.map((s) => s.name)));
    const flowNames = flows.map((f) => `flow:${f.name}`);
    const add = (item: unknown, p: Seg[], fixedScope: string | undefined, scopePath: Seg[] | undefined) => {
      let expression: string | undefined;
      let exprPath = p;
      let scope = fixedScope ?? 'total';
      let sPath = scopePath;
      let abortOnFail = false;
      let delayAbortEvalMs = 0;
      if (typeof item === 'string') expression = r.string(item, p);
      else {
        const o = r.object(item, p, fixedScope === undefined ? THRESHOLD_KEYS : THRESHOLD_MAP_ITEM_KEYS, 'an expression like "p(95) < 200ms" or { expression, scope, abortOnFail }');
        if (!o) return;
        if (o.expression === undefined) return r.missing(p, 'expression', 'expression: <e.g. "p(95) < 200ms">');
        exprPath = [...p, 'expression'];
        expression = r.string(o.expression, exprPath);
        if (o.scope !== undefined) {
          const sc = r.string(o.scope, [...p, 'scope'], { nonEmpty: true });
          if (sc === undefined) return;
          scope = sc;
          sPath = [...p, 'scope'];
        }
        if (o.abortOnFail !== undefined) {
          const b = r.boolean(o.abortOnFail, [...p, 'abortOnFail']);
          if (b === undefined) return;
          abortOnFail = b;
        }
        if (o.delayAbortEval !== undefined) {
          const d = r.duration(o.delayAbortEval, [...p, 'delayAbortEval']);
          if (d === undefined) return;
          delayAbortEvalMs = d;
        }
      }
      if (expression === undefined) return;
      // scope
      const kind = scopeKind(scope);
      const known = kind === 'total' || (kind === 'flow' ? flowNames.includes(scope) : requests.has(scope));
      if (!known) {
        const all = ['total', ...flowNames, ...requests];
        r.issue('E_UNKNOWN_REFERENCE', sPath ?? p, kind === 'flow' ? `no flow named "${scope.slice(5)}"` : `no request named "${scope}"`, {
          at: sPath && fixedScope !== undefined ? 'key' : 'value',
          expected: `"total", "flow:<name>" or a request name (${all.slice(1, 6).map((x) => `"${x}"`).join(', ')}${all.length > 6 ? ', ...' : ''})`,
          suggestion: suggest(scope, all),
        });
        return;
      }
      try {
        const t = parseThreshold(expression);
        const why = checkThresholdScope(t, kind);
        if (why) {
          r.issue('E_BAD_THRESHOLD', exprPath, `"${expression}" in scope "${scope}": ${why}`, { expected: 'a metric measured in this scope' });
          return;
        }
      } catch (e) {
        if (!(e instanceof ThresholdSyntaxError)) throw e;
        r.issue('E_BAD_THRESHOLD', exprPath, `"${expression}": ${e.message}`, { expected: e.expected, needle: expression.slice(e.offset) || undefined });
        return;
      }
      out.push({ expression: expression.trim(), scope, abortOnFail, delayAbortEvalMs });
    };
    if (isObj(v)) {
      for (const [scope, items] of Object.entries(v)) {
        const p: Seg[] = ['thresholds', scope];
        const list = Array.isArray(items) ? items : [items];
        list.forEach((item, i) => add(item, Array.isArray(items) ? [...p, i] : p, scope, p));
      }
    } else {
      const list = r.list(v, ['thresholds'], 'a list of expressions, or a mapping scope -> expressions');
      list?.forEach((item, i) => add(item, ['thresholds', i], undefined, undefined));
    }
    return out;
  }

  private reporters(v: unknown): ReporterConfig[] {
    const r = this.r;
    const out: ReporterConfig[] = [];
    if (v === undefined || v === null) return out;
    const list = r.list(v, ['reporters'], 'a list of reporters like { type: json, path: result.json }');
    list?.forEach((item, i) => {
      const p: Seg[] = ['reporters', i];
      const o = r.object(item, p, null, 'a reporter like { type: json, ... }');
      if (!o) return;
      if (o.type === undefined) return r.missing(p, 'type', 'type: <reporter name, e.g. json, junit, influxdb>');
      const type = r.string(o.type, [...p, 'type'], { nonEmpty: true, what: 'a reporter name' });
      const options: Record<string, unknown> = {};
      for (const [k, ov] of Object.entries(o)) if (k !== 'type') options[k] = this.envDeep(ov, [...p, k]);
      if (type !== undefined) out.push({ type: type.trim(), options });
    });
    return out;
  }

  /** Env substitution in every string of a passed-through value (reporter options). */
  private envDeep(v: unknown, path: Seg[]): unknown {
    if (typeof v === 'string') {
      try {
        return substituteEnv(v, this.o.env, 'template').value;
      } catch (e) {
        if (e instanceof EnvMissingError) this.r.issue('E_ENV', path, e.message, { expected: `it to be set, or a default: \${env.${e.variable} ?? 'value'}` });
        else if (!(e instanceof TemplateError)) throw e;
        return v;
      }
    }
    if (Array.isArray(v)) return v.map((x, i) => this.envDeep(x, [...path, i]));
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.envDeep(x, [...path, k])]));
    return v;
  }

  /** `secrets: { headers: [x-my-token], query: [session] }`: more names whose values are redacted. */
  private secrets(v: unknown): Scenario['secrets'] {
    if (v === undefined || v === null) return undefined;
    const o = this.r.object(v, ['secrets'], SECRETS_KEYS, 'a mapping { headers: [names], query: [names] }');
    if (!o) return undefined;
    const names = (key: (typeof SECRETS_KEYS)[number]): string[] => {
      if (o[key] === undefined) return [];
      const list = this.r.list(o[key], ['secrets', key], 'a list of names', true) ?? [];
      const out: string[] = [];
      list.forEach((n, i) => {
        const s = this.r.string(n, ['secrets', key, i], { nonEmpty: true, what: key === 'headers' ? 'a header name' : 'a query parameter name' });
        if (s === undefined) return;
        if (key === 'headers' && !HEADER_NAME.test(s)) this.r.issue('E_BAD_VALUE', ['secrets', key, i], `"${s}" is not a header name`, { expected: 'a header name like x-my-token' });
        else out.push(key === 'headers' ? s.toLowerCase() : s);
      });
      return out;
    };
    return { headers: names('headers'), query: names('query') };
  }

  private tags(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (v === undefined || v === null) return out;
    const o = this.r.object(v, ['tags'], null, 'a mapping of tag names to values');
    if (!o) return out;
    for (const [k, tv] of Object.entries(o)) {
      const s = this.r.string(tv, ['tags', k], { scalars: true, what: 'a string or number' });
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
}
