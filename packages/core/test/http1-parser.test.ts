/**
 * The lean client's response parser on its own, deterministically: every split of the
 * input into reads gives the same responses as one read, pipelined responses frame
 * exactly, and the request flags (HEAD, wanted headers/body) are honoured.
 */
import { describe, expect, it } from 'vitest';
import { HEAD_REQUEST, NO_REQUEST, ResponseParser, WANT_BODY, WANT_HEADERS, type ResponseSink } from '../src/engine/http1/response-parser.js';

type Event = [string, ...unknown[]];

/** Parse `input` delivered as reads split at `cuts`; returns the events with body pieces merged. */
function parse(input: Buffer, cuts: number[], flags: number[] = [WANT_HEADERS | WANT_BODY], eof = false): Event[] {
  const events: Event[] = [];
  let n = 0;
  const sink: ResponseSink = {
    responseFlags: () => (n < flags.length ? flags[n] : flags.length === 1 ? flags[0] : NO_REQUEST),
    onHead: (status, text, raw) => events.push(['head', status, text, raw?.map((b) => b.toString('latin1')) ?? null]),
    onBody: (chunk) => {
      const last = events.at(-1);
      if (last?.[0] === 'body') last[1] = `${last[1] as string}${chunk.toString('latin1')}`;
      else events.push(['body', chunk.toString('latin1')]);
    },
    onMessageComplete: (trailers, wire, keepAlive) => {
      n++;
      events.push(['complete', trailers?.map((b) => b.toString('latin1')) ?? null, wire, keepAlive]);
    },
    onParseError: (err) => events.push(['error', err.constructor.name]),
  };
  const p = new ResponseParser(sink);
  let from = 0;
  for (const at of [...cuts, input.length]) {
    // Each read lands in a fresh buffer with stale bytes after it, as the reused read buffer has.
    const read = Buffer.concat([input.subarray(from, at), Buffer.from('\r\nJUNK')]);
    p.execute(read, 0, at - from);
    from = at;
  }
  if (eof) {
    const err = p.finish();
    if (err) events.push(['eof-error', err.constructor.name]);
  }
  return events;
}

const RESPONSES = [
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1;a;b="c d"\r\n \r\n5\r\nworld\r\nA\r\n0123456789\r\n0;last\r\nX-Trailer: t1\r\n\r\n',
  'HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 204 No Content\r\nX: y\r\n\r\n',
  'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\nContent-Length: 99\r\n\r\n',
  'HTTP/1.1 404\r\nX-Empty:\r\nX-Ws: \t v \r\nContent-Length: 0\r\n\r\n',
];
const PIPELINE = Buffer.from(RESPONSES.join(''), 'latin1');

describe('response parser', () => {
  it('pipelined responses in one read frame exactly, with exact wire bytes', () => {
    const events = parse(PIPELINE, []);
    expect(events.filter((e) => e[0] === 'complete').map((e) => e[2])).toEqual(RESPONSES.map((r) => Buffer.byteLength(r, 'latin1')));
    expect(events.filter((e) => e[0] === 'head').map((e) => e[1])).toEqual([200, 200, 103, 204, 304, 404]);
    expect(events.filter((e) => e[0] === 'body').map((e) => e[1])).toEqual(['hello world', 'hello world0123456789']);
    expect(events.find((e) => e[0] === 'complete' && e[1] !== null && (e[1] as string[]).length > 0)?.[1]).toEqual(['X-Trailer', 't1']);
    expect(events.at(-2)).toEqual(['head', 404, '', ['X-Empty', '', 'X-Ws', 'v ', 'Content-Length', '0']]);
    expect(events.some((e) => e[0] === 'error')).toBe(false);
  });

  it('any split into two or three reads, and one byte per read, gives the same responses', () => {
    const whole = parse(PIPELINE, []);
    for (let a = 1; a < PIPELINE.length; a++) expect(parse(PIPELINE, [a]), `split at ${a}`).toEqual(whole);
    for (let a = 1; a < PIPELINE.length; a += 7) for (let b = a + 1; b < PIPELINE.length; b += 5) expect(parse(PIPELINE, [a, b]), `${a}/${b}`).toEqual(whole);
    expect(parse(PIPELINE, Array.from({ length: PIPELINE.length - 1 }, (_, i) => i + 1))).toEqual(whole);
  });

  it('a HEAD request has no body whatever the headers say; nothing is copied unless wanted', () => {
    const input = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', 'latin1');
    const events = parse(input, [], [HEAD_REQUEST | WANT_HEADERS, 0]);
    expect(events).toEqual([
      ['head', 200, 'OK', ['Content-Length', '5']],
      ['complete', null, 38, true],
      ['head', 200, 'OK', null],
      ['complete', null, 43, true],
    ]);
  });

  it('a body framed by the close completes at EOF; one cut short is an error of the right kind', () => {
    const untilClose = Buffer.from('HTTP/1.1 200 OK\r\n\r\nrest of it', 'latin1');
    expect(parse(untilClose, [20], undefined, true)).toEqual([['head', 200, 'OK', []], ['body', 'rest of it'], ['complete', null, untilClose.length, false]]);
    const cut = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello', 'latin1');
    expect(parse(cut, [], undefined, true).at(-1)).toEqual(['eof-error', 'SocketClosedError']);
    const cutClose = Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 10\r\n\r\nhello', 'latin1');
    expect(parse(cutClose, [], undefined, true).at(-1)).toEqual(['eof-error', 'HttpProtocolError']);
  });

  it('bytes nobody asked for are an error, and nothing is parsed after an error', () => {
    expect(parse(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), [], [])).toEqual([['error', 'SocketClosedError']]);
    const bad = Buffer.from('HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', 'latin1');
    expect(parse(bad, [])).toEqual([['error', 'HttpProtocolError']]);
  });

  it('a head that never ends is cut off at the header size limit', () => {
    const endless = Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'v'.repeat(20_000)}`, 'latin1');
    expect(parse(endless, [100, 5000, 12_000])).toEqual([['error', 'HeadersOverflowError']]);
  });
});
