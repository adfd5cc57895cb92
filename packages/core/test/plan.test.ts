import { describe, expect, it } from 'vitest';
import { fraction } from '../src/plan/fraction.js';
import { formatSegment, isWholeSegment, parseSegment, parseSequence, placeSegment, WHOLE_SEGMENT } from '../src/plan/segment.js';
import { ArrivalSchedule, userSteps, usersAt } from '../src/plan/stages.js';
import { owned, sequenceStripes, splitStripe, unitAt } from '../src/plan/stripe.js';

describe('segments', () => {
  it('k/n is the k-th of n equal parts; a:b takes decimals, fractions and percentages', () => {
    expect(parseSegment('2/4')).toEqual({ from: fraction(1, 4), to: fraction(1, 2) });
    expect(parseSegment('1/1')).toEqual(WHOLE_SEGMENT);
    expect(parseSegment('0.25:0.5')).toEqual(parseSegment('2/4'));
    expect(parseSegment('1/4:50%')).toEqual(parseSegment('2/4'));
    expect(parseSegment('1/3:2/3')).toEqual({ from: fraction(1, 3), to: fraction(2, 3) });
    expect(parseSegment(' 0:1 ')).toEqual(WHOLE_SEGMENT);
  });

  it('formats back to what parses to the same segment', () => {
    for (const text of ['1/1', '2/4', '3/3', '0.1:0.35', '1/3:0.75', '0:0.3', '0.5:0.9', '1/8']) expect(formatSegment(parseSegment(text))).toBe(text);
    expect(formatSegment(parseSegment('0.25:0.5'))).toBe('2/4');
    expect(formatSegment(parseSegment('1/3:2/3'))).toBe('2/3');
  });

  it('says what is wrong with a bad segment', () => {
    expect(() => parseSegment('0/4')).toThrow(/1 <= k <= n \(parts are numbered from 1\)/);
    expect(() => parseSegment('5/4')).toThrow(/1 <= k <= n/);
    expect(() => parseSegment('0.5')).toThrow(/expected k\/n .* or a:b/);
    expect(() => parseSegment('0.5:0.25')).toThrow(/0 <= a < b <= 1/);
    expect(() => parseSegment('0.5:1.5')).toThrow(/0 <= a < b <= 1/);
    expect(() => parseSegment('x:1')).toThrow(/start "x" is not a number/);
    expect(() => parseSegment('0:0.1234567')).toThrow(/at most 6 decimal digits/);
    try {
      parseSegment('nope');
    } catch (e) {
      expect(e).toMatchObject({ code: 'E_BAD_SEGMENT', exitCode: 2 });
    }
  });

  it('knows the whole run, including results written before plans ("0/1")', () => {
    expect(['1/1', '0:1', '0/1', '0:100%'].map(isWholeSegment)).toEqual([true, true, true, true]);
    expect(['2/4', '0:0.5', 'x'].map(isWholeSegment)).toEqual([false, false, false]);
  });

  it('places a segment in its sequence: given, equal parts for k/n, else filled around it', () => {
    expect(placeSegment(parseSegment('2/4')).index).toBe(1);
    expect(placeSegment(parseSegment('2/4')).sequence).toHaveLength(5);
    expect(placeSegment(parseSegment('0.1:0.35')).sequence).toEqual([fraction(0), fraction(1, 10), fraction(7, 20), fraction(1)]);
    expect(placeSegment(parseSegment('0:0.5')).sequence).toEqual([fraction(0), fraction(1, 2), fraction(1)]);
    const seq = parseSequence('0,1/2,3/4,1');
    expect(placeSegment(parseSegment('0.5:0.75'), seq)).toEqual({ sequence: seq, index: 1 });
    expect(() => placeSegment(parseSegment('0.25:0.75'), seq)).toThrow(/is not one of the parts of the sequence 0,0.5,0.75,1/);
    expect(() => parseSequence('0,0.5,0.4,1')).toThrow(/increasing points from 0 to 1/);
    expect(() => parseSequence('0.1,1')).toThrow(/increasing points from 0 to 1/);
  });
});

