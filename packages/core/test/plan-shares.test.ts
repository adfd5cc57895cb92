/**
 * Properties of the plan stage, over many worker counts, loads and segment partitions:
 * every share adds up exactly to the whole, every unit has exactly one owner, and the
 * workers' arrivals together are exactly the whole run's schedule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fraction, type Fraction } from '../src/plan/fraction.js';
import { plan } from '../src/plan/plan.js';
import { formatSegment, parseSegment, type Segment, type SegmentSequence } from '../src/plan/segment.js';
import { ArrivalSchedule, stepAt, userSteps, usersAt } from '../src/plan/stages.js';
import { owned, sequenceStripes, splitStripe, unitAt } from '../src/plan/stripe.js';
import type { LoadSharePlan, WorkerPlan } from '../src/plan/worker-plan.js';
import type { ClosedStage, OpenStage, SingleLoadScenario } from '../src/scenario/model.js';

const RUNS = { numRuns: 150 };

/** A partition of [0, 1): sorted distinct cut points (denominators whose common multiple stays small, 1200 at most). */
const DENOMINATORS = [2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 20, 100];
const sequenceArb: fc.Arbitrary<SegmentSequence> = fc
  .uniqueArray(
    fc.constantFrom(...DENOMINATORS).chain((d) => fc.integer({ min: 1, max: d - 1 }).map((n) => [n, d] as const)),
    { maxLength: 5, selector: ([n, d]) => n / d },
  )
  .map((cuts) => {
    const inner = cuts.map(([n, d]) => fraction(n, d)).sort((a, b) => a.n / a.d - b.n / b.d);
    return [fraction(0), ...inner, fraction(1)];
  });

const partsOf = (seq: SegmentSequence): Segment[] => seq.slice(1).map((to, i) => ({ from: seq[i], to }));

const closedStagesArb: fc.Arbitrary<ClosedStage[]> = fc.array(
  fc.record(
    {
      durationMs: fc.integer({ min: 0, max: 20_000 }),
      users: fc.integer({ min: 0, max: 300 }),
      spawnRate: fc.option(fc.double({ min: 0.1, max: 200, noNaN: true }), { nil: undefined }),
    },
    { requiredKeys: ['durationMs', 'users'] },
  ),
  { minLength: 1, maxLength: 4 },
);

const openStagesArb: fc.Arbitrary<OpenStage[]> = fc.array(
  fc.record({ durationMs: fc.integer({ min: 1, max: 15_000 }), rate: fc.double({ min: 0, max: 60, noNaN: true }) }),
  { minLength: 1, maxLength: 3 },
);

function scenario(load: SingleLoadScenario['load'], rows = 0): SingleLoadScenario {
  return {
    name: 'p',
    target: 'http://127.0.0.1:1',
    headers: {},
    timeoutMs: 1000,
    pipelining: 1,
    variables: {},
    data: rows > 0 ? { d: { file: 'd.csv', order: 'sequential', rows: Array.from({ length: rows }, (_, i) => ({ i: String(i) })) } } : {},
    load,
    flows: [{ name: 'f', weight: 1, steps: [{ name: 'GET /', method: 'GET', path: '/${data.d.i}', query: {}, headers: {}, captures: [], checks: [] }] }],
    thresholds: [],
    reporters: [],
    tags: {},
  };
}

/** A worker's share of the one load of a one-load scenario. */
function only(w: WorkerPlan): LoadSharePlan {
  expect(w.shares).toHaveLength(1);
  return w.shares[0];
}

