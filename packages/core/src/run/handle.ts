/**
 * The run handle (docs/library.md): a run started in the background, followed through events
 * or an async iterator of intervals, stopped gently or at once, awaited for the same result
 * `run()` returns. `start`, `startQuick`, and through them `run`, `quick` and the CLI are
 * built on it.
 */
import type { Interval, RunMeta, RunResult, ThresholdResult, Warning } from '../metrics/model.js';
import type { ExecuteOptions, RunListener } from './options.js';

/** The load moved to another stage (seen at the end of the first interval in it). */
export interface StageChange {
  /** The stage's name, or "stage 2/3" when it has none. */
  name: string;
  /** ms since the run start at the end of the interval that first showed it. */
  elapsedMs: number;
}

/** Events of a run and what their listeners get. */
export interface RunEvents {
  /** The load is about to start (the reporters have started). */
  start: RunMeta;
  /** Every interval (default 1 s), as reporters get it. */
  interval: Interval;
  /** A warning as soon as it is known (a hook error, a crashed worker, an abort…), and at the end every other warning of the result. */
  warning: Warning;
  /** An abort-on-fail threshold failing mid-run (`aborted: true`), then every threshold's final result at the end. */
  threshold: ThresholdResult;
  stage: StageChange;
  /** The run's result, just before `done` resolves with it. */
  end: RunResult;
}

export type RunEventName = keyof RunEvents;

/** How `stop()` ends the run. */
export interface StopOptions {
  /**
   * true (default): no new iterations or steps start, requests in flight complete (bounded by
   * their timeout). false: requests in flight are dropped (not counted), like Ctrl-C.
   */
  graceful?: boolean;
  /**
   * End at once (a second Ctrl-C): worker threads are terminated (what they measured since their
   * last interval is lost) and sinks are not waited for; result files are still written.
   */
  force?: boolean;
}

/** A run under way. */
export interface RunHandle extends AsyncIterable<Interval> {
  /** The run's result: the same as `run()` returns. Rejects when the run could not start (bad input, setup failed…). */
  readonly done: Promise<RunResult>;
  /**
   * Listen to an event. Listeners run synchronously on the main thread; one that throws does
   * not disturb the run (the first such error becomes a LISTENER_FAILED warning of the returned
   * result, not of the files already written).
   */
  on<E extends RunEventName>(event: E, listener: (payload: RunEvents[E]) => void): this;
  off<E extends RunEventName>(event: E, listener: (payload: RunEvents[E]) => void): this;
  /**
   * The intervals from now on, as an async iterator that ends with the run (and throws when the
   * run fails). Intervals wait in memory until read (one per interval, so a reader that falls
   * minutes behind holds minutes of intervals).
   */
  intervals(): AsyncIterableIterator<Interval>;
  /** Stop the run (before it starts too: then no load is sent). Resolves with its result, like `done`. */
  stop(options?: StopOptions): Promise<RunResult>;
}

/** What the handle gives the run it launches: signals to stop it and a listener for its events. */
export interface RunControls {
  signal: AbortSignal;
  forceSignal: AbortSignal;
  gracefulSignal: AbortSignal;
  listener: RunListener;
}

/** The user's signal and the handle's, as one. */
function eitherSignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a === undefined ? b : AbortSignal.any([a, b]);
}

/** Options of a run with the handle's controls merged in (the user's signals and the handle's). */
export function controlled<T extends Pick<ExecuteOptions, 'signal' | 'forceSignal'>>(o: T, c: RunControls): T & Pick<ExecuteOptions, 'gracefulSignal' | 'listener'> {
  return { ...o, signal: eitherSignal(o.signal, c.signal), forceSignal: eitherSignal(o.forceSignal, c.forceSignal), gracefulSignal: c.gracefulSignal, listener: c.listener };
}

type AnyListener = (payload: never) => void;

