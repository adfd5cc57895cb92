// Run peers and loadctl against a URL pinned to one core; each returns { rps, p50, p99 } (ms).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { which } from './nginx.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));

function pinned(core, cmd, args) {
  return which('taskset') ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args];
}

function wrkMs(s) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

export async function wrk(url, { core = 1, connections = 50, seconds = 10 } = {}) {
  const [cmd, args] = pinned(core, 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url]);
  const { stdout } = await run(cmd, args, { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)[1]);
  const p50 = wrkMs(/^\s+50%\s+(\S+)/m.exec(stdout)[1]);
  const p99 = wrkMs(/^\s+99%\s+(\S+)/m.exec(stdout)[1]);
  return { rps, p50, p99 };
}

/** Warm-up before measuring, for the JIT-compiled tools (autocannon, loadctl); 0 for none. */
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);

export async function autocannon(url, { core = 1, connections = 50, seconds = 10 } = {}) {
  const bin = join(dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
  const warmup = WARMUP_S > 0 ? ['--warmup', '[', '-c', String(connections), '-d', String(WARMUP_S), ']'] : [];
  const [cmd, args] = pinned(core, process.execPath, [bin, '-c', String(connections), '-d', String(seconds), ...warmup, '-j', url]);
  const { stdout } = await run(cmd, args, { maxBuffer: 1 << 24 });
  // With --warmup autocannon prints the warm-up's result first: the measured one is the last.
  const docs = stdout.trim().split(/\n(?=\{)/);
  const r = JSON.parse(docs[docs.length - 1]);
  return { rps: r.requests.total / (r.duration || seconds), p50: r.latency.p50, p99: r.latency.p99 };
}

export async function loadctl(url, { core = 1, connections = 50, seconds = 10, workers = 1, extra = [] } = {}) {
  const bin = join(root, 'packages', 'cli', 'bin', 'run.js');
  const warmup = WARMUP_S > 0 ? ['--warmup', `${WARMUP_S}s`] : [];
  let [cmd, args] = pinned(core, process.execPath, [bin, 'quick', url, '-c', String(connections), '-d', `${seconds}s`, '--workers', String(workers), '--json', '--quiet', ...warmup, ...extra]);
  // /usr/bin/time (Debian "time") reports the process's CPU seconds on stderr, when installed.
  const timed = existsSync('/usr/bin/time');
  if (timed) [cmd, args] = ['/usr/bin/time', ['-f', 'cpu %U %S', cmd, ...args]];
  const { stdout, stderr } = await run(cmd, args, { maxBuffer: 1 << 26 });
  const s = JSON.parse(stdout);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(stderr);
  return {
    rps: s.total.count / (s.durationMs / 1000),
    p50: s.total.latency.percentiles['50'] / 1000,
    p99: s.total.latency.percentiles['99'] / 1000,
    // CPU per request of the whole process (startup included): steadier than RPS on a shared machine.
    cpuUsPerRequest: cpu ? ((Number(cpu[1]) + Number(cpu[2])) * 1e6) / s.total.count : NaN,
  };
}

/** A bare undici Client.dispatch loop: the ceiling of any generator built on undici. */
export async function bareUndici(url, { core = 1, connections = 50, seconds = 10 } = {}) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'bare-undici.js');
  const [cmd, args] = pinned(core, process.execPath, [script, url, String(seconds), String(connections)]);
  const { stdout } = await run(cmd, args, { maxBuffer: 1 << 20 });
  return { rps: JSON.parse(stdout).rps, p50: NaN, p99: NaN };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
