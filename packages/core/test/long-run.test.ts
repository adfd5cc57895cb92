/**
 * Long-run correctness: 24 h at 50 000 req/s is 4.32e9 requests. Counters and cumulative
 * histograms must neither wrap nor lose precision. Synthetic worker snapshots (the real
 * protocol: sparse histogram counts) are fed to the real Aggregator, one tick per minute so
 * the test stays quick; what matters is the cumulative count, not the number of ticks.
 */
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/metrics/aggregator.js';
import { createHistogram, decodeHistogram, encodeHistogram, percentileOfEncoded, toSparse } from '../src/metrics/histogram.js';
import type { WorkerSnapshot } from '../src/metrics/snapshot.js';
import { buildSummary } from '../src/run/summary.js';
import { TimelineStats } from '../src/metrics/timeline-stats.js';
import type { Interval, RunMeta } from '../src/metrics/model.js';

const RATE = 50_000;
const TICK_MS = 60_000;
const TICKS = 24 * 60; // 24 h
const PER_TICK = (RATE * TICK_MS) / 1000; // 3e6 requests per tick
const TOTAL = PER_TICK * TICKS; // 4.32e9 > 2^32
const BYTES_IN = 1234;

/** Latency: 99.9 % of requests at exactly 250 µs (one bucket: 4.3e9 counts, past 2^32), 0.1 % at 40 ms. */
const FAST_US = 250;
const SLOW_US = 40_000;
const SLOW_PER_TICK = PER_TICK / 1000;
const FAILED_PER_TICK = PER_TICK / 10_000;

/** hdr-histogram-js methods its typings leave out. */
interface Buckets {
  getCountAtValue(v: number): number;
  highestEquivalentValue(v: number): number;
  medianEquivalentValue(v: number): number;
}
const buckets = (h: unknown): Buckets => h as Buckets;

function sparse(values: Array<[number, number]>): Float64Array {
  const h = createHistogram();
  for (const [v, n] of values) h.recordValueWithCount(v, n);
  const s = toSparse(h);
  h.destroy();
  return s;
}

function snapshot(worker: number, tick: number, startEpoch: number): WorkerSnapshot {
  const half = PER_TICK / 2;
  const halfLatency = sparse([
    [FAST_US, half - SLOW_PER_TICK / 2],
    [SLOW_US, SLOW_PER_TICK / 2],
  ]);
  return {
    type: 'snapshot',
    worker,
    tick,
    at: startEpoch + (tick + 1) * TICK_MS,
    final: tick === TICKS - 1,
    requests: {
      'GET /x': {
        count: half,
        responses: half,
        errorCount: 0,
        failed: FAILED_PER_TICK / 2,
        statuses: { '200': half - FAILED_PER_TICK / 2, '500': FAILED_PER_TICK / 2 },
        errors: {},
        bytesIn: half * BYTES_IN,
        bytesOut: half * 100,
        latency: halfLatency,
        serviceTime: halfLatency,
        // 1 in 10 000 requests failed, all slow: the successful-only distribution is derived from it.
        failedLatency: sparse([[SLOW_US, FAILED_PER_TICK / 2]]),
      },
    },
    flows: { f: { iterations: half, failed: 0, duration: sparse([[FAST_US * 2, half]]) } },
    checks: { ok: { passes: half, fails: 0 } },
    // Every request sent: the generator delay histogram holds as many counts as the latency one.
    generatorDelay: halfLatency,
    activeUsers: 50,
    scheduled: 0,
    started: 0,
    dropped: 0,
    late: 0,
    missed: 0,
    loadEndedAt: 0,
    cpu: 0.5,
    eventLoopLagMs: 1,
  };
}

