// bench/peers: loadctl against its peers and against bare loops, on one core, in one run.
// nginx (one worker) pinned to core 0, every load tool pinned to core 1, keep-alive, no
// pipelining, tools interleaved round by round; each figure is the median of BENCH_ROUNDS
// rounds with its spread (min..max). autocannon and loadctl (JIT-compiled) get a
// BENCH_WARMUP s warm-up first; wrk, the bare loops and Locust get none.
//
// 1. Closed model, BENCH_CONNECTIONS connections: wrk, autocannon, Locust FastHttpUser (when
//    python3-locust is installed), bare loops (net with minimal parsing, undici dispatch, the
//    lean client's dispatch), loadctl quick with each HTTP client, and the scenario engine
//    (bench/peers/scenario.yml: templates, a capture and a check) with the fast client.
// 2. Open model at BENCH_OPEN_RATE/s: loadctl quick -r with each HTTP client, and autocannon -R
//    (a throttled closed model: shown for CPU per request, its latency is not comparable).
//
// Knobs (environment): BENCH_SECONDS (8), BENCH_ROUNDS (5), BENCH_WARMUP (2),
// BENCH_CONNECTIONS (50), BENCH_OPEN_RATE (20000), BENCH_OPEN=0 to skip part 2,
// BENCH_TOOLS=comma list of tool names to run only those.
import { fileURLToPath } from 'node:url';
import { startNginx } from '../lib/nginx.js';
import { autocannon, bareFast, bareNet, bareUndici, loadctl, locust, median, spread, wrk } from '../lib/tools.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const openRate = Number(process.env.BENCH_OPEN_RATE ?? 20000);
const only = process.env.BENCH_TOOLS ? new Set(process.env.BENCH_TOOLS.split(',')) : null;
const scenario = fileURLToPath(new URL('./scenario.yml', import.meta.url));

const CLOSED = {
  wrk,
  autocannon,
  locust,
  'net loop': bareNet,
  'undici loop': bareUndici,
  'fast loop': bareFast,
  'loadctl fast': (u, o) => loadctl(u, { ...o, httpClient: 'fast' }),
  'loadctl undici': (u, o) => loadctl(u, { ...o, httpClient: 'undici' }),
  'scenario fast': (u, o) => loadctl(u, { ...o, httpClient: 'fast', scenario }),
};
const OPEN = {
  'loadctl fast -r': (u, o) => loadctl(u, { ...o, httpClient: 'fast', rate: openRate }),
  'loadctl undici -r': (u, o) => loadctl(u, { ...o, httpClient: 'undici', rate: openRate }),
  'autocannon -R': (u, o) => autocannon(u, { ...o, rate: openRate }),
};

const pick = (tools) => Object.fromEntries(Object.entries(tools).filter(([name]) => only === null || only.has(name)));
const fmt = (x, k, digits) => (typeof x[k] !== 'number' || Number.isNaN(x[k]) ? '-' : x[k].toFixed(digits));

async function measure(title, tools, url) {
  const results = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
  console.log(`\n${title}`);
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(tools)) {
      const x = await fn(url, { connections, seconds });
      if (x === null) {
        delete tools[name];
        delete results[name];
        console.log(`  ${name}: not installed, skipped`);
        continue;
      }
      results[name].push(x);
      console.log(`  round ${r + 1} ${name.padEnd(17)} ${x.rps.toFixed(0).padStart(7)} req/s  p50 ${fmt(x, 'p50', 2)} ms  p99 ${fmt(x, 'p99', 2)} ms  cpu ${fmt(x, 'cpuUsPerRequest', 1)} µs/req`);
    }
  }
  console.log(`  -- median (min..max) of ${rounds} rounds of ${seconds} s`);
  for (const [name, xs] of Object.entries(results)) {
    const col = (k, d) => (xs.every((x) => typeof x[k] === 'number' && !Number.isNaN(x[k])) ? spread(xs.map((x) => x[k]), d) : '-');
    console.log(`  ${name.padEnd(17)} ${col('rps', 0).padStart(24)} req/s   p50 ${col('p50', 2)} ms   p99 ${col('p99', 2)} ms   cpu ${col('cpuUsPerRequest', 1)} µs/req`);
  }
  return results;
}

function ratio(results, a, b, target) {
  if (!results[a]?.length || !results[b]?.length) return;
  const r = median(results[a].map((x) => x.rps)) / median(results[b].map((x) => x.rps));
  console.log(`  ${`${a} / ${b}`.padEnd(34)} = ${r.toFixed(2)}${target ? `   (target ≥ ${target.toFixed(2)}: ${r >= target ? 'met' : 'NOT met'})` : ''}`);
}

const server = await startNginx({ core: 0 });
try {
  // So that the first measured round is not nginx's first.
  await wrk(server.url, { seconds: 2, connections });
  const closed = await measure(`1. closed model, ${connections} connections, nginx (1 worker) on core 0, tools on core 1`, pick(CLOSED), server.url);
  console.log('\n  ratios of median req/s');
  ratio(closed, 'loadctl fast', 'autocannon', 1.3);
  ratio(closed, 'loadctl fast', 'wrk', 0.7);
  ratio(closed, 'scenario fast', 'loadctl fast', 0.8);
  ratio(closed, 'loadctl fast', 'loadctl undici');
  ratio(closed, 'loadctl fast', 'fast loop');
  ratio(closed, 'fast loop', 'net loop');
  ratio(closed, 'loadctl undici', 'undici loop');
  ratio(closed, 'locust', 'autocannon');
  if (process.env.BENCH_OPEN !== '0') {
    const open = await measure(`2. open model at ${openRate}/s (latency from each scheduled send; autocannon -R is throttled, not open)`, pick(OPEN), server.url);
    const cpu = (name) => (open[name]?.length ? median(open[name].map((x) => x.cpuUsPerRequest)) : NaN);
    console.log(`\n  CPU per request, loadctl fast / undici = ${(cpu('loadctl fast -r') / cpu('loadctl undici -r')).toFixed(2)}`);
  }
} finally {
  server.stop();
}
