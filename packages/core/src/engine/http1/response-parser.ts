/**
 * An incremental HTTP/1.1 response parser for the lean client: bytes in any split,
 * responses out, one after another on a keep-alive (pipelined) connection. It frames
 * messages exactly (Content-Length, chunked with extensions and trailers, until
 * close, none for HEAD/1xx/204/304), validates syntax as llhttp does in undici, and
 * materialises only what the request asks for: header and body buffers are copied
 * out of the (reused) read buffer only when wanted, otherwise just counted.
 */
import { HeadersOverflowError, HttpProtocolError, SocketClosedError } from './errors.js';
import {
  CONN_CLOSE,
  CONN_KEEP_ALIVE,
  CONNECTION,
  CONTENT_LENGTH,
  connectionOptions,
  copyOf,
  CR,
  endsWithChunked,
  equalsLower,
  isOws,
  LF,
  parseContentLength,
  parseStatusLine,
  reasonPhrase,
  TOKEN,
  TRANSFER_ENCODING,
  VALUE,
} from './syntax.js';

/** Request flags, asked of the sink when a response head starts. */
export const WANT_HEADERS = 1;
export const WANT_BODY = 2;
export const HEAD_REQUEST = 4;
/** No request is waiting for a response: the bytes are unsolicited. */
export const NO_REQUEST = -1;

export interface ResponseSink {
  /** Flags of the request the response now starting answers, or NO_REQUEST. */
  responseFlags(): number;
  /** A head: 1xx informational ones (then more heads follow for the same request) or the final one. */
  onHead(status: number, statusText: string, rawHeaders: Buffer[] | null): void;
  onBody(chunk: Buffer): void;
  /** The final response is complete: `wireBytes` from the first byte of its first head to its last. */
  onMessageComplete(trailers: Buffer[] | null, wireBytes: number, keepAlive: boolean): void;
  onParseError(err: Error): void;
}

// states
const START = 0;
const FIELDS = 1;
const BODY_LENGTH = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_CR = 5;
const CHUNK_LF = 6;
const TRAILERS = 7;
const BODY_EOF = 8;
const HALTED = 9;

/** undici's default limit (Node's --max-http-header-size): field names plus values. */
export const DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
const MAX_CHUNK_LINE = 16 * 1024;

export class ResponseParser {
  private state = START;
  /** An incomplete line carried over from the previous read (a copy). */
  private partial: Buffer | null = null;
  private flags = 0;
  private status = 0;
  private statusText = '';
  private version = 0;
  private headers: Buffer[] | null = null;
  private headerBytes = 0;
  private contentLength = -1;
  private hasTransferEncoding = false;
  private chunked = false;
  private connection = 0;
  private keepAlive = true;
  private remaining = 0;
  private wire = 0;

  constructor(
    private readonly sink: ResponseSink,
    private readonly maxHeaderSize = DEFAULT_MAX_HEADER_SIZE,
  ) {}

  /** Stop: later bytes are ignored (the connection is being torn down). */
  halt(): void {
    this.state = HALTED;
    this.partial = null;
  }

  /** Between messages with nothing buffered. */
  get idle(): boolean {
    return this.state === START && this.partial === null && this.wire === 0;
  }

  execute(buf: Buffer, start: number, end: number): void {
    let pos = start;
    while (pos < end) {
      switch (this.state) {
        case START:
        case FIELDS:
        case CHUNK_SIZE:
        case TRAILERS:
          pos = this.lines(buf, pos, end);
          break;
        case BODY_LENGTH:
        case CHUNK_DATA: {
          const n = Math.min(this.remaining, end - pos);
          this.wire += n;
          this.remaining -= n;
          if (this.flags & WANT_BODY) this.sink.onBody(copyOf(buf, pos, pos + n));
          pos += n;
          const st: number = this.state;
          if (this.remaining === 0 && st !== HALTED) {
            if (st === CHUNK_DATA) this.state = CHUNK_CR;
            else this.complete(null);
          }
          break;
        }
        case CHUNK_CR:
        case CHUNK_LF: {
          const want = this.state === CHUNK_CR ? CR : LF;
          if (buf[pos] !== want) return this.fail(new HttpProtocolError('Expected LF after chunk data'));
          this.wire++;
          pos++;
          this.state = this.state === CHUNK_CR ? CHUNK_LF : CHUNK_SIZE;
          break;
        }
        case BODY_EOF:
          this.wire += end - pos;
          if (this.flags & WANT_BODY) this.sink.onBody(copyOf(buf, pos, end));
          pos = end;
          break;
        default:
          return;
      }
    }
  }

