/**
 * Connections toward the target: clients of one socket each, so connection counts
 * are exact: the lean HTTP/1.1 client (http1/) for plain http, undici's Client for
 * https or when asked. Closed-model runners own a client; open-model runners
 * borrow one per request from a free stack, waiting in FIFO order.
 * Pools can open their sockets before the run starts (`warm`).
 */
import { connect as netConnect, type Socket } from 'node:net';
import { buildConnector, Client, type Dispatcher } from 'undici';
import { FastClient } from './http1/fast-client.js';

/** `fast`: the lean HTTP/1.1 client for http: targets (https goes to undici anyway); `undici`: undici everywhere. */
export type HttpClientKind = 'fast' | 'undici';
export const HTTP_CLIENTS: readonly HttpClientKind[] = ['fast', 'undici'];
export const DEFAULT_HTTP_CLIENT: HttpClientKind = 'fast';

export interface ConnectionOptions {
  origin: string;
  pipelining: number;
  timeoutMs: number;
  /** Default DEFAULT_HTTP_CLIENT. */
  httpClient?: HttpClientKind;
}

/** What the engine needs of a connection: undici's Client and the lean client both are one. */
export interface HttpClient {
  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/** True when requests to this origin go through the lean client. */
export function usesFastClient(o: ConnectionOptions): boolean {
  return (o.httpClient ?? DEFAULT_HTTP_CLIENT) === 'fast' && new URL(o.origin).protocol === 'http:';
}

/** A client; with undici, its first connection may be a socket opened beforehand. */
export function createClient(o: ConnectionOptions, preopened?: Promise<Socket | null>): HttpClient {
  if (usesFastClient(o)) return new FastClient(o.origin, { pipelining: o.pipelining, connectTimeoutMs: Math.min(o.timeoutMs, 10_000) });
  const connectTimeout = Math.min(o.timeoutMs, 10_000);
  const base = buildConnector({ timeout: connectTimeout });
  let pending = preopened;
  return new Client(o.origin, {
    pipelining: o.pipelining,
    // Our own sweep enforces the per-request timeout (runtime.ts); undici's timers,
    // re-armed on every request and chunk, would only add work to the hot path.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    // We count bytes ourselves; do not cap response sizes.
    maxResponseSize: -1,
    connect: (opts, cb) => {
      const ready = pending;
      pending = undefined;
      if (ready === undefined) return base(opts, cb);
      void ready.then((s) => (s !== null && !s.destroyed && s.readyState === 'open' ? cb(null, s) : base(opts, cb)));
    },
  });
}

/** A client whose connection is being opened now; `opened` settles when it is open or has failed. */
function openClient(o: ConnectionOptions): { client: HttpClient; opened: Promise<Socket | null> } {
  if (usesFastClient(o)) {
    const client = createClient(o) as FastClient;
    return { client, opened: client.preconnect().then(() => null) };
  }
  const opened = openSocket(o.origin, Math.min(o.timeoutMs, 5000));
  return { client: createClient(o, opened), opened };
}

/** Open a plain TCP connection to an http: origin; null if it fails (the client then connects as usual). */
function openSocket(origin: string, timeoutMs: number): Promise<Socket | null> {
  const url = new URL(origin);
  if (url.protocol !== 'http:') return Promise.resolve(null);
  return new Promise((resolve) => {
    const s = netConnect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) });
    const fail = (): void => {
      s.destroy();
      resolve(null);
    };
    s.setTimeout(timeoutMs, fail);
    s.once('error', fail);
    s.once('connect', () => {
      s.setTimeout(0);
      s.off('error', fail);
      s.setNoDelay(true);
      s.setKeepAlive(true, 60_000);
      resolve(s);
    });
  });
}

export interface Waiter {
  /** performance.now ms at which the waiter asked; used for the queue timeout. */
  since: number;
  grant(client: HttpClient): void;
  /** Called instead of grant when the wait exceeded the timeout or the run stopped. */
  expire(reason: 'timeout' | 'stopped'): void;
}

export class ConnectionPool {
  private readonly free: HttpClient[] = [];
  private readonly all: HttpClient[] = [];
  private readonly queue: Array<Waiter | null> = [];
  private readonly preopened: Array<Promise<Socket | null>> = [];
  private head = 0;

  constructor(private readonly opts: ConnectionOptions, readonly size: number) {
    for (let i = 0; i < size; i++) {
      const { client: c, opened } = openClient(opts);
      this.preopened.push(opened);
      this.all.push(c);
      this.free.push(c);
    }
  }

  /** Wait until the pool's sockets are open (or failed: those connect again when used). */
  async warm(): Promise<void> {
    await Promise.all(this.preopened);
  }

  get waiting(): number {
    return this.queue.length - this.head;
  }

  acquire(w: Waiter): void {
    const c = this.free.pop();
    if (c !== undefined) w.grant(c);
    else this.queue.push(w);
  }

  release(c: HttpClient): void {
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
    // Sockets never handed to a client.
    for (const p of this.preopened) void p.then((s) => s?.destroy());
  }
}
