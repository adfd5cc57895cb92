/**
 * A bounded, non-blocking write buffer with retries and exact accounting.
 *
 * Every line handed to `add` ends up in exactly one of: written, dropped
 * because the buffer was full (oldest first), rejected by the server (a 4xx
 * that retrying cannot fix), or unsent when `drain` ran out of time — or it
 * is still held (`pending`). `stats()` returns those counts.
 *
 * One request at a time. A failed retriable batch goes back to the front and
 * the next attempt waits an exponential backoff (min·2^(n-1), capped, ±20 %
 * jitter, or the server's Retry-After).
 */
import { LineQueue } from './line-queue.js';
import { WriteError, type LineSender } from './senders.js';

export interface WriterOptions {
  batchSize: number;
  maxBufferPoints: number;
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
  requestTimeoutMs: number;
}

export interface WriteStats {
  /** Points handed to the writer. */
  points: number;
  /** Points written (count). */
  written: number;
  /** Write requests that failed and were retried later. */
  retries: number;
  /** Points dropped because the buffer was full (oldest first). */
  droppedBufferFull: number;
  /** Points the server refused (4xx other than 408/425/429): not retried. */
  rejected: number;
  /** Points still unsent when `drain` gave up. */
  unsentAtEnd: number;
  /** Points held right now (queued + in flight). */
  pending: number;
  /** Successful write requests (count). */
  requests: number;
  /** Failed write requests (count). */
  failedRequests: number;
  /** The last error, secrets scrubbed. */
  lastError: string | undefined;
}

export class BufferedWriter {
  private readonly queue = new LineQueue();
  private inflight = 0;
  private readonly batchSize: number;
  private pump: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private nextAttemptAt = 0;
  private consecutiveFailures = 0;
  private draining = false;
  private finished = false;
  /** Aborts the request in flight (and any wait) when drain's time is up. */
  private readonly deadline = new AbortController();
  private readonly counts = {
    points: 0,
    written: 0,
    retries: 0,
    droppedBufferFull: 0,
    rejected: 0,
    unsentAtEnd: 0,
    requests: 0,
    failedRequests: 0,
  };
  private lastError: string | undefined;

  constructor(
    private readonly sender: LineSender,
    private readonly options: WriterOptions,
  ) {
    // At most half the buffer in flight, so "drop the oldest queued" always has something to drop.
    this.batchSize = Math.max(1, Math.min(options.batchSize, Math.floor(options.maxBufferPoints / 2)));
  }

  /** Queue lines; never blocks, never throws. Starts a send when a full batch is waiting. */
  add(lines: readonly string[]): void {
    if (this.finished) {
      // After drain: nothing will send them; count them as unsent so the totals stay exact.
      this.counts.points += lines.length;
      this.counts.unsentAtEnd += lines.length;
      return;
    }
    this.counts.points += lines.length;
    this.queue.push(lines);
    const excess = this.queue.length + this.inflight - this.options.maxBufferPoints;
    if (excess > 0) this.counts.droppedBufferFull += this.queue.dropFront(excess);
    if (this.queue.length >= this.batchSize) this.flush();
  }

  /** Send what is queued, in the background (no-op while sending or backing off). */
  flush(): void {
    if (this.pump || this.finished || this.queue.length === 0) return;
    if (Date.now() < this.nextAttemptAt) return;
    this.pump = this.run().finally(() => {
      this.pump = undefined;
    });
  }

  stats(): WriteStats {
    return { ...this.counts, pending: this.queue.length + this.inflight, lastError: this.lastError };
  }

  /**
   * Send everything held, retrying with backoff, for at most `timeoutMs`; then
   * abort and count what is left as unsent. Later `add`s count as unsent.
   */
  async drain(timeoutMs: number): Promise<void> {
    if (this.finished) return;
    this.draining = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const timer = setTimeout(() => this.deadline.abort(), timeoutMs);
    try {
      // A retry wait is cut short: draining retries on its own schedule below.
      this.nextAttemptAt = 0;
      if (this.pump) await this.pump;
      if (!this.deadline.signal.aborted && this.queue.length > 0) await this.run();
    } finally {
      clearTimeout(timer);
      this.finished = true;
      this.counts.unsentAtEnd += this.queue.clear();
    }
  }

  private delayFor(err: WriteError): number {
    const { minRetryDelayMs: min, maxRetryDelayMs: max } = this.options;
    if (err.retryAfterMs !== undefined) return Math.min(max, Math.max(min, err.retryAfterMs));
    const base = Math.min(max, min * 2 ** Math.min(30, this.consecutiveFailures - 1));
    return Math.min(max, Math.round(base * (0.8 + 0.4 * Math.random())));
  }

  private scrub(message: string): string {
    let out = message;
    for (const s of this.sender.secrets) if (s) out = out.split(s).join('***');
    return out;
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && !this.deadline.signal.aborted) {
      const batch = this.queue.take(this.batchSize);
      this.inflight = batch.length;
      let error: WriteError | undefined;
      try {
        const signal = AbortSignal.any([this.deadline.signal, AbortSignal.timeout(this.options.requestTimeoutMs)]);
        await this.sender.send(batch.join('\n') + '\n', signal);
      } catch (err) {
        error = err instanceof WriteError ? err : new WriteError(String((err as Error)?.message ?? err), true);
      }
      this.inflight = 0;
      if (!error) {
        this.counts.requests++;
        this.counts.written += batch.length;
        this.consecutiveFailures = 0;
        continue;
      }
      this.counts.failedRequests++;
      this.lastError = this.scrub(error.message);
      if (!error.retriable) {
        this.counts.rejected += batch.length;
        continue;
      }
      this.queue.unshift(batch);
      if (this.deadline.signal.aborted) return;
      this.counts.retries++;
      this.consecutiveFailures++;
      const delay = this.delayFor(error);
      if (this.draining) {
        await sleep(delay, this.deadline.signal);
        continue;
      }
      this.nextAttemptAt = Date.now() + delay;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.nextAttemptAt = 0;
        this.flush();
      }, delay);
      this.retryTimer.unref();
      return;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
