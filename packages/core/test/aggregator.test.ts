import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/metrics/aggregator.js';
import { createHistogram, decodeHistogram, recordMicros } from '../src/metrics/histogram.js';
import { CheckRecorder, DelayRecorder, FlowRecorder, RequestRecorder } from '../src/engine/recorder.js';
import type { WorkerSnapshot } from '../src/metrics/snapshot.js';
import type { Interval } from '../src/metrics/model.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A request's generator delay in these tests: a tenth of its latency. */
const delayOf = (us: number): number => Math.floor(us / 10);

/** A worker's snapshot for one tick, made by the real recorder from known latencies. */
function snapshot(worker: number, tick: number, latencies: number[], final = false): WorkerSnapshot {
  const r = new RequestRecorder();
  const checks = new CheckRecorder();
  const flow = new FlowRecorder();
  const delay = new DelayRecorder();
  latencies.forEach((us, i) => {
    delay.record(delayOf(us));
    if (i % 7 === 0) r.error('reset', us, -1, 0, 10);
    else r.response(i % 5 === 0 ? 503 : 200, us, us / 2, 100, 50);
    checks.record('ok', i % 5 !== 0);
    flow.iteration(us, i % 5 === 0);
  });
  return {
    type: 'snapshot', worker, tick, at: 0, final,
    requests: { 'GET /x': r.drain() },
    flows: { f: flow.drain() },
    checks: checks.drain(),
    generatorDelay: delay.drain(),
    activeUsers: 3, scheduled: 0, started: 0, dropped: 0, missed: 0, late: 0, loadEndedAt: 0, cpu: 0.5, eventLoopLagMs: 1,
  };
}

