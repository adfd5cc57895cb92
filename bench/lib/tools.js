// Run peers and loadctl against a URL pinned to one core; each returns { rps, p50, p99 } (ms).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { which } from './nginx.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));

function pinned(core, cmd, args) {
  return which('taskset') ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args];
}

/** Run under /usr/bin/time (Debian "time"), when installed, for the process's CPU seconds on stderr. */
function timed(cmd, args) {
  return existsSync('/usr/bin/time') ? ['/usr/bin/time', ['-f', 'cpu %U %S', cmd, ...args]] : [cmd, args];
}

function cpuSeconds(stderr) {
  const m = /cpu ([\d.]+) ([\d.]+)/.exec(stderr ?? '');
  return m ? Number(m[1]) + Number(m[2]) : NaN;
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

/** autocannon; with `rate`, its overall rate limit (-R: a throttled closed model, not an open one). */
export async function autocannon(url, { core = 1, connections = 50, seconds = 10, rate } = {}) {
  const bin = join(dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
  const warmup = WARMUP_S > 0 ? ['--warmup', '[', '-c', String(connections), '-d', String(WARMUP_S), ']'] : [];
  const limit = rate ? ['-R', String(rate)] : [];
  const [cmd, args] = timed(...pinned(core, process.execPath, [bin, '-c', String(connections), '-d', String(seconds), ...limit, ...warmup, '-j', url]));
  const { stdout, stderr } = await run(cmd, args, { maxBuffer: 1 << 24 });
  // With --warmup autocannon prints the warm-up's result first: the measured one is the last.
  const docs = stdout.trim().split(/\n(?=\{)/);
  const r = JSON.parse(docs[docs.length - 1]);
  // autocannon's totals leave the warm-up out; its CPU figure (whole process) does not.
  return { rps: r.requests.total / (r.duration || seconds), p50: r.latency.p50, p99: r.latency.p99, cpuUsPerRequest: cpuSeconds(stderr) * 1e6 / r.requests.total };
}

/**
 * loadctl quick (closed model, or open with `rate`), or with `scenario` a scenario file through
 * `loadctl run` (`--env TARGET=origin`, users scaled from 50 to `connections`).
 */
export async function loadctl(url, { core = 1, connections = 50, seconds = 10, workers = 1, httpClient, rate, scenario, extra = [] } = {}) {
  const bin = join(root, 'packages', 'cli', 'bin', 'run.js');
  const warmup = WARMUP_S > 0 ? ['--warmup', `${WARMUP_S}s`] : [];
  const client = httpClient ? ['--http-client', httpClient] : [];
  const out = mkdtempSync(join(tmpdir(), 'loadctl-bench-out-'));
  const what = scenario
    ? ['run', scenario, '--env', `TARGET=${new URL(url).origin}`, '--scale', String(connections / 50), '-d', `${seconds}s`, '--out-dir', out]
    : ['quick', url, '-c', String(connections), '-d', `${seconds}s`, ...(rate ? ['-r', String(rate)] : [])];
  const [cmd, args] = timed(...pinned(core, process.execPath, [bin, ...what, '--workers', String(workers), '--json', '--quiet', ...warmup, ...client, ...extra]));
  // `run` exits 1 when a check fails; its summary is still on stdout.
  const { stdout, stderr } = await run(cmd, args, { maxBuffer: 1 << 26 }).catch((err) => (err.stdout ? err : Promise.reject(err)));
  rmSync(out, { recursive: true, force: true });
  const s = JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1));
  return {
    rps: s.total.count / (s.durationMs / 1000),
    p50: s.total.latency.percentiles['50'] / 1000,
    p99: s.total.latency.percentiles['99'] / 1000,
    // CPU per request of the whole process (startup included): steadier than RPS on a shared machine.
    cpuUsPerRequest: (cpuSeconds(stderr) * 1e6) / s.total.count,
  };
}

async function bareLoop(argv, url, { core = 1, connections = 50, seconds = 10 } = {}) {
  const script = join(dirname(fileURLToPath(import.meta.url)), argv[0]);
  const [cmd, args] = pinned(core, process.execPath, [script, ...argv.slice(1), url, String(seconds), String(connections)]);
  const { stdout } = await run(cmd, args, { maxBuffer: 1 << 20 });
  const r = JSON.parse(stdout);
  return { rps: r.rps, p50: NaN, p99: NaN, cpuUsPerRequest: r.cpuUsPerRequest };
}

/** A bare undici Client.dispatch loop: the ceiling of any generator built on undici. */
export const bareUndici = (url, o) => bareLoop(['bare-dispatch.js', 'undici'], url, o);
/** A bare `net` loop with the least parsing that frames a response: the floor of any Node generator. */
export const bareNet = (url, o) => bareLoop(['bare-net.js'], url, o);
/** loadctl's lean HTTP/1.1 client (engine/http1) in a bare dispatch loop. */
export const bareFast = (url, o) => bareLoop(['bare-dispatch.js', 'fast'], url, o);

/**
 * Locust (Debian python3-locust) FastHttpUser, headless, one process; null when not installed.
 * Percentiles are Locust's own (whole milliseconds, approximated).
 */
export async function locust(url, { core = 1, connections = 50, seconds = 10 } = {}) {
  if (!which('locust')) return null;
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-bench-locust-'));
  const file = join(root, 'bench', 'peers', 'locustfile.py');
  const host = new URL(url).origin;
  const [cmd, args] = pinned(core, 'locust', ['-f', file, '--headless', '-u', String(connections), '-r', String(connections), '-t', `${seconds}s`, '--host', host, '--only-summary', '--csv', join(dir, 'r'), '--loglevel', 'ERROR']);
  await run(cmd, args, { maxBuffer: 1 << 24 });
  const rows = readFileSync(join(dir, 'r_stats.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  rmSync(dir, { recursive: true, force: true });
  const head = rows[0];
  const agg = rows.find((r) => r[1] === 'Aggregated');
  const col = (name) => Number(agg[head.indexOf(name)]);
  return { rps: col('Requests/s'), p50: col('50%'), p99: col('99%') };
}

/** Median and spread (min..max) of a list, formatted. */
export function spread(xs, digits = 0) {
  const f = (v) => v.toFixed(digits);
  return `${f(median(xs))} (${f(Math.min(...xs))}..${f(Math.max(...xs))})`;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