  /**
   * The connection ended (EOF). Completes a message framed by the close; returns the error
   * for a message cut short (null when idle or completed): protocol if the response said it
   * would close, else "other side closed", as undici reports them.
   */
  finish(): Error | null {
    const s = this.state;
    if (s === HALTED) return null;
    if (s === BODY_EOF) {
      this.complete(null);
      return null;
    }
    if (this.idle) return null;
    const inBody = s === BODY_LENGTH || s === CHUNK_SIZE || s === CHUNK_DATA || s === CHUNK_CR || s === CHUNK_LF || s === TRAILERS;
    this.halt();
    return inBody && !this.keepAlive ? new HttpProtocolError('response cut short by the close') : new SocketClosedError();
  }

  /** Complete lines from pos; an incomplete tail is kept for the next read. */
  private lines(buf: Buffer, pos: number, end: number): number {
    if (this.partial === null && (this.state === FIELDS || this.state === TRAILERS)) return this.fields(buf, pos, end);
    let lf = pos;
    while (lf < end && buf[lf] !== LF) lf++;
    if (this.partial !== null) {
      const stop = lf < end ? lf + 1 : end;
      const joined = Buffer.concat([this.partial, buf.subarray(pos, stop)]);
      this.wire += stop - pos;
      if (lf === end) return this.keep(joined, end);
      this.partial = null;
      this.line(joined, 0, joined.length - 1);
      return stop;
    }
    if (lf === end) {
      this.wire += end - pos;
      return this.keep(copyOf(buf, pos, end), end);
    }
    this.wire += lf + 1 - pos;
    this.line(buf, pos, lf);
    return lf + 1;
  }

  private keep(partial: Buffer, end: number): number {
    const limit = this.state === CHUNK_SIZE ? MAX_CHUNK_LINE : this.maxHeaderSize;
    if (partial.length > limit) {
      this.fail(this.state === CHUNK_SIZE ? new HttpProtocolError('Chunk extensions too long') : new HeadersOverflowError(this.maxHeaderSize));
      return end;
    }
    this.partial = partial;
    return end;
  }

  /** One line [start, lf) with buf[lf] === LF. */
  private line(buf: Buffer, start: number, lf: number): void {
    if (this.state === START && (lf === start || (lf === start + 1 && buf[start] === CR))) {
      this.wire -= lf + 1 - start; // blank lines before a response belong to no message
      return;
    }
    if (lf === start || buf[lf - 1] !== CR) return this.fail(new HttpProtocolError('Missing expected CR before LF'));
    const end = lf - 1;
    switch (this.state) {
      case START:
        return this.statusLine(buf, start, end);
      case FIELDS:
        if (end === start) return this.endOfHead();
        return this.field(buf, start, end);
      case TRAILERS:
        if (end === start) return this.complete(this.headers);
        return this.field(buf, start, end);
      case CHUNK_SIZE:
        return this.chunkSize(buf, start, end);
      default:
        return;
    }
  }

  private statusLine(buf: Buffer, start: number, end: number): void {
    const flags = this.sink.responseFlags();
    if (flags === NO_REQUEST) return this.fail(new SocketClosedError('bad response'));
    const parsed = parseStatusLine(buf, start, end);
    if (parsed < 0) return this.fail(new HttpProtocolError('Invalid status line'));
    this.flags = flags;
    this.status = parsed & 0x3ff;
    this.version = parsed >> 10;
    this.statusText = reasonPhrase(buf, start + 13, end);
    this.headers = flags & WANT_HEADERS ? [] : null;
    this.headerBytes = 0;
    this.contentLength = -1;
    this.hasTransferEncoding = false;
    this.chunked = false;
    this.connection = 0;
    this.state = FIELDS;
  }

  /**
   * The hot path: header (or trailer) lines scanned and checked in one pass, straight from the
   * read, up to the end of the head or an incomplete line (kept for the next read).
   */
  private fields(buf: Buffer, pos: number, end: number): number {
    const state = this.state;
    while (this.state === state) {
      const start = pos;
      if (start + 1 >= end) break;
      if (buf[start] === CR && buf[start + 1] === LF) {
        this.wire += 2;
        if (state === FIELDS) this.endOfHead();
        else this.complete(this.headers);
        return start + 2;
      }
      let i = start;
      while (i < end && TOKEN[buf[i]] === 1) i++;
      if (i === end) break;
      if (i === start || buf[i] !== 0x3a) {
        this.fail(new HttpProtocolError('Invalid header token'));
        return end;
      }
      const nameEnd = i++;
      while (i < end && isOws(buf[i])) i++;
      const valueStart = i;
      while (i < end && VALUE[buf[i]] === 1) i++;
      if (i + 1 >= end) break;
      if (buf[i] !== CR || buf[i + 1] !== LF) {
        this.fail(new HttpProtocolError(buf[i] === CR || buf[i] === LF ? 'Missing expected CR LF after header value' : 'Invalid header value char'));
        return end;
      }
      this.wire += i + 2 - start;
      pos = i + 2;
      this.header(buf, start, nameEnd, valueStart, i);
    }
    if (this.state !== state || pos >= end) return pos;
    this.wire += end - pos;
    return this.keep(copyOf(buf, pos, end), end);
  }