/** Every worker of every part of the sequence (its share of the one load). */
function allWorkers(s: SingleLoadScenario, seq: SegmentSequence, workers: number): LoadSharePlan[] {
  return partsOf(seq).flatMap((segment) => plan(s, { workers, segment, sequence: seq, seed: 1 }).workers.map(only));
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('segments and stripes', () => {
  it('formatSegment and parseSegment round-trip any segment', () => {
    const frac = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 })).filter(([n, d]) => n <= d);
    fc.assert(
      fc.property(frac, frac, ([a, b], [c, d]) => {
        const x: Fraction = fraction(a, b);
        const y: Fraction = fraction(c, d);
        fc.pre(x.n / x.d < y.n / y.d);
        const seg = { from: x, to: y };
        expect(parseSegment(formatSegment(seg))).toEqual(seg);
      }),
      RUNS,
    );
  });

  it('the parts of any sequence, and their workers, own every unit exactly once', () => {
    fc.assert(
      fc.property(sequenceArb, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 5000 }), (seq, W, n) => {
        const owners = sequenceStripes(seq).flatMap((s) => splitStripe(s, W));
        // shares of any amount add up
        expect(sum(owners.map((s) => owned(s, n)))).toBe(n);
        // each unit below 300 has exactly one owner, and unitAt lists an owner's units in order
        const owners_ = new Array<number>(300).fill(0);
        let inOrder = true;
        for (const s of owners) {
          for (let j = 0, u = unitAt(s, 0); u < 300; u = unitAt(s, ++j)) {
            owners_[u]++;
            inOrder &&= owned(s, u) === j && owned(s, u + 1) === j + 1;
          }
        }
        expect(owners_.every((c) => c === 1)).toBe(true);
        expect(inOrder).toBe(true);
      }),
      RUNS,
    );
  });

  it("a part's share never lags its exact proportion by a unit or more per cycle of the sequence", () => {
    fc.assert(
      fc.property(sequenceArb, fc.integer({ min: 0, max: 5000 }), (seq, n) => {
        const stripes = sequenceStripes(seq);
        partsOf(seq).forEach((p, i) => {
          const exact = (n * (p.to.n * p.from.d - p.from.n * p.to.d)) / (p.to.d * p.from.d);
          expect(Math.abs(owned(stripes[i], n) - exact)).toBeLessThan(stripes[i].slots.length + 1);
        });
      }),
      RUNS,
    );
  });
});

describe('plan: closed model', () => {
  it('users of every stage, at every moment, and the -n bound add up exactly', () => {
    fc.assert(
      fc.property(sequenceArb, fc.integer({ min: 1, max: 12 }), closedStagesArb, fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }), (seq, W, stages, iterations) => {
        const s = scenario({ model: 'closed', stages, iterations });
        const workers = allWorkers(s, seq, W);
        const loads = workers.map((w) => (w.load.model === 'closed' ? w.load : expect.fail('closed')));
        stages.forEach((st, i) => expect(sum(loads.map((l) => l.stageUsers[i]))).toBe(st.users));
        const times = [...new Set([0, ...userSteps(stages).map((x) => x.atMs), 1e9])];
        for (const t of times) expect(sum(loads.map((l) => stepAt(l.users, t)))).toBe(usersAt(stages, t));
        if (iterations !== undefined) expect(sum(loads.map((l) => l.iterations ?? 0))).toBe(iterations);
        // connections follow the users: peak users in all
        const peak = Math.max(0, ...userSteps(stages).map((x) => x.users));
        expect(sum(workers.map((w) => owned(w.units, peak)))).toBe(peak);
      }),
      RUNS,
    );
  });

  it('fewer users than workers means fewer workers, each with a user, and a note', () => {
    const s = scenario({ model: 'closed', stages: [{ durationMs: 1000, users: 3 }] });
    const p = plan(s, { workers: 8 });
    expect(p.workers).toHaveLength(3);
    expect(p.workers.map(only).map((w) => (w.load.model === 'closed' ? w.load.stageUsers[0] : 0))).toEqual([1, 1, 1]);
    expect(p.notes).toEqual([{ severity: 'info', message: '3 workers instead of 8: the run has only 3 users' }]);
    const shard = plan(s, { workers: 8, segment: parseSegment('2/4') });
    expect([shard.workers.length, shard.notes[0].message]).toEqual([1, '1 worker instead of 8: segment 2/4 has only 1 user']);
    const empty = plan(s, { workers: 2, segment: parseSegment('4/4') });
    expect(empty.workers).toHaveLength(1);
    expect(empty.notes).toEqual([{ severity: 'info', message: 'segment 4/4 has no users to run: its share of the load is empty' }]);
  });
});

