/**
 * The capacity search state machine against simulated targets: monotone
 * targets with a known knee, noisy ones, generator-limited ones, and budgets
 * that run out. Property-based (fast-check) plus a few exact sequences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  converged,
  nextStep,
  observe,
  outcomeOf,
  roundRate,
  startSearch,
  type Observation,
  type SearchOutcome,
  type SearchRecord,
  type SearchSettings,
  type SearchState,
} from '../src/capacity/search.js';

type Judge = (rate: number, kind: string, n: number) => Observation['verdict'];

/** Run the machine to its end against `judge`; every step costs its hold plus `overheadMs`. */
function simulate(settings: SearchSettings, judge: Judge, overheadMs = 0): { state: SearchState; outcome: SearchOutcome; history: readonly SearchRecord[] } {
  let state = startSearch(settings);
  for (let n = 0; n < 10_000; n++) {
    const step = nextStep(state);
    if (step === null) return { state, outcome: outcomeOf(state), history: state.history };
    state = observe(state, { rate: step.rate, verdict: judge(step.rate, step.kind, n), elapsedMs: step.durationMs + overheadMs });
  }
  throw new Error('search did not end within 10,000 steps');
}

const HOUR = 3_600_000;
const base: SearchSettings = {
  startRate: 100,
  maxRate: 100_000,
  minRate: 1,
  growth: 2,
  resolution: { kind: 'relative', value: 0.05 },
  stepMs: 20_000,
  confirmMs: 60_000,
  maxDurationMs: 10 * HOUR,
};

const settingsArb = fc
  .record({
    startRate: fc.double({ min: 1, max: 2000, noNaN: true }),
    span: fc.double({ min: 1, max: 1000, noNaN: true }),
    growth: fc.double({ min: 1.3, max: 4, noNaN: true }),
    relative: fc.boolean(),
    rel: fc.double({ min: 0.01, max: 0.3, noNaN: true }),
    abs: fc.double({ min: 0.5, max: 50, noNaN: true }),
    confirm: fc.boolean(),
  })
  .map(
    (x): SearchSettings => ({
      ...base,
      startRate: x.startRate,
      maxRate: x.startRate * x.span,
      minRate: Math.min(1, x.startRate),
      growth: x.growth,
      resolution: x.relative ? { kind: 'relative', value: x.rel } : { kind: 'absolute', value: x.abs },
      confirmMs: x.confirm ? 60_000 : 0,
    }),
  );

const passed = (h: readonly SearchRecord[]): number[] => h.filter((r) => r.verdict === 'pass').map((r) => r.rate);
const failed = (h: readonly SearchRecord[]): number[] => h.filter((r) => r.verdict === 'fail').map((r) => r.rate);

/** Invariants that hold for every target: the answer passed, lies below every failure and within the range. */
function expectSound(o: SearchOutcome, history: readonly SearchRecord[], s: SearchSettings): void {
  if (o.rate !== null) {
    expect(passed(history)).toContain(o.rate);
    for (const f of failed(history)) expect(o.rate).toBeLessThan(f);
    expect(o.rate).toBeLessThanOrEqual(s.maxRate);
  }
  for (const r of history) {
    expect(r.rate).toBeLessThanOrEqual(s.maxRate);
    expect(r.rate).toBeGreaterThan(0);
  }
  if (o.status === 'found') {
    expect(o.limitedBy).toBe('target');
    expect(o.rate).not.toBeNull();
    expect(o.lowestFailing).not.toBeNull();
    if (s.confirmMs > 0) {
      expect(o.confirmed).toBe(true);
      expect(history.some((r) => r.kind === 'confirm' && r.rate === o.rate && r.verdict === 'pass')).toBe(true);
    }
  }
}

