/**
 * The open model's arrival timers: a call never comes before its due time, comes exactly
 * once, a new schedule replaces the pending one, cancel and close stop it. (How close to
 * the due time it comes is a timing figure: bench/precision measures it.)
 */
import { describe, expect, it } from 'vitest';
import { CoarseTimer, createArrivalTimer, PreciseTimer, SPIN_BELOW_MS, type ArrivalTimer } from '../src/engine/precise-timer.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Schedule a chain of `n` arrivals `gapMs` apart; resolves with how early each call was (ms, <= 0 when on time or late). */
function chain(timer: ArrivalTimer, n: number, gapMs: number): Promise<number[]> {
  return new Promise((resolve) => {
    const early: number[] = [];
    const start = performance.now() + 2;
    const next = (): void => {
      const due = start + early.length * gapMs;
      timer.schedule(due, () => {
        early.push(due - performance.now());
        if (early.length === n) resolve(early);
        else next();
      });
    };
    next();
  });
}

describe.each([
  ['precise (requests in flight: companion thread)', () => new PreciseTimer(() => false)],
  ['precise (nothing in flight: the thread sleeps)', () => new PreciseTimer(() => true)],
  ['coarse', () => new CoarseTimer()],
])('%s arrival timer', (_name, make) => {
  it('calls back once per schedule, never before the due time, for gaps below and above the spin threshold', async () => {
    const timer = make();
    for (const gap of [SPIN_BELOW_MS / 2, 0.3, 1.7]) {
      const early = await chain(timer, 40, gap);
      expect(early.length).toBe(40);
      expect(Math.max(...early)).toBeLessThanOrEqual(0);
    }
    timer.close();
  });

  it('a new schedule replaces the pending one; cancel drops it', async () => {
    const timer = make();
    const calls: string[] = [];
    timer.schedule(performance.now() + 5, () => calls.push('replaced'));
    const done = new Promise<void>((r) => timer.schedule(performance.now() + 3, () => (calls.push('second'), r())));
    await done;
    timer.schedule(performance.now() + 1, () => calls.push('cancelled'));
    timer.cancel();
    await sleep(20);
    expect(calls).toEqual(['second']);
    timer.close();
  });

  it('never calls back from inside schedule(); a due time already past or just ahead is called once', async () => {
    const timer = make();
    let called = 0;
    const past = new Promise<void>((r) => timer.schedule(performance.now() - 1, () => (called++, r())));
    expect(called).toBe(0);
    await past;
    const soon = new Promise<void>((r) => timer.schedule(performance.now() + 0.2, () => (called++, r())));
    expect(called).toBe(1);
    await soon;
    await sleep(5);
    expect(called).toBe(2);
    timer.close();
  });
});

describe('precise timer polling', () => {
  it('poll fires a due call at once (once), and leaves one not yet due alone', async () => {
    const timer = new PreciseTimer();
    let calls = 0;
    const at = performance.now() + 3;
    timer.schedule(at, () => calls++);
    timer.poll();
    expect(calls).toBe(0);
    while (performance.now() < at) await new Promise((r) => setImmediate(r));
    timer.poll();
    expect(calls).toBe(1);
    // The companion's wake-up for that due time finds nothing to call.
    await sleep(10);
    expect(calls).toBe(1);
    timer.close();
  });
});

describe('precise timer resources', () => {
  it('close ends the companion thread and drops a pending call', async () => {
    const timer = new PreciseTimer();
    const companion = (timer as unknown as { companion: import('node:worker_threads').Worker }).companion;
    const exited = new Promise<number>((r) => companion.once('exit', r));
    let called = false;
    timer.schedule(performance.now() + 2, () => (called = true));
    timer.close();
    expect(await exited).toBe(0);
    await sleep(10);
    expect(called).toBe(false);
    expect(() => timer.schedule(performance.now(), () => {})).toThrow(/closed/);
  });

  it('createArrivalTimer gives the kind asked for', () => {
    const p = createArrivalTimer('precise');
    const c = createArrivalTimer('coarse');
    expect(p).toBeInstanceOf(PreciseTimer);
    expect(c).toBeInstanceOf(CoarseTimer);
    p.close();
    c.close();
  });
});
