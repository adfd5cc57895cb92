/**
 * The reporter bus: fans Intervals out to reporters without ever waiting for
 * them. Each reporter has its own bounded queue drained one call at a time; when
 * the queue is full the oldest interval is dropped and counted. Errors are
 * counted and shown in the summary, never thrown into the run.
 */
import type { Interval, RunMeta, Summary } from '../metrics/model.js';
import type { Reporter } from './reporter.js';

export interface ReporterHealth {
  errors: number;
  dropped: number;
  notes: string[];
}

const QUEUE_LIMIT = 1000;
/** After hurry(): how long output reporters (local files) still get to finish. */
const HURRIED_OUTPUT_MS = 5000;

/** `p`, or a rejection after `ms` or as soon as `cut` aborts. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string, cut?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout;
  let onCut: (() => void) | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      timer.unref();
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

  constructor(readonly reporter: Reporter) {}

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
    if (!this.reporter.interval) return;
    if (this.queue.length >= QUEUE_LIMIT) {
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

  collectNotes(): void {
    try {
      this.health.notes = this.reporter.notes?.() ?? [];
    } catch (err) {
      this.fail(err);
    }
    if (this.health.errors > 0 && this.lastError) this.health.notes = [...this.health.notes, `last error: ${this.lastError}`];
  }
}

export class ReporterBus {
  private readonly lanes: Lane[];
  private readonly hurried = new AbortController();

  constructor(reporters: Reporter[], private readonly endTimeoutMs = 15_000) {
    this.lanes = reporters.map((r) => new Lane(r));
  }

  async start(meta: RunMeta): Promise<void> {
    await Promise.all(this.lanes.map((l) => (l.reporter.start ? l.call(() => l.reporter.start!(meta), 10_000, 'start') : undefined)));
  }

  interval(i: Interval): void {
    for (const l of this.lanes) l.push(i);
  }

  /**
   * Finish now (a second interrupt): stop waiting for sinks (network) and their queues,
   * counting them as failed; output reporters (local files) still get a few seconds, so
   * the results are written.
   */
  hurry(): void {
    this.hurried.abort();
  }

  health(): Record<string, ReporterHealth> {
    const out: Record<string, ReporterHealth> = {};
    for (const l of this.lanes) out[l.reporter.name] = { ...l.health, notes: [...l.health.notes] };
    return out;
  }

  /**
   * Flush queues, end sinks first, then outputs with the sinks' health in the summary.
   * `summary.reporters` is filled in place.
   */
  async end(summary: Summary): Promise<void> {
    const cut = this.hurried.signal;
    const sinks = this.lanes.filter((l) => l.reporter.kind === 'sink');
    const outputs = this.lanes.filter((l) => l.reporter.kind !== 'sink');
    await Promise.all([...sinks.map((l) => l.flush(this.endTimeoutMs, cut)), ...outputs.map((l) => l.flush(this.endTimeoutMs))]);
    await Promise.all(sinks.map((l) => (l.reporter.end ? l.call(() => l.reporter.end!(summary), this.endTimeoutMs, 'end', cut) : undefined)));
    for (const l of sinks) l.collectNotes();
    summary.reporters = this.health();
    const outputMs = cut.aborted ? Math.min(this.endTimeoutMs, HURRIED_OUTPUT_MS) : this.endTimeoutMs;
    await Promise.all(outputs.map((l) => (l.reporter.end ? l.call(() => l.reporter.end!(summary), outputMs, 'end') : undefined)));
    for (const l of outputs) l.collectNotes();
    Object.assign(summary.reporters, this.health());
  }
}
