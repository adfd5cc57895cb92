// bench/peers: loadctl quick vs autocannon and wrk against nginx (one worker).
// nginx pinned to core 0, every load tool pinned to core 1, 50 connections, no pipelining,
// alternating rounds; prints each tool's median RPS and p50/p99 and the ratios. autocannon and
// loadctl (JIT-compiled) get a 2 s warm-up first (BENCH_WARMUP=0 for none); wrk needs none.
import { startNginx } from '../lib/nginx.js';
import { autocannon, bareUndici, loadctl, median, wrk } from '../lib/tools.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = 50;

const server = await startNginx({ core: 0 });
const tools = { wrk, autocannon, loadctl, 'undici loop': bareUndici };
const results = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
try {
  // Warm-up so the first measured round is not the first for nginx.
  await wrk(server.url, { seconds: 2, connections });
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(tools)) {
      const x = await fn(server.url, { connections, seconds });
      results[name].push(x);
      console.log(`round ${r + 1} ${name.padEnd(11)} ${x.rps.toFixed(0).padStart(7)} req/s  p50 ${x.p50.toFixed(2)} ms  p99 ${x.p99.toFixed(2)} ms`);
    }
  }
} finally {
  server.stop();
}
const med = (name, k) => median(results[name].map((x) => x[k]));
console.log(`\nmedian of ${rounds} rounds, ${seconds}s each, ${connections} connections, target nginx (1 worker, core 0), tools on core 1`);
for (const name of Object.keys(tools)) {
  const lat = Number.isNaN(med(name, 'p50')) ? '(not measured)' : `p50 ${med(name, 'p50').toFixed(2)} ms  p99 ${med(name, 'p99').toFixed(2)} ms`;
  console.log(`${name.padEnd(11)} ${med(name, 'rps').toFixed(0).padStart(7)} req/s  ${lat}`);
}
const l = med('loadctl', 'rps');
console.log(`\nloadctl / autocannon = ${(l / med('autocannon', 'rps')).toFixed(2)}   (target ≥ 1.20)`);
console.log(`loadctl / wrk        = ${(l / med('wrk', 'rps')).toFixed(2)}   (beyond: ≥ 0.70)`);
console.log(`loadctl / bare undici dispatch loop = ${(l / med('undici loop', 'rps')).toFixed(2)}   (the engine's own overhead; 1.00 = none)`);
