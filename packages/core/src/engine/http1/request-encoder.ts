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

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (TOKEN[s.charCodeAt(i) & 0xff] !== 1 || s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function isValidValue(s: string): boolean {
  // As undici: no CR, LF or NUL in a header value.
  return !/[\r\n\0]/.test(s);
}

function headerPairs(h: Dispatcher.DispatchOptions['headers']): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (h === null || h === undefined) return out;
  const add = (k: unknown, v: unknown): void => {
    if (v === undefined) return;
    if (Array.isArray(v)) for (const x of v) out.push([String(k), x === null ? '' : String(x)]);
    else if (v !== null && typeof v === 'object') throw new InvalidRequestError(`invalid ${String(k)} header`);
    else out.push([String(k), v === null ? '' : String(v)]);
  };
  if (Array.isArray(h)) {
    if (h.length % 2 !== 0) throw new InvalidRequestError('headers array must be even');
    for (let i = 0; i < h.length; i += 2) add(h[i], h[i + 1]);
  } else if (typeof h === 'object' && Object.getPrototypeOf(h) === Object.prototype) {
    for (const [k, v] of Object.entries(h)) add(k, v);
  } else {
    throw new InvalidRequestError('headers must be a flat array or a plain object for the fast HTTP client');
  }
  return out;
}

function bodyBytes(body: Dispatcher.DispatchOptions['body']): Buffer | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new InvalidRequestError('the fast HTTP client sends string and Buffer bodies only');
}

/** Encode a request for `hostHeader` (the origin's host[:port]). Throws InvalidRequestError like undici's checks. */
export function encodeRequest(opts: Dispatcher.DispatchOptions, hostHeader: string): EncodedRequest {
  const { method, path } = opts;
  if (typeof method !== 'string' || !isToken(method)) throw new InvalidRequestError('invalid request method');
  if (typeof path !== 'string' || (path[0] !== '/' && !/^https?:\/\//.test(path))) {
    throw new InvalidRequestError('path must be an absolute URL or start with a slash');
  }
  if (/[^\u0021-\u00ff]/.test(path)) throw new InvalidRequestError('invalid request path');
  if (opts.upgrade || method === 'CONNECT') throw new InvalidRequestError('upgrade and CONNECT are not supported by the fast HTTP client');
  if (opts.query !== undefined && opts.query !== null) throw new InvalidRequestError('query is not supported by the fast HTTP client: put it in the path');

  let host = hostHeader;
  let hostGiven = false;
  let reset = opts.reset === true;
  let lines = '';
  for (const [key, value] of headerPairs(opts.headers)) {
    const name = key.toLowerCase();
    if (!isToken(name)) throw new InvalidRequestError('invalid header key');
    if (!isValidValue(value)) throw new InvalidRequestError(`invalid ${key} header`);
    if (FORBIDDEN.has(name)) throw new InvalidRequestError(`invalid ${name} header`);
    if (name === 'host') {
      if (hostGiven) throw new InvalidRequestError('duplicate host header');
      hostGiven = true;
      host = value;
    } else if (name === 'content-length') {
      // Computed from the body, as undici does.
      if (!/^\d+$/.test(value)) throw new InvalidRequestError('invalid content-length header');
    } else if (name === 'connection') {
      for (const t of value.toLowerCase().split(',')) {
        const token = t.trim();
        if (!isToken(token)) throw new InvalidRequestError('invalid connection header');
        if (token === 'close') reset = true;
      }
    } else {
      lines += `${key}: ${value}\r\n`;
    }
  }

  const body = bodyBytes(opts.body);
  const expectsPayload = EXPECTS_PAYLOAD.has(method);
  let length = '';
  if (body !== null && body.length > 0) {
    length = `content-length: ${body.length}\r\n`;
    if (!expectsPayload) reset = true;
  } else if (expectsPayload) {
    length = 'content-length: 0\r\n';
  }
  const head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: ${reset ? 'close' : 'keep-alive'}\r\n${lines}${length}\r\n`;
  const headLength = Buffer.byteLength(head, 'latin1');
  const bytes = Buffer.allocUnsafeSlow(headLength + (body === null ? 0 : body.length));
  bytes.write(head, 0, 'latin1');
  if (body !== null) body.copy(bytes, headLength);
  const idempotent = opts.idempotent ?? (method === 'GET' || method === 'HEAD');
  return { bytes, flags: method === 'HEAD' ? HEAD_REQUEST : 0, idempotent, reset };
}
