// bench/rate: open-model rate accuracy. loadctl at a constant arrival rate against nginx
// (pinned to core 0; loadctl on core 1) for a fixed time: the achieved rate must be within
// 1% of the target and steady second by second. Prints the figures.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startNginx, which } from '../lib/nginx.js';

const run = promisify(execFile);
const rate = Number(process.env.BENCH_RATE ?? 3000);
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const bin = fileURLToPath(new URL('../../packages/cli/bin/run.js', import.meta.url));

const server = await startNginx({ core: 0 });
try {
  const args = [bin, 'quick', server.url, '-r', String(rate), '-d', `${seconds}s`, '--workers', '1', '--json', '--quiet', '-o', '/tmp/loadctl-bench-rate.json'];
  const cmd = which('taskset') ? ['taskset', ['-c', '1', process.execPath, ...args]] : [process.execPath, args];
  const { stdout } = await run(cmd[0], cmd[1], { maxBuffer: 1 << 26 });
  const s = JSON.parse(stdout);
  const { readFile } = await import('node:fs/promises');
  const result = JSON.parse(await readFile('/tmp/loadctl-bench-rate.json', 'utf8'));
  const full = result.timeline.filter((i) => i.end - i.start >= 999);
  const perSecond = full.map((i) => i.total.count / ((i.end - i.start) / 1000));
  // Over the measured run time (first scheduled send to the last response), not the planned one.
  const achieved = s.total.count / (s.durationMs / 1000);
  const dev = perSecond.map((r) => Math.abs(r - rate) / rate);
  console.log(`target ${rate} req/s for ${seconds} s → sent ${s.total.count} (expected ${rate * seconds})`);
  console.log(`achieved ${achieved.toFixed(1)} req/s = ${((achieved / rate) * 100).toFixed(2)}% of target (must be within 1%)`);
  console.log(`per second: min ${Math.min(...perSecond).toFixed(0)}  max ${Math.max(...perSecond).toFixed(0)}  worst deviation ${(Math.max(...dev) * 100).toFixed(2)}%`);
  console.log(`late ${s.late}  dropped ${s.dropped}  latency p50 ${(s.total.latency.percentiles['50'] / 1000).toFixed(2)} ms  p99 ${(s.total.latency.percentiles['99'] / 1000).toFixed(2)} ms`);
  console.log(Math.abs(achieved / rate - 1) <= 0.01 ? 'OK: within 1%' : 'NOT within 1%');
} finally {
  server.stop();
}
