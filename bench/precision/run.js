// bench/precision: the open model's own scheduling error and what it costs.
//   1. The arrival timers alone (engine/precise-timer.ts), no HTTP: how late an arrival fires
//      after its due time (p50/p99) and the CPU per arrival, coarse (Node's setTimeout) vs precise.
//   2. loadctl quick -r against nginx (one worker thread, generator not pinned; nginx on core 0):
//      latency p50 minus service time p50 (the generator's share of the median; target < 0.2 ms),
//      the run's own generator delay p50/p99 (summary.generator.delay: how late each request
//      was sent after it was due; target p99 < 1 ms), latency and service p99, the main
//      thread's longest pause, CPU per request of the whole process.
// Each at 1000/s and 10 000/s, median and spread (min..max) of BENCH_ROUNDS rounds.
// Knobs: BENCH_SECONDS (5), BENCH_ROUNDS (5), BENCH_RATES (1000,10000), BENCH_WARMUP (2).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startNginx } from '../lib/nginx.js';
import { median } from '../lib/tools.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const rates = (process.env.BENCH_RATES ?? '1000,10000').split(',').map(Number);
const KINDS = ['coarse', 'precise'];

async function child(script, args) {
  const { stdout } = await run(process.execPath, [join(here, script), ...args.map(String)], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

const spread = (xs, f = (x) => x.toFixed(3)) => `${f(median(xs))} (${f(Math.min(...xs))}..${f(Math.max(...xs))})`;

console.log(`1. arrival timers alone, ${seconds} s x ${rounds} rounds: late after due (ms), CPU per arrival (µs)`);
console.log('   (precise: as with requests in flight, the companion thread wakes the worker; precise-idle: nothing in flight, the worker sleeps)');
for (const rate of rates) {
  for (const kind of [...KINDS, 'precise-idle']) {
    const xs = [];
    for (let r = 0; r < rounds; r++) xs.push(await child('timer.js', [kind, rate, seconds]));
    console.log(
      `  ${String(rate).padStart(6)}/s ${kind.padEnd(12)} late p50 ${spread(xs.map((x) => x.p50))}  p99 ${spread(xs.map((x) => x.p99))}  cpu ${spread(xs.map((x) => x.cpuUsPerArrival), (v) => v.toFixed(1))} µs`,
    );
  }
}

const server = await startNginx({ core: 0 });
try {
  console.log(`\n2. loadctl quick -r against nginx (1 worker, not pinned), ${seconds} s x ${rounds} rounds after a ${warmup} s warm-up`);
  for (const rate of rates) {
    for (const kind of KINDS) {
      const xs = [];
      for (let r = 0; r < rounds; r++) xs.push(await child('engine.js', [server.url, kind, rate, seconds, warmup]));
      console.log(
        `  ${String(rate).padStart(6)}/s ${kind.padEnd(8)} latency-service p50 ${spread(xs.map((x) => x.generatorP50))} ms (target < 0.2)  generator delay p50 ${spread(xs.map((x) => x.delayP50))} p99 ${spread(xs.map((x) => x.delayP99))} ms (target p99 < 1)`,
      );
      console.log(
        `  ${' '.repeat(16)} latency p50 ${spread(xs.map((x) => x.latencyP50))} p99 ${spread(xs.map((x) => x.latencyP99))}  service p50 ${spread(xs.map((x) => x.serviceP50))}  main-thread pause max ${spread(xs.map((x) => x.mainPauseMaxMs), (v) => v.toFixed(1))} ms  cpu ${spread(xs.map((x) => x.cpuUsPerRequest), (v) => v.toFixed(1))} µs/req`,
      );
    }
  }
} finally {
  server.stop();
}