describe('24 h at 50 000 req/s through the aggregator', () => {
  it('keeps exact counts and right percentiles past 2^32 requests in one bucket', () => {
    expect(TOTAL).toBeGreaterThan(2 ** 32);
    expect(PER_TICK - SLOW_PER_TICK).toBeGreaterThan(0);
    const start = 1_700_000_000_000;
    let intervals = 0;
    let maxIntervalCount = 0;
    const agg = new Aggregator(2, TICK_MS, {}, (i: Interval) => {
      intervals++;
      maxIntervalCount = Math.max(maxIntervalCount, i.total.count);
    });
    agg.start(start);
    // One worker's snapshot is reused (its sparse arrays are plain data); each tick gets both workers.
    for (let tick = 0; tick < TICKS; tick++) {
      const a = snapshot(0, tick, start);
      agg.add(a);
      agg.add({ ...a, worker: 1 });
    }
    const end = start + TICKS * TICK_MS;
    agg.finish(end);
    expect(intervals).toBe(TICKS);
    expect(maxIntervalCount).toBe(PER_TICK);

    const total = agg.totalAccumulator();
    expect(total.count).toBe(TOTAL);
    expect(total.responses).toBe(TOTAL);
    expect(total.statuses).toEqual({ '200': TOTAL - FAILED_PER_TICK * TICKS, '500': FAILED_PER_TICK * TICKS });
    expect(total.failed).toBe(FAILED_PER_TICK * TICKS);
    expect(total.bytesIn).toBe(TOTAL * BYTES_IN); // 5.3e12, exact in a double
    expect(total.latency.totalCount).toBe(TOTAL);
    // The fast bucket alone holds 4.32e9 counts, past 2^32 (so does the flow's single bucket):
    // a 32-bit count wraps and the percentile scan never reaches p50.
    const fastCount = (PER_TICK - SLOW_PER_TICK) * TICKS;
    expect(fastCount).toBeGreaterThan(2 ** 32);
    expect(buckets(total.latency).getCountAtValue(FAST_US)).toBe(fastCount);
    const stats = total.toStats();
    expect(stats.latency.count).toBe(TOTAL);
    expect(stats.latency.percentiles['50']).toBe(buckets(total.latency).highestEquivalentValue(FAST_US));
    expect(stats.latency.percentiles['99']).toBe(buckets(total.latency).highestEquivalentValue(FAST_US));
    expect(stats.latency.percentiles['99.9']).toBe(buckets(total.latency).highestEquivalentValue(FAST_US));
    expect(stats.latency.percentiles['99.99']).toBe(buckets(total.latency).highestEquivalentValue(SLOW_US));
    expect(stats.latency.max).toBeGreaterThanOrEqual(SLOW_US);
    expect(stats.latency.max).toBeLessThanOrEqual(buckets(total.latency).highestEquivalentValue(SLOW_US));
    const expectedMean =
      (buckets(total.latency).medianEquivalentValue(FAST_US) * fastCount + buckets(total.latency).medianEquivalentValue(SLOW_US) * SLOW_PER_TICK * TICKS) / TOTAL;
    expect(stats.latency.mean).toBeCloseTo(expectedMean, 6);

    const flow = agg.flows.get('f').toStats();
    expect(flow.iterations).toBe(TOTAL);
    expect(flow.duration.count).toBe(TOTAL);
    expect(flow.duration.percentiles['50']).toBeGreaterThan(0);
    expect(agg.checks.ok.passes).toBe(TOTAL);

    // The result file's encoded histogram survives a round trip with the same counts.
    const encoded = encodeHistogram(total.latency);
    const decoded = decodeHistogram(encoded);
    expect(decoded.totalCount).toBe(TOTAL);
    expect(buckets(decoded).getCountAtValue(FAST_US)).toBe(fastCount);
    expect(percentileOfEncoded(encoded, 50)).toBe(buckets(total.latency).highestEquivalentValue(FAST_US));
    expect(percentileOfEncoded(encoded, 99.95)).toBe(buckets(total.latency).highestEquivalentValue(SLOW_US));
    decoded.destroy();

    // And the summary a reporter gets says the same.
    const meta = { intervalMs: TICK_MS } as RunMeta;
    const summary = buildSummary({ meta, agg, stats: new TimelineStats(TICK_MS), startEpoch: start, endEpoch: end, verdict: { passed: true, thresholds: [], endReason: 'completed' }, warnings: [] });
    expect(summary.total.count).toBe(TOTAL);
    expect(summary.total.rps).toBeCloseTo(RATE, 6);
    expect(summary.rps.mean).toBeCloseTo(RATE, 6);
    expect(summary.total.latency.percentiles['99']).toBe(buckets(total.latency).highestEquivalentValue(FAST_US));
    // The successful-only latency (all requests minus the failed ones) is as exact.
    expect(summary.total.successLatency!.count).toBe(TOTAL - FAILED_PER_TICK * TICKS);
    expect(summary.total.successLatency!.percentiles['50']).toBe(buckets(total.latency).highestEquivalentValue(FAST_US));
    expect(summary.total.successLatency!.percentiles['99.99']).toBe(buckets(total.latency).highestEquivalentValue(SLOW_US));
    // The generator delay is cumulative with 64-bit counts too: its p50 is not lost to a wrapped bucket.
    expect(summary.generator!.delay.count).toBe(TOTAL);
    expect(summary.generator!.delay.percentiles['50']).toBe(buckets(total.latency).highestEquivalentValue(FAST_US));
    expect(summary.generator!.delay.percentiles['99.99']).toBe(buckets(total.latency).highestEquivalentValue(SLOW_US));
    total.destroy();
    agg.requests.destroy();
    agg.flows.destroy();
  });
});
