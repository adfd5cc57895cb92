import { describe, expect, it } from 'vitest';
import { shareOf, owns } from '../src/plan/segment.js';
import { ArrivalSchedule, usersAt } from '../src/plan/stages.js';

describe('execution segments', () => {
  it('any split adds up exactly to the whole', () => {
    for (const total of [0, 1, 7, 100, 1001]) {
      for (const n of [1, 2, 3, 8]) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += shareOf(total, { index: i, count: n });
        expect(sum).toBe(total);
        // ownership agrees with the shares
        for (let i = 0; i < n; i++) {
          let owned = 0;
          for (let u = 0; u < total; u++) if (owns(u, { index: i, count: n })) owned++;
          expect(owned).toBe(shareOf(total, { index: i, count: n }));
        }
      }
    }
  });
});

describe('load shapes', () => {
  it('closed: users move toward each stage at the spawn rate and hold', () => {
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
