/**
 * A small, safe subset of JSONPath for captures and checks:
 *
 *   path    := [ "$" ] segment*            "$" alone is the whole document
 *   segment := "." key | key (first) | "[" index "]" | "['" text "']" | '["' text '"]'
 *   key     := [^.[\]]+                    a digit-only key also indexes arrays: items.0.id
 *   index   := -?digits                     negative counts from the end
 *
 * Examples: `$.items[0].id`, `items.0.id`, `id`, `$['weird key'].x`, `$.list[-1]`.
 * No filters, wildcards or recursion.
 */

import { LoadctlError } from '../errors.js';

export type PathSegment = string | number;

export class JsonPathError extends LoadctlError {
  declare readonly code: 'E_BAD_JSON_PATH';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super('E_BAD_JSON_PATH', message, 2, 'a path like $.items[0].id or items.0.id');
    this.name = 'JsonPathError';
  }
}

/** Parse a path into segments. Throws JsonPathError. */
export function parseJsonPath(path: string): PathSegment[] {
  const segs: PathSegment[] = [];
  let i = 0;
  const s = path.trim();
  if (s === '') throw new JsonPathError('empty path', 0);
  if (s[0] === '$') i = 1;
  let first = i === 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '[') {
      const close = s[i + 1] === "'" || s[i + 1] === '"' ? s.indexOf(s[i + 1] + ']', i + 2) : s.indexOf(']', i);
      if (close === -1) throw new JsonPathError(`unclosed "[" in "${path}"`, i);
      if (s[i + 1] === "'" || s[i + 1] === '"') {
        segs.push(s.slice(i + 2, close));
        i = close + 2;
      } else {
        const idx = s.slice(i + 1, close).trim();
        if (!/^-?\d+$/.test(idx)) throw new JsonPathError(`"[${idx}]" in "${path}" is not an index`, i);
        segs.push(Number(idx));
        i = close + 1;
      }
    } else {
      if (c === '.') i++;
      else if (!first) throw new JsonPathError(`unexpected "${c}" in "${path}"`, i);
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      const key = s.slice(i, j);
      if (key === '') throw new JsonPathError(`empty key in "${path}"`, i);
      segs.push(key);
      i = j;
    }
    first = false;
  }
  return segs;
}

/** The value at `segs` in `doc`, or undefined. */
export function getPath(doc: unknown, segs: readonly PathSegment[]): unknown {
  let v = doc;
  for (const seg of segs) {
    if (v === null || typeof v !== 'object') return undefined;
    if (Array.isArray(v)) {
      const n = typeof seg === 'number' ? seg : /^-?\d+$/.test(seg) ? Number(seg) : NaN;
      if (Number.isNaN(n)) return undefined;
      v = v[n < 0 ? v.length + n : n];
    } else {
      const key = String(seg);
      v = Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
    }
  }
  return v;
}

/** Compile a path once into a getter. */
export function compileJsonPath(path: string): (doc: unknown) => unknown {
  const segs = parseJsonPath(path);
  return (doc) => getPath(doc, segs);
}
