// bench/parser: the lean client's response parser (engine/http1/response-parser.ts) against
// http-parser-js (the proven pure-JS parser autocannon uses), in-process, CPU only: the same
// pipelined buffer of responses parsed again and again, ns per response, median and spread of
// BENCH_ROUNDS rounds. Ours is measured as the engine uses it with nothing read (headers and
// body counted, not copied) and with everything copied out (a step with checks and captures);
// http-parser-js always materialises the headers.
// Knobs: BENCH_ROUNDS (7), BENCH_RESPONSES (300000 per round).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { median } from '../lib/tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { HTTPParser } = createRequire(join(root, 'package.json'))('http-parser-js');
const { ResponseParser, WANT_BODY, WANT_HEADERS } = await import(join(root, 'packages', 'core', 'dist', 'engine', 'http1', 'response-parser.js'));

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const total = Number(process.env.BENCH_RESPONSES ?? 300_000);
const NGINX = 'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 22 Nov 2026 21:22:37 GMT\r\nContent-Type: application/json\r\nContent-Length: 31\r\nConnection: keep-alive\r\n\r\n{"status":"ok","items":[1,2,3]}';
const CHUNKED = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n1f\r\n{"status":"ok","items":[1,2,3]}\r\n0\r\n\r\n';
const BATCH = 100;

function ours(flags) {
  return (buf) => {
    let n = 0;
    const p = new ResponseParser({
      responseFlags: () => flags,
      onHead() {},
      onBody() {},
      onMessageComplete() {
        n++;
      },
      onParseError(err) {
        throw err;
      },
    });
    for (let i = 0; i < total / BATCH; i++) p.execute(buf, 0, buf.length);
    return n;
  };
}

function httpParserJs(buf) {
  let n = 0;
  const p = new HTTPParser(HTTPParser.RESPONSE);
  p[HTTPParser.kOnHeadersComplete] = () => {};
  p[HTTPParser.kOnBody] = () => {};
  p[HTTPParser.kOnMessageComplete] = () => {
    n++;
  };
  for (let i = 0; i < total / BATCH; i++) p.execute(buf);
  return n;
}

const PARSERS = { 'lean, nothing read': ours(0), 'lean, all copied': ours(WANT_HEADERS | WANT_BODY), 'http-parser-js': httpParserJs };
for (const [label, text] of [['nginx JSON (content-length)', NGINX], ['chunked', CHUNKED]]) {
  const buf = Buffer.from(text.repeat(BATCH), 'latin1');
  const ns = Object.fromEntries(Object.keys(PARSERS).map((k) => [k, []]));
  for (let r = 0; r < rounds + 1; r++) {
    for (const [name, parse] of Object.entries(PARSERS)) {
      const t0 = process.hrtime.bigint();
      const n = parse(buf);
      const dt = Number(process.hrtime.bigint() - t0);
      if (n !== total) throw new Error(`${name} parsed ${n} of ${total}`);
      if (r > 0) ns[name].push(dt / total); // round 0 warms the JIT up
    }
  }
  console.log(`${label}: ns per response, median (min..max) of ${rounds} rounds of ${total}`);
  const base = median(ns['http-parser-js']);
  for (const [name, xs] of Object.entries(ns)) {
    console.log(`  ${name.padEnd(20)} ${median(xs).toFixed(0).padStart(5)} (${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)})   x${(base / median(xs)).toFixed(2)} vs http-parser-js`);
  }
}
