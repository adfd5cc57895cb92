/** A step's `capture` and `check` items -> Capture[] and Check[] (with default names). */
import { formatDuration } from '../duration.js';
import { JsonPathError, parseJsonPath } from '../jsonpath.js';
import type { Capture, Check } from '../model.js';
import type { Seg } from '../parse.js';
import { Check as CheckSchema } from '../schema/step.js';
import type { CaptureInput, CheckInput } from '../schema/step.js';
import type { Context } from './context.js';
import type { RefScope } from './refs.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const RESERVED = ['vars', 'env', 'data'];

/** Items of a one-or-many key, with their paths (a single item has the key's path). */
export function items<T>(v: T | T[] | undefined, path: readonly Seg[]): Array<[T, Seg[]]> {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map((x, i) => [x, [...path, i]]) : [[v, [...path]]];
}

/** The names a capture list makes, read loosely (for the reference index, before validation). */
export function captureNames(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.flatMap((c) => (typeof c === 'object' && c !== null && typeof (c as { as?: unknown }).as === 'string' ? [(c as { as: string }).as] : []));
}

function jsonPath(c: Context, jp: string, path: Seg[], expected: string): boolean {
  try {
    parseJsonPath(jp);
    return true;
  } catch (e) {
    if (!(e instanceof JsonPathError)) throw e;
    c.issue('E_BAD_VALUE', path, e.message, { expected });
    return false;
  }
}

export function normalizeCaptures(c: Context, v: CaptureInput | CaptureInput[] | undefined, path: Seg[]): Capture[] {
  const out: Capture[] = [];
  for (const [item, p] of items(v, path)) {
    c.tick();
    if (!c.ok(p)) continue;
    const o = item as { as: string; json?: string; header?: string; status?: true };
    const as = c.text(o.as, [...p, 'as']);
    if (as !== undefined && (!NAME.test(as) || RESERVED.includes(as))) {
      c.issue('E_BAD_VALUE', [...p, 'as'], `"${as}" cannot be a capture name`, { expected: 'a name of letters, digits and _' });
      continue;
    }
    const from = (['json', 'header', 'status'] as const).filter((k) => o[k] !== undefined);
    if (from.length === 0) {
      c.issues.missingKey(p, 'json', 'one of json: <path>, header: <name>, status: true');
      continue;
    }
    if (from.length > 1) {
      c.issue('E_CONFLICT', [...p, from[1]], `"${from[0]}" and "${from[1]}" cannot be used together`, { at: 'key', expected: 'one source per capture' });
      continue;
    }
    if (as === undefined) continue;
    if (from[0] === 'json') {
      const jp = c.text(o.json, [...p, 'json']);
      if (jp !== undefined && jsonPath(c, jp, [...p, 'json'], 'a JSON path like $.items[0].id, items.0.id or $["odd key"]')) out.push({ as, from: 'json', path: jp });
    } else if (from[0] === 'header') {
      const h = c.text(o.header, [...p, 'header'], { nonEmpty: true, expected: 'a header name' });
      if (h !== undefined) out.push({ as, from: 'header', header: h });
    } else out.push({ as, from: 'status' });
  }
  return out;
}

const KINDS = ['status', 'json', 'bodyContains', 'maxDuration'] as const;

export function normalizeChecks(c: Context, v: CheckInput | CheckInput[] | undefined, path: Seg[], stepName: string, scope: RefScope): Check[] {
  const out: Check[] = [];
  for (const [o, p] of items(v, path)) {
    c.tick();
    if (!c.ok(p)) continue;
    const kinds = KINDS.filter((k) => o[k] !== undefined);
    if (kinds.length === 0) {
      c.issues.missingKey(p, 'status', 'one of status, json, bodyContains, maxDuration');
      continue;
    }
    if (o.name !== undefined && kinds.length > 1) {
      c.issue('E_CONFLICT', [...p, 'name'], 'a named check tests one thing', { at: 'key', expected: `one of ${kinds.join(', ')} with "name"` });
      continue;
    }
    if ((o.equals !== undefined || o.exists !== undefined) && o.json === undefined) {
      const k = o.equals !== undefined ? 'equals' : 'exists';
      c.issue('E_CONFLICT', [...p, k], `"${k}" goes with "json"`, { at: 'key', expected: 'json: <path> with equals or exists' });
      continue;
    }
    const named = o.name === undefined ? undefined : c.text(o.name, [...p, 'name'], { nonEmpty: true });
    for (const kind of kinds) {
      const check = one(c, o, p, kind, stepName, scope);
      if (check) {
        if (named !== undefined) check.name = named;
        out.push(check);
      }
    }
  }
  return out;
}

function one(c: Context, o: CheckInput, p: Seg[], kind: (typeof KINDS)[number], stepName: string, scope: RefScope): Check | undefined {
  if (kind === 'status') {
    const codes = Array.isArray(o.status) ? o.status : [o.status as number];
    return { name: `${stepName}: status ${codes.join('|')}`, kind: 'status', in: codes };
  }
  if (kind === 'json') {
    const jp = c.text(o.json, [...p, 'json']);
    if (jp === undefined || !jsonPath(c, jp, [...p, 'json'], 'a JSON path like $.items[0].id')) return undefined;
    if (o.equals !== undefined && o.exists !== undefined) return c.issue('E_CONFLICT', [...p, 'exists'], '"equals" and "exists" cannot be used together', { at: 'key', expected: 'one of them' });
    if (o.equals === undefined) return { name: `${stepName}: ${jp} exists`, kind: 'json_exists', path: jp };
    const value = typeof o.equals === 'string' ? c.template(o.equals, [...p, 'equals'], scope) : o.equals;
    return value === undefined ? undefined : { name: `${stepName}: ${jp} == ${JSON.stringify(value)}`, kind: 'json_equals', path: jp, value };
  }
  if (kind === 'bodyContains') {
    const t = c.template(o.bodyContains, [...p, 'bodyContains'], scope);
    return t === undefined ? undefined : { name: `${stepName}: body contains ${JSON.stringify(t)}`, kind: 'body_contains', text: t };
  }
  const ms = c.ms(o.maxDuration, [...p, 'maxDuration'], CheckSchema.properties.maxDuration);
  return ms === undefined ? undefined : { name: `${stepName}: duration <= ${formatDuration(ms)}`, kind: 'max_duration', ms };
}
