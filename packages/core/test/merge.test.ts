import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonStart } from '../src/engine/pool.js';
import { createHistogram, encodeHistogram, recordMicros, summarizeHistogram } from '../src/metrics/histogram.js';
import { coverage, formatRange, segmentRange } from '../src/metrics/merge/segments.js';
import { mergeTimelines } from '../src/metrics/merge/timeline.js';
import type { Interval, RequestStats } from '../src/metrics/model.js';
import { formatSegment, parseSegment } from '../src/plan/segment.js';
import { defineScenario, merge, MergeError, run } from '@loadctl/core';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';

describe('segments', () => {
  it('reads the segment labels the plan stage writes (k/n, from:to) as the same ranges', () => {
    for (const label of ['2/4', '0.25:0.5', '1/1', '3/8', '0.2:0.7']) {
      const seg = parseSegment(label);
      expect(segmentRange(formatSegment(seg))).toEqual(segmentRange(label));
    }
    expect(formatSegment(parseSegment('0.25:0.5'))).toBe('2/4');
  });

  it('covers the whole exactly, in fractions', () => {
    const cov = (labels: string[]) => coverage(labels.map((l, item) => ({ item, range: segmentRange(l)! })));
    expect(cov(['1/3', '2/3', '3/3'])).toEqual({ overlaps: [], missing: [] });
    expect(cov(['0:0.5', '3/4', '0.75:1'])).toEqual({ overlaps: [], missing: [] });
    expect(cov(['0:1/3', '1/3:50%', '0.5:1'])).toEqual({ overlaps: [], missing: [] }); // fractions and percentages, as formatSegment may write them
    expect(cov(['0/1'])).toEqual({ overlaps: [], missing: [] }); // legacy whole-run label
    expect(cov(['0:0.5', '0.25:0.75', '3/4']).overlaps).toEqual([[0, 1], [1, 2]]);
    expect(cov(['2/4', '0.25:0.5']).overlaps).toEqual([[0, 1]]);
    expect(cov(['1/4', '2/4', '4/4']).missing.map(formatRange)).toEqual(['3/4']);
    expect(cov(['0:0.3']).missing.map(formatRange)).toEqual(['0.3:1']);
    expect(cov(['1/3']).missing.map(formatRange)).toEqual(['1/3:1']);
    expect(segmentRange('0/4')).toBeNull();
    expect(segmentRange('0.5:0.5')).toBeNull();
    expect(segmentRange('1/0:1')).toBeNull();
    expect(segmentRange('0:1:2')).toBeNull();
  });
});

describe('common start', () => {
  it('starts at --start-at, or on the first interval boundary after it when late', () => {
    expect(commonStart(1_000, undefined, 1000)).toBe(1_000);
    expect(commonStart(1_000, 5_000, 1000)).toBe(5_000);
    for (const earliest of [5_001, 5_999, 6_000, 9_500.5]) {
      const s = commonStart(earliest, 5_000, 1000);
      expect(s).toBeGreaterThanOrEqual(earliest);
      expect(s - earliest).toBeLessThan(1000);
      expect((s - 5_000) % 1000).toBe(0);
    }
  });
});

function stats(samples: number[], withHistogram: boolean): RequestStats & { latencyHistogram?: string; serviceTimeHistogram?: string } {
  const h = createHistogram();
  for (const v of samples) recordMicros(h, v);
  const s = summarizeHistogram(h);
  const out: RequestStats & { latencyHistogram?: string; serviceTimeHistogram?: string } = {
    count: samples.length,
    responses: samples.length,
    errorCount: 0,
    failed: 0,
    statuses: { '200': samples.length },
    errors: {},
    bytesIn: 0,
    bytesOut: 0,
    latency: s,
    serviceTime: s,
  };
  if (withHistogram) out.latencyHistogram = out.serviceTimeHistogram = encodeHistogram(h);
  h.destroy();
  return out;
}

/** An interval as results write it: the encoded histogram of its total latency on the interval itself (when the result has it). */
function interval(start: number, samples: number[], withHistogram: boolean): Interval & { latencyHistogram?: string } {
  const { latencyHistogram, serviceTimeHistogram: _s, ...total } = stats(samples, withHistogram);
  const iv: Interval & { latencyHistogram?: string } = { index: 0, start, end: start + 1000, elapsedMs: 0, total, requests: { r: total }, flows: {}, checks: {}, rps: 0, activeUsers: 1, dropped: 0, late: 0, generator: { cpu: 0, eventLoopLagMs: 0 } };
  if (latencyHistogram !== undefined) iv.latencyHistogram = latencyHistogram;
  return iv;
}

