// bench/hooks: what JavaScript hooks cost (docs/hooks.md). nginx (one worker) pinned to core 0,
// loadctl (one worker thread) pinned to core 1, closed model, BENCH_CONNECTIONS connections,
// one static GET: without hooks (the prebuilt fast path), with a no-op beforeRequest, with a
// beforeRequest signing every request (HMAC header), and with a no-op afterResponse (bodies
// buffered). Scenarios interleaved round by round; medians of BENCH_ROUNDS rounds.
// Target: a no-op beforeRequest costs < 10 % of the requests/s.
//
// Knobs (environment): BENCH_SECONDS (8), BENCH_ROUNDS (5), BENCH_WARMUP (2), BENCH_CONNECTIONS (50).
import { fileURLToPath } from 'node:url';
import { startNginx } from '../lib/nginx.js';
import { loadctl, median, spread } from '../lib/tools.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const file = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));

const CASES = {
  'no hooks': file('static.yml'),
  'no-op beforeRequest': file('noop-before.yml'),
  'signing beforeRequest': file('sign.yml'),
  'no-op afterResponse': file('noop-after.yml'),
};

const server = await startNginx({ core: 0 });
try {
  const results = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, scenario] of Object.entries(CASES)) {
      const x = await loadctl(server.url, { connections, seconds, scenario, httpClient: 'fast' });
      results[name].push(x);
      console.log(`  round ${r + 1} ${name.padEnd(22)} ${x.rps.toFixed(0).padStart(7)} req/s  p50 ${x.p50.toFixed(2)} ms  p99 ${x.p99.toFixed(2)} ms  cpu ${x.cpuUsPerRequest.toFixed(1)} µs/req`);
    }
  }
  console.log(`  -- median (min..max) of ${rounds} rounds of ${seconds} s, ${connections} connections`);
  for (const [name, xs] of Object.entries(results)) {
    console.log(`  ${name.padEnd(22)} ${spread(xs.map((x) => x.rps)).padStart(24)} req/s   cpu ${spread(xs.map((x) => x.cpuUsPerRequest), 1)} µs/req`);
  }
  const base = median(results['no hooks'].map((x) => x.rps));
  for (const name of Object.keys(CASES).slice(1)) {
    const ratio = median(results[name].map((x) => x.rps)) / base;
    const target = name === 'no-op beforeRequest' ? `   (target ≥ 0.90: ${ratio >= 0.9 ? 'met' : 'NOT met'})` : '';
    console.log(`  ${`${name} / no hooks`.padEnd(34)} = ${ratio.toFixed(2)}${target}`);
  }
} finally {
  server.stop();
}