class Handle implements RunHandle {
  readonly done: Promise<RunResult>;
  private readonly listeners = new Map<RunEventName, Set<AnyListener>>();
  private readonly stopNow = new AbortController();
  private readonly stopForce = new AbortController();
  private readonly stopGently = new AbortController();
  private readonly told = new Set<Warning>();
  private listenerError: unknown = undefined;
  private stage: string | undefined;

  constructor(launch: (controls: RunControls) => Promise<RunResult>) {
    const listener: RunListener = {
      start: (meta) => this.emit('start', meta),
      interval: (i) => this.onInterval(i),
      warning: (w) => this.warn(w),
      threshold: (t) => this.emit('threshold', t),
    };
    const controls: RunControls = { signal: this.stopNow.signal, forceSignal: this.stopForce.signal, gracefulSignal: this.stopGently.signal, listener };
    this.done = this.follow((async () => launch(controls))());
    // A run nobody awaits must not crash the process with an unhandled rejection; awaiting `done` still throws.
    this.done.catch(() => undefined);
  }

  private async follow(running: Promise<RunResult>): Promise<RunResult> {
    const r = await running;
    for (const t of r.summary.verdict.thresholds) this.emit('threshold', t);
    for (const w of r.summary.warnings) this.warn(w);
    this.emit('end', r);
    if (this.listenerError !== undefined) {
      const e = this.listenerError;
      r.summary.warnings.push({ code: 'LISTENER_FAILED', severity: 'warn', message: `a listener of the run handle threw: ${e instanceof Error ? e.message : String(e)}` });
    }
    return r;
  }

  private onInterval(i: Interval): void {
    if (i.stage !== undefined && i.stage !== this.stage) {
      this.stage = i.stage;
      this.emit('stage', { name: i.stage, elapsedMs: i.elapsedMs });
    }
    this.emit('interval', i);
  }

  private warn(w: Warning): void {
    if (this.told.has(w)) return;
    this.told.add(w);
    this.emit('warning', w);
  }

  private emit<E extends RunEventName>(event: E, payload: RunEvents[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as (p: RunEvents[E]) => void)(payload);
      } catch (err) {
        this.listenerError ??= err;
      }
    }
  }

  on<E extends RunEventName>(event: E, listener: (payload: RunEvents[E]) => void): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as AnyListener);
    return this;
  }

  off<E extends RunEventName>(event: E, listener: (payload: RunEvents[E]) => void): this {
    this.listeners.get(event)?.delete(listener as AnyListener);
    return this;
  }

  intervals(): AsyncIterableIterator<Interval> {
    const queue: Interval[] = [];
    let waiting: { resolve: (r: IteratorResult<Interval>) => void; reject: (e: unknown) => void } | null = null;
    let ended = false;
    let failure: { error: unknown } | null = null;
    const onInterval = (i: Interval): void => {
      if (ended) return;
      if (waiting) {
        const w = waiting;
        waiting = null;
        w.resolve({ value: i, done: false });
      } else queue.push(i);
    };
    const finish = (): void => {
      ended = true;
      this.off('interval', onInterval);
      if (waiting && queue.length === 0) {
        const w = waiting;
        waiting = null;
        if (failure) w.reject(failure.error);
        else w.resolve({ value: undefined, done: true });
      }
    };
    this.on('interval', onInterval);
    this.done.then(finish, (error: unknown) => {
      failure = { error };
      finish();
    });
    const it: AsyncIterableIterator<Interval> = {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
        if (ended) return failure ? Promise.reject(failure.error) : Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (waiting = { resolve, reject }));
      },
      return: () => {
        queue.length = 0;
        failure = null;
        finish();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Interval> {
    return this.intervals();
  }

  stop(o: StopOptions = {}): Promise<RunResult> {
    if (o.force) this.stopForce.abort();
    else if (o.graceful === false) this.stopNow.abort();
    else this.stopGently.abort();
    return this.done;
  }
}

/** A handle over the run `launch` starts with the handle's controls. */
export function createRunHandle(launch: (controls: RunControls) => Promise<RunResult>): RunHandle {
  return new Handle(launch);
}
