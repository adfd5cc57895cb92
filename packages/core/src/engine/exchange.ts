/**
 * One HTTP exchange at a time on the `dispatch` level (undici's Client or the lean
 * client, http1/): this object is the dispatch handler and is reused for every
 * request its runner sends, so the hot path allocates nothing of ours beyond what
 * the client needs.
 */
import type { DelayRecorder, RequestRecorder } from './recorder.js';
import { classifyError } from './errors.js';
import type { ErrorKind } from '../metrics/model.js';

const STATUS_LINE_BYTES = 'HTTP/1.1 200 \r\n'.length;

export class Exchange {
  recorder!: RequestRecorder;
  /** Latency origin (performance.now ms): scheduled start in the open model, the send otherwise. */
  originAt = 0;
  /** When the request was written to the connection (undici onConnect). */
  sentAt = 0;
  completedAt = 0;
  timeoutMs = 0;
  bytesOut = 0;
  inFlight = false;
  /** Buffer the body / keep the headers for captures and checks. */
  keepBody = false;
  keepHeaders = false;

  status = 0;
  bytesIn = 0;
  errorKind: ErrorKind | null = null;
  /** The run was stopped under this request: nothing is recorded. */
  discarded = false;
  chunks: Buffer[] = [];
  rawHeaders: Buffer[] | null = null;
  private abortFn: ((err: Error) => void) | null = null;

  private readonly continueAfterError = (): void => this.onDone(this);

  /** `delay`: where the generator delay of each request sent goes (none for throwaway exchanges). */
  constructor(
    private readonly onDone: (x: Exchange) => void,
    private readonly delay: DelayRecorder | null = null,
  ) {}

  /** Prepare for a new request. */
  begin(recorder: RequestRecorder, originAt: number, bytesOut: number, timeoutMs: number, keepBody: boolean, keepHeaders: boolean): void {
    this.recorder = recorder;
    this.originAt = originAt;
    this.sentAt = 0;
    this.bytesOut = bytesOut;
    this.timeoutMs = timeoutMs;
    this.keepBody = keepBody;
    this.keepHeaders = keepHeaders;
    this.status = 0;
    this.bytesIn = 0;
    this.errorKind = null;
    this.discarded = false;
    if (this.chunks.length) this.chunks = [];
    this.rawHeaders = null;
    this.inFlight = true;
  }

  // --- undici dispatch handler (the legacy callback API, which undici 7's core calls directly) ---
  onConnect(abort: (err: Error) => void): void {
    this.abortFn = abort;
    this.sentAt = performance.now();
  }

  onHeaders(status: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    this.status = status;
    let n = STATUS_LINE_BYTES + (statusText ? statusText.length : 0) + 2;
    for (let i = 0; i < rawHeaders.length; i++) n += rawHeaders[i].length + 2;
    this.bytesIn += n;
    if (this.keepHeaders) this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytesIn += chunk.length;
    if (this.keepBody) this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.finish(null);
  }

  onError(err: Error): void {
    this.finish(err);
  }

  // --- hints for the lean HTTP/1.1 client (http1/fast-client.ts); undici ignores them ---
  /** Without captures or checks on headers, the client need not copy them out. */
  get wantsHeaders(): boolean {
    return this.keepHeaders;
  }

  get wantsBody(): boolean {
    return this.keepBody;
  }

  /** Exact bytes on the wire, in place of the estimates (called before onComplete). */
  onWireBytes(sent: number, received: number): void {
    this.bytesOut = sent;
    this.bytesIn = received;
  }

  /** Abort the request in flight (timeout, stop); undici then calls onError. */
  abort(err: Error): boolean {
    if (!this.inFlight || this.abortFn === null) return false;
    this.abortFn(err);
    return true;
  }

  private finish(err: Error | null): void {
    if (!this.inFlight) return;
    this.inFlight = false;
    this.abortFn = null;
    const now = performance.now();
    this.completedAt = now;
    const latencyUs = (now - this.originAt) * 1000;
    // Generator delay: from when it was due to when it was written (the last write, if it was sent again).
    if (this.sentAt > 0 && this.delay !== null) this.delay.record((this.sentAt - this.originAt) * 1000);
    if (err !== null) {
      const kind = classifyError(err);
      if (kind === 'aborted') {
        this.discarded = true;
      } else {
        // Failed requests are timed too: until the error, or until the timeout gave them up.
        this.errorKind = kind;
        this.recorder.error(kind, latencyUs, this.sentAt > 0 ? (now - this.sentAt) * 1000 : -1, this.bytesIn, this.bytesOut);
      }
    } else {
      const serviceUs = this.sentAt > 0 ? (now - this.sentAt) * 1000 : latencyUs;
      this.recorder.response(this.status, latencyUs, serviceUs, this.bytesIn, this.bytesOut);
      this.onDone(this);
      return;
    }
    // undici reports errors from inside its own bookkeeping (e.g. while failing a
    // connection's queue); dispatching from there breaks its invariants, and a
    // refused port would otherwise spin without yielding: continue on the next turn.
    setImmediate(this.continueAfterError);
  }

  bodyText(): string {
    if (this.chunks.length === 0) return '';
    return (this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks)).toString('utf8');
  }

  headerMap(): Record<string, string> {
    const out: Record<string, string> = {};
    const raw = this.rawHeaders;
    if (raw) {
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const k = raw[i].toString('latin1').toLowerCase();
        out[k] = out[k] === undefined ? raw[i + 1].toString('latin1') : `${out[k]}, ${raw[i + 1].toString('latin1')}`;
      }
    }
    return out;
  }
}
