/**
 * Validating a result against the published JSON Schema (packages/core/schema/result.schema.json,
 * generated from result-schema.ts) with ajv, and saying what is wrong by JSON path:
 * `timeline[3].total.count: expected a number, got "x"`. ajv and the schema are loaded on
 * first use, so that commands which never read a result file do not pay for them at start.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';

/** Where the published schema file is, from src/metrics or dist/metrics. */
export const RESULT_SCHEMA_URL = new URL('../../schema/result.schema.json', import.meta.url);

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  if (compiled === null) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    const schema = JSON.parse(readFileSync(RESULT_SCHEMA_URL, 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return compiled;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeOf(v);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** A JSON Pointer into `root` as a readable path (array items as [i], odd keys quoted), and the value there. */
function locate(root: unknown, pointer: string): { path: string; value: unknown } {
  let path = '';
  let value = root;
  if (pointer === '') return { path, value };
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path = join(path, Number(token));
      value = value[Number(token)];
    } else {
      path = join(path, token);
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[token] : undefined;
    }
  }
  return { path, value };
}

function problem(root: unknown, e: ErrorObject): string | null {
  const { path, value } = locate(root, e.instancePath);
  const where = path || '(top level)';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${join(path, String(p.missingProperty))}: missing`;
    case 'type':
      return `${where}: expected ${p.type === 'array' || p.type === 'object' || p.type === 'integer' ? `an ${p.type}` : `a ${String(p.type)}`}, got ${describe(value)}`;
    case 'const':
      return `${where}: expected ${JSON.stringify(p.allowedValue)}, got ${describe(value)}`;
    case 'anyOf':
      return null; // its branches' own errors say more
    case 'minimum':
    case 'maximum':
      return `${where}: must be ${e.keyword === 'minimum' ? '≥' : '≤'} ${String(p.limit)}, got ${describe(value)}`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}

/** Problems of `value` as a result file (empty when it is one), by JSON path. */
export function resultProblems(value: unknown): string[] {
  const validate = validator();
  if (validate(value)) return [];
  const out: string[] = [];
  // Union branches (e.g. endReason) report each literal: fold them into one "expected one of".
  const unions = new Map<string, unknown[]>();
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'const') {
      const list = unions.get(e.instancePath) ?? [];
      list.push((e.params as { allowedValue: unknown }).allowedValue);
      unions.set(e.instancePath, list);
      continue;
    }
    const p = problem(value, e);
    if (p !== null && !out.includes(p)) out.push(p);
  }
  for (const [pointer, allowed] of unions) {
    const { path, value: v } = locate(value, pointer);
    out.push(`${path || '(top level)'}: expected one of ${allowed.map(String).join(', ')}, got ${describe(v)}`);
  }
  return out;
}
