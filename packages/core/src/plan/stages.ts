/**
 * Load shapes over time. Times are ms since the run start.
 * Closed model: a target user count that moves toward each stage's `users` at its
 * spawn rate (Locust) and holds. Open model: an arrival rate ramped linearly
 * between stages (k6 ramping-arrival-rate); arrival k happens at the time the
 * integral of the rate reaches k.
 */
import type { ClosedStage, LoadModel, OpenStage } from '../scenario/model.js';

export function totalDurationMs(load: LoadModel): number {
  let sum = 0;
  for (const s of load.stages) sum += s.durationMs;
  return sum;
}

/** Index of the stage in force at time t (the last one after the end). */
export function stageIndexAt(stages: ReadonlyArray<{ durationMs: number }>, t: number): number {
  let end = 0;
  for (let i = 0; i < stages.length; i++) {
    end += stages[i].durationMs;
    if (t < end) return i;
  }
  return stages.length - 1;
}

export function stageLabel(stages: ReadonlyArray<{ name?: string }>, i: number): string {
  return stages[i]?.name ?? `stage ${i + 1}/${stages.length}`;
}

/** From `atMs` (ms since the start) on, `users` users run (until the next step). */
export interface UserStep {
  /** ms since the start of the load. */
  atMs: number;
  /** Users running from then on (count). */
  users: number;
}

/**
 * The closed model's whole-run user count over time, as steps: each stage moves the
 * count toward its `users` at its spawn rate (one user every 1000/spawnRate ms,
 * Locust) or at once, and holds it. A stage too short to get there leaves the count
 * where it got to.
 */
export function userSteps(stages: readonly ClosedStage[]): UserStep[] {
  const out: UserStep[] = [];
  let users = 0;
  let start = 0;
  const push = (atMs: number, n: number): void => {
    if (out.length > 0 && out[out.length - 1].atMs === atMs) out[out.length - 1].users = n;
    else out.push({ atMs, users: n });
  };
  for (const s of stages) {
    if (s.spawnRate === undefined || s.spawnRate <= 0) {
      users = s.users;
      push(start, users);
    } else {
      const moves = Math.min(Math.abs(s.users - users), Math.floor((s.spawnRate * s.durationMs) / 1000));
      const dir = s.users > users ? 1 : -1;
      if (start === 0) push(0, users);
      for (let m = 1; m <= moves; m++) push(start + Math.min(s.durationMs, (1000 * m) / s.spawnRate), users + dir * m);
      users += dir * moves;
    }
    start += s.durationMs;
  }
  return out;
}

/** The count of the last step at or before t (0 before the first). */
export function stepAt(steps: readonly UserStep[], t: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid].atMs <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : steps[lo - 1].users;
}

/** Target number of users at time t in the closed model (whole-run count, before splitting). */
export function usersAt(stages: readonly ClosedStage[], t: number): number {
  return stepAt(userSteps(stages), t);
}

/** Open-model arrival schedule: rate(t) and the time of arrival k. */
export class ArrivalSchedule {
  private readonly starts: number[] = [];
  private readonly rates0: number[] = [];
  private readonly slopes: number[] = []; // per ms
  private readonly cumulative: number[] = []; // arrivals before each stage
  readonly totalArrivals: number;
  readonly durationMs: number;

  constructor(startRate: number, readonly stages: readonly OpenStage[]) {
    let t = 0;
    let r = startRate;
    let c = 0;
    for (const s of stages) {
      const r0 = r / 1000; // per ms
      const r1 = s.rate / 1000;
      const slope = s.durationMs > 0 ? (r1 - r0) / s.durationMs : 0;
      this.starts.push(t);
      this.rates0.push(r0);
      this.slopes.push(slope);
      this.cumulative.push(c);
      c += r0 * s.durationMs + (slope * s.durationMs * s.durationMs) / 2;
      t += s.durationMs;
      r = s.rate;
    }
    this.durationMs = t;
    // Arrivals at times < duration: k = 0 .. ceil(c) - 1, guarding float noise.
    this.totalArrivals = Math.max(0, Math.ceil(c - 1e-9));
  }

  /** Arrival rate (per second) at time t. */
  rateAt(t: number): number {
    const i = stageIndexAt(this.stages, t);
    if (i < 0) return 0;
    const local = Math.min(Math.max(0, t - this.starts[i]), this.stages[i].durationMs);
    return (this.rates0[i] + this.slopes[i] * local) * 1000;
  }

  /** Expected arrivals in [0, t). */
  arrivalsBefore(t: number): number {
    if (t <= 0) return 0;
    const i = stageIndexAt(this.stages, t);
    const local = Math.min(t - this.starts[i], this.stages[i].durationMs);
    return this.cumulative[i] + this.rates0[i] * local + (this.slopes[i] * local * local) / 2;
  }

  /** Time (ms since start) of arrival k (0-based), or Infinity when beyond the run. */
  timeOf(k: number): number {
    if (k >= this.totalArrivals) return Infinity;
    // Find the stage whose cumulative range contains k.
    let i = this.stages.length - 1;
    while (i > 0 && this.cumulative[i] > k) i--;
    for (; i < this.stages.length; i++) {
      const a = this.rates0[i];
      const b = this.slopes[i];
      const n = k - this.cumulative[i];
      let tau: number;
      if (Math.abs(b) < 1e-15) {
        if (a <= 0) continue;
        tau = n / a;
      } else {
        const disc = a * a + 2 * b * n;
        if (disc < 0) continue;
        tau = (-a + Math.sqrt(disc)) / b;
      }
      if (tau >= 0 && tau <= this.stages[i].durationMs + 1e-6) return this.starts[i] + tau;
    }
    return Infinity;
  }
}
