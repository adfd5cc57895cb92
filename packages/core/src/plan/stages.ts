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

/** Target number of users at time t in the closed model (whole-run count, before splitting). */
export function usersAt(stages: readonly ClosedStage[], t: number): number {
  let users = 0;
  let start = 0;
  for (const s of stages) {
    const local = Math.min(t - start, s.durationMs);
    if (local < 0) break;
    if (s.spawnRate === undefined || s.spawnRate <= 0) {
      users = s.users;
    } else {
      const moved = Math.floor((s.spawnRate * local) / 1000);
      users = s.users > users ? Math.min(s.users, users + moved) : Math.max(s.users, users - moved);
    }
    start += s.durationMs;
    if (t < start) break;
  }
  return users;
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