describe('Aggregator', () => {
  it('merging workers is exact: counts add up and the histogram equals one built from all values', () => {
    const rand = rng(42);
    const values = (n: number): number[] => Array.from({ length: n }, () => Math.floor(1 + rand() * 200_000));
    const w0 = [values(1000), values(800), values(5)];
    const w1 = [values(900), values(1100)];
    const intervals: Interval[] = [];
    const agg = new Aggregator(2, 1000, { plannedDurationMs: 10_000 }, (i) => intervals.push(i));
    agg.start(1_000_000);
    // Out of order arrival across workers; tick 1 emitted only when both reported.
    agg.add(snapshot(0, 0, w0[0]));
    expect(intervals).toHaveLength(0);
    agg.add(snapshot(1, 0, w1[0]));
    expect(intervals).toHaveLength(1);
    agg.add(snapshot(1, 1, w1[1], true)); // worker 1 finishes at tick 1
    agg.add(snapshot(0, 1, w0[1]));
    agg.add(snapshot(0, 2, w0[2], true)); // tick 2 needs only worker 0
    expect(intervals.map((i) => i.index)).toEqual([0, 1, 2]);
    agg.finish(1_000_000 + 2500);

    const all = [...w0, ...w1].flat();
    // Every request is timed, failed ones included; the successful ones have a histogram of their own.
    const expected = createHistogram();
    const expectedSuccess = createHistogram();
    let responses = 0;
    let errors = 0;
    let s503 = 0;
    for (const batch of [...w0, ...w1]) {
      batch.forEach((us, i) => {
        recordMicros(expected, us);
        if (i % 7 === 0) errors++;
        else {
          responses++;
          if (i % 5 === 0) s503++;
          else recordMicros(expectedSuccess, us);
        }
      });
    }
    const total = agg.totalAccumulator();
    expect(total.count).toBe(all.length);
    expect(total.responses).toBe(responses);
    expect(total.errors).toEqual({ reset: errors });
    expect(total.statuses).toEqual({ '200': responses - s503, '503': s503 });
    expect(total.latency.totalCount).toBe(expected.totalCount);
    for (const p of [50, 90, 99, 99.9, 100]) expect(total.latency.getValueAtPercentile(p)).toBe(expected.getValueAtPercentile(p));
    expect(total.latency.mean).toBe(expected.mean);
    // Intervals sum to the cumulative figures.
    expect(intervals.reduce((n, i) => n + i.total.count, 0)).toBe(all.length);
    expect(intervals[0].activeUsers).toBe(6);
    expect(intervals[2].activeUsers).toBe(3);
    // Flow iterations and checks add up too.
    const flow = agg.flows.get('f');
    expect(flow.iterations).toBe(all.length);
    const checks = agg.checks.ok;
    expect(checks.passes + checks.fails).toBe(all.length);
    // The generator delay of every worker merges exactly too, per interval and over the run.
    const expectedDelay = createHistogram();
    for (const us of all) recordMicros(expectedDelay, delayOf(us));
    expect(agg.generatorDelay.totalCount).toBe(all.length);
    for (const p of [50, 99, 100]) expect(agg.generatorDelay.getValueAtPercentile(p)).toBe(expectedDelay.getValueAtPercentile(p));
    const tick0 = createHistogram();
    for (const us of [...w0[0], ...w1[0]]) recordMicros(tick0, delayOf(us));
    const d0 = intervals[0].generator.delay!;
    expect([d0.p50, d0.p99]).toEqual([tick0.getValueAtPercentile(50), tick0.getValueAtPercentile(99)]);
    expect(Math.abs(d0.max - tick0.maxValue)).toBeLessThanOrEqual(tick0.maxValue / 1000); // within histogram precision
    // The cumulative encoded histogram round-trips losslessly.
    const cumulative = total.toCumulative(2500);
    const back = decodeHistogram(cumulative.latencyHistogram);
    expect(back.totalCount).toBe(expected.totalCount);
    expect(back.getValueAtPercentile(99)).toBe(expected.getValueAtPercentile(99));
    const success = decodeHistogram(cumulative.successLatencyHistogram!);
    expect(success.totalCount).toBe(expectedSuccess.totalCount);
    expect(cumulative.successLatency!.count).toBe(responses - s503);
    for (const p of [50, 90, 99, 100]) expect(success.getValueAtPercentile(p)).toBe(expectedSuccess.getValueAtPercentile(p));
    // Min and max are those of the successful requests, within histogram precision (3 digits).
    expect(Math.abs(cumulative.successLatency!.max - expectedSuccess.maxValue)).toBeLessThanOrEqual(expectedSuccess.maxValue / 1000);
    expect(Math.abs(cumulative.successLatency!.min - expectedSuccess.minNonZeroValue)).toBeLessThanOrEqual(expectedSuccess.minNonZeroValue / 1000);
  });

  it('a last tick shorter than 20% of an interval is folded into the one before: rates divide by the real length', () => {
    const intervals: Interval[] = [];
    const agg = new Aggregator(1, 1000, { plannedDurationMs: 2000 }, (i) => intervals.push(i));
    agg.start(0);
    agg.add(snapshot(0, 0, [1000, 2000]));
    expect(intervals).toHaveLength(1); // far from the planned end: emitted at once
    const s1 = snapshot(0, 1, [1000, 2000, 3000, 4000]);
    s1.at = 2000;
    agg.add(s1);
    expect(intervals).toHaveLength(1); // may be followed by a short tail: held back
    const tail = snapshot(0, 2, [1000, 2000], true); // 2 requests in 12 ms
    tail.at = 2012;
    agg.add(tail);
    agg.finish(2012);
    expect(intervals.map((i) => [i.index, i.start, i.end, i.total.count])).toEqual([
      [0, 0, 1000, 2],
      [1, 1000, 2012, 6],
    ]);
    expect(intervals[1].rps).toBeCloseTo(6 / 1.012, 9);
    expect(agg.emitted).toBe(intervals.length);
    expect(agg.totalAccumulator().count).toBe(8);
  });

  it('a last tick of 20% or more stays an interval of its own', () => {
    const intervals: Interval[] = [];
    const agg = new Aggregator(1, 1000, { plannedDurationMs: 1000 }, (i) => intervals.push(i));
    agg.start(0);
    agg.add(snapshot(0, 0, [1000, 2000]));
    const tail = snapshot(0, 1, [1000, 2000], true);
    tail.at = 1300;
    agg.add(tail);
    agg.finish(1300);
    expect(intervals.map((i) => [i.index, i.end - i.start])).toEqual([
      [0, 1000],
      [1, 300],
    ]);
    expect(intervals[1].rps).toBeCloseTo(2 / 0.3, 9);
  });

  it('a partial last tick gets its real length, so its rate is not understated', () => {
    const intervals: Interval[] = [];
    const agg = new Aggregator(1, 1000, {}, (i) => intervals.push(i));
    agg.start(0);
    const s = snapshot(0, 0, [1000, 2000, 3000, 4000]);
    s.final = true;
    s.at = 250;
    agg.add(s);
    expect(intervals[0].end - intervals[0].start).toBe(250);
    expect(intervals[0].rps).toBe(16);
  });
});

describe('summarizeHistogram', () => {
  it('gives exactly what hdr-histogram-js gives for each figure, in fewer passes', async () => {
    const { summarizeHistogram } = await import('../src/metrics/histogram.js');
    const rand = rng(7);
    for (const n of [1, 2, 3, 10, 999, 20_000]) {
      const h = createHistogram();
      for (let i = 0; i < n; i++) recordMicros(h, Math.floor(1 + rand() ** 3 * 5_000_000));
      const s = summarizeHistogram(h);
      expect(s.count).toBe(n);
      for (const p of [50, 75, 90, 95, 99, 99.9, 99.99]) expect(s.percentiles[String(p)]).toBe(h.getValueAtPercentile(p));
      expect(s.mean).toBeCloseTo(h.mean, 6);
      expect(s.stdev).toBeCloseTo(h.stdDeviation, 6);
      expect(s.min).toBe(h.minNonZeroValue);
      expect(s.max).toBe(h.maxValue);
    }
  });
});
