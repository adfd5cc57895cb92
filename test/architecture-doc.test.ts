/**
 * docs/architecture.md describes the layers that .dependency-cruiser.cjs enforces: the
 * folder table must name the same folders with the same allowed imports.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Rule {
  name: string;
  from: { path?: string | string[] };
  to: { path?: string | string[]; pathNot?: string | string[] };
}

const root = new URL('../', import.meta.url);
const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as { forbidden: Rule[] };
const doc = readFileSync(new URL('docs/architecture.md', root), 'utf8');

/** folder -> folders it may import, from the layer rules' `from` and `to.pathNot`. */
function layersFromConfig(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of config.forbidden) {
    const m = typeof r.from.path === 'string' ? /^\^packages\/core\/src\/([a-z-]+)\/$/.exec(r.from.path) : null;
    if (!m) continue;
    const not = ([] as string[]).concat(r.to.pathNot ?? []);
    const allowed = not.map((p) => /^\^packages\/core\/src\/([a-z-]+)\/$/.exec(p)?.[1]).filter((f): f is string => f !== undefined && f !== m[1]);
    out.set(m[1], allowed.sort());
  }
  return out;
}

/** folder -> folders it may import, from the doc's table rows "| `folder/` | owns | may import |". */
function layersFromDoc(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([a-z-]+)\/` \| .* \| (.*) \|$/.exec(line);
    if (!m) continue;
    const allowed = m[2].startsWith('every folder') || m[2].startsWith('nothing') ? [] : [...m[2].matchAll(/`([a-z-]+)`/g)].map((x) => x[1]);
    out.set(m[1], allowed.sort());
  }
  return out;
}

describe('docs/architecture.md', () => {
  it('lists every layer of .dependency-cruiser.cjs with the same allowed imports', () => {
    const fromConfig = layersFromConfig();
    const fromDoc = layersFromDoc();
    expect([...fromDoc.keys()].sort()).toEqual([...fromConfig.keys()].sort());
    for (const [folder, allowed] of fromDoc) {
      if (folder === 'run') continue; // "every folder above"
      expect({ folder, allowed }).toEqual({ folder, allowed: fromConfig.get(folder) });
    }
  });

  it('links only to files inside the repository', () => {
    for (const m of doc.matchAll(/\]\(([^)#]+)\)/g)) {
      if (/^https?:/.test(m[1])) continue;
      expect(() => readFileSync(new URL(`docs/${m[1]}`, root)), m[1]).not.toThrow();
    }
  });
});