describe('timeline merge', () => {
  const a = [100, 200, 300, 400, 5_000];
  const b = [150, 250, 90_000];
  it('intervals carrying histograms merge to the percentiles of every sample', () => {
    const m = mergeTimelines([[interval(10_000, a, true)], [interval(10_000, b, true), interval(11_000, [7], true)]], 10_000, 1000);
    expect(m.totalLatencyExact).toBe(true);
    expect(m.approximate).toBe(true); // per request name the intervals carry no histogram
    expect(m.maxOffsetMs).toBe(0);
    expect(m.timeline.map((i) => [i.index, i.start, i.total.count])).toEqual([[0, 10_000, 8], [1, 11_000, 1]]);
    const whole = stats([...a, ...b], true);
    expect(m.timeline[0].total.latency.percentiles).toEqual(whole.latency.percentiles);
    // the merged interval carries the merged histogram, so merged results merge again
    expect((m.timeline[0] as Interval & { latencyHistogram?: string }).latencyHistogram).toBe(whole.latencyHistogram);
  });

  it('intervals without histograms: counts exact, percentiles flagged approximate', () => {
    const m = mergeTimelines([[interval(10_000, a, false)], [interval(10_300, b, false)]], 10_000, 1000);
    expect(m.totalLatencyExact).toBe(false);
    expect((m.timeline[0] as Interval & { latencyHistogram?: string }).latencyHistogram).toBeUndefined();
    expect(m.maxOffsetMs).toBe(300);
    expect(m.timeline).toHaveLength(1);
    expect(m.timeline[0].total.count).toBe(8);
    expect(m.timeline[0].total.latency.max).toBe(stats([...a, ...b], false).latency.max);
  });
});

describe('merge() of two real shards (library)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((n, _req, res) => json(res, n % 10 === 0 ? 503 : 200, { n }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('sums the shards, re-judges thresholds on the whole and sums the shards’ rate shares', async () => {
    const scenario = defineScenario({
      name: 'lib-merge',
      target: server.url,
      load: { rate: 40, duration: '2s' },
      steps: ['GET /x'],
      thresholds: ['count == 80', 'error_rate < 20%'],
    });
    const first = await run(scenario, { workers: 1, segment: parseSegment('1/2'), warmupMs: 0 });
    const second = await run(scenario, { workers: 1, segment: parseSegment('0.5:1'), warmupMs: 0 });
    // each shard is judged on its half: count == 80 fails there
    expect(first.summary.verdict.passed).toBe(false);
    expect(first.summary.meta.segment).toBe('1/2');
    expect(second.summary.meta.segment).toBe('2/2');
    // a shard's requested rate is its share: 20/s of 40/s
    for (const iv of first.timeline.filter((i) => i.end - i.start >= 999)) expect(iv.targetRate).toBeCloseTo(20, 6);

    const merged = merge([first, second]);
    expect(merged.summary.total.count).toBe(server.received);
    expect(merged.summary.total.count).toBe(80);
    // The generator delay of the whole is both shards' histograms added.
    expect(merged.summary.generator!.delay.count).toBe(first.summary.generator!.delay.count + second.summary.generator!.delay.count);
    expect(merged.summary.generator!.delay.max).toBe(Math.max(first.summary.generator!.delay.max, second.summary.generator!.delay.max));
    expect(merged.summary.meta.httpClient).toBe('fast');
    expect(merged.summary.total.failed).toBe(8);
    expect(merged.summary.verdict.thresholds.map((t) => [t.expression, t.actual, t.passed])).toEqual([
      ['count == 80', 80, true],
      ['error_rate < 20%', 0.1, true],
    ]);
    expect(merged.summary.verdict.passed).toBe(true);
    // shards started apart (one after the other here): totals exact, a warning says the grid differs
    expect(merged.summary.warnings.map((w) => w.code)).toContain('SHARDS_NOT_ALIGNED');
    expect(merged.timeline.reduce((n, i) => n + i.total.count, 0)).toBe(80);

    expect(() => merge([first])).toThrow(MergeError);
    expect(() => merge([first])).toThrow(/segments missing: 2\/2/);
    expect(merge([first], { allowMissing: true }).summary.warnings[0].code).toBe('SEGMENTS_MISSING');
  });
});