describe('stripes', () => {
  it('equal parts deal unit u to part u mod n; workers of a shard take its units in turn', () => {
    const quarters = sequenceStripes(parseSequence('0,1/4,1/2,3/4,1'));
    expect(quarters.map((s) => s.slots)).toEqual([[0], [1], [2], [3]]);
    // shard k of n, worker w of W: unit u with u mod nW = k + n·w (what the engine did before plans)
    for (const [n, W] of [[1, 3], [4, 2], [3, 5]]) {
      const shards = sequenceStripes(Array.from({ length: n + 1 }, (_, i) => fraction(i, n)));
      for (let k = 0; k < n; k++) {
        const workers = splitStripe(shards[k], W);
        for (let w = 0; w < W; w++) for (let j = 0; j < 20; j++) expect(unitAt(workers[w], j)).toBe(j * n * W + k + n * w);
      }
    }
  });

  it('a 1:3 sequence spreads the small part over the cycle and counts grow one unit at a time', () => {
    const [a, b] = sequenceStripes(parseSequence('0,1/4,1'));
    expect(a.slots.length + b.slots.length).toBe(4);
    expect(a.slots).toHaveLength(1);
    for (let n = 0; n < 40; n++) {
      expect(owned(a, n) + owned(b, n)).toBe(n);
      expect(owned(a, n + 1) - owned(a, n)).toBeLessThanOrEqual(1);
    }
  });
});

describe('load shapes', () => {
  it('closed: users move toward each stage at the spawn rate and hold', () => {
    expect(userSteps([{ durationMs: 1000, users: 3, spawnRate: 3 }, { durationMs: 500, users: 1 }])).toEqual([
      { atMs: 0, users: 0 },
      { atMs: 1000 / 3, users: 1 },
      { atMs: 2000 / 3, users: 2 },
      { atMs: 1000, users: 1 },
    ]);
    const stages = [{ durationMs: 20_000, users: 100, spawnRate: 10 }, { durationMs: 10_000, users: 20, spawnRate: 40 }];
    expect(usersAt(stages, 0)).toBe(0);
    expect(usersAt(stages, 1000)).toBe(10);
    expect(usersAt(stages, 9_950)).toBe(99);
    expect(usersAt(stages, 15_000)).toBe(100);
    expect(usersAt(stages, 21_000)).toBe(60);
    expect(usersAt(stages, 29_000)).toBe(20);
    expect(usersAt([{ durationMs: 5000, users: 7 }], 1)).toBe(7);
  });

  it('open: constant and ramped arrival schedules place exactly the integral of the rate', () => {
    const constant = new ArrivalSchedule(200, [{ durationMs: 20_000, rate: 200 }]);
    expect(constant.totalArrivals).toBe(4000);
    expect(constant.timeOf(0)).toBe(0);
    expect(constant.timeOf(1)).toBeCloseTo(5, 9);
    expect(constant.timeOf(3999)).toBeCloseTo(19_995, 6);
    expect(constant.timeOf(4000)).toBe(Infinity);

    // 0 -> 100/s over 10 s: 500 arrivals; then hold 100/s for 5 s: 500 more.
    const ramp = new ArrivalSchedule(0, [{ durationMs: 10_000, rate: 100 }, { durationMs: 5_000, rate: 100 }]);
    expect(ramp.totalArrivals).toBe(1000);
    expect(ramp.rateAt(5_000)).toBeCloseTo(50, 9);
    // arrival k in the ramp at t = sqrt(2k/b), b = 0.01/ms²... rate per ms grows 1e-5 per ms
    expect(ramp.timeOf(125)).toBeCloseTo(5_000, 3);
    expect(ramp.timeOf(500)).toBeCloseTo(10_000, 3);
    expect(ramp.timeOf(750)).toBeCloseTo(12_500, 3);
    let prev = -1;
    for (let k = 0; k < 1000; k++) {
      const t = ramp.timeOf(k);
      expect(t).toBeGreaterThan(prev);
      prev = t;
    }
    expect(ramp.arrivalsBefore(15_000)).toBeCloseTo(1000, 6);
  });
});