describe('capacity search: monotone targets with a known knee', () => {
  it('finds the knee within the resolution, never above it', () => {
    fc.assert(
      fc.property(settingsArb, fc.double({ min: 0, max: 1, noNaN: true }), (s, where) => {
        // Knee somewhere strictly inside [startRate/4, maxRate).
        const knee = s.startRate / 4 + where * (s.maxRate - s.startRate / 4) * 0.999;
        const { outcome, history } = simulate(s, (r) => (r <= knee ? 'pass' : 'fail'));
        expectSound(outcome, history, s);
        if (knee < s.minRate) return;
        expect(outcome.status).toBe('found');
        const answer = outcome.rate!;
        expect(answer).toBeLessThanOrEqual(knee);
        expect(outcome.lowestFailing!).toBeGreaterThan(knee);
        // Within the resolution, or neighbours too close to split after rounding.
        const gap = outcome.lowestFailing! - answer;
        expect(converged(s.resolution, answer, outcome.lowestFailing!) || roundRate((answer + outcome.lowestFailing!) / 2) <= answer || gap <= 0.03 * answer + 0.02).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('reports range (not a capacity) when the target holds at the max rate', () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const { outcome, history } = simulate(s, () => 'pass');
        expectSound(outcome, history, s);
        expect(outcome).toMatchObject({ status: 'inconclusive', limitedBy: 'range', stopReason: 'max_rate' });
        expect(outcome.rate).toBe(history[history.length - 1].rate);
        expect(outcome.rate!).toBeGreaterThanOrEqual(s.maxRate / 1.01 - 0.01);
      }),
    );
  });

  it('descends when the start rate fails, and says none when nothing passes', () => {
    const down = simulate({ ...base, startRate: 800 }, (r) => (r <= 130 ? 'pass' : 'fail'));
    expect(down.history.slice(0, 4).map((r) => [r.kind, r.rate])).toEqual([
      ['climb', 800],
      ['descend', 400],
      ['descend', 200],
      ['descend', 100],
    ]);
    expect(down.outcome.status).toBe('found');
    expect(down.outcome.rate!).toBeLessThanOrEqual(130);
    expect(down.outcome.rate!).toBeGreaterThanOrEqual(130 / 1.05);

    const none = simulate({ ...base, startRate: 100, minRate: 10 }, () => 'fail');
    expect(none.outcome).toMatchObject({ status: 'none', limitedBy: 'target', stopReason: 'no_passing_rate', rate: null });
    expect(Math.min(...none.history.map((r) => r.rate))).toBeGreaterThanOrEqual(10);
  });

  it('runs climb, bisection and confirmation in order on a plain target', () => {
    const { history, outcome } = simulate(base, (r) => (r <= 1000 ? 'pass' : 'fail'));
    expect(history.map((r) => `${r.kind} ${r.rate} ${r.verdict}`)).toEqual([
      'climb 100 pass',
      'climb 200 pass',
      'climb 400 pass',
      'climb 800 pass',
      'climb 1600 fail',
      'bisect 1200 fail',
      'bisect 1000 pass',
      'bisect 1100 fail',
      'bisect 1050 fail',
      'confirm 1000 pass',
    ]);
    expect(outcome).toMatchObject({ status: 'found', rate: 1000, confirmed: true, lowestFailing: 1050, limitedBy: 'target' });
  });
});

describe('capacity search: noisy targets', () => {
  it('a confirmation that fails moves the answer down', () => {
    // Bisection steps pass spuriously up to 1150; the longer confirmation tells the truth (knee 1000).
    const { history, outcome } = simulate(base, (r, kind) => (r <= (kind === 'confirm' ? 1000 : 1150) ? 'pass' : 'fail'));
    const confirms = history.filter((r) => r.kind === 'confirm');
    expect(confirms.map((r) => `${r.rate} ${r.verdict}`)).toEqual(['1150 fail', '1100 fail', '1000 pass']);
    expect(outcome).toMatchObject({ status: 'found', rate: 1000, confirmed: true, lowestFailing: 1100 });
  });

  it('never claims a capacity above the knee when confirmations are truthful, whatever the short steps say', () => {
    fc.assert(
      fc.property(
        settingsArb.filter((s) => s.confirmMs > 0),
        fc.double({ min: 0.3, max: 0.99, noNaN: true }),
        fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 1, maxLength: 64 }),
        (s, where, noise) => {
          const knee = s.startRate + where * (s.maxRate - s.startRate);
          const { outcome, history } = simulate(s, (r, kind, n) => (r <= (kind === 'confirm' ? knee : knee * (1 + noise[n % noise.length])) ? 'pass' : 'fail'));
          expectSound(outcome, history, s);
          if (outcome.status === 'found') expect(outcome.rate!).toBeLessThanOrEqual(knee);
          if (outcome.rate !== null && outcome.confirmed) expect(outcome.rate).toBeLessThanOrEqual(knee);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives up as unstable after three failed confirmations', () => {
    // Short steps always pass below 1000; confirmations always fail.
    const { outcome, history } = simulate(base, (r, kind) => (kind !== 'confirm' && r <= 1000 ? 'pass' : 'fail'));
    expect(history.filter((r) => r.kind === 'confirm' && r.verdict === 'fail')).toHaveLength(3);
    expect(outcome).toMatchObject({ status: 'inconclusive', stopReason: 'unstable', limitedBy: 'target', confirmed: false });
  });
});

describe('capacity search: generator-limited', () => {
  it('stops as generator-limited below a generator ceiling under the knee, after one retry', () => {
    fc.assert(
      fc.property(settingsArb, fc.double({ min: 0.05, max: 0.9, noNaN: true }), (s, g) => {
        const ceiling = s.startRate + g * (s.maxRate - s.startRate);
        const knee = ceiling * 1.5;
        const { outcome, history } = simulate(s, (r) => (r > ceiling ? 'generator' : r <= knee ? 'pass' : 'fail'));
        expectSound(outcome, history, s);
        if (ceiling >= s.maxRate) return;
        expect(outcome).toMatchObject({ status: 'inconclusive', limitedBy: 'generator', stopReason: 'generator' });
        expect(outcome.rate === null || outcome.rate <= ceiling).toBe(true);
        // The step the generator could not deliver was run twice (once more as a retry).
        const gen = history.filter((r) => r.verdict === 'generator');
        expect(gen).toHaveLength(2);
        expect(gen[1].rate).toBe(gen[0].rate);
      }),
    );
  });

  it('a passing retry lets the search go on', () => {
    let first = true;
    const { outcome, history } = simulate(base, (r) => {
      if (r === 400 && first) {
        first = false;
        return 'generator';
      }
      return r <= 1000 ? 'pass' : 'fail';
    });
    expect(history.slice(2, 4).map((r) => `${r.kind} ${r.rate} ${r.verdict}`)).toEqual(['climb 400 generator', 'retry 400 pass']);
    expect(outcome).toMatchObject({ status: 'found', rate: 1000 });
  });
});

describe('capacity search: the time budget', () => {
  it('never plans a step that would overrun max-duration, and keeps the answer sound when time runs out', () => {
    fc.assert(
      fc.property(
        settingsArb,
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0.1, max: 0.99, noNaN: true }),
        (s0, steps, overheadMs, where) => {
          const s = { ...s0, maxDurationMs: steps * s0.stepMs };
          const knee = s.startRate + where * (s.maxRate - s.startRate);
          const { outcome, history } = simulate(s, (r) => (r <= knee ? 'pass' : 'fail'), overheadMs);
          expectSound(outcome, history, s);
          const spent = history.reduce((n, r) => n + r.elapsedMs, 0);
          expect(spent).toBeLessThanOrEqual(Math.max(s.maxDurationMs, s.stepMs + overheadMs));
          if (outcome.rate !== null) expect(outcome.rate).toBeLessThanOrEqual(knee);
          if (outcome.stopReason === 'max_duration') {
            expect(outcome.status).toBe('inconclusive');
            expect(outcome.limitedBy).toBe(outcome.lowestFailing === null ? 'range' : 'target');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('max-duration during the climb: range-limited, the answer a lower bound', () => {
    const { outcome, history } = simulate({ ...base, maxDurationMs: 3 * base.stepMs }, (r) => (r <= 10_000 ? 'pass' : 'fail'));
    expect(history.map((r) => r.rate)).toEqual([100, 200, 400]);
    expect(outcome).toMatchObject({ status: 'inconclusive', limitedBy: 'range', stopReason: 'max_duration', rate: 400 });
  });

  it('rejects settings that cannot work', () => {
    expect(() => startSearch({ ...base, startRate: 0 })).toThrow(/start rate/);
    expect(() => startSearch({ ...base, maxRate: 50 })).toThrow(/above the max rate/);
    expect(() => startSearch({ ...base, growth: 1 })).toThrow(/growth/);
    expect(() => startSearch({ ...base, maxDurationMs: 1000 })).toThrow(/at least one step/);
    expect(() => startSearch({ ...base, resolution: { kind: 'relative', value: 1.5 } })).toThrow(/below 100%/);
    expect(() => observe(startSearch(base), { rate: 123, verdict: 'pass', elapsedMs: 0 })).toThrow(/not the planned/);
  });
});
