/**
 * Dispatch options -> the request's bytes, once: the lean client writes a static
 * request as one prebuilt Buffer. The wire format is undici's (request line, host,
 * connection, the headers as given, content-length when there is a body), so both
 * clients send the same bytes; what undici rejects is rejected here too.
 */
import type { Dispatcher } from 'undici';
import { InvalidRequestError } from './errors.js';
import { HEAD_REQUEST } from './response-parser.js';
import { TOKEN } from './syntax.js';

export interface EncodedRequest {
  bytes: Buffer;
  /** HEAD_REQUEST for HEAD (no response body whatever the headers say). */
  flags: number;
  /** May be pipelined behind other requests (undici: GET and HEAD unless told otherwise). */
  idempotent: boolean;
  /** The connection must not be reused after this request ("connection: close", or a body on a method without one). */
  reset: boolean;
}

// https://www.rfc-editor.org/rfc/rfc9110#section-9.3: methods whose requests carry content.
const EXPECTS_PAYLOAD = new Set(['PUT', 'POST', 'PATCH', 'QUERY', 'PROPFIND', 'PROPPATCH']);
const FORBIDDEN = new Set(['transfer-encoding', 'keep-alive', 'upgrade', 'expect']);
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'QUERY']);

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f || TOKEN[c] !== 1) return false;
  }
  return true;
}

// Header names as given -> lower case, checked once (a step's names are the same every time).
const names = new Map<string, string>();
function lowerName(key: string): string {
  let lower = names.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (!isToken(lower)) throw new InvalidRequestError('invalid header key');
    if (names.size < 4096) names.set(key, lower);
  }
  return lower;
}

/** The request's header lines, with what the special headers say. */
class HeaderLines {
  lines = '';
  host: string | null = null;
  reset = false;

  add(key: string, value: unknown): void {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      for (const v of value) this.add(key, v === null ? '' : v);
      return;
    }
    if (value !== null && typeof value === 'object') throw new InvalidRequestError(`invalid ${key} header`);
    const v = value === null ? '' : typeof value === 'string' ? value : String(value);
    // As undici: no CR, LF or NUL in a value.
    if (/[\r\n\0]/.test(v)) throw new InvalidRequestError(`invalid ${key} header`);
    const name = lowerName(key);
    if (name === 'host') {
      if (this.host !== null) throw new InvalidRequestError('duplicate host header');
      this.host = v;
    } else if (name === 'content-length') {
      // Computed from the body, as undici does.
      if (!/^\d+$/.test(v)) throw new InvalidRequestError('invalid content-length header');
    } else if (name === 'connection') {
      for (const t of v.toLowerCase().split(',')) {
        const token = t.trim();
        if (!isToken(token)) throw new InvalidRequestError('invalid connection header');
        if (token === 'close') this.reset = true;
      }
    } else if (FORBIDDEN.has(name)) {
      throw new InvalidRequestError(`invalid ${name} header`);
    } else {
      this.lines += `${key}: ${v}\r\n`;
    }
  }
}

function headerLines(h: Dispatcher.DispatchOptions['headers']): HeaderLines {
  const out = new HeaderLines();
  if (h === null || h === undefined) return out;
  if (Array.isArray(h)) {
    if (h.length % 2 !== 0) throw new InvalidRequestError('headers array must be even');
    for (let i = 0; i < h.length; i += 2) out.add(String(h[i]), h[i + 1]);
  } else if (typeof h === 'object' && Object.getPrototypeOf(h) === Object.prototype) {
    for (const k of Object.keys(h)) out.add(k, (h as Record<string, unknown>)[k]);
  } else {
    throw new InvalidRequestError('headers must be a flat array or a plain object for the fast HTTP client');
  }
  return out;
}

/** Encode a request for `hostHeader` (the origin's host[:port]). Throws InvalidRequestError like undici's checks. */
export function encodeRequest(opts: Dispatcher.DispatchOptions, hostHeader: string): EncodedRequest {
  const { method, path, body } = opts;
  if (typeof method !== 'string' || (!METHODS.has(method) && !isToken(method))) throw new InvalidRequestError('invalid request method');
  if (typeof path !== 'string' || (path[0] !== '/' && !/^https?:\/\//.test(path))) {
    throw new InvalidRequestError('path must be an absolute URL or start with a slash');
  }
  if (/[^\u0021-\u00ff]/.test(path)) throw new InvalidRequestError('invalid request path');
  if (opts.upgrade || method === 'CONNECT') throw new InvalidRequestError('upgrade and CONNECT are not supported by the fast HTTP client');
  if (opts.query !== undefined && opts.query !== null) throw new InvalidRequestError('query is not supported by the fast HTTP client: put it in the path');

  const h = headerLines(opts.headers);
  let reset = opts.reset === true || h.reset;
  let bodyLength = 0;
  if (typeof body === 'string') bodyLength = Buffer.byteLength(body, 'utf8');
  else if (body instanceof Uint8Array) bodyLength = body.byteLength;
  else if (body !== null && body !== undefined) throw new InvalidRequestError('the fast HTTP client sends string and Buffer bodies only');

  const expectsPayload = EXPECTS_PAYLOAD.has(method);
  let length = '';
  if (bodyLength > 0) {
    length = `content-length: ${bodyLength}\r\n`;
    if (!expectsPayload) reset = true;
  } else if (expectsPayload) {
    length = 'content-length: 0\r\n';
  }
  const head = `${method} ${path} HTTP/1.1\r\nhost: ${h.host ?? hostHeader}\r\nconnection: ${reset ? 'close' : 'keep-alive'}\r\n${h.lines}${length}\r\n`;
  let bytes: Buffer;
  if (bodyLength === 0) {
    bytes = Buffer.from(head, 'latin1');
  } else {
    const headLength = Buffer.byteLength(head, 'latin1');
    bytes = Buffer.allocUnsafe(headLength + bodyLength);
    bytes.write(head, 0, 'latin1');
    if (typeof body === 'string') bytes.write(body, headLength, 'utf8');
    else bytes.set(body as Uint8Array, headLength);
  }
  const idempotent = opts.idempotent ?? (method === 'GET' || method === 'HEAD');
  return { bytes, flags: method === 'HEAD' ? HEAD_REQUEST : 0, idempotent, reset };
}
