/** The scenario's top-level sections: target, variables, data, reporters, tags. */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { columnsOf, DataFileError, normalizeRows, readDataFile } from '../data.js';
import type { DataSource, ReporterConfig, Scenario, Variable } from '../model.js';
import type { Seg } from '../parse.js';
import type { ScenarioInput } from '../schema/scenario.js';
import { isObj } from '../values.js';
import { items, RESERVED } from './checks.js';
import type { Context } from './context.js';
import { HEADER_NAME } from './step.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function normalizeTarget(c: Context, v: string | undefined): string | undefined {
  const path: Seg[] = ['target'];
  if (v === undefined || !c.ok(path)) return undefined;
  const t = c.text(v, path);
  if (t === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return c.issue('E_BAD_VALUE', path, `"${t}" is not a URL`, { expected: 'an http:// or https:// URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return c.issue('E_BAD_VALUE', path, `unsupported protocol "${url.protocol}"`, { expected: 'an http:// or https:// URL' });
  if (url.search || url.hash) return c.issue('E_BAD_VALUE', path, 'the target has a query or fragment', { expected: 'a base URL (scheme, host, port and optional base path)' });
  return t.replace(/\/+$/, '');
}

export function normalizeVariables(c: Context, v: ScenarioInput['variables']): Record<string, Variable> {
  const out: Record<string, Variable> = {};
  if (!v) return out;
  for (const [k, raw] of Object.entries(v)) {
    c.tick();
    const path: Seg[] = ['variables', k];
    if (!NAME.test(k) || RESERVED.includes(k)) {
      c.issue('E_BAD_VALUE', path, `"${k}" cannot be a variable name`, { at: 'key', expected: `a name of letters, digits and _ (not ${RESERVED.join(', ')})` });
      continue;
    }
    if (!c.ok(path)) continue;
    if (isObj(raw)) {
      const value = c.text(raw.value, [...path, 'value']);
      const secret = raw.secret === undefined ? false : c.bool(raw.secret, [...path, 'secret']);
      if (value !== undefined && secret !== undefined) out[k] = { value, secret };
    } else {
      const value = c.text(raw, path);
      if (value !== undefined) out[k] = { value, secret: false };
    }
  }
  return out;
}

/** Data sources with their rows read (files relative to `baseDir`). */
export function normalizeData(c: Context, v: ScenarioInput['data']): Record<string, DataSource> {
  const out: Record<string, DataSource> = {};
  if (!v) return out;
  for (const [k, raw] of Object.entries(v)) {
    c.tick();
    const path: Seg[] = ['data', k];
    if (!NAME.test(k)) {
      c.issue('E_BAD_VALUE', path, `"${k}" cannot be a data source name`, { at: 'key', expected: 'a name of letters, digits and _' });
      continue;
    }
    if (!c.ok(path)) continue;
    const o = typeof raw === 'string' ? { file: raw } : raw;
    const filePath = typeof raw === 'string' ? path : [...path, 'file'];
    if (o.file !== undefined && o.rows !== undefined) {
      c.issue('E_CONFLICT', [...path, 'rows'], '"file" and "rows" cannot be used together', { at: 'key', expected: 'one of them' });
      continue;
    }
    if (o.file === undefined && o.rows === undefined) {
      c.issues.missingKey(path, 'file', 'file: <path to a .csv or .json file>');
      continue;
    }
    const file = o.file === undefined ? undefined : c.text(o.file, filePath, { nonEmpty: true });
    if (o.file !== undefined && file === undefined) continue;
    let rows: Record<string, string>[] | undefined;
    try {
      if (file !== undefined) rows = readDataFile(isAbsolute(file) ? file : resolve(c.o.baseDir, file));
      else {
        rows = normalizeRows(o.rows);
        if (rows.length === 0) throw new DataFileError('rows is empty');
      }
    } catch (e) {
      if (!(e instanceof DataFileError)) throw e;
      c.issue('E_DATA_FILE', file !== undefined ? filePath : [...path, 'rows'], e.message, {
        expected: file !== undefined ? 'a CSV file with a header row or a JSON array of objects' : 'a non-empty list of objects',
      });
    }
    if (rows) out[k] = { file: file ?? '(inline)', order: o.order ?? 'sequential', rows };
  }
  return out;
}

/** Data source -> its columns; a source whose rows could not be read has no known columns. */
export function dataColumns(v: ScenarioInput['data'], data: Record<string, DataSource>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const k of Object.keys(v ?? {})) if (NAME.test(k)) out.set(k, data[k] ? columnsOf(data[k].rows) : new Set());
  return out;
}

export function normalizeReporters(c: Context, v: ScenarioInput['reporters']): ReporterConfig[] {
  const out: ReporterConfig[] = [];
  (v ?? []).forEach((item, i) => {
    c.tick();
    const p: Seg[] = ['reporters', i];
    if (!c.ok(p)) return;
    const type = c.text(item.type, [...p, 'type'], { nonEmpty: true, expected: 'a reporter name' });
    const options: Record<string, unknown> = {};
    for (const [k, ov] of Object.entries(item)) if (k !== 'type') options[k] = c.envDeep(ov, [...p, k]);
    if (type !== undefined) out.push({ type: type.trim(), options });
  });
  return out;
}

/** `secrets: { headers: [x-my-token], query: [session] }`: more names whose values are redacted. */
export function normalizeSecrets(c: Context, v: ScenarioInput['secrets']): Scenario['secrets'] {
  if (v === undefined || v === null || !c.ok(['secrets'])) return undefined;
  const names = (key: 'headers' | 'query'): string[] => {
    const out: string[] = [];
    for (const [n, p] of items(v[key], ['secrets', key])) {
      c.tick();
      const s = c.text(n, p, { nonEmpty: true, expected: key === 'headers' ? 'a header name' : 'a query parameter name' });
      if (s === undefined) continue;
      if (key === 'headers' && !HEADER_NAME.test(s)) c.issue('E_BAD_VALUE', p, `"${s}" is not a header name`, { expected: 'a header name like x-my-token' });
      else out.push(key === 'headers' ? s.toLowerCase() : s);
    }
    return out;
  };
  return { headers: names('headers'), query: names('query') };
}

/** `tags` of the scenario (`base` []) or of one of its loads (`['loads', i]`). */
export function normalizeTags(c: Context, v: ScenarioInput['tags'], base: readonly Seg[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, tv] of Object.entries(v ?? {})) {
    c.tick();
    const p = [...base, 'tags', k];
    const s = c.ok(p) ? c.text(tv, p) : undefined;
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** `hooks: ./hooks.mjs`: a JavaScript module resolved against the scenario's folder (docs/hooks.md); stored absolute. */
export function normalizeHooks(c: Context, v: string | undefined): string | undefined {
  const path: Seg[] = ['hooks'];
  if (v === undefined || !c.ok(path)) return undefined;
  const file = c.text(v, path, { nonEmpty: true });
  if (file === undefined) return undefined;
  if (/^file:/i.test(file)) return file;
  const abs = isAbsolute(file) ? file : resolve(c.o.baseDir, file);
  let isFile = false;
  try {
    isFile = statSync(abs).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) return c.issue('E_FILE', path, `hooks module "${file}" not found (looked for ${abs})`, { expected: 'the path of a JavaScript module, relative to the scenario file' });
  return abs;
}
