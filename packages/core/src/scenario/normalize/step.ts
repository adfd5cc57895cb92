/** One step -> Step: method and path, name, query, headers, body, captures, checks, think, timeout. */
import type { HttpMethod, Step, StepBody, TemplateValue } from '../model.js';
import { redactUrlSecrets } from '../redact.js';
import type { Seg } from '../parse.js';
import { METHODS, type RequestLine } from '../schema/primitives.js';
import { Step as StepSchema, type StepInput } from '../schema/step.js';
import { isObj } from '../values.js';
import { normalizeCaptures, normalizeChecks } from './checks.js';
import type { Context } from './context.js';
import { defaultStepName } from './defaults.js';
import type { RefScope } from './refs.js';

/** Header names (RFC 9110 tokens). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const METHOD_KEYS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/** A mapping of templates (headers, query, form); header names are checked when `headerNames`. */
export function templates(c: Context, v: Record<string, unknown> | null | undefined, path: Seg[], scope: RefScope, headerNames = false): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === undefined || v === null || !c.ok(path)) return out;
  for (const [k, raw] of Object.entries(v)) {
    c.tick();
    if (headerNames && !HEADER_NAME.test(k)) {
      c.issue('E_BAD_VALUE', [...path, k], `"${k}" is not a valid header name`, { at: 'key', expected: 'a header name like x-request-id' });
      continue;
    }
    const t = c.template(raw, [...path, k], scope);
    if (t !== undefined) out[k] = t;
  }
  return out;
}

export function normalizeStep(c: Context, v: StepInput | RequestLine, path: Seg[], scope: RefScope): Step | undefined {
  if (typeof v === 'string') {
    if (!c.ok(path)) return undefined;
    const s = c.template(v, path, null);
    const m = s === undefined ? null : /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(s);
    if (!m || !METHODS.includes(m[1].toUpperCase() as HttpMethod)) {
      return s === undefined ? undefined : c.issue('E_BAD_VALUE', path, `"${s}" is not a request`, { expected: '"METHOD /path" or { get: /path, ... }' });
    }
    return normalizeStep(c, { method: m[1] as HttpMethod, path: m[2] }, path, scope);
  }
  if (!isObj(v)) return undefined;
  const request = methodAndPath(c, v, path, scope);
  let name: string | undefined;
  if (v.name !== undefined) name = c.ok([...path, 'name']) ? c.text(v.name, [...path, 'name'], { nonEmpty: true }) : undefined;
  else if (request) name = defaultStepName(request.method, request.path);
  // The request name is the metric key every output shows: no credentials in it.
  if (name !== undefined) name = redactUrlSecrets(name, c.secretQuery);
  const query = templates(c, v.query, [...path, 'query'], scope);
  const headers = templates(c, v.headers, [...path, 'headers'], scope, true);
  const body = normalizeBody(c, v, path, scope);
  const captures = c.ok([...path, 'capture']) || Array.isArray(v.capture) ? normalizeCaptures(c, v.capture, [...path, 'capture']) : [];
  const checks = name !== undefined && (c.ok([...path, 'check']) || Array.isArray(v.check)) ? normalizeChecks(c, v.check, [...path, 'check'], name, scope) : [];
  const think = v.think === undefined || !c.ok([...path, 'think']) ? undefined : c.range(v.think, [...path, 'think']);
  const timeoutMs = v.timeout === undefined || !c.ok([...path, 'timeout']) ? undefined : c.ms(v.timeout, [...path, 'timeout'], StepSchema.properties.timeout);

  if (!request || name === undefined) return undefined;
  const step: Step = { name, method: request.method, path: request.path, query, headers, captures, checks };
  if (body) step.body = body;
  if (think) step.think = think;
  if (timeoutMs !== undefined) step.timeoutMs = timeoutMs;
  return step;
}

