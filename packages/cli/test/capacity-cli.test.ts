/**
 * `loadctl capacity` and `loadctl compare` on capacity results through the real
 * binary, against a slot server of known capacity on loopback. Short steps;
 * only outcomes that hold on a busy machine are asserted (range- and
 * generator-limited searches, bad input, the files written, compare verdicts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResult } from '@loadctl/core';
import { startSlotServer, type SlotServer } from '../../../scripts/servers/slots.mjs';
import { loadctl } from './cli.js';

let server: SlotServer;
const dir = mkdtempSync(join(tmpdir(), 'loadctl-capacity-cli-'));
beforeAll(async () => {
  server = await startSlotServer({ slots: 50, serviceMs: 10 }); // 5000 req/s
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const SHORT = ['--step', '2s', '--step-warmup', '1s', '--confirm', '3s', '--workers', '1', '--quiet'];

describe('loadctl capacity (CLI)', () => {
  it('URL, range-limited: --json has maxRps, limitedBy and steps; the gate it reaches exits 0; files are written', async () => {
    const out = join(dir, 'range');
    const r = await loadctl(['capacity', `${server.url}/`, '--slo', 'p(99) < 1s', '--slo', 'error_rate < 1%', '--start-rate', '50', '--max-rate', '100', '--min-rps', '80', '--traffic', '1000', '--headroom', '30%', '--json', '--out-dir', out, ...SHORT]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ maxRps: 100, maxRate: 100, limitedBy: 'range', status: 'inconclusive', gate: { minRps: 80, passed: true } });
    expect(j.steps.map((s: { rate: number }) => s.rate)).toEqual([50, 100]);
    expect(j.steps[0].slos.map((t: { expression: string }) => t.expression)).toEqual(['p(99) < 1s', 'error_rate < 1%']);
    expect(j.sizing).toMatchObject({ traffic: 1000, instances: 15, upperBound: true });
    // The table goes to stderr with --json, stdout stays JSON.
    expect(r.stderr).toMatch(/S1: p\(99\) < 1s {3}S2: error_rate < 1%/);

    const result = await readResult(join(out, 'result.json'));
    expect(result.summary.capacity!.steps).toHaveLength(2);
    expect(result.summary.meta.kind).toBe('quick');
    expect(result.timeline.length).toBeGreaterThanOrEqual(4);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/maxRps &gt;= 80/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('id="capacity"');
    expect(html).toMatch(/<svg class="svg-chart" id="capacity-latency-0"/);
    expect(html).toContain('data-marker="answer 100/s"');
  });

  it('prints the step table and the answer, and a generator cap is exit 3 with the reason', async () => {
    const r = await loadctl(['capacity', `${server.url}/`, '--slo', 'p(99) < 5s', '--start-rate', '40', '--max-in-flight', '1', '--step', '2s', '--step-warmup', '1s', '--workers', '1', '--quiet']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/#\s+step\s+asked\/s\s+achieved\/s\s+req\/s\s+p50 ms\s+p95 ms\s+p99 ms\s+errors\s+S1/);
    expect(r.stdout).toMatch(/generator-limited/);
    expect(r.stdout).toMatch(/in-flight cap/);
    expect(r.stdout).toMatch(/limited by the generator/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('a scenario keeps its flows; its thresholds are the SLOs when no --slo is given', async () => {
    const file = join(dir, 'two-flows.yml');
    writeFileSync(
      file,
      `name: two-flows
target: ${server.url}
load: { users: 1, duration: 1s }
flows:
  - name: a
    weight: 3
    steps: [{ get: /a }]
  - name: b
    weight: 1
    steps: [{ get: /b }, { get: /c }]
thresholds:
  - p(99) < 2s
`,
    );
    const out = join(dir, 'scenario');
    const r = await loadctl(['capacity', file, '--start-rate', '40', '--max-rate', '40', '--out-dir', out, ...SHORT]);
    expect(r.code, r.stderr).toBe(3); // range-limited, no gate: not a capacity
    const res = await readResult(join(out, 'result.json'));
    const c = res.summary.capacity!;
    expect(c).toMatchObject({ limitedBy: 'range', slos: ['p(99) < 2s'] });
    expect(Object.keys(res.summary.requests).sort()).toEqual(['GET /a', 'GET /b', 'GET /c']);
    expect(Object.keys(res.summary.flows).sort()).toEqual(['a', 'b']);
    // 1.25 requests per iteration (3:1 weights, 1 and 2 requests).
    expect(c.maxRps).toBeGreaterThan(c.maxRate * 1.1);
    expect(c.maxRps).toBeLessThan(c.maxRate * 1.4);
  });

  it.each([
    [['--slo', 'p(99) < 100 parsecs'], /--slo "p\(99\) < 100 parsecs"/],
    [['--resolution', '150%'], /--resolution "150%"/],
    [['--headroom', '120%'], /--headroom "120%"/],
    [['--step', '10s', '--max-duration', '5s'], /must allow at least one step/],
    [['--step', '2s', '--step-warmup', '3s'], /warm-up \(3000 ms\) must be shorter than the step/],
    [['--start-rate', '500', '--max-rate', '100'], /start rate 500\/s is above the max rate/],
    [['--max-rate', '1000000', '--workers', '1'], /--max-rate: a rate of 1,000,000\/s is more than one machine can hold/],
  ])('bad input %j → exit 2', async (extra, message) => {
    const r = await loadctl(['capacity', `${server.url}/`, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an unreachable target is exit 3 before any load', async () => {
    const r = await loadctl(['capacity', 'http://127.0.0.1:1/', '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach 127\.0\.0\.1:1/);
  });
});

describe('loadctl compare on capacity results (CLI)', () => {
  it('0 when within the allowed drop, 1 when the capacity regressed, 3 when it cannot tell, markdown for a PR, 2 for mixed kinds', async () => {
    const base = JSON.parse(readFileSync(join(dir, 'range', 'result.json'), 'utf8'));
    const write = (name: string, patch: (r: typeof base) => void): string => {
      const r = structuredClone(base);
      patch(r);
      const p = join(dir, `${name}.json`);
      writeFileSync(p, JSON.stringify(r));
      return p;
    };
    const same = write('same', () => {});
    const foundLow = write('found-low', (r) => Object.assign(r.summary.capacity, { status: 'found', limitedBy: 'target', maxRps: 90 }));
    const foundHigh = write('found-high', (r) => Object.assign(r.summary.capacity, { status: 'found', limitedBy: 'target', maxRps: 200 }));
    const plain = write('plain', (r) => delete r.summary.capacity);

    const ok = await loadctl(['compare', same, same, '--max-rps-drop', '5%']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/NO REGRESSION/);

    const md = await loadctl(['compare', foundHigh, foundLow, '--max-rps-drop', '5%', '--markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^### loadctl capacity: ❌ regressed/);
    expect(md.stdout).toMatch(/\| \*\*max RPS\*\* \| 200 \| 90\.0 \| −55\.0% \|/);
    expect(md.stdout).toMatch(/<details><summary>Latency at equal offered load \(2 rates\)<\/summary>/);

    const unknown = await loadctl(['compare', foundHigh, same, '--max-rps-drop', '5%']);
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toMatch(/INCONCLUSIVE/);

    const mixed = await loadctl(['compare', same, plain]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/cannot compare a capacity result with a run result/);
  });
});
