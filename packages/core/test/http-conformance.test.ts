/**
 * Conformance of the lean HTTP/1.1 client against undici: every request shape goes
 * through both clients (the engine's own createClient seam) to a corpus server writing
 * byte-exact responses, and both must see the same heads, headers, bodies, trailers,
 * byte counts and error kinds; the expected values are asserted too, so that both
 * being wrong the same way fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RequestTimeoutError } from '../src/engine/errors.js';
import type { HttpClientKind } from '../src/engine/connections.js';
import { startCorpusServer, type CorpusAnswer, type CorpusServer } from './support/corpus-server.js';
import { CLIENTS, client, send, until, type Recorded } from './support/record-exchange.js';
import { deadPort } from '../../../test/support/servers.js';

/** Well-formed responses: name -> bytes, what the request is, and what both must report. */
const GOOD: Record<string, { bytes: string; method?: 'HEAD'; after?: CorpusAnswer['after']; status: number; body: string; trailers?: string[] }> = {
  length: { bytes: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world', status: 200, body: 'hello world' },
  chunked: {
    bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n5;ext=1\r\nhello\r\n1;a;b="c d"\r\n \r\n5\r\nworld\r\n0;last\r\nX-Trailer: t1\r\nX-Other:  two \r\n\r\n',
    status: 200,
    body: 'hello world',
    trailers: ['X-Trailer', 't1', 'X-Other', 'two '],
  },
  chunkedHex: { bytes: `HTTP/1.1 201 Created\r\ntransfer-encoding: gzip, Chunked\r\n\r\n1A\r\n${'a'.repeat(26)}\r\n000\r\n\r\n`, status: 201, body: 'a'.repeat(26) },
  noContent: { bytes: 'HTTP/1.1 204 No Content\r\nX: y\r\n\r\n', status: 204, body: '' },
  notModified: { bytes: 'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n', status: 304, body: '' },
  head: { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n', method: 'HEAD', status: 200, body: '' },
  informational: {
    bytes: 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    status: 200,
    body: 'ok',
  },
  untilClose: { bytes: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until close', after: 'end', status: 200, body: 'body until close' },
  http10: { bytes: 'HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc', after: 'end', status: 200, body: 'abc' },
  http10KeepAlive: { bytes: 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc', status: 200, body: 'abc' },
  connectionClose: { bytes: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok', after: 'end', status: 200, body: 'ok' },
  otherCoding: { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz', after: 'end', status: 200, body: 'zz' },
  oddValues: {
    bytes: 'HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Ws: \t spaced \t \r\nX-Obs: caf\xe9\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 2 \r\n\r\nok',
    status: 200,
    body: 'ok',
  },
  noReason: { bytes: 'HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n', status: 404, body: '' },
  emptyReason: { bytes: 'HTTP/1.1 500 \r\nContent-Length: 1\r\n\r\nx', status: 500, body: 'x' },
  customStatus: { bytes: 'HTTP/1.1 599 Whatever It Is\r\nContent-Length: 0\r\n\r\n', status: 599, body: '' },
  leadingBlankLine: { bytes: '\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx', status: 200, body: 'x' },
};

/** Malformed responses: both clients must fail them as protocol errors. */
const MALFORMED: Record<string, string> = {
  garbage: 'garbage\r\n\r\n',
  lowercaseVersion: 'http/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi',
  shortStatus: 'HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\nhi',
  longStatus: 'HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nhi',
  doubleSpace: 'HTTP/1.1  200 OK\r\nContent-Length: 2\r\n\r\nhi',
  bareLf: 'HTTP/1.1 200 OK\nContent-Length: 2\n\nhi',
  obsFold: 'HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 2\r\n\r\nhi',
  spaceInName: 'HTTP/1.1 200 OK\r\nX Y: a\r\nContent-Length: 2\r\n\r\nhi',
  spaceBeforeColon: 'HTTP/1.1 200 OK\r\nX :a\r\nContent-Length: 2\r\n\r\nhi',
  controlInValue: 'HTTP/1.1 200 OK\r\nX: a\x01b\r\nContent-Length: 2\r\n\r\nhi',
  delInValue: 'HTTP/1.1 200 OK\r\nX: a\x7fb\r\nContent-Length: 2\r\n\r\nhi',
  signedLength: 'HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nhi',
  emptyLength: 'HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\nhi',
  listLength: 'HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nhi',
  conflictingLengths: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi',
  lengthAndChunked: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\nhi\r\n0\r\n\r\n',
  badChunkSize: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhi\r\n0\r\n\r\n',
  spaceAfterChunkSize: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\nhi\r\n0\r\n\r\n',
  chunkOverrun: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhiX\r\n0\r\n\r\n',
  chunkOverflow: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhi\r\n0\r\n\r\n',
  badTrailer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nT 1\r\n\r\n',
};

let server: CorpusServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const latin1 = (s: string): number => Buffer.byteLength(s, 'latin1');

/** The same sequence of requests through each client (one client per kind, reused). */
async function throughBoth(paths: Array<{ path: string; method?: 'HEAD' }>, pipelining = 1): Promise<Record<HttpClientKind, Recorded[]>> {
  const out = {} as Record<HttpClientKind, Recorded[]>;
  for (const kind of CLIENTS) {
    const c = client(kind, server!.origin, pipelining);
    out[kind] = [];
    for (const p of paths) out[kind].push((await send(c, p.path, { method: p.method })).result);
    await c.destroy();
  }
  return out;
}

describe('http conformance: fast client vs undici', () => {
  it('every well-formed response: same heads, headers, body, trailers and byte counts, as expected', async () => {
    server = await startCorpusServer((path) => {
      const c = GOOD[path.slice(1)];
      return { bytes: c.bytes, after: c.after };
    });
    const names = Object.keys(GOOD);
    const r = await throughBoth(names.map((n) => ({ path: `/${n}`, method: GOOD[n].method })));
    expect(r.fast).toEqual(r.undici);
    names.forEach((n, i) => {
      const x = r.fast[i];
      expect(x.error, n).toBeNull();
      expect(x.heads.at(-1)!.status, n).toBe(GOOD[n].status);
      expect(x.body, n).toBe(GOOD[n].body);
      expect(x.trailers, n).toEqual(GOOD[n].trailers ?? []);
    });
    expect(r.fast[names.indexOf('informational')].heads.map((h) => h.status)).toEqual([103, 102, 200]);
    expect(r.fast[names.indexOf('oddValues')].heads[0].headers).toEqual(['X-Empty', '', 'X-Ws', 'spaced \t ', 'X-Obs', 'caf\xe9', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '2 ']);
  });

  it('every malformed response is a protocol error on both', async () => {
    server = await startCorpusServer((path) => ({ bytes: MALFORMED[path.slice(1)] }));
    const names = Object.keys(MALFORMED);
    const r = await throughBoth(names.map((n) => ({ path: `/${n}` })));
    names.forEach((n, i) => {
      expect(r.undici[i].error, `undici ${n}`).toBe('protocol');
      expect(r.fast[i].error, `fast ${n}`).toBe('protocol');
    });
  });

  it('a response split at every byte boundary, and dripped byte by byte, reads the same', async () => {
    const cases = [GOOD.chunked.bytes, GOOD.informational.bytes, GOOD.oddValues.bytes];
    server = await startCorpusServer((path) => {
      const [, c, at] = path.split('/');
      return { bytes: cases[Number(c)], split: at === 'drip' ? 'drip' : [Number(at)] };
    });
    const paths: Array<{ path: string }> = [];
    cases.forEach((bytes, c) => {
      for (let at = 1; at < latin1(bytes); at++) paths.push({ path: `/${c}/${at}` });
      paths.push({ path: `/${c}/drip` });
    });
    const r = await throughBoth(paths);
    // undici keeps only the last piece of a reason phrase split across reads ("OK" -> "K"): compare without it...
    const noReason = (xs: Recorded[]): Recorded[] => xs.map((x) => ({ ...x, heads: x.heads.map((h) => ({ ...h, statusText: '' })) }));
    expect(noReason(r.fast)).toEqual(noReason(r.undici));
    // ...and require the fast client's to be whole.
    const whole = [GOOD.chunked, GOOD.informational, GOOD.oddValues].map((c) => [...c.bytes.matchAll(/HTTP\/1\.1 \d{3} ([^\r]*)/g)].map((m) => m[1]));
    for (const [i, p] of paths.entries()) {
      expect(r.fast[i].error, p.path).toBeNull();
      expect(r.fast[i].heads.map((h) => h.statusText), p.path).toEqual(whole[Number(p.path.split('/')[1])]);
    }
  });

  it('pipelined requests come back in order, on one connection each', async () => {
    const names = ['length', 'chunked', 'noContent', 'informational', 'oddValues', 'chunkedHex', 'notModified', 'length'];
    const connections: Record<string, number> = {};
    const results: Record<string, Recorded[]> = {};
    for (const kind of CLIENTS) {
      server = await startCorpusServer((path) => ({ bytes: GOOD[path.slice(1)].bytes }));
      const c = client(kind, server.origin, 4);
      results[kind] = (await Promise.all(names.map((n) => send(c, `/${n}`)))).map((s) => s.result);
      connections[kind] = server.connections;
      await c.destroy();
      await server.close();
      server = null;
    }
    expect(results.fast).toEqual(results.undici);
    expect(results.fast.map((x) => x.body)).toEqual(names.map((n) => GOOD[n].body));
    expect(connections).toEqual({ fast: 1, undici: 1 });
  });

  it('Connection: close in mid-pipeline: the requests behind it are sent again on a new connection', async () => {
    const outcome: Record<string, { bodies: string[]; connections: number }> = {};
    for (const kind of CLIENTS) {
      server = await startCorpusServer((_path, n) => (n === 1 ? { bytes: GOOD.connectionClose.bytes, after: 'end' } : { bytes: GOOD.length.bytes }));
      const c = client(kind, server.origin, 3);
      const r = await Promise.all([send(c, '/a'), send(c, '/b'), send(c, '/c')]);
      outcome[kind] = { bodies: r.map((x) => x.result.error ?? x.result.body), connections: server.connections };
      await c.destroy();
      await server.close();
      server = null;
    }
    expect(outcome.fast).toEqual(outcome.undici);
    expect(outcome.fast).toEqual({ bodies: ['ok', 'hello world', 'hello world'], connections: 2 });
  });

  it('very large headers and bodies; headers over the limit fail the same way', async () => {
    const headers = (n: number): string => Array.from({ length: n }, (_, i) => `X-Header-${i}: ${'v'.repeat(100)}\r\n`).join('');
    const big = Buffer.alloc(4 * 1024 * 1024, 'abcdefghijklmnopqrstuvwxyz');
    const chunked = Buffer.concat([
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'),
      ...Array.from({ length: 64 }, (_, i) => Buffer.concat([Buffer.from(`10000\r\n`), big.subarray(i * 65536, (i + 1) * 65536), Buffer.from('\r\n')])),
      Buffer.from('0\r\n\r\n'),
    ]);
    const answers: Record<string, Buffer | string> = {
      manyHeaders: `HTTP/1.1 200 OK\r\n${headers(120)}Content-Length: 2\r\n\r\nok`,
      tooManyHeaders: `HTTP/1.1 200 OK\r\n${headers(200)}Content-Length: 2\r\n\r\nok`,
      bigLength: Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n`), big]),
      bigChunked: chunked,
    };
    server = await startCorpusServer((path) => ({ bytes: answers[path.slice(1)] }));
    const names = Object.keys(answers);
    const r = await throughBoth(names.map((n) => ({ path: `/${n}` })));
    expect(r.fast).toEqual(r.undici);
    expect(r.fast.map((x) => x.error)).toEqual([null, 'other', null, null]);
    expect(r.fast[0].heads[0].headers.length).toBe(2 * 121);
    expect(r.fast[2].bodyBytes).toBe(big.length);
    expect(r.fast[3].body).toBe(r.fast[2].body);
  });
});

describe('http conformance: connections that close, stall or fail', () => {
  it('a server that closes a keep-alive connection right after answering: the next request succeeds (fast) or fails as reset (undici)', async () => {
    for (const kind of CLIENTS) {
      server = await startCorpusServer(() => ({ bytes: GOOD.length.bytes, after: 'end' }));
      const c = client(kind, server.origin);
      const a = await send(c, '/1');
      const b = await send(c, '/2');
      expect(a.result.error, kind).toBeNull();
      // undici checks an idle connection for one event-loop turn, which can miss a close still
      // in flight; the fast client sends the request again when the reused connection was closed.
      if (kind === 'fast') expect([b.result.error, b.result.body]).toEqual([null, 'hello world']);
      else expect([null, 'reset']).toContain(b.result.error);
      await c.destroy();
      await server.close();
      server = null;
    }
  });

  it('a reused connection closed under a request: sent once more if idempotent, failed as reset if not', async () => {
    server = await startCorpusServer((_path, n) => (n === 2 || n === 4 ? { after: 'end' } : { bytes: GOOD.length.bytes }));
    const c = client('fast', server.origin);
    expect((await send(c, '/1')).result.error).toBeNull();
    const retried = await send(c, '/2');
    expect([retried.result.error, retried.result.body]).toEqual([null, 'hello world']);
    expect(server.received.map((r) => [r.path, r.connection])).toEqual([['/1', 1], ['/2', 1], ['/2', 2]]);
    const post = await send(c, '/post', { method: 'POST', body: 'x' });
    expect(post.result.error).toBe('reset');
    expect(server.received.map((r) => r.path)).toEqual(['/1', '/2', '/2', '/post']);
    await c.destroy();
  });

  it('a server that closes idle keep-alive connections: the next request opens a new one and succeeds', async () => {
    for (const kind of CLIENTS) {
      server = await startCorpusServer(() => ({ bytes: GOOD.length.bytes, closeIdleAfterMs: 20 }));
      const c = client(kind, server.origin);
      expect((await send(c, '/1')).result.error, kind).toBeNull();
      await server.closed(1);
      // The close is on the client's socket now; let its event loop see it.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      const b = await send(c, '/2');
      expect([b.result.error, b.result.body, server.connections], kind).toEqual([null, 'hello world', 2]);
      await c.destroy();
      await server.close();
      server = null;
    }
  });

  it('a connection dropped under a request, a response cut short: the same error kind on both', async () => {
    const answers: Record<string, CorpusAnswer> = {
      drop: { after: 'destroy' },
      end: { after: 'end' },
      cutLength: { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello', after: 'end' },
      cutLengthClose: { bytes: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 10\r\n\r\nhello', after: 'end' },
      cutChunked: { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel', after: 'end' },
      cutHead: { bytes: 'HTTP/1.1 200 OK\r\nContent-Len', after: 'end' },
    };
    server = await startCorpusServer((path) => answers[path.slice(1)]);
    const names = Object.keys(answers);
    const r = await throughBoth(names.map((n) => ({ path: `/${n}` })));
    expect(r.fast.map((x) => x.error)).toEqual(r.undici.map((x) => x.error));
    expect(r.fast.map((x) => x.error)).toEqual(['reset', 'reset', 'reset', 'protocol', 'reset', 'reset']);
  });

  it('aborting through the abort callback fails the request with the given error; the client goes on', async () => {
    for (const kind of CLIENTS) {
      server = await startCorpusServer((path) => (path === '/silent' ? {} : { bytes: GOOD.length.bytes }));
      const c = client(kind, server.origin);
      let abort: ((err?: Error) => void) | null = null;
      const stalled = send(c, '/silent', { onConnect: (a) => (abort = a) });
      await until(() => server!.received.length === 1 && abort !== null);
      abort!(new RequestTimeoutError());
      expect((await stalled).result.error, kind).toBe('timeout');
      let abort2: ((err?: Error) => void) | null = null;
      const stopped = send(c, '/silent', { onConnect: (a) => (abort2 = a) });
      await until(() => server!.received.length === 2 && abort2 !== null);
      abort2!();
      expect((await stopped).result.error, kind).toBe('aborted');
      const next = await send(c, '/ok');
      expect([next.result.error, next.result.body], kind).toEqual([null, 'hello world']);
      await c.destroy();
      await server.close();
      server = null;
    }
  });

  it('a refused connection is connect_refused on both', async () => {
    const port = await deadPort();
    for (const kind of CLIENTS) {
      const c = client(kind, `http://127.0.0.1:${port}`);
      expect((await send(c, '/')).result.error, kind).toBe('connect_refused');
      await c.destroy();
    }
  });
});

describe('http conformance: what only the fast client adds', () => {
  it('reports the exact bytes on the wire, 1xx heads and chunk framing included', async () => {
    const names = ['length', 'chunked', 'informational', 'head', 'untilClose'];
    server = await startCorpusServer((path) => ({ bytes: GOOD[path.slice(1)].bytes, after: GOOD[path.slice(1)].after }));
    const c = client('fast', server.origin);
    for (const [i, n] of names.entries()) {
      const s = await send(c, `/${n}`, { method: GOOD[n].method });
      expect(s.wire, n).toEqual({ sent: server.received[i].bytes, received: latin1(GOOD[n].bytes) });
    }
    await c.destroy();
  });

  it('skips headers and bodies nobody reads, still counting them; undici ignores the hints', async () => {
    server = await startCorpusServer(() => ({ bytes: GOOD.chunked.bytes }));
    const [f, u] = [client('fast', server.origin), client('undici', server.origin)];
    const fast = await send(f, '/', { wantsHeaders: false, wantsBody: false });
    expect(fast.result).toMatchObject({ heads: [{ status: 200, headers: [] }], bodyBytes: 0, trailers: [], error: null });
    expect(fast.wire!.received).toBe(latin1(GOOD.chunked.bytes));
    const undici = await send(u, '/', { wantsHeaders: false, wantsBody: false });
    expect(undici.result.body).toBe('hello world');
    await Promise.all([f.destroy(), u.destroy()]);
  });

  it('204 and 304 with a Content-Length complete without a body (undici fails them), and the connection is reused', async () => {
    const answers: Record<string, string> = {
      notModified: 'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\nContent-Length: 1234\r\n\r\n',
      noContent: 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n',
      next: GOOD.length.bytes,
    };
    server = await startCorpusServer((path) => ({ bytes: answers[path.slice(1)] }));
    const c = client('fast', server.origin);
    const r = [await send(c, '/notModified'), await send(c, '/noContent'), await send(c, '/next')].map((x) => x.result);
    expect(r.map((x) => [x.error, x.heads[0]?.status, x.body])).toEqual([[null, 304, ''], [null, 204, ''], [null, 200, 'hello world']]);
    expect(server.connections).toBe(1);
    await c.destroy();
  });

  it('request headers: CR/LF in a value is refused by both; host and connection: close are honoured alike', async () => {
    server = await startCorpusServer(() => ({ bytes: GOOD.length.bytes }));
    const seen: Record<string, unknown> = {};
    for (const kind of CLIENTS) {
      const before = server.received.length;
      const c = client(kind, server.origin);
      const smuggle = await send(c, '/smuggle', { headers: ['x-bad', 'a\r\nGET /evil HTTP/1.1'] });
      const special = await send(c, '/special', { headers: ['Host', 'example.test', 'connection', 'close', 'X-Case', 'Kept'] });
      const next = await send(c, '/next');
      const mine = server.received.slice(before);
      seen[kind] = {
        errors: [smuggle.result.error, special.result.error, next.result.error],
        paths: mine.map((r) => r.path),
        special: mine[0].raw.toString('latin1'),
        newConnectionAfterClose: mine[1].connection !== mine[0].connection,
      };
      await c.destroy();
    }
    expect(seen.fast).toEqual(seen.undici);
    expect(seen.fast).toMatchObject({ errors: ['other', null, null], paths: ['/special', '/next'], newConnectionAfterClose: true });
    expect((seen.fast as { special: string }).special).toBe('GET /special HTTP/1.1\r\nhost: example.test\r\nconnection: close\r\nX-Case: Kept\r\n\r\n');
  });

  it('sends the same request bytes as undici', async () => {
    server = await startCorpusServer(() => ({ bytes: GOOD.length.bytes }));
    for (const kind of CLIENTS) {
      const c = client(kind, server.origin);
      await send(c, '/get?q=1');
      await send(c, '/post', { method: 'POST', body: '{"a":"ü"}' });
      await send(c, '/empty-post', { method: 'POST' });
      await c.destroy();
    }
    const raw = server.received.map((r) => r.raw.toString('latin1'));
    expect(raw.slice(0, 3)).toEqual(raw.slice(3));
    expect(raw[1]).toContain('content-length: 10\r\n\r\n{"a":"\xc3\xbc"}');
  });
});
