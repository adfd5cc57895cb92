// One open-model loadctl run in its own process (core API, one worker thread, not pinned):
// RATE/s against URL for SECONDS with the given arrival timer. Prints JSON: latency and
// service time (ms), their p50 difference (the generator's share of the median), and the
// process's CPU per request (µs). Usage: node engine.js URL KIND RATE SECONDS [WARMUP_S]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { quick } = await import(join(root, 'packages', 'core', 'dist', 'index.js'));

const [url, kind, rate, seconds, warmup] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5] ?? 5), Number(process.argv[6] ?? 2)];
const cpu0 = process.cpuUsage();
const s = await quick({ url, rate, durationMs: seconds * 1000, workers: 1, warmupMs: warmup * 1000, arrivalTimer: kind, preflight: false });
const cpu = process.cpuUsage(cpu0);
const ms = (h, p) => h.percentiles[p] / 1000;
console.log(
  JSON.stringify({
    kind,
    rate,
    count: s.total.count,
    errors: s.total.errorCount,
    latencyP50: ms(s.total.latency, '50'),
    latencyP99: ms(s.total.latency, '99'),
    serviceP50: ms(s.total.serviceTime, '50'),
    serviceP99: ms(s.total.serviceTime, '99'),
    generatorP50: ms(s.total.latency, '50') - ms(s.total.serviceTime, '50'),
    // Whole process (main thread, worker, companion, warm-up included): an upper bound.
    cpuUsPerRequest: (cpu.user + cpu.system) / s.total.count,
  }),
);
process.exit(0);
