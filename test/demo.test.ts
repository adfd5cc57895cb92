/**
 * `pnpm demo` (scripts/demo.js), shortened: it starts the behaviour service, runs
 * scenarios/behaviour.yml through the CLI, writes the three result files, stops the
 * service and exits with loadctl's exit code. Needs `pnpm build`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readResult } from '../packages/core/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'loadctl-demo-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function runDemo(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/demo.js'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('scripts/demo.js', () => {
  it('runs behaviour.yml against the behaviour service and writes result.json, junit.xml and report.html', async () => {
    const r = await runDemo({ LOADCTL_DEMO_DURATION: '3s', LOADCTL_DEMO_OUT: out });
    expect(r.stdout).toMatch(/behaviour service listening on http:\/\/127\.0\.0\.1:\d+/);
    for (const f of ['result.json', 'junit.xml', 'report.html']) {
      expect(existsSync(join(out, f)), f).toBe(true);
      expect(r.stdout).toContain(join(out, f));
    }

    // readResult parses and validates the file against the result schema.
    const result = await readResult(join(out, 'result.json'));
    expect(result.summary.meta.scenario).toBe('behaviour');
    expect(result.summary.total.count).toBeGreaterThan(0);
    // The service answers every request correctly. Whether its latency (and the generator's
    // pace) meets the scenario's thresholds depends on how busy the machine is, so the verdict
    // may only fail on thresholds — and the exit code follows the verdict.
    expect(result.summary.total.failed).toBe(0);
    expect(Object.values(result.summary.checks).every((c) => c.fails === 0)).toBe(true);
    const v = result.summary.verdict;
    expect(v.endReason).toBe('completed');
    expect((v.reasons ?? []).map((x) => x.code).filter((c) => c !== 'THRESHOLDS_FAILED')).toEqual([]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(v.passed ? 0 : 1);
    expect(r.stdout).toContain(v.passed ? 'PASSED' : 'FAILED');
    expect(r.stdout).toMatch(new RegExp(`service stopped; loadctl exited with ${v.passed ? 0 : 1}`));
    expect(result.summary.meta.plannedDurationMs).toBe(3000);
    expect(Object.keys(result.summary.requests)).toEqual(
      expect.arrayContaining(['POST /v1/behaviors', 'GET /v1/users/{user}/behaviors']),
    );
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<testsuite');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });
});
