/**
 * Checkpoints: a real `loadctl run` killed with SIGKILL mid-run leaves its timeline and its
 * last checkpoint; `loadctl report DIR` rebuilds report.html and a result.json marked
 * partial from them, with the checkpointed counts (> 0, never more than the server got).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '@loadctl/core';
import type { Checkpoint } from '@loadctl/core/internal';
import { readResult } from '@loadctl/core';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';
import { BIN, loadctl } from './cli.js';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startServer((_n, _req, res) => json(res, 200, { ok: true }));
  dir = mkdtempSync(join(tmpdir(), 'loadctl-checkpoint-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The checkpoint once it counts some requests; polls the file, bounded in time. */
async function checkpointWithRequests(path: string, child: { exitCode: number | null }, deadlineMs = 90_000): Promise<Checkpoint> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`loadctl exited (${child.exitCode}) before writing a checkpoint with requests`);
    if (existsSync(path)) {
      try {
        const c = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
        if (c.intervals > 0 && c.summary.total.count > 0) return c;
      } catch {
        // replaced while we read it: the next look sees the new one
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no checkpoint with requests in ${path} within ${deadlineMs} ms`);
}

describe('checkpoints and report DIR', () => {
  it('after kill -9, report DIR builds report.html and a partial result.json from the last checkpoint', async () => {
    const scenario = join(dir, 'long.yml');
    writeFileSync(scenario, `name: long\ntarget: ${server.url}\nload: { users: 2, duration: 120s }\nsteps: [GET /items]\n`);
    const out = join(dir, 'killed');
    const child = spawn(process.execPath, [BIN, 'run', scenario, '--out-dir', out, '--checkpoint', '1s', '--workers', '1', '--quiet'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    let checkpoint: Checkpoint;
    try {
      checkpoint = await checkpointWithRequests(join(out, 'checkpoint.json'), child);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(child.signalCode).toBe('SIGKILL');
    expect(existsSync(join(out, 'result.json'))).toBe(false);

    const r = await loadctl(['report', out, '--json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { report: string; result: string; partial: boolean; partialReason: string };
    expect(printed).toMatchObject({ report: join(out, 'report.html'), result: join(out, 'result.json'), partial: true });
    expect(printed.partialReason).toMatch(/did not finish/);

    const result: RunResult = await readResult(join(out, 'result.json'));
    expect(result.partial).toBe(true);
    expect(result.partialReason).toBe(printed.partialReason);
    const count = result.summary.total.count;
    // At least what the checkpoint we saw held (a later one may have replaced it), never more than was sent.
    expect(count).toBeGreaterThanOrEqual(checkpoint.summary.total.count);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(server.received);
    expect(result.summary.verdict).toMatchObject({ passed: false, endReason: 'interrupted' });
    expect(result.summary.warnings[0].code).toBe('RUN_INCOMPLETE');
    // The timeline is the part the checkpoint covers: it adds up to the same count.
    expect(result.timeline.length).toBeGreaterThan(0);
    expect(result.timeline.reduce((n, iv) => n + iv.total.count, 0)).toBe(count);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Partial result.');
    expect(html).toContain('RUN_INCOMPLETE');
    expect(html).toContain(count.toLocaleString('en-US'));
  });

  it('report DIR of a finished run rebuilds the report from its result.json, not partial', async () => {
    const out = join(dir, 'finished');
    const run = await loadctl(['quick', `${server.url}/`, '-n', '300', '-c', '2', '--workers', '1', '--out-dir', out, '--quiet', '--checkpoint', '1s']);
    expect(run.code).toBe(0);
    expect(existsSync(join(out, 'checkpoint.json'))).toBe(false);
    const before = readFileSync(join(out, 'result.json'), 'utf8');
    const r = await loadctl(['report', out, '--json', '-o', join(out, 'again.html')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ report: join(out, 'again.html'), partial: false });
    expect(readFileSync(join(out, 'result.json'), 'utf8')).toBe(before);
    expect(readFileSync(join(out, 'again.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('report of a directory that is not a run is bad input (exit 2), also in --json', async () => {
    const r = await loadctl(['report', dir, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'E_RESULT_FILE', exitCode: 2 } });
    expect(r.stderr).toMatch(/neither result\.json nor checkpoint\.json/);
  });
});
