/**
 * The reporter bus: fans Intervals out to reporters without ever waiting for
 * them. Each reporter has its own bounded queue drained one call at a time; when
 * the queue is full the oldest interval is dropped and counted. Errors are
 * counted and shown in the summary, never thrown into the run. Every call is
 * bounded in time, so a reporter that hangs cannot keep the run from ending.
 */
import type { Interval, ReporterHealth, RunMeta, Summary } from '../metrics/model.js';
import type { Result } from '../metrics/result.js';
import type { Reporter } from './reporter.js';

export type { ReporterHealth };

export interface ReporterBusOptions {
  /** Intervals queued per reporter before the oldest is dropped. Default 1000. */
  queueLimit?: number;
  /** Time allowed to `start`. Default 10 s. */
  startTimeoutMs?: number;
  /** Time allowed to flush a queue, and to `end`. Default 15 s each. */
  endTimeoutMs?: number;
}

/** After hurry(): how long file and output reporters (local files) still get to finish. */
const HURRIED_OUTPUT_MS = 5000;

/** `p`, or a rejection after `ms` or as soon as `cut` aborts. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string, cut?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout;
  let onCut: (() => void) | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      // Not unref(): a reporter stuck on a promise that nothing keeps alive must still be cut off, not end the process.
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      if (cut) {
        onCut = () => reject(new Error(`${what} was cut short: the run was interrupted again`));
        if (cut.aborted) onCut();
        else cut.addEventListener('abort', onCut, { once: true });
      }
    }),
  ]).finally(() => {
    clearTimeout(timer);
    if (onCut) cut?.removeEventListener('abort', onCut);
  });
}

class Lane {
  readonly health: ReporterHealth = { errors: 0, dropped: 0, notes: [] };
  private readonly queue: Interval[] = [];
  private draining: Promise<void> | null = null;
  private lastError = '';
  ended = false;

  constructor(
    readonly reporter: Reporter,
    private readonly limit: number,
  ) {}

  fail(err: unknown): void {
    this.health.errors++;
    this.lastError = err instanceof Error ? err.message : String(err);
  }

  async call(fn: () => void | Promise<void>, timeoutMs: number, what: string, cut?: AbortSignal): Promise<void> {
    try {
      await withTimeout(Promise.resolve().then(fn), timeoutMs, `${this.reporter.name}.${what}`, cut);
    } catch (err) {
      this.fail(err);
    }
  }

  push(i: Interval): void {
    if (!this.reporter.interval || this.ended) return;
    if (this.queue.length >= this.limit) {
      this.queue.shift();
      this.health.dropped++;
    }
    this.queue.push(i);
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const i = this.queue.shift()!;
      try {
        await this.reporter.interval!(i);
      } catch (err) {
        this.fail(err);
      }
    }
    this.draining = null;
  }

  async flush(timeoutMs: number, cut?: AbortSignal): Promise<void> {
    if (this.draining) {
      try {
        await withTimeout(this.draining, timeoutMs, `${this.reporter.name} queue`, cut);
      } catch (err) {
        this.health.dropped += this.queue.length;
        this.queue.length = 0;
        this.fail(err);
      }
    }
  }

  async end(summary: Summary, result: Result | undefined, timeoutMs: number, cut?: AbortSignal): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const r = this.reporter;
    if (r.end) await this.call(() => (result ? r.end!(summary, result) : r.end!(summary)), timeoutMs, 'end', cut);
    this.collect();
  }

  private collect(): void {
    try {
      this.health.notes = this.reporter.notes?.() ?? [];
    } catch (err) {
      this.fail(err);
    }
    try {
      const losses = this.reporter.losses?.();
      if (losses) this.health.losses = losses;
    } catch (err) {
      this.fail(err);
    }
    if (this.health.errors > 0 && this.lastError) this.health.notes = [...this.health.notes, `last error: ${this.lastError}`];
  }
}

export class ReporterBus {
  private readonly lanes: Lane[];
  private readonly startTimeoutMs: number;
  private readonly endTimeoutMs: number;
  private flushed: Promise<void> | null = null;
  private readonly hurried = new AbortController();

  constructor(reporters: readonly Reporter[], o: ReporterBusOptions = {}) {
    this.lanes = reporters.map((r) => new Lane(r, Math.max(1, o.queueLimit ?? 1000)));
    this.startTimeoutMs = o.startTimeoutMs ?? 10_000;
    this.endTimeoutMs = o.endTimeoutMs ?? 15_000;
  }

  async start(meta: RunMeta): Promise<void> {
    await Promise.all(this.lanes.map((l) => (l.reporter.start ? l.call(() => l.reporter.start!(meta), this.startTimeoutMs, 'start') : undefined)));
  }

  interval(i: Interval): void {
    for (const l of this.lanes) l.push(i);
  }

  /**
   * Finish now (a second interrupt): stop waiting for sinks (network) and their queues,
   * counting them as failed; file and output reporters still get a few seconds, so the
   * results are written.
   */
  hurry(): void {
    this.hurried.abort();
  }

  health(): Record<string, ReporterHealth> {
    const out: Record<string, ReporterHealth> = {};
    for (const l of this.lanes) out[l.reporter.name] = { ...l.health, notes: [...l.health.notes] };
    return out;
  }

  private flushAll(): Promise<void> {
    const cut = this.hurried.signal;
    this.flushed ??= Promise.all(this.lanes.map((l) => l.flush(this.endTimeoutMs, l.reporter.kind === 'sink' ? cut : undefined))).then(() => undefined);
    return this.flushed;
  }

  private async endKind(kinds: ReadonlyArray<Reporter['kind']>, summary: Summary, result: Result | undefined): Promise<void> {
    const lanes = this.lanes.filter((l) => kinds.includes(l.reporter.kind ?? 'output'));
    const cut = this.hurried.signal;
    const sinks = kinds.includes('sink');
    const ms = !sinks && cut.aborted ? Math.min(this.endTimeoutMs, HURRIED_OUTPUT_MS) : this.endTimeoutMs;
    await Promise.all(lanes.map((l) => l.end(summary, result, ms, sinks ? cut : undefined)));
    summary.reporters = this.health();
  }

  /** Flush every queue, then end the sinks; their health lands in `summary.reporters`. */
  async endSinks(summary: Summary): Promise<void> {
    await this.flushAll();
    await this.endKind(['sink'], summary, undefined);
  }

  /**
   * End the file reporters with the Result, then the other outputs (the console), each
   * phase seeing the health of the ones before in `summary.reporters`. Ends the sinks
   * first if `endSinks` was not called.
   */
  async endOutputs(summary: Summary, result: Result): Promise<void> {
    await this.endSinks(summary);
    await this.endKind(['file'], summary, result);
    await this.endKind(['output'], summary, result);
  }

  /** Every phase at once (a run with no warnings to add between them). */
  async end(summary: Summary, result?: Result): Promise<void> {
    await this.endSinks(summary);
    if (result) await this.endOutputs(summary, result);
    else {
      await this.endKind(['file'], summary, undefined);
      await this.endKind(['output'], summary, undefined);
    }
  }
}
