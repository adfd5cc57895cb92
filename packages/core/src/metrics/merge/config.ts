/**
 * Are two results' configs the same scenario? Compared as data (key order does not
 * matter), ignoring where the scenario file was read from (`file`: shards on different
 * machines load it from different paths).
 */

const IGNORED = new Set(['file']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first path at which `a` and `b` differ (e.g. `load.stages[0].users`), or null when they are the same. */
export function configDifference(a: unknown, b: unknown, path = ''): string | null {
  const here = path || '(top level)';
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return here;
    if (a.length !== b.length) return `${here} (length ${a.length} vs ${b.length})`;
    for (let i = 0; i < a.length; i++) {
      const d = configDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b)) return here;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !(path === '' && IGNORED.has(k))).sort();
    for (const k of keys) {
      const d = configDifference(a[k], b[k], path ? `${path}.${k}` : k);
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(a, b) || (a === undefined && b === undefined) ? null : here;
}