function methodAndPath(c: Context, o: StepInput, path: Seg[], scope: RefScope): { method: HttpMethod; path: string } | undefined {
  const methodKeys = METHOD_KEYS.filter((k) => o[k] !== undefined);
  if (methodKeys.length > 1 || (methodKeys.length === 1 && (o.method !== undefined || o.path !== undefined))) {
    const second = methodKeys.length > 1 ? methodKeys[1] : o.method !== undefined ? 'method' : 'path';
    return c.issue('E_CONFLICT', [...path, second], `"${methodKeys[0]}" and "${second}" cannot be used together`, { at: 'key', expected: 'one request per step: get: /path, or method and path' });
  }
  let method: HttpMethod;
  let key: Seg[];
  let raw: unknown;
  if (methodKeys.length === 1) {
    method = methodKeys[0].toUpperCase() as HttpMethod;
    key = [...path, methodKeys[0]];
    raw = o[methodKeys[0]];
  } else {
    if (o.method === undefined) return c.issues.missingKey(path, o.path === undefined ? 'get' : 'method', 'a request: get: /path (or post/put/patch/delete/head/options), or method and path');
    if (!c.ok([...path, 'method'])) return undefined;
    if (o.path === undefined) return c.issues.missingKey(path, 'path', 'path: /some/path');
    method = o.method.toUpperCase() as HttpMethod;
    key = [...path, 'path'];
    raw = o.path;
  }
  if (!c.ok(key)) return undefined;
  const urlPath = c.template(raw, key, scope);
  if (urlPath === undefined) return undefined;
  const abs = /^https?:\/\//i.test(urlPath);
  if (!abs && !urlPath.startsWith('/')) {
    return c.issue('E_BAD_VALUE', key, `"${urlPath}" does not start with "/"`, { expected: 'a path like /users/${id} or an absolute http(s):// URL' });
  }
  if (abs && /^https?:\/\/[^/?#]*/i.exec(urlPath)![0].includes('${')) {
    return c.issue('E_BAD_VALUE', key, 'the scheme and host of an absolute URL cannot be templated', { expected: 'a constant origin like https://api.example.com' });
  }
  return { method, path: urlPath };
}

function normalizeBody(c: Context, o: StepInput, path: Seg[], scope: RefScope): StepBody | undefined {
  const kinds = (['json', 'form', 'body'] as const).filter((k) => o[k] !== undefined);
  if (kinds.length > 1) return c.issue('E_CONFLICT', [...path, kinds[1]], `"${kinds[0]}" and "${kinds[1]}" cannot be used together`, { at: 'key', expected: 'one body per request' });
  if (o.contentType !== undefined && kinds[0] !== 'body') {
    c.issue('E_CONFLICT', [...path, 'contentType'], '"contentType" goes with a raw "body"', { at: 'key', expected: 'body: <text> with contentType, or a content-type header' });
  }
  if (kinds.length === 0 || !c.ok([...path, kinds[0]])) return undefined;
  if (kinds[0] === 'json') {
    const value = jsonValue(c, o.json, [...path, 'json'], scope);
    return value === undefined ? undefined : { kind: 'json', value };
  }
  if (kinds[0] === 'form') return { kind: 'form', value: templates(c, o.form, [...path, 'form'], scope) };
  const value = c.template(o.body, [...path, 'body'], scope);
  if (value === undefined) return undefined;
  const b: StepBody = { kind: 'raw', value };
  if (o.contentType !== undefined && c.ok([...path, 'contentType'])) {
    const ct = c.text(o.contentType, [...path, 'contentType'], { nonEmpty: true });
    if (ct !== undefined) b.contentType = ct;
  }
  return b;
}

/** A JSON body: every string is a template. */
function jsonValue(c: Context, v: unknown, path: Seg[], scope: RefScope): TemplateValue | undefined {
  c.tick();
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return c.template(v, path, scope);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) {
    const out: TemplateValue[] = [];
    v.forEach((x, i) => {
      const t = jsonValue(c, x, [...path, i], scope);
      if (t !== undefined) out.push(t);
    });
    return out;
  }
  if (isObj(v)) {
    const out: Record<string, TemplateValue> = {};
    for (const [k, x] of Object.entries(v)) {
      const t = jsonValue(c, x, [...path, k], scope);
      if (t !== undefined) out[k] = t;
    }
    return out;
  }
  return c.issue('E_TYPE', path, `got ${typeof v}`, { expected: 'a JSON value' });
}
