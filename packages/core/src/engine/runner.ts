/**
 * The flow runner: one iteration of one flow at a time, step after step:
 * template -> undici dispatch -> checks, captures -> think time -> next step.
 * A closed-model virtual user is one runner looping; in the open model runners
 * are pooled and each arrival borrows one.
 */
import type { Dispatcher } from 'undici';
import type { CompiledStep, IterationContext, ResponseView } from '../plan/compile.js';
import type { ThinkTime } from '../plan/program.js';
import type { CompiledProgram } from '../plan/worker-program.js';
import type { ConnectionPool, HttpClient, Waiter } from './connections.js';
import { Exchange } from './exchange.js';
import { hookCheckName } from './hooks.js';
import { HookFailure, hookResponse, invoke, MutableRequest, RunnerHookContext, type WorkerHooks } from './hook-calls.js';
import type { PreparedFlow, PreparedStep } from './prepared.js';
import type { CheckRecorder, DelayRecorder } from './recorder.js';

/** What a runner needs of its worker's runtime (runtime.ts implements it). */
export interface RunnerHost {
  readonly program: Pick<CompiledProgram, 'nextFlow' | 'newIteration' | 'thinkMs' | 'random'>;
  readonly flows: readonly PreparedFlow[];
  readonly checks: CheckRecorder;
  /** The worker's generator-delay histogram (every request sent, all names). */
  readonly generatorDelay: DelayRecorder;
  /** The open model's shared connections (runners borrow one per request); null in the closed model. */
  readonly pool: ConnectionPool | null;
  /** The load is over: no new iterations. */
  readonly draining: boolean;
  /** Stopped: no new steps either. */
  readonly stopping: boolean;
  /** The scenario's JavaScript hooks; null without (steps then take the prebuilt fast path). */
  readonly hooks: WorkerHooks | null;
  requestBytes(method: string, path: string, headers: string[], body: string | null): number;
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export class IterationRunner implements Waiter {
  readonly exchange: Exchange;
  /** Owned (closed model) or borrowed per request (open model). */
  client: HttpClient | null = null;
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
  /** What the timer waits for: think time between steps, after the last step, or the pace after an iteration. */
  private waiting: 'think' | 'trailing' | 'pace' | null = null;
  /** With hooks: their context, the request beforeRequest edits, and the edited request to send. */
  private readonly hookCtx: RunnerHookContext | null = null;
  private readonly hookReq: MutableRequest | null = null;
  private hookedOpts: Dispatcher.DispatchOptions | null = null;

  constructor(
    private readonly rt: RunnerHost,
    readonly vu: number,
    private readonly borrow: boolean,
    private readonly onIterationEnd: (r: IterationRunner) => void,
  ) {
    this.exchange = new Exchange((x) => this.onExchangeDone(x), rt.generatorDelay);
    const hooks = rt.hooks;
    if (hooks !== null) {
      this.hookCtx = new RunnerHookContext(hooks.data, hooks.worker, vu, this);
      if (hooks.beforeRequest) this.hookReq = new MutableRequest();
    }
  }

  /** A check counted by a hook (HookContextHost). */
  recordCheck(name: string, passed: boolean): void {
    this.rt.checks.record(name, passed);
    if (!passed) this.failed = true;
  }

  random(): number {
    return this.rt.program.random();
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
    const hooks = this.rt.hooks;
    if (hooks !== null) {
      this.hookCtx!.begin(this.flow.name, this.ctx);
      if (hooks.beforeFlow) {
        const out = invoke('beforeFlow', hooks.beforeFlow, this.hookCtx!, undefined, this.flow.steps[0].timeoutMs);
        if (out !== undefined) {
          if (out instanceof HookFailure) this.hookFailed(out, null);
          else void out.then((f) => (f === undefined ? this.runStep(Math.max(originAt, performance.now())) : this.hookFailed(f, null)));
          return;
        }
      }
    }
    this.runStep(originAt);
  }

  /**
   * Stop waiting at once. Think time between steps: the iteration ends incomplete. Think
   * time after the last step: the iteration is complete. Pace: the next one may start.
   */
  cancel(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting === 'trailing') this.completeIteration(performance.now());
    else this.finishIteration();
  }

