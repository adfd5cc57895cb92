/**
 * metrics/histogram.ts reads hdr-histogram-js's counts array directly (summaries in one
 * scan, sparse counts for the worker protocol). These tests hold it to the library's
 * own API, for the exact version pinned in packages/core/package.json.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSparse, createHistogram, recordMicros, summarizeHistogram, toSparse, type Histogram } from '../src/metrics/histogram.js';
import { PERCENTILES } from '../src/metrics/model.js';

const values = fc.array(fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 1, max: 4_000_000_000 }), fc.double({ min: 0, max: 1e7, noNaN: true })), {
  minLength: 1,
  maxLength: 400,
});

function histogramOf(xs: number[]): Histogram {
  const h = createHistogram();
  for (const x of xs) recordMicros(h, x);
  return h;
}

/** Every (value, count) the library's own iterator reports. */
function recorded(h: Histogram): Array<[number, number]> {
  const it = (h as unknown as { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } } }).recordedValuesIterator;
  const out: Array<[number, number]> = [];
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    out.push([v.valueIteratedTo, v.countAtValueIteratedTo]);
  }
  return out;
}

describe('hdr-histogram-js', () => {
  it('is the exact version pinned in package.json (its internals are read directly)', () => {
    const pinned = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).dependencies['hdr-histogram-js'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const req = createRequire(new URL('../package.json', import.meta.url));
    const installed = JSON.parse(readFileSync(req.resolve('hdr-histogram-js/package.json'), 'utf8')).version;
    expect(installed).toBe(pinned);
  });

  it('summarizeHistogram equals the library for every percentile we report, mean, stdev, min and max', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const h = histogramOf(xs);
        const s = summarizeHistogram(h);
        expect(s.count).toBe(h.totalCount);
        for (const p of PERCENTILES) expect(s.percentiles[String(p)]).toBe(h.getValueAtPercentile(p));
        expect(s.mean).toBeCloseTo(h.mean, 6);
        expect(s.stdev).toBeCloseTo(h.stdDeviation, 6);
        expect([s.min, s.max]).toEqual([h.minNonZeroValue, h.maxValue]);
        h.destroy();
      }),
      { numRuns: 30 },
    );
  });

  it('without the raw counts array it falls back to getCountAtIndex and agrees', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const h = histogramOf(xs);
        // the same histogram, but our code cannot see `_counts` (the library's own methods still can)
        const noRaw = new Proxy(h, {
          get: (target, prop) => {
            if (prop === '_counts') return undefined;
            const v = Reflect.get(target, prop, target) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        });
        expect(summarizeHistogram(noRaw)).toEqual(summarizeHistogram(h));
        expect(Array.from(toSparse(noRaw))).toEqual(Array.from(toSparse(h)));
        h.destroy();
      }),
      { numRuns: 15 },
    );
  });

  it('toSparse/addSparse carry exactly the recorded values and counts the library iterates', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const ha = histogramOf(a);
        const into = histogramOf(b);
        const expected = histogramOf([...a, ...b]);
        addSparse(into, toSparse(ha));
        expect(recorded(into)).toEqual(recorded(expected));
        expect(into.totalCount).toBe(expected.totalCount);
        for (const p of PERCENTILES) expect(into.getValueAtPercentile(p)).toBe(expected.getValueAtPercentile(p));
        // counts travel per bucket: min and max come back as their bucket, not the exact value
        const bucket = (h: Histogram, v: number) => (h as unknown as { highestEquivalentValue(v: number): number }).highestEquivalentValue(v);
        expect(bucket(into, into.maxValue)).toBe(bucket(expected, expected.maxValue));
        expect(bucket(into, into.minNonZeroValue)).toBe(bucket(expected, expected.minNonZeroValue));
        // pairs are [index, count] with counts summing to the total
        const sparse = toSparse(ha);
        let n = 0;
        for (let k = 1; k < sparse.length; k += 2) n += sparse[k];
        expect(n).toBe(ha.totalCount);
        for (const h of [ha, into, expected]) h.destroy();
      }),
      { numRuns: 20 },
    );
  });
});
