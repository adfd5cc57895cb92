// One open-model loadctl run in its own process (core API, one worker thread, not pinned):
// RATE/s against URL for SECONDS with the given arrival timer. Prints JSON: latency and
// service time (ms), their p50 difference (the generator's share of the median), the run's
// own generator delay (summary.generator.delay: how late requests were sent, ms), the main
// thread's longest pause, and the process's steady-state CPU per request (µs).
// Usage: node engine.js URL KIND RATE SECONDS [WARMUP_S]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { quick } = await import(join(root, 'packages', 'core', 'dist', 'index.js'));

const [url, kind, rate, seconds, warmup] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5] ?? 5), Number(process.argv[6] ?? 2)];
// Steady-state CPU: process CPU between the end of the first interval and the end of the last
// full one, over the requests of the intervals in between (start-up and warm-up left out).
const marks = [];
const meter = { name: 'cpu-meter', interval: (i) => marks.push({ cpu: process.cpuUsage(), count: i.total.count, full: i.end - i.start >= 999 }) };
const { summary: s } = await quick({ url, rate, durationMs: seconds * 1000, workers: 1, warmupMs: warmup * 1000, arrivalTimer: kind, preflight: false, reporters: [meter] });
const full = marks.filter((m) => m.full);
if (full.length < 2) throw new Error('BENCH_SECONDS must be at least 3 for a CPU figure');
const [first, last] = [full[0], full.at(-1)];
const cpuUs = last.cpu.user + last.cpu.system - first.cpu.user - first.cpu.system;
const counted = full.slice(1).reduce((n, m) => n + m.count, 0);
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
    // The run's own measurement of the same thing, per request.
    delayP50: ms(s.generator.delay, '50'),
    delayP99: ms(s.generator.delay, '99'),
    delayMax: s.generator.delay.max / 1000,
    mainPauseMaxMs: s.generator.mainPause.maxMs,
    warmupRequests: s.generator.warmup.requests,
    // Whole process (main thread, worker, companion thread), steady state.
    cpuUsPerRequest: cpuUs / counted,
  }),
);
process.exit(0);
