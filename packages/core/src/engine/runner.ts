/**
 * The flow runner: one iteration of one flow at a time, step after step:
 * template -> undici dispatch -> checks, captures -> think time -> next step.
 * A closed-model virtual user is one runner looping; in the open model runners
 * are pooled and each arrival borrows one.
 */
import type { Client, Dispatcher } from 'undici';
import type { CompiledStep, IterationContext, ResponseView } from '../plan/compile.js';
import type { CompiledProgram } from '../plan/worker-program.js';
import type { ConnectionPool, Waiter } from './connections.js';
import { Exchange } from './exchange.js';
import type { PreparedFlow, PreparedStep } from './prepared.js';
import type { CheckRecorder } from './recorder.js';

/** What a runner needs of its worker's runtime (runtime.ts implements it). */
export interface RunnerHost {
  readonly program: Pick<CompiledProgram, 'nextFlow' | 'newIteration' | 'thinkMs'>;
  readonly flows: readonly PreparedFlow[];
  readonly checks: CheckRecorder;
  /** The open model's shared connections (runners borrow one per request); null in the closed model. */
  readonly pool: ConnectionPool | null;
  /** The load is over: no new iterations. */
  readonly draining: boolean;
  /** Stopped: no new steps either. */
  readonly stopping: boolean;
  requestBytes(method: string, path: string, headers: string[], body: string | null): number;
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export class IterationRunner implements Waiter {
  readonly exchange: Exchange;
  /** Owned (closed model) or borrowed per request (open model). */
  client: Client | null = null;
  /** Inside an iteration (including think time). */
  busy = false;
  /** Closed model: this virtual user should keep looping. */
  active = false;
  /** performance.now() when the last iteration ended: the next one of a closed-model user starts then. */
  endedAt = 0;
  since = 0;

  private flowIndex = 0;
  private flow!: PreparedFlow;
  private stepIndex = 0;
  private ctx!: IterationContext;
  private iterationStart = 0;
  private failed = false;
  private stepDueAt = 0;
  private timer: NodeJS.Timeout | null = null;
  /** The timer is the pace after an iteration (not think time inside one). */
  private pacing = false;

  constructor(
    private readonly rt: RunnerHost,
    readonly vu: number,
    private readonly borrow: boolean,
    private readonly onIterationEnd: (r: IterationRunner) => void,
  ) {
    this.exchange = new Exchange((x) => this.onExchangeDone(x));
  }

  startIteration(originAt: number): void {
    this.busy = true;
    this.flowIndex = this.rt.program.nextFlow();
    this.flow = this.rt.flows[this.flowIndex];
    // Stateless flows (e.g. quick) reuse one context: nothing per iteration to allocate.
    if (!this.flow.stateless || this.ctx === undefined) this.ctx = this.rt.program.newIteration(this.flowIndex, this.vu);
    this.iterationStart = originAt;
    this.failed = false;
    this.stepIndex = 0;
    this.runStep(originAt);
  }

  /** Stop waiting (think time or pace) at once; an iteration in think time ends incomplete. */
  cancel(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      this.finishIteration();
    }
  }

  /** Skip the pace after a finished iteration (the load is draining). */
  cancelPace(): void {
    if (this.pacing) this.cancel();
  }

  private runStep(dueAt: number): void {
    this.timer = null;
    if (this.rt.stopping) {
      this.endIncomplete();
      return;
    }
    this.stepDueAt = dueAt;
    if (this.borrow && this.flow.steps[this.stepIndex].foreign === null) {
      this.since = dueAt;
      this.rt.pool!.acquire(this);
    } else {
      this.send();
    }
  }

  grant(client: Client): void {
    this.client = client;
    this.send();
  }

  expire(reason: 'timeout' | 'stopped'): void {
    if (reason === 'timeout') {
      const p = this.flow.steps[this.stepIndex];
      p.recorder.error('timeout', 0);
      this.failed = true;
      this.completeIteration(performance.now());
    } else {
      this.endIncomplete();
    }
  }

  private send(): void {
    const p: PreparedStep = this.flow.steps[this.stepIndex];
    const step: CompiledStep = p.step;
    let opts: Dispatcher.DispatchOptions;
    let bytesOut: number;
    if (p.staticOpts !== null) {
      opts = p.staticOpts;
      bytesOut = p.staticBytesOut;
    } else {
      const r = step.render(this.ctx);
      opts = { path: r.path, method: step.method as Dispatcher.HttpMethod, headers: r.headers, body: r.body, blocking: false };
      bytesOut = this.rt.requestBytes(step.method, r.path, r.headers, r.body);
    }
    this.exchange.begin(p.recorder, this.stepDueAt, bytesOut, p.timeoutMs, step.needsBody, step.needsHeaders);
    (p.foreign ?? this.client!).dispatch(opts, this.exchange);
  }

  private onExchangeDone(x: Exchange): void {
    if (this.borrow && this.client !== null && this.flow.steps[this.stepIndex].foreign === null) {
      const c = this.client;
      this.client = null;
      this.rt.pool!.release(c);
    }
    if (x.discarded) {
      this.endIncomplete();
      return;
    }
    const p = this.flow.steps[this.stepIndex];
    if (x.errorKind !== null) {
      // A transport error ends the iteration (later steps would lack its captures).
      this.failed = true;
      this.completeIteration(performance.now());
      return;
    }
    if (x.status >= 400) this.failed = true;
    if (p.hasEvaluation) {
      const res: ResponseView = {
        status: x.status,
        headers: p.step.needsHeaders ? x.headerMap() : NO_HEADERS,
        body: p.step.needsBody ? x.bodyText() : '',
        durationMs: x.completedAt - x.originAt,
      };
      const out = p.step.evaluate(res, this.ctx);
      for (const c of out.checks) this.rt.checks.record(c.name, c.passed);
      if (out.failed) this.failed = true;
    }
    this.stepIndex++;
    if (this.stepIndex >= this.flow.steps.length) {
      this.completeIteration(x.completedAt);
      return;
    }
    const think = this.rt.program.thinkMs(p.step.think);
    if (think > 0) this.timer = setTimeout(() => this.runStep(performance.now()), think);
    else this.runStep(x.completedAt);
  }

  private completeIteration(now: number): void {
    this.endedAt = now;
    this.flow.recorder.iteration((now - this.iterationStart) * 1000, this.failed);
    const pace = this.rt.program.thinkMs(this.flow.pace);
    if (pace > 0 && !this.borrow && !this.rt.draining) {
      this.pacing = true;
      this.timer = setTimeout(() => {
        this.endedAt = performance.now();
        this.finishIteration();
      }, pace);
    } else {
      this.finishIteration();
    }
  }

  /** The iteration stops before its last step (run stopped): not counted as an iteration. */
  private endIncomplete(): void {
    this.endedAt = performance.now();
    this.finishIteration();
  }

  private finishIteration(): void {
    this.timer = null;
    this.pacing = false;
    this.busy = false;
    this.onIterationEnd(this);
  }
}
