/**
 * ReporterBus: a throwing reporter, a slow one (bounded queue, oldest dropped and counted),
 * an end() that never resolves (bounded by the end timeout), every lane still ending, and the
 * order of the ends (sinks, then files with the Result, then outputs). Driven by promises the
 * test resolves, never by sleeps.
 */
import { describe, expect, it } from 'vitest';
import { RESULT_SCHEMA_VERSION, type Interval, type Reporter, type Result, type RunMeta, type Summary } from '@loadctl/core';
import { memoryTimeline, ReporterBus } from '@loadctl/core/internal';

const meta = { runId: 'r', scenario: 's' } as RunMeta;
const iv = (index: number): Interval => ({ index }) as Interval;
const summary = (): Summary => ({ reporters: {}, warnings: [] }) as unknown as Summary;
const resultOf = (s: Summary): Result => ({ schemaVersion: RESULT_SCHEMA_VERSION, summary: s, timeline: memoryTimeline([]), config: null });

/** A promise and its resolver. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** A reporter recording what it received. */
function recorder(name: string, kind?: Reporter['kind']): Reporter & { got: number[]; ended: Array<{ withResult: boolean }> } {
  const got: number[] = [];
  const ended: Array<{ withResult: boolean }> = [];
  return {
    name,
    kind,
    got,
    ended,
    interval: (i) => void got.push(i.index),
    end: (_s, r) => void ended.push({ withResult: r !== undefined }),
  };
}

describe('ReporterBus', () => {
  it('counts what a throwing reporter throws and never lets it reach the run or the other reporters', async () => {
    const thrower: Reporter = {
      name: 'thrower',
      start: () => {
        throw new Error('start broke');
      },
      interval: async () => {
        throw new Error('interval broke');
      },
      end: () => {
        throw new Error('end broke');
      },
    };
    const good = recorder('good');
    const bus = new ReporterBus([thrower, good]);
    await bus.start(meta);
    for (let i = 0; i < 5; i++) bus.interval(iv(i));
    const s = summary();
    await bus.end(s, resultOf(s));
    expect(s.reporters.thrower.errors).toBe(1 + 5 + 1);
    expect(s.reporters.thrower.dropped).toBe(0);
    expect(s.reporters.thrower.notes).toEqual(['last error: end broke']);
    expect(good.got).toEqual([0, 1, 2, 3, 4]);
    expect(good.ended).toHaveLength(1);
    expect(s.reporters.good).toEqual({ errors: 0, dropped: 0, notes: [] });
  });

  it('drops the oldest queued intervals of a slow reporter and counts them', async () => {
    const release = gate();
    const got: number[] = [];
    const slow: Reporter = {
      name: 'slow',
      interval: async (i) => {
        got.push(i.index);
        if (i.index === 0) await release.promise;
      },
    };
    const fast = recorder('fast');
    const bus = new ReporterBus([slow, fast], { queueLimit: 3 });
    for (let i = 0; i < 10; i++) {
      bus.interval(iv(i));
      await new Promise<void>((r) => setImmediate(r)); // let the lanes drain what they can
    }
    // Interval 0 is in the slow reporter's hands; 1..9 queued behind it, 3 at most.
    expect(got).toEqual([0]);
    release.open();
    const s = summary();
    await bus.end(s);
    expect(got).toEqual([0, 7, 8, 9]);
    expect(s.reporters.slow.dropped).toBe(6);
    expect(s.reporters.slow.errors).toBe(0);
    expect(fast.got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(s.reporters.fast.dropped).toBe(0);
  });

  it('bounds an end() that never resolves by the end timeout, and a queue that never drains', async () => {
    const never = new Promise<void>(() => {});
    const hangsAtEnd: Reporter = { name: 'hangs-at-end', kind: 'sink', end: () => never };
    const stuck: Reporter = { name: 'stuck-queue', interval: () => never };
    const good = recorder('good', 'file');
    const bus = new ReporterBus([hangsAtEnd, stuck, good], { endTimeoutMs: 50 });
    for (let i = 0; i < 4; i++) bus.interval(iv(i));
    const s = summary();
    await bus.end(s, resultOf(s));
    expect(s.reporters['hangs-at-end'].errors).toBe(1);
    expect(s.reporters['hangs-at-end'].notes.join()).toMatch(/hangs-at-end\.end did not finish within 50 ms/);
    // One interval in its hands forever, three queued: those are lost, and said so.
    expect(s.reporters['stuck-queue'].dropped).toBe(3);
    expect(s.reporters['stuck-queue'].errors).toBe(1);
    expect(s.reporters['stuck-queue'].notes.join()).toMatch(/stuck-queue queue did not finish within 50 ms/);
    expect(good.ended).toEqual([{ withResult: true }]);
  });

  it('ends every lane once, sinks first, then files with the Result, then outputs', async () => {
    const order: string[] = [];
    const sinkEnd = gate();
    const sinkCalled = gate();
    const sink: Reporter = {
      name: 'sink',
      kind: 'sink',
      end: async (_s, r) => {
        order.push(`sink:${r === undefined ? 'no result' : 'result'}`);
        sinkCalled.open();
        await sinkEnd.promise;
        order.push('sink done');
      },
      losses: () => ({ unit: 'points', total: 10, lost: 4, failures: 2, lastError: 'HTTP 503' }),
    };
    const file: Reporter = {
      name: 'file',
      kind: 'file',
      end: (s, r) => void order.push(`file:${r === undefined ? 'no result' : 'result'}:sink lost ${s.reporters.sink?.losses?.lost}`),
    };
    const output: Reporter = { name: 'console', end: (s) => void order.push(`output:file errors ${s.reporters.file?.errors}`) };
    const bus = new ReporterBus([output, file, sink]);
    const s = summary();
    const sinks = bus.endSinks(s);
    // The sink's end is waiting on us: nothing else has ended.
    await sinkCalled.promise;
    expect(order).toEqual(['sink:no result']);
    sinkEnd.open();
    await sinks;
    expect(s.reporters.sink.losses).toEqual({ unit: 'points', total: 10, lost: 4, failures: 2, lastError: 'HTTP 503' });
    await bus.endOutputs(s, resultOf(s));
    await bus.end(s, resultOf(s)); // a second end ends nothing twice
    expect(order).toEqual(['sink:no result', 'sink done', 'file:result:sink lost 4', 'output:file errors 0']);
  });
});