  /** One complete header line [start, end) without its CRLF (a line carried over between reads). */
  private field(buf: Buffer, start: number, end: number): void {
    let i = start;
    while (i < end && TOKEN[buf[i]] === 1) i++;
    if (i === start || i === end || buf[i] !== 0x3a) return this.fail(new HttpProtocolError('Invalid header token'));
    const nameEnd = i++;
    while (i < end && isOws(buf[i])) i++;
    const valueStart = i;
    for (; i < end; i++) if (VALUE[buf[i]] !== 1) return this.fail(new HttpProtocolError('Invalid header value char'));
    this.header(buf, start, nameEnd, valueStart, end);
  }

  private header(buf: Buffer, start: number, nameEnd: number, valueStart: number, end: number): void {
    const out = this.flags & WANT_HEADERS ? this.headers : null;
    this.headerBytes += nameEnd - start + (end - valueStart);
    if (this.headerBytes >= this.maxHeaderSize) return this.fail(new HeadersOverflowError(this.maxHeaderSize));
    if (this.state === FIELDS) {
      const n = nameEnd - start;
      if (n === CONTENT_LENGTH.length && equalsLower(buf, start, CONTENT_LENGTH)) {
        const cl = parseContentLength(buf, valueStart, end);
        if (cl < 0 || this.contentLength >= 0) return this.fail(new HttpProtocolError(cl < 0 ? 'Invalid Content-Length' : 'Duplicate Content-Length'));
        this.contentLength = cl;
      } else if (n === TRANSFER_ENCODING.length && equalsLower(buf, start, TRANSFER_ENCODING)) {
        this.hasTransferEncoding = true;
        this.chunked = endsWithChunked(buf, valueStart, end);
      } else if (n === CONNECTION.length && equalsLower(buf, start, CONNECTION)) {
        this.connection |= connectionOptions(buf, valueStart, end);
      }
    }
    if (out !== null) out.push(copyOf(buf, start, nameEnd), copyOf(buf, valueStart, end));
  }

  private endOfHead(): void {
    const status = this.status;
    if (status < 200) {
      // 100 and 101 answer requests we never make (Expect, Upgrade): undici fails them too.
      if (status === 100 || status === 101) return this.fail(new SocketClosedError('bad response'));
      this.sink.onHead(status, this.statusText, this.headers);
      if (this.state !== HALTED) this.state = START;
      return;
    }
    if (this.hasTransferEncoding && this.contentLength >= 0) {
      return this.fail(new HttpProtocolError("Content-Length can't be present with Transfer-Encoding"));
    }
    const noBody = (this.flags & HEAD_REQUEST) !== 0 || status === 204 || status === 304;
    const untilClose = !noBody && (this.hasTransferEncoding ? !this.chunked : this.contentLength < 0);
    // llhttp: HTTP/1.1 and later (major > 0, minor > 0) persist unless "close"; 1.0 only with "keep-alive".
    const persistent = (this.version & 0xf) > 0 && this.version >> 4 > 0 ? (this.connection & CONN_CLOSE) === 0 : (this.connection & CONN_KEEP_ALIVE) !== 0;
    this.keepAlive = persistent && !untilClose;
    this.sink.onHead(status, this.statusText, this.headers);
    if (this.state === HALTED) return;
    this.headers = null;
    if (noBody) return this.complete(null);
    if (untilClose) {
      this.state = BODY_EOF;
    } else if (this.chunked) {
      this.state = CHUNK_SIZE;
      if (this.flags & WANT_HEADERS) this.headers = [];
    } else if (this.contentLength === 0) {
      this.complete(null);
    } else {
      this.remaining = this.contentLength;
      this.state = BODY_LENGTH;
    }
  }

  private chunkSize(buf: Buffer, start: number, end: number): void {
    let size = 0;
    let i = start;
    for (; i < end; i++) {
      const c = buf[i] | 0x20;
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
      if (d < 0) break;
      size = size * 16 + d;
      if (size > Number.MAX_SAFE_INTEGER) return this.fail(new HttpProtocolError('Chunk size overflow'));
    }
    // Extensions (";name[=value]") are allowed and ignored; anything else is not.
    if (i === start || (i < end && buf[i] !== 0x3b)) return this.fail(new HttpProtocolError('Invalid character in chunk size'));
    if (size === 0) {
      this.state = TRAILERS;
      this.headerBytes = 0;
    } else {
      this.remaining = size;
      this.state = CHUNK_DATA;
    }
  }

  private complete(trailers: Buffer[] | null): void {
    const wire = this.wire;
    const keepAlive = this.keepAlive;
    this.wire = 0;
    this.headers = null;
    this.state = START;
    this.sink.onMessageComplete(trailers, wire, keepAlive);
  }

  private fail(err: Error): void {
    this.halt();
    this.sink.onParseError(err);
  }
}
