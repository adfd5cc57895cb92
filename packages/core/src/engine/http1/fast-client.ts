/**
 * The lean HTTP/1.1 client for plain http: one `net` socket, requests written as
 * prebuilt Buffers, responses read into one reused buffer per thread (`onread`)
 * and framed by ResponseParser. It is driven through undici's dispatch interface
 * (`dispatch(opts, handler)` with the legacy handler callbacks, `close`, `destroy`)
 * and keeps undici's connection semantics: keep-alive, pipelining up to a depth
 * (non-idempotent requests never queue behind others), a failed connection fails
 * the head of the pipeline and re-sends the rest on a new one, a failed connect
 * fails every queued request. Where undici waits one event-loop turn before reusing
 * an idle connection (to see a close already on its way), this client writes at
 * once and, like Go's net/http, sends an idempotent request again on a new
 * connection if a reused one closes before any byte of its response arrived.
 *
 * Handlers may add hints (LeanHandlerHints) so that nobody-reads parts of a
 * response are skipped instead of copied, and get the exact bytes on the wire.
 */
import { connect, type Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { ClientClosedError, ClientDestroyedError, ConnectTimeoutError, InvalidRequestError, RequestAbortedError, SocketClosedError } from './errors.js';
import { encodeRequest, type EncodedRequest } from './request-encoder.js';
import { DEFAULT_MAX_HEADER_SIZE, NO_REQUEST, ResponseParser, WANT_BODY, WANT_HEADERS, type ResponseSink } from './response-parser.js';

/** Optional handler properties the lean client honours (undici ignores them). */
export interface LeanHandlerHints {
  /** false: onHeaders gets an empty header list (the head is still parsed and counted). */
  readonly wantsHeaders?: boolean;
  /** false: onData is never called (the body is still framed and counted). */
  readonly wantsBody?: boolean;
  /** Exact bytes of the request and of its response (first byte of the first head to the last byte), before onComplete. */
  onWireBytes?(sent: number, received: number): void;
}

export type LeanHandler = Dispatcher.DispatchHandler & LeanHandlerHints;

export interface FastClientOptions {
  /** Requests in flight per connection (1 = no pipelining). Default 1. */
  pipelining?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Response header names plus values, in bytes. Default 16 KiB, as undici. */
  maxHeaderSize?: number;
}

/** Every socket of this thread reads into this buffer; the parser copies out only what it keeps. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
/** Called after every socket read of this thread (each open-model load polls its arrival timer there). */
let afterRead: (() => void) | null = null;
const readHooks: Array<() => void> = [];

/** Call `fn` after every socket read of this thread; returns what removes it. */
export function addReadHook(fn: () => void): () => void {
  readHooks.push(fn);
  updateReadHooks();
  return () => {
    const i = readHooks.indexOf(fn);
    if (i >= 0) readHooks.splice(i, 1);
    updateReadHooks();
  };
}

function updateReadHooks(): void {
  const hooks = [...readHooks];
  // One open-model load in this thread (the usual case): its hook is called directly.
  afterRead =
    hooks.length === 0
      ? null
      : hooks.length === 1
        ? hooks[0]
        : () => {
            for (let i = 0; i < hooks.length; i++) hooks[i]();
          };
}

const NO_HEADERS: Buffer[] = Object.freeze([]) as unknown as Buffer[];
const noop = (): void => {};

class PendingRequest {
  sent = false;
  done = false;
  /** Written on a connection that had already answered a request. */
  reused = false;
  readonly abort: (err?: Error) => void;
  constructor(
    client: FastClient,
    readonly handler: LeanHandler,
    readonly enc: EncodedRequest,
    readonly flags: number,
  ) {
    this.abort = (err) => client.abortRequest(this, err ?? new RequestAbortedError());
  }
}

export class FastClient implements ResponseSink {
  private readonly hostHeader: string;
  private readonly hostname: string;
  private readonly port: number;
  private readonly pipelining: number;
  private readonly connectTimeoutMs: number;
  private readonly maxHeaderSize: number;

  private socket: Socket | null = null;
  private parser: ResponseParser | null = null;
  private connecting = false;
  private connectTimer: NodeJS.Timeout | null = null;
  private readonly queue: PendingRequest[] = [];
  private readonly inflight: PendingRequest[] = [];
  /** Responses completed on the current connection. */
  private answered = 0;
  /** No more requests on this connection ("connection: close" sent). */
  private closing = false;
  private destroyed = false;
  private closed = false;
  private closeWaiters: Array<() => void> = [];
  // Encoded requests of the last options objects dispatched (static requests are the same object every time).
  private readonly cacheKeys: Array<Dispatcher.DispatchOptions | null> = [null, null, null, null];
  private readonly cacheValues: Array<EncodedRequest | null> = [null, null, null, null];
  private cacheNext = 0;

  constructor(origin: string, o: FastClientOptions = {}) {
    const url = new URL(origin);
    if (url.protocol !== 'http:') throw new InvalidRequestError(`the fast HTTP client speaks plain http only, not ${url.protocol}`);
    this.hostHeader = url.host;
    this.hostname = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port || 80);
    this.pipelining = Math.max(1, o.pipelining ?? 1);
    this.connectTimeoutMs = o.connectTimeoutMs ?? 10_000;
    this.maxHeaderSize = o.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE;
  }

  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const h = handler as LeanHandler;
    if (this.destroyed || this.closed) {
      h.onError?.(this.destroyed ? new ClientDestroyedError() : new ClientClosedError());
      return false;
    }
    let enc: EncodedRequest;
    try {
      enc = this.encode(opts);
    } catch (err) {
      h.onError?.(err as Error);
      return false;
    }
    const flags = enc.flags | (h.wantsHeaders === false ? 0 : WANT_HEADERS) | (h.wantsBody === false ? 0 : WANT_BODY);
    this.queue.push(new PendingRequest(this, h, enc, flags));
    this.pump();
    return true;
  }

  /** Open the connection now (before any request); resolves once it is open or has failed. */
  preconnect(): Promise<void> {
    if (this.socket === null && !this.destroyed) this.connect();
    const s = this.socket;
    if (s === null || !this.connecting) return Promise.resolve();
    return new Promise((resolve) => {
      s.once('connect', () => resolve());
      s.once('close', () => resolve());
    });
  }

  /** Take no new requests; resolves when the queued ones have finished and the connection is closed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length + this.inflight.length > 0) await new Promise<void>((r) => this.closeWaiters.push(r));
    await this.destroy();
  }

  /** Fail everything queued or in flight and close the connection. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    const s = this.socket;
    const all = [...this.inflight, ...this.queue];
    this.detach();
    this.queue.length = 0;
    for (const r of all) this.fail(r, new ClientDestroyedError());
    this.settleClose();
    if (s !== null && !s.closed) await new Promise((r) => s.once('close', r));
  }

  private encode(opts: Dispatcher.DispatchOptions): EncodedRequest {
    const keys = this.cacheKeys;
    for (let i = 0; i < 4; i++) if (keys[i] === opts) return this.cacheValues[i]!;
    const enc = encodeRequest(opts, this.hostHeader);
    keys[this.cacheNext] = opts;
    this.cacheValues[this.cacheNext] = enc;
    this.cacheNext = (this.cacheNext + 1) & 3;
    return enc;
  }

  private pump(): void {
    if (this.queue.length === 0) return;
    const s = this.socket;
    if (s === null) {
      if (!this.destroyed) this.connect();
      return;
    }
    if (this.connecting || this.closing) return;
    while (this.queue.length > 0 && this.inflight.length < this.pipelining && !this.closing) {
      const r = this.queue[0];
      if (this.inflight.length > 0 && !r.enc.idempotent) break;
      this.queue.shift();
      this.inflight.push(r);
      r.sent = true;
      try {
        r.handler.onConnect?.(r.abort);
      } catch (err) {
        r.abort(err as Error);
      }
      if (this.socket !== s) return;
      if (r.done) continue;
      if (r.enc.reset) this.closing = true;
      r.reused = this.answered > 0;
      s.write(r.enc.bytes);
    }
  }

  private connect(): void {
    const s: Socket = connect({
      host: this.hostname,
      port: this.port,
      noDelay: true,
      keepAlive: true,
      keepAliveInitialDelay: 60_000,
      onread: { buffer: READ_BUFFER, callback: (n: number): boolean => this.onRead(s, n) },
    });
    this.socket = s;
    this.parser = new ResponseParser(this, this.maxHeaderSize);
    this.connecting = true;
    this.answered = 0;
    this.closing = false;
    this.connectTimer = setTimeout(() => this.connectFailed(s, new ConnectTimeoutError(this.connectTimeoutMs)), this.connectTimeoutMs);
    s.once('connect', () => {
      if (this.socket !== s) return;
      this.clearConnectTimer();
      this.connecting = false;
      this.pump();
    });
    s.on('error', (err: Error) => this.gone(s, err));
    s.on('end', () => this.gone(s, null));
    s.on('close', () => this.gone(s, null));
  }

  private onRead(s: Socket, n: number): boolean {
    if (this.socket === s) this.parser!.execute(READ_BUFFER, 0, n);
    if (afterRead !== null) afterRead();
    return true;
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  /** A connect failed: every queued request fails with its error (as undici). */
  private connectFailed(s: Socket, err: Error): void {
    if (this.socket !== s) return;
    this.detach();
    const failed = this.queue.splice(0);
    for (const r of failed) this.fail(r, err);
    this.settleClose();
  }

  /** The socket ended, errored or closed under us. */
  private gone(s: Socket, err: Error | null): void {
    if (this.socket !== s) return;
    if (this.connecting) return this.connectFailed(s, err ?? new SocketClosedError('closed'));
    const nothingReceived = this.parser!.idle;
    // A response framed by the close completes now (and detaches the socket).
    const cut = this.parser!.finish();
    if (this.socket !== s) return;
    this.teardown(err ?? cut ?? new SocketClosedError(), nothingReceived && this.staleClose(err));
  }

  /** A kept-alive connection the server had closed (or reset) before the head request's response began. */
  private staleClose(err: Error | null): boolean {
    const code = (err as { code?: string } | null)?.code;
    if (err !== null && code !== 'ECONNRESET' && code !== 'EPIPE') return false;
    const head = this.inflight.find((r) => !r.done);
    return head !== undefined && head.reused && head.enc.idempotent;
  }

  private detach(): void {
    const s = this.socket;
    this.clearConnectTimer();
    this.parser?.halt();
    this.parser = null;
    this.socket = null;
    this.connecting = false;
    this.closing = false;
    s?.destroy();
  }

  /**
   * Drop the connection. `err` fails the request at the head of the pipeline (null, or
   * `retry`: none fails, e.g. the server announced the close); the others are sent again.
   */
  private teardown(err: Error | null, retry = false): void {
    this.detach();
    const requests = this.inflight.splice(0);
    let failed: PendingRequest | null = null;
    for (let i = requests.length - 1; i >= 0; i--) {
      const r = requests[i];
      if (r.done) continue;
      r.sent = false;
      this.queue.unshift(r);
      failed = r;
    }
    if (err !== null && !retry && failed !== null) {
      this.queue.shift();
      this.fail(failed, err);
    }
    this.pump();
    this.settleClose();
  }

  /** @internal the abort callback handed to onConnect. */
  abortRequest(r: PendingRequest, err: Error): void {
    if (r.done) return;
    if (!r.sent) {
      const i = this.queue.indexOf(r);
      if (i >= 0) this.queue.splice(i, 1);
      this.fail(r, err);
      this.settleClose();
      return;
    }
    // In flight: the connection cannot be resynchronised; the requests behind it go on a new one.
    r.done = true;
    this.teardown(null);
    r.handler.onError?.(err);
  }

  private fail(r: PendingRequest, err: Error): void {
    if (r.done) return;
    r.done = true;
    r.handler.onError?.(err);
  }

  private settleClose(): void {
    if (!this.closed || this.queue.length + this.inflight.length > 0) return;
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const w of waiters) w();
  }

  // --- ResponseSink ---
  responseFlags(): number {
    const r = this.inflight[0];
    return r === undefined ? NO_REQUEST : r.flags;
  }

  onHead(status: number, statusText: string, rawHeaders: Buffer[] | null): void {
    const r = this.inflight[0];
    try {
      r.handler.onHeaders?.(status, rawHeaders ?? NO_HEADERS, noop, statusText);
    } catch (err) {
      r.abort(err as Error);
    }
  }

  onBody(chunk: Buffer): void {
    const r = this.inflight[0];
    try {
      r.handler.onData?.(chunk);
    } catch (err) {
      r.abort(err as Error);
    }
  }

  onMessageComplete(trailers: Buffer[] | null, wireBytes: number, keepAlive: boolean): void {
    const r = this.inflight.shift()!;
    r.done = true;
    this.answered++;
    if (!keepAlive || (this.closing && this.inflight.length === 0)) this.teardown(null);
    const h = r.handler;
    try {
      h.onWireBytes?.(r.enc.bytes.length, wireBytes);
      h.onComplete?.((trailers ?? NO_HEADERS) as unknown as string[]);
    } catch (err) {
      h.onError?.(err as Error);
    }
    this.pump();
    this.settleClose();
  }

  onParseError(err: Error): void {
    this.teardown(err);
  }
}
