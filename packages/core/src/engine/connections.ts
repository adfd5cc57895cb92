/**
 * Connections toward the target: plain undici Clients (one socket each), so
 * connection counts are exact. Closed-model runners own a client; open-model
 * runners borrow one per request from a free stack, waiting in FIFO order.
 */
import { Client } from 'undici';

export interface ConnectionOptions {
  origin: string;
  pipelining: number;
  timeoutMs: number;
}

export function createClient(o: ConnectionOptions): Client {
  return new Client(o.origin, {
    pipelining: o.pipelining,
    connectTimeout: Math.min(o.timeoutMs, 10_000),
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    // We count bytes ourselves; do not cap response sizes.
    maxResponseSize: -1,
  });
}

export interface Waiter {
  /** performance.now ms at which the waiter asked; used for the queue timeout. */
  since: number;
  grant(client: Client): void;
  /** Called instead of grant when the wait exceeded the timeout or the run stopped. */
  expire(reason: 'timeout' | 'stopped'): void;
}

export class ConnectionPool {
  private readonly free: Client[] = [];
  private readonly all: Client[] = [];
  private readonly queue: Array<Waiter | null> = [];
  private head = 0;

  constructor(private readonly opts: ConnectionOptions, readonly size: number) {
    for (let i = 0; i < size; i++) {
      const c = createClient(opts);
      this.all.push(c);
      this.free.push(c);
    }
  }

  get waiting(): number {
    return this.queue.length - this.head;
  }

  acquire(w: Waiter): void {
    const c = this.free.pop();
    if (c !== undefined) w.grant(c);
    else this.queue.push(w);
  }

  release(c: Client): void {
    while (this.head < this.queue.length) {
      const w = this.queue[this.head];
      this.queue[this.head++] = null;
      if (w !== null) {
        this.compact();
        w.grant(c);
        return;
      }
    }
    this.compact();
    this.free.push(c);
  }

  /** Expire waiters queued for longer than `timeoutMs`. */
  sweep(now: number, timeoutMs: number): void {
    for (let i = this.head; i < this.queue.length; i++) {
      const w = this.queue[i];
      if (w !== null && now - w.since > timeoutMs) {
        this.queue[i] = null;
        w.expire('timeout');
      }
    }
  }

  drainWaiters(): void {
    const pending = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    for (const w of pending) w?.expire('stopped');
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.all.map((c) => c.destroy()));
  }
}
