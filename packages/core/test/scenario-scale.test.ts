/**
 * Validation scales linearly with the document. Work is counted, not timed: every read
 * of the document (through a counting proxy: the schema check and the normaliser alike)
 * plus the normaliser's own units of work (names indexed and looked up, nodes visited).
 * A 5 MB scenario must cost about 5 times a 1 MB one; the quadratic reference scan this
 * replaced cost 25 times as much. Times are in bench/validate, not here.
 */
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { bigScenario } from '../../../bench/validate/big-scenario.js';
import { ScenarioError } from '../src/scenario/errors.js';
import { parseScenario } from '../src/scenario/load.js';
import { normalizeScenario } from '../src/scenario/normalize/scenario.js';
import { noSource } from '../src/scenario/parse.js';

/** `v` seen through proxies that count every property read and key listing into `meter`. */
function counted<T>(v: T, meter: { work: number }, seen = new WeakMap<object, unknown>()): T {
  if (typeof v !== 'object' || v === null) return v;
  const known = seen.get(v);
  if (known) return known as T;
  const p = new Proxy(v, {
    get(t, k, r) {
      meter.work++;
      return counted(Reflect.get(t, k, r), meter, seen);
    },
    ownKeys(t) {
      meter.work++;
      return Reflect.ownKeys(t);
    },
    has(t, k) {
      meter.work++;
      return Reflect.has(t, k);
    },
  });
  seen.set(v, p);
  return p;
}

function work(doc: unknown): number {
  const meter = { work: 0 };
  const s = normalizeScenario(counted(doc, meter), { source: noSource(), env: {}, baseDir: process.cwd(), meter });
  expect(s.flows!.length).toBe(4);
  return meter.work;
}

describe('validation at scale', () => {
  it('a 5 MB scenario costs 5 times a 1 MB one (linear), not 25 times', () => {
    const small = bigScenario(1e6);
    const large = bigScenario(5e6);
    const steps = (d: typeof small) => d.doc.flows.reduce((n, f) => n + f.steps.length, 0);
    expect(large.bytes).toBeGreaterThan(4.9e6);
    expect(steps(large)).toBeGreaterThan(15_000);
    const size = large.bytes / small.bytes;
    const ratio = work(large.doc) / work(small.doc);
    expect(ratio / size).toBeGreaterThan(0.9);
    expect(ratio / size).toBeLessThan(1.1);
  });

  it('an error at the end of a large file is found, at its exact line and column', () => {
    const { doc } = bigScenario(3e5);
    const last = doc.flows[3].steps;
    last[last.length - 1].get = '/x/${idd0}';
    delete last[last.length - 1].post;
    const text = stringify(doc, { lineWidth: 0 });
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('${idd0}')) + 1;
    const column = lines[line - 1].indexOf('${idd0}') + 1;
    try {
      parseScenario(text, { file: 'big.yml', env: {} });
      expect.unreachable('a broken reference validated');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      const issues = (e as ScenarioError).issues;
      expect(issues.map((i) => [i.code, i.line, i.column, i.path])).toEqual([['E_UNKNOWN_REFERENCE', line, column, `flows[3].steps[${last.length - 1}].get`]]);
      expect(issues[0].suggestion).toBe('id0');
    }
  });
});