describe('plan: open model', () => {
  it('arrivals, connections and in-flight slots add up; each arrival has one owner at its global time', () => {
    fc.assert(
      fc.property(
        sequenceArb,
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 60, noNaN: true }),
        openStagesArb,
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        (seq, W, startRate, stages, connections, maxInFlight) => {
          const s = scenario({ model: 'open', startRate, stages, connections, maxInFlight });
          const global = new ArrivalSchedule(startRate, stages);
          const workers = allWorkers(s, seq, W);
          const loads = workers.map((w) => (w.load.model === 'open' ? w.load : expect.fail('open')));
          expect(sum(loads.map((l) => l.arrivals))).toBe(global.totalArrivals);
          expect(sum(loads.map((l) => l.connections))).toBe(connections);
          expect(sum(loads.map((l) => l.maxInFlight))).toBe(maxInFlight);
          // what the open driver does: the j-th arrival of a worker is unit unitAt(units, j) of its plan's schedule
          const owners = new Map<number, number>();
          const times: number[] = [];
          workers.forEach((w, i) => {
            const l = loads[i];
            const schedule = new ArrivalSchedule(l.startRate, l.stages);
            for (let j = 0; j < l.arrivals; j++) {
              const k = unitAt(w.units, j);
              expect(owners.has(k)).toBe(false);
              owners.set(k, i);
              times.push(schedule.timeOf(k));
              expect(schedule.timeOf(k)).toBe(global.timeOf(k));
            }
          });
          expect(owners.size).toBe(global.totalArrivals);
          const all = Array.from({ length: global.totalArrivals }, (_, k) => global.timeOf(k));
          expect(times.sort((a, b) => a - b)).toEqual(all.sort((a, b) => a - b));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a fractional rate spreads over the workers without drift', () => {
    // 2.5/s for 8 s over 3 workers: 20 arrivals 400 ms apart, dealt in turn.
    const s = scenario({ model: 'open', startRate: 2.5, stages: [{ durationMs: 8000, rate: 2.5 }], connections: 3, maxInFlight: 3 });
    const p = plan(s, { workers: 3 });
    const schedule = new ArrivalSchedule(2.5, [{ durationMs: 8000, rate: 2.5 }]);
    const times = p.workers.map(only).map((w) => Array.from({ length: w.load.model === 'open' ? w.load.arrivals : 0 }, (_, j) => Math.round(schedule.timeOf(unitAt(w.units, j)))));
    expect(times).toEqual([
      [0, 1200, 2400, 3600, 4800, 6000, 7200],
      [400, 1600, 2800, 4000, 5200, 6400, 7600],
      [800, 2000, 3200, 4400, 5600, 6800],
    ]);
  });

  it('fewer connections than workers means fewer workers; no worker gets a connection "just in case"', () => {
    const s = scenario({ model: 'open', startRate: 100, stages: [{ durationMs: 1000, rate: 100 }], connections: 2, maxInFlight: 100 });
    const p = plan(s, { workers: 4 });
    expect(p.workers.map(only).map((w) => (w.load.model === 'open' ? w.load.connections : 0))).toEqual([1, 1]);
    expect(p.notes).toEqual([{ severity: 'info', message: '2 workers instead of 4: the run has only 2 connections' }]);
    expect(p.totals).toEqual({ connections: 2, arrivals: 100, maxInFlight: 100 });
    // a shard that gets none of 3 connections cannot send its arrivals: said as a warning
    const three = scenario({ model: 'open', startRate: 100, stages: [{ durationMs: 1000, rate: 100 }], connections: 3, maxInFlight: 100 });
    const shard = plan(three, { workers: 2, segment: parseSegment('4/4') });
    expect(shard.notes).toEqual([{ severity: 'warn', message: 'segment 4/4 gets no connections (fewer in all than parts of the run): its 25 arrivals will be dropped' }]);
    expect(shard.workers.map(only).map((w) => (w.load.model === 'open' ? [w.load.arrivals, w.load.connections] : []))).toEqual([[25, 0]]);
  });
});

describe('plan: data rows and foreign origins', () => {
  it('sequential rows are read by exactly one worker of one shard when there are enough rows', () => {
    fc.assert(
      fc.property(sequenceArb, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 400 }), (seq, W, extra) => {
        const stripes = sequenceStripes(seq).flatMap((st) => splitStripe(st, W));
        const rows = stripes.reduce((m, st) => Math.max(m, st.period), 1) + extra;
        const s = scenario({ model: 'closed', stages: [{ durationMs: 1000, users: 10_000 }] }, rows);
        const read = allWorkers(s, seq, W).flatMap((w) => w.data.d.rows.map((r) => Number(r.i)));
        expect(read.sort((a, b) => a - b)).toEqual(Array.from({ length: rows }, (_, i) => i));
      }),
      { numRuns: 60 },
    );
  });

  it("pools to other origins get each worker's share of the target's connections, not 64 each", () => {
    const s = scenario({ model: 'open', startRate: 10, stages: [{ durationMs: 1000, rate: 10 }], connections: 10, maxInFlight: 10 });
    s.flows[0].steps.push({ name: 'other', method: 'GET', path: 'http://127.0.0.2:9/x', query: {}, headers: {}, captures: [], checks: [] });
    const p = plan(s, { workers: 3 });
    expect(p.workers.map(only).map((w) => w.foreignConnections)).toEqual([4, 3, 3]);
    expect(plan(scenario({ model: 'closed', stages: [{ durationMs: 1, users: 5 }] }), { workers: 2 }).workers.map(only).map((w) => w.foreignConnections)).toEqual([0, 0]);
  });
});
