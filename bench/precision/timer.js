// One timer measurement in its own process: arrivals at RATE/s for SECONDS through an
// arrival timer (engine/precise-timer.ts), each "sent" when the timer fires. Prints JSON:
// how late each arrival fired after its due time (p50/p99/max, ms) and the process's CPU
// per arrival (µs; the companion thread included).
// Usage: node timer.js coarse|precise|precise-idle RATE SECONDS
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { createArrivalTimer } = await import(join(root, 'packages', 'core', 'dist', 'engine', 'precise-timer.js'));

const [kind, rate, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 5)];
const n = Math.floor(rate * seconds);
const late = new Float64Array(n);
// precise-idle: as when nothing is in flight (the thread may sleep until the arrival); precise: as
// when requests are in flight (the companion thread wakes it).
const timer = kind === 'precise-idle' ? createArrivalTimer('precise', () => true) : createArrivalTimer(kind);
const start = performance.now() + 100;
const due = (k) => start + (k * 1000) / rate;
let k = 0;
const cpu0 = process.cpuUsage();
await new Promise((done) => {
  const fire = () => {
    const now = performance.now();
    while (k < n && due(k) <= now) late[k] = now - due(k++);
    if (k >= n) return done();
    timer.schedule(due(k), fire);
  };
  timer.schedule(due(0), fire);
});
const cpu = process.cpuUsage(cpu0);
timer.close();
const sorted = Array.from(late).sort((a, b) => a - b);
const q = (p) => sorted[Math.min(n - 1, Math.floor(p * n))];
console.log(JSON.stringify({ kind, rate, n, p50: q(0.5), p99: q(0.99), max: sorted[n - 1], cpuUsPerArrival: (cpu.user + cpu.system) / n }));
