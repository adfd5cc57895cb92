/**
 * Byte-level HTTP/1.1 syntax for the response parser: character classes (RFC 9110
 * token and field-value, as llhttp enforces them) and the few header values that
 * frame a message (Content-Length, Transfer-Encoding, Connection).
 */

/** tchar: ALPHA / DIGIT / "!#$%&'*+-.^_`|~" */
export const TOKEN = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TOKEN[ch.charCodeAt(0)] = 1;

/** field-value octets: HTAB, visible ASCII, SP and obs-text (0x80-0xFF); not DEL nor other controls. */
export const VALUE = new Uint8Array(256);
VALUE[0x09] = 1;
for (let c = 0x20; c <= 0x7e; c++) VALUE[c] = 1;
for (let c = 0x80; c <= 0xff; c++) VALUE[c] = 1;

export const CR = 13;
export const LF = 10;
const SP = 32;
const HTAB = 9;

export function isOws(c: number): boolean {
  return c === SP || c === HTAB;
}

/** Case-insensitive compare of buf[start, start+word.length) with a lower-case ASCII word. */
export function equalsLower(buf: Uint8Array, start: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = buf[start + i];
    if (c !== word[i] && (c | 0x20) !== word[i]) return false;
  }
  return true;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
export const CONTENT_LENGTH = ascii('content-length');
export const TRANSFER_ENCODING = ascii('transfer-encoding');
export const CONNECTION = ascii('connection');
const CHUNKED = ascii('chunked');
const CLOSE = ascii('close');
const KEEP_ALIVE = ascii('keep-alive');

/** Content-Length value [start, end): digits with optional trailing OWS; -1 if malformed or too large. */
export function parseContentLength(buf: Uint8Array, start: number, end: number): number {
  while (end > start && isOws(buf[end - 1])) end--;
  if (end === start) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
    if (n > Number.MAX_SAFE_INTEGER) return -1;
  }
  return n;
}

/** True if the last coding of a Transfer-Encoding value [start, end) is `chunked`. */
export function endsWithChunked(buf: Uint8Array, start: number, end: number): boolean {
  while (end > start && isOws(buf[end - 1])) end--;
  let s = end;
  while (s > start && buf[s - 1] !== 0x2c) s--;
  while (s < end && isOws(buf[s])) s++;
  return end - s === CHUNKED.length && equalsLower(buf, s, CHUNKED);
}

export const CONN_CLOSE = 1;
export const CONN_KEEP_ALIVE = 2;

/** Connection options of a Connection value [start, end): CONN_CLOSE | CONN_KEEP_ALIVE bits. */
export function connectionOptions(buf: Uint8Array, start: number, end: number): number {
  let out = 0;
  let i = start;
  while (i < end) {
    while (i < end && (isOws(buf[i]) || buf[i] === 0x2c)) i++;
    const s = i;
    while (i < end && buf[i] !== 0x2c) i++;
    let e = i;
    while (e > s && isOws(buf[e - 1])) e--;
    const n = e - s;
    if (n === CLOSE.length && equalsLower(buf, s, CLOSE)) out |= CONN_CLOSE;
    else if (n === KEEP_ALIVE.length && equalsLower(buf, s, KEEP_ALIVE)) out |= CONN_KEEP_ALIVE;
  }
  return out;
}

const HTTP_SLASH = ascii('HTTP/');

/**
 * Status line [start, end) without its CRLF: `HTTP/d.d SP 3DIGIT [SP reason]`.
 * Returns the status code (100-999) with the version in bits (major << 10 | minor << 14), or -1.
 */
export function parseStatusLine(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 12) return -1;
  for (let i = 0; i < 5; i++) if (buf[start + i] !== HTTP_SLASH[i]) return -1;
  const major = buf[start + 5] - 0x30;
  const minor = buf[start + 7] - 0x30;
  if (major < 0 || major > 9 || buf[start + 6] !== 0x2e || minor < 0 || minor > 9 || buf[start + 8] !== SP) return -1;
  let status = 0;
  for (let i = 9; i < 12; i++) {
    const d = buf[start + i] - 0x30;
    if (d < 0 || d > 9) return -1;
    status = status * 10 + d;
  }
  if (status < 100) return -1;
  if (end - start > 12 && buf[start + 12] !== SP) return -1;
  for (let i = start + 13; i < end; i++) if (buf[i] === CR) return -1;
  return status | (major << 10) | (minor << 14);
}

/** The reason phrase [start, end) as a string; the common "OK" without a slice. */
export function reasonPhrase(buf: Buffer, start: number, end: number): string {
  if (end <= start) return '';
  if (end - start === 2 && buf[start] === 0x4f && buf[start + 1] === 0x4b) return 'OK';
  return buf.toString('latin1', start, end);
}

/** A copy of buf[start, end) that outlives the (reused) read buffer. */
export function copyOf(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  buf.copy(out, 0, start, end);
  return out;
}
