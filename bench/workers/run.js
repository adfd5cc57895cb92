// bench/workers: how many worker threads one machine should run. loadctl quick (closed model,
// fixed connections) against nginx, once per worker count: nginx pinned to the last core,
// loadctl to the others. Per worker count it prints requests/s, latency p50/p99, the CPU the
// loadctl process used, the main thread's share of it (per-thread CPU from /proc) over the
// whole process and in the steady state (from 1 s after the start to 0.5 s before the end:
// no module loading, no result writing), the main thread's longest pause, and the busiest
// worker's event-loop use. Env: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (64),
// BENCH_WORKERS (e.g. "1,2,4"; default 1..cores and the default, i.e. no --workers flag).
// Figures on a shared machine mean little: run it on a quiet one (docs/distributed.md).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNginx, which } from '../lib/nginx.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const cores = availableParallelism();
const loadCores = cores > 1 ? `0-${cores - 2}` : '0';
const generatorCores = Math.max(1, cores - 1);
const counts = process.env.BENCH_WORKERS
  ? process.env.BENCH_WORKERS.split(',').map((w) => (w.trim() === 'default' ? 'default' : Number(w)))
  : [...Array.from({ length: generatorCores + 1 }, (_, i) => i + 1), 'default'];
const bin = fileURLToPath(new URL('../../packages/cli/bin/run.js', import.meta.url));
const TICKS = 100; // USER_HZ

/** utime + stime (s) per thread of `pid`, read from /proc (Linux). */
function threadCpu(pid) {
  const out = new Map();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / TICKS);
    }
  } catch {
    // the process is gone
  }
  return out;
}

function runOnce(url, workers) {
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-bench-workers-'));
  const file = join(dir, 'result.json');
  // No warm-up: the per-thread CPU read from /proc covers the process's whole life, the run's requests only its measured part.
  const args = [bin, 'quick', url, '-c', String(connections), '-d', `${seconds}s`, '--warmup', '0', '--quiet', '-o', file, '--html', '', '--junit', ''];
  if (workers !== 'default') args.push('--workers', String(workers));
  const [cmd, argv] = which('taskset') ? ['taskset', ['-c', loadCores, process.execPath, ...args]] : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    // taskset execs node: the pid is loadctl's, its main thread's tid is the pid.
    // Threads end before the process (workers first): keep each thread's last reading.
    const last = new Map();
    // Readings over time, for the steady state: the load's middle, without start-up and the end.
    const readings = [];
    const timer = setInterval(() => {
      const now = threadCpu(child.pid);
      for (const [tid, s] of now) last.set(tid, Math.max(s, last.get(tid) ?? 0));
      if (now.size > 0) readings.push({ at: Date.now(), main: now.get(child.pid) ?? 0, total: [...now.values()].reduce((a, b) => a + b, 0) });
    }, 100);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`loadctl exited ${code}: ${stderr}`));
      const r = JSON.parse(readFileSync(file, 'utf8'));
      const s = r.summary;
      const total = [...last.values()].reduce((a, b) => a + b, 0);
      const main = last.get(child.pid) ?? NaN;
      const full = r.timeline.filter((i) => i.end - i.start >= 999);
      const elu = full.length ? full.reduce((a, i) => a + i.generator.cpu, 0) / full.length : NaN;
      // Steady state: from 1 s after the start to 0.5 s before the load's end.
      const from = readings.find((x) => x.at >= s.meta.startedAt + 1000);
      const to = readings.findLast((x) => x.at <= s.meta.startedAt + (s.loadDurationMs ?? s.durationMs) - 500);
      const steady = from && to && to.at > from.at ? { main: (to.main - from.main) / (to.total - from.total), cores: (to.total - from.total) / ((to.at - from.at) / 1000) } : null;
      resolve({
        workers: s.meta.workers,
        rps: s.total.count / (s.durationMs / 1000),
        p50: s.total.latency.percentiles['50'] / 1000,
        p99: s.total.latency.percentiles['99'] / 1000,
        cpu: total / (s.durationMs / 1000),
        mainShare: main / total,
        steadyMainShare: steady?.main ?? NaN,
        steadyCores: steady?.cores ?? NaN,
        mainPauseMs: s.generator?.mainPause.maxMs ?? NaN,
        elu,
      });
    });
  });
}

const server = await startNginx({ core: cores - 1 });
try {
  console.log(`bench/workers: ${cores} cores (nginx on core ${cores - 1}, loadctl on ${loadCores}), ${connections} connections, ${seconds} s per run`);
  console.log('| --workers | workers | req/s | p50 ms | p99 ms | process CPU (cores) | main thread share | main share, steady | CPU steady (cores) | main pause max ms | busiest worker ELU |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const w of counts) {
    const x = await runOnce(server.url, w);
    const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
    console.log(
      `| ${w} | ${x.workers} | ${f(x.rps, 0)} | ${f(x.p50, 2)} | ${f(x.p99, 2)} | ${f(x.cpu, 2)} | ${f(x.mainShare * 100, 0)}% | ${f(x.steadyMainShare * 100, 0)}% | ${f(x.steadyCores, 2)} | ${f(x.mainPauseMs, 1)} | ${f(x.elu * 100, 0)}% |`,
    );
  }
} finally {
  server.stop();
}
