/**
 * Closed model: virtual users (runners owning one connection each, or sharing one
 * when pipelining) loop over flows. The count follows this worker's user steps from
 * the plan: its exact share of the stages' target at their spawn rate.
 */
import { stepAt, type UserStep } from '../plan/stages.js';
import { unitAt } from '../plan/stripe.js';
import { createClient, type ConnectionOptions, type HttpClient } from './connections.js';
import { GRACEFUL_STOP_MS } from './graceful.js';
import { IterationRunner } from './runner.js';
import type { WorkerRuntime } from './runtime.js';

export interface ClosedDriverOptions {
  /** This worker's user count over time. */
  users: readonly UserStep[];
  durationMs: number;
  /** This worker's share of the iteration bound (quick -n). */
  iterations?: number;
  connection: ConnectionOptions;
}

export class ClosedDriver {
  private readonly runners: Array<IterationRunner> = [];
  private readonly clients: HttpClient[] = [];
  private readonly durationMs: number;
  private remaining: number;
  private control: NodeJS.Timeout | null = null;
  private grace: NodeJS.Timeout | null = null;
  private resolveDone: (() => void) | null = null;

  constructor(private readonly rt: WorkerRuntime, private readonly o: ClosedDriverOptions) {
    this.durationMs = o.durationMs;
    this.remaining = o.iterations === undefined ? Infinity : o.iterations;
    rt.activeUsers = () => this.runners.reduce((n, r) => n + (r.active || r.busy ? 1 : 0), 0);
  }

  /** Users connect as they spawn; nothing to open beforehand. */
  async prepare(): Promise<void> {}

  run(): Promise<void> {
    return new Promise((resolve) => {
      this.resolveDone = resolve;
      this.adjust();
      this.control = setInterval(() => this.adjust(), 50);
    });
  }

  /** Bring the number of active users to this worker's share of the target. */
  private adjust(): void {
    const t = performance.now() - this.rt.startPerf;
    if (t >= this.durationMs) {
      this.drain();
      return;
    }
    if (this.remaining <= 0) {
      // Count-bounded: let the started iterations finish.
      this.checkDone();
      return;
    }
    const pipelining = this.o.connection.pipelining;
    const wanted = stepAt(this.o.users, t) * pipelining;
    let active = 0;
    for (const r of this.runners) if (r.active) active++;
    for (let k = 0; active < wanted && k < wanted; k++) {
      const r = this.runner(k, pipelining);
      if (!r.active) {
        r.active = true;
        active++;
        if (!r.busy) this.next(r, performance.now());
      }
    }
    for (let k = this.runners.length - 1; active > wanted && k >= 0; k--) {
      if (this.runners[k].active) {
        this.runners[k].active = false;
        active--;
      }
    }
  }

  private runner(k: number, pipelining: number): IterationRunner {
    let r = this.runners[k];
    if (r === undefined) {
      const user = Math.floor(k / pipelining);
      const vu = unitAt(this.rt.units, user);
      r = new IterationRunner(this.rt, vu, false, (x) => this.onIterationEnd(x));
      r.client = this.clients[user] ??= createClient(this.o.connection);
      this.runners[k] = r;
      this.rt.runners.push(r);
    }
    return r;
  }

  private next(r: IterationRunner, now: number): void {
    // No iteration starts once the load's planned end has passed (the control timer may not have noticed yet).
    if (!this.rt.draining && performance.now() - this.rt.startPerf >= this.durationMs) this.drain();
    if (this.rt.draining || !r.active || this.remaining <= 0) {
      r.active = false;
      this.checkDone();
      return;
    }
    this.remaining--;
    if (this.remaining === 0) this.rt.endLoad(null); // count-bounded: the last iteration starts now
    r.startIteration(now);
  }

  private onIterationEnd(r: IterationRunner): void {
    // Back to back: the next iteration starts when the last one ended.
    this.next(r, r.endedAt);
  }

  /** The load is over: no new iterations; running ones get GRACEFUL_STOP_MS to finish. */
  private drain(): void {
    if (this.rt.draining) return;
    this.rt.endLoad(this.durationMs);
    this.rt.draining = true;
    this.clearControl();
    for (const r of this.runners) {
      r.active = false;
      r.cancelPace();
    }
    this.grace = setTimeout(() => this.stop(), GRACEFUL_STOP_MS);
    this.checkDone();
  }

  /** Stop now: no new steps; requests in flight finish (bounded by the timeout). */
  stop(): void {
    this.rt.endLoad(null);
    this.rt.draining = true;
    this.rt.stopping = true;
    this.clearControl();
    for (const r of this.runners) {
      r.active = false;
      r.cancel();
    }
    this.checkDone();
  }

  private clearControl(): void {
    if (this.control !== null) clearInterval(this.control);
    this.control = null;
  }

  /** Done when the load is over (drained, stopped or every counted iteration started) and nothing runs. */
  private checkDone(): void {
    if (!this.rt.draining && this.remaining > 0) return;
    if (this.runners.some((r) => r.busy)) return;
    this.clearControl();
    if (this.grace !== null) clearTimeout(this.grace);
    this.grace = null;
    const done = this.resolveDone;
    this.resolveDone = null;
    done?.();
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.destroy()));
  }
}