  /** Skip the pace after a finished iteration (the load is draining). */
  cancelPace(): void {
    if (this.waiting === 'pace') this.cancel();
  }

  private runStep(dueAt: number): void {
    if (this.rt.stopping) {
      this.endIncomplete();
      return;
    }
    this.stepDueAt = dueAt;
    if (this.hookReq !== null) this.beforeRequest(this.flow.steps[this.stepIndex]);
    else this.connect();
  }

  /** Borrow a connection of the open model's pool (then `grant`), or send on our own. */
  private connect(): void {
    if (this.borrow && this.flow.steps[this.stepIndex].foreign === null) {
      this.since = this.stepDueAt;
      this.rt.pool!.acquire(this);
    } else {
      this.send();
    }
  }

  /** Let beforeRequest edit the request, then send what it made of it. */
  private beforeRequest(p: PreparedStep): void {
    const step = p.step;
    const r = p.staticOpts !== null ? step.staticRequest! : step.render(this.ctx);
    const req = this.hookReq!.reset(step.name, step.method, step.origin, r.path, r.headers, r.body);
    const out = invoke('beforeRequest', this.rt.hooks!.beforeRequest!, req, this.hookCtx!, p.timeoutMs);
    if (out === undefined) this.sendEdited(p);
    else if (out instanceof HookFailure) this.hookFailed(out, p);
    else {
      void out.then((f) => {
        if (this.rt.stopping) return this.endIncomplete();
        if (f !== undefined) return this.hookFailed(f, p);
        // Time spent waiting on the hook is not the request's latency.
        this.stepDueAt = Math.max(this.stepDueAt, performance.now());
        this.sendEdited(p);
      });
    }
  }

  private sendEdited(p: PreparedStep): void {
    const req = this.hookReq!;
    // Untouched: the prebuilt request of a static step goes as is (send() takes it).
    if (!(p.staticOpts !== null && req.unchanged())) {
      try {
        this.hookedOpts = req.toDispatch();
      } catch (err) {
        this.hookFailed(new HookFailure('beforeRequest', err), p);
        return;
      }
    }
    this.connect();
  }

  grant(client: HttpClient): void {
    this.client = client;
    this.send();
  }

  expire(reason: 'timeout' | 'stopped'): void {
    if (reason === 'timeout') {
      // Given up waiting for a connection: a timeout, timed from when the request was due, never sent.
      const now = performance.now();
      const p = this.flow.steps[this.stepIndex];
      p.recorder.error('timeout', (now - this.since) * 1000, -1, 0, 0);
      this.failSteps(p, now);
    } else {
      this.endIncomplete();
    }
  }

