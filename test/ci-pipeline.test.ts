/**
 * The CI examples (examples/ci/Jenkinsfile, github-actions.yml) run their load test through
 * examples/ci/loadtest.sh; this runs that same script against the behaviour example service
 * with short steps: the first run has no baseline and leaves a candidate, the next passes
 * against it, and a run whose capacity is lower fails the pipeline on the comparison.
 *
 * The lower capacity is made by an SLO on throughput (`rps < 75`): it fails above a rate
 * fixed by construction, whatever the machine's speed, so the regression is deterministic.
 * Needs `pnpm build`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readResult } from '../packages/core/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'loadctl-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STEPS = '--step 2s --step-warmup 1s --confirm 0 --max-rate 100 --workers 1';
const SHORT = `${STEPS} --start-rate 50`;

function pipeline(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['examples/ci/loadtest.sh'], {
      cwd: root,
      // Generous SLOs: 100/s must pass on a busy machine too.
      env: { ...process.env, NO_COLOR: '1', SERVICE: 'behaviour', SLOS: 'p(99) < 2s\nerror_rate < 1%', MIN_RPS: '50', MAX_RPS_DROP: '10%', CAPACITY_ARGS: SHORT, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('examples/ci/loadtest.sh (the CI pipelines’ load test)', () => {
  it('first run: a baseline candidate; then a pass against it; then a lower capacity fails the build', async () => {
    const first = join(dir, 'first');
    const a = await pipeline({ OUT: first, BASELINE: join(dir, 'none.json') });
    expect(a.code, a.out).toBe(0);
    expect(a.out).toMatch(/loadtest: behaviour at http:\/\/127\.0\.0\.1:\d+/);
    expect(a.out).toMatch(/gate --min-rps 50: PASSED/);
    for (const f of ['result.json', 'junit.xml', 'report.html', 'baseline-candidate.json']) expect(existsSync(join(first, f)), f).toBe(true);
    const base = await readResult(join(first, 'baseline-candidate.json'));
    expect(base.summary.capacity).toMatchObject({ limitedBy: 'range', maxRate: 100 });

    const baseline = join(first, 'baseline-candidate.json');
    const second = join(dir, 'second');
    const b = await pipeline({ OUT: second, BASELINE: baseline });
    expect(b.code, b.out).toBe(0);
    expect(readFileSync(join(second, 'compare.md'), 'utf8')).toMatch(/^### loadctl capacity: ✅ no regression/);
    expect(existsSync(join(second, 'baseline-candidate.json'))).toBe(false);

    const third = join(dir, 'third');
    // 100/s fails the SLO, 50/s passes: with a coarse resolution the capacity is 50/s, two steps.
    const c = await pipeline({ OUT: third, BASELINE: baseline, SLOS: 'rps < 75', CAPACITY_ARGS: `${STEPS} --start-rate 100 --resolution 100/s` });
    expect(c.out).toMatch(/loadtest: capacity exited with 0/);
    expect(c.out).toMatch(/loadtest: compare exited with 1/);
    expect(c.code, c.out).toBe(1);
    const md = readFileSync(join(third, 'compare.md'), 'utf8');
    expect(md).toMatch(/^### loadctl capacity: ❌ regressed/);
    expect(md).toMatch(/max RPS \d+ → \d+/);
    // The artifacts a pipeline publishes are there on failure too.
    for (const f of ['result.json', 'junit.xml', 'report.html']) expect(existsSync(join(third, f)), f).toBe(true);
  });
});
