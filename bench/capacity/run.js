// bench/capacity: does `loadctl capacity` find a capacity known by construction?
// For each construction a slot server (scripts/servers/slots.mjs: `slots` requests at once,
// each exactly `serviceMs`, a FIFO queue beyond) runs in its own process pinned to core 0,
// loadctl pinned to core 1; the claim is that the found capacity lies within 10% of
// slots × 1000 / serviceMs for at least two constructions. Prints one line per construction.
//
//   pnpm bench:capacity                                   # defaults: 10 s steps, 30 s confirmation
//   BENCH_STEP=3s BENCH_CONFIRM=5s pnpm bench:capacity    # a quick end-to-end check (not a figure)
//   BENCH_CONSTRUCTIONS=8x20,32x10 pnpm bench:capacity    # slots x service-ms, comma-separated
//
// Figures are only meaningful on a quiet machine with two free cores.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { which } from '../lib/nginx.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../packages/cli/bin/run.js', import.meta.url));
const slotsScript = fileURLToPath(new URL('../../scripts/servers/slots.mjs', import.meta.url));
const step = process.env.BENCH_STEP ?? '10s';
const confirm = process.env.BENCH_CONFIRM ?? '30s';
const constructions = (process.env.BENCH_CONSTRUCTIONS ?? '8x20,32x10,4x5')
  .split(',')
  .map((c) => c.trim().split('x').map(Number))
  .map(([slots, serviceMs]) => ({ slots, serviceMs, capacity: (slots * 1000) / serviceMs }));
const pin = (core, cmd, args) => (which('taskset') ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

function startSlots(slots, serviceMs) {
  const [cmd, args] = pin(0, process.execPath, [slotsScript, '--slots', String(slots), '--service-ms', String(serviceMs)]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
      const m = /listening on (http:\/\/[0-9.:]+)/.exec(text);
      if (m) resolve({ url: m[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`slot server exited with ${code}`)));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'loadctl-bench-capacity-'));
let within = 0;
try {
  for (const c of constructions) {
    const server = await startSlots(c.slots, c.serviceMs);
    try {
      const out = join(dir, `${c.slots}x${c.serviceMs}.json`);
      // Latency SLO: 5 service times; the queue past the capacity breaks it within a step.
      const slo = `p(99) < ${c.serviceMs * 5}ms`;
      const args = [bin, 'capacity', `${server.url}/`, '--slo', slo, '--slo', 'error_rate < 1%', '--step', step, '--confirm', confirm, '--resolution', '2%', '--start-rate', String(Math.max(10, Math.round(c.capacity / 8))), '--workers', '1', '--json', '--quiet', '-o', out];
      const [cmd, cmdArgs] = pin(1, process.execPath, args);
      let stdout = '';
      try {
        ({ stdout } = await run(cmd, cmdArgs, { maxBuffer: 1 << 26 }));
      } catch (err) {
        stdout = err.stdout ?? ''; // exit 3 (inconclusive) still prints the JSON
      }
      const r = JSON.parse(stdout);
      const error = r.maxRps / c.capacity - 1;
      const ok = r.status === 'found' && Math.abs(error) <= 0.1;
      if (ok) within++;
      console.log(
        `${c.slots} slots × ${c.serviceMs} ms = ${c.capacity} req/s → found ${r.maxRps.toFixed(1)} req/s (${(error * 100).toFixed(1)}%), ${r.status}, limited by the ${r.limitedBy}, ${r.steps.length} steps in ${(r.elapsedMs / 1000).toFixed(0)} s ${ok ? 'OK' : 'NOT within 10%'}`,
      );
      if (r.status !== 'found') console.log(`  ${r.explanation}`);
    } finally {
      server.stop();
    }
  }
  console.log(within >= 2 ? `OK: ${within} of ${constructions.length} constructions within 10%` : `NOT OK: ${within} of ${constructions.length} within 10% (need 2)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