  private send(): void {
    const p: PreparedStep = this.flow.steps[this.stepIndex];
    const step: CompiledStep = p.step;
    let opts: Dispatcher.DispatchOptions;
    let bytesOut: number;
    if (this.hookedOpts !== null) {
      opts = this.hookedOpts;
      this.hookedOpts = null;
      bytesOut = this.rt.requestBytes(opts.method, opts.path, opts.headers as string[], opts.body as string | null);
    } else if (p.staticOpts !== null) {
      opts = p.staticOpts;
      bytesOut = p.staticBytesOut;
    } else {
      const r = step.render(this.ctx);
      opts = { path: r.path, method: step.method as Dispatcher.HttpMethod, headers: r.headers, body: r.body, blocking: false };
      bytesOut = this.rt.requestBytes(step.method, r.path, r.headers, r.body);
    }
    this.exchange.begin(p.recorder, this.stepDueAt, bytesOut, p.timeoutMs, p.needsBody, p.needsHeaders);
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
      this.failSteps(p, x.completedAt);
      return;
    }
    if (x.status >= 400) this.failed = true;
    if (p.hasEvaluation) {
      const res: ResponseView = {
        status: x.status,
        headers: p.needsHeaders ? x.headerMap() : NO_HEADERS,
        body: p.needsBody ? x.bodyText() : '',
        durationMs: x.completedAt - x.originAt,
      };
      const out = p.step.evaluate(res, this.ctx);
      for (const c of out.checks) this.rt.checks.record(c.name, c.passed);
      if (out.failed) this.failed = true;
    }
    const after = this.rt.hooks?.afterResponse;
    if (after) {
      const res = hookResponse(p.step.name, x.status, x.headerMap(), x.bodyText(), x.completedAt - x.originAt);
      const out = invoke('afterResponse', after, res, this.hookCtx!, p.timeoutMs);
      if (out instanceof HookFailure) return this.hookFailed(out, null);
      if (out !== undefined) {
        void out.then((f) => (f === undefined ? this.nextStep(p, Math.max(x.completedAt, performance.now())) : this.hookFailed(f, null)));
        return;
      }
    }
    this.nextStep(p, x.completedAt);
  }

  /** Step `p` is done (its response at `at`): think, then the next step, or the end of the iteration. */
  private nextStep(p: PreparedStep, at: number): void {
    this.stepIndex++;
    if (this.stepIndex >= this.flow.steps.length) {
      this.endSteps(at, p.step.think);
      return;
    }
    const think = this.rt.program.thinkMs(p.step.think);
    if (think > 0) {
      // The next step is due `think` after this response. The open model times it from then
      // (a late timer is generator delay the latency must show); the closed model from the send.
      const due = at + think;
      this.wait('think', think, () => this.runStep(this.borrow ? due : performance.now()));
    } else this.runStep(at);
  }

  /**
   * A hook failed: its check `hook:<name>` fails and the iteration ends (later steps may need
   * what the hook did not do). Before a request (`p` given), the request is not sent and its
   * checks fail, like a request that failed without a response. The end comes on the next
   * turn, so a hook that always throws cannot recurse into the next iteration.
   */
  private hookFailed(f: HookFailure, p: PreparedStep | null): void {
    this.rt.hooks!.failed(f.hook, f.error);
    this.rt.checks.record(hookCheckName(f.hook), false);
    this.failed = true;
    setImmediate(() => {
      const now = performance.now();
      if (p !== null) this.failSteps(p, now);
      else this.endSteps(now, f.hook === 'afterResponse' ? this.flow.steps[this.stepIndex].step.think : undefined);
    });
  }

  /**
   * The request of step `p` failed without a response: its checks fail (each counted by name)
   * and the iteration ends (later steps would lack its captures).
   */
  private failSteps(p: PreparedStep, at: number): void {
    this.failed = true;
    const names = p.step.checkNames;
    for (let i = 0; i < names.length; i++) this.rt.checks.record(names[i], false);
    this.endSteps(at, p.step.think);
  }

  /** The iteration's requests are over; the think time of the step it ended on still applies. */
  private endSteps(at: number, think: ThinkTime | undefined): void {
    const ms = this.rt.stopping ? 0 : this.rt.program.thinkMs(think);
    if (ms > 0) {
      const due = at + ms;
      this.wait('trailing', ms, () => this.completeIteration(this.borrow ? due : performance.now()));
    } else this.completeIteration(at);
  }

  private wait(what: 'think' | 'trailing' | 'pace', ms: number, then: () => void): void {
    this.waiting = what;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.waiting = null;
      then();
    }, ms);
  }

  /** The iteration is over (think time after its last step included): count it, then pace (closed model). */
  private completeIteration(now: number): void {
    this.endedAt = now;
    this.flow.recorder.iteration((now - this.iterationStart) * 1000, this.failed);
    const pace = this.rt.program.thinkMs(this.flow.pace);
    if (pace > 0 && !this.borrow && !this.rt.draining) {
      this.wait('pace', pace, () => {
        this.endedAt = performance.now();
        this.finishIteration();
      });
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
    this.waiting = null;
    this.busy = false;
    this.onIterationEnd(this);
  }
}
