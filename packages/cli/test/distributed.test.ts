/**
 * One run split over 4 processes (`loadctl run --segment k/4 --start-at T`) against one
 * counting loopback server, then `loadctl merge`: the merged result is the whole run,
 * exactly — counts equal what the server counted, percentiles equal those of one HDR
 * histogram fed every shard's histogram (added here with hdr-histogram-js's own API), the
 * merged timeline adds up, thresholds are judged again on the whole; a missing, duplicated
 * or foreign shard is refused.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';
import { loadctl, type CliResult } from './cli.js';

const SHARDS = 4;
const ITERATIONS = 400; // two requests each: 800 requests in all
const PERCENTILES = ['50', '75', '90', '95', '99', '99.9', '99.99'];

interface Stats {
  count: number;
  failed: number;
  statuses: Record<string, number>;
  latency: { count: number; min: number; max: number; percentiles: Record<string, number> };
  latencyHistogram: string;
  successLatency?: { count: number; percentiles: Record<string, number> };
  successLatencyHistogram?: string;
}
interface Result {
  summary: {
    meta: { runId: string; segment: string; startedAt: number; intervalMs: number; shards?: Array<{ segment: string }> };
    total: Stats;
    requests: Record<string, Stats>;
    checks: Record<string, { passes: number; fails: number }>;
    verdict: { passed: boolean; thresholds: Array<{ expression: string; actual: number | null; passed: boolean }> };
    warnings: Array<{ code: string; message: string }>;
  };
  timeline: Array<{ index: number; start: number; total: { count: number } }>;
  config: { load: { stages: Array<{ users: number }> } };
}

let server: TestServer;
let dir: string;
let scenarioFile: string;
let startAt: number;
const shardFiles: string[] = [];
const shardRuns: CliResult[] = [];

const read = (f: string): Result => JSON.parse(readFileSync(f, 'utf8')) as Result;

beforeAll(async () => {
  // Spread the latencies a little so the histograms have shape.
  server = await startServer((n, req, res) => {
    const delay = n % 7;
    if (delay === 0) json(res, 200, { ok: true, route: req.url });
    else setTimeout(() => json(res, 200, { ok: true, route: req.url }), delay);
  });
  dir = mkdtempSync(join(tmpdir(), 'loadctl-distributed-'));
  scenarioFile = join(dir, 'split.yml');
  writeFileSync(
    scenarioFile,
    `name: split-run
target: ${server.url}
load: { users: 8, iterations: ${ITERATIONS} }
steps:
  - get: /a
    check: { status: 200 }
  - post: /b
    json: { hello: world }
thresholds:
  - count == ${ITERATIONS * 2}
  - checks > 99%
`,
  );
  // One start for every shard, a little ahead; a shard ready late starts on the next
  // interval boundary after it, so the intervals line up whatever the machine's load.
  startAt = Math.ceil((Date.now() + 2_000) / 1000) * 1000;
  const iso = new Date(startAt).toISOString();
  const runs = Array.from({ length: SHARDS }, (_, i) => {
    const out = join(dir, `shard-${i + 1}`);
    shardFiles.push(join(out, 'result.json'));
    return loadctl(['run', scenarioFile, '--segment', `${i + 1}/${SHARDS}`, '--start-at', iso, '--start-tolerance', '10m', '--workers', '1', '--quiet', '--out-dir', out]);
  });
  shardRuns.push(...(await Promise.all(runs)));
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe('4 shards, one merge', () => {
  it('each shard ran its quarter, started on the common grid and failed the whole-run count threshold alone', () => {
    let sum = 0;
    shardRuns.forEach((r, i) => {
      expect(r.stderr).not.toMatch(/^error/im);
      expect(r.code).toBe(1); // count == 800 cannot hold for a quarter of the load
      const res = read(shardFiles[i]);
      expect(res.summary.meta.segment).toBe(`${i + 1}/${SHARDS}`);
      expect(res.summary.total.count).toBe((ITERATIONS / SHARDS) * 2);
      expect(res.summary.meta.startedAt).toBeGreaterThanOrEqual(startAt);
      expect((res.summary.meta.startedAt - startAt) % res.summary.meta.intervalMs).toBe(0);
      sum += res.summary.total.count;
    });
    expect(sum).toBe(server.received);
  });

  it('merged counts equal what the server counted; percentiles equal those of one histogram of every shard', async () => {
    const merged = join(dir, 'merged.json');
    const r = await loadctl(['merge', ...shardFiles, '-o', merged, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0); // the whole-run thresholds pass on the whole run
    const m = read(merged);
    const s = m.summary;
    expect(s.total.count).toBe(server.received);
    expect(s.total.count).toBe(ITERATIONS * 2);
    expect(s.requests['GET /a'].count).toBe(server.byRoute.get('GET /a'));
    expect(s.requests['POST /b'].count).toBe(server.byRoute.get('POST /b'));
    expect(s.total.statuses).toEqual({ '200': ITERATIONS * 2 });
    expect(s.checks['status 200'] ?? Object.values(s.checks)[0]).toEqual({ passes: ITERATIONS, fails: 0 });
    expect(s.verdict.passed).toBe(true);
    expect(s.verdict.thresholds.map((t) => [t.expression, t.actual, t.passed])).toEqual([
      [`count == ${ITERATIONS * 2}`, ITERATIONS * 2, true],
      ['checks > 99%', 1, true],
    ]);
    expect(s.meta.segment).toBe('1/1');
    expect(s.meta.shards?.map((x) => x.segment)).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(s.warnings.map((w) => w.code)).not.toContain('SEGMENTS_MISSING');

    // One histogram fed every shard's histogram, with hdr-histogram-js's own API.
    const shards = shardFiles.map(read);
    for (const name of ['total', 'GET /a', 'POST /b']) {
      const stats = (x: Result): Stats => (name === 'total' ? x.summary.total : x.summary.requests[name]);
      const whole = hdr.build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
      for (const x of shards) {
        const h = hdr.decodeFromCompressedBase64(stats(x).latencyHistogram, 32, false);
        whole.add(h);
        h.destroy();
      }
      const got = stats(m);
      expect(got.latency.count).toBe(whole.totalCount);
      // min and max are the exact recorded extremes of the shards (the histogram knows them to its precision)
      expect(got.latency.max).toBe(Math.max(...shards.map((x) => stats(x).latency.max)));
      expect(got.latency.min).toBe(Math.min(...shards.map((x) => stats(x).latency.min)));
      expect(Math.abs(got.latency.max - whole.maxValue)).toBeLessThanOrEqual(whole.maxValue * 1e-3 + 1);
      for (const p of PERCENTILES) {
        const want = whole.getValueAtPercentile(Number(p));
        // within the histogram's precision (3 significant digits)
        expect(Math.abs(got.latency.percentiles[p] - want)).toBeLessThanOrEqual(want * 1e-3 + 1);
      }
      // the successful requests' latency merges the same way
      const success = hdr.build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
      for (const x of shards) {
        const h = hdr.decodeFromCompressedBase64(stats(x).successLatencyHistogram!, 32, false);
        success.add(h);
        h.destroy();
      }
      expect(got.successLatency!.count).toBe(success.totalCount);
      for (const p of PERCENTILES) expect(Math.abs(got.successLatency!.percentiles[p] - success.getValueAtPercentile(Number(p)))).toBeLessThanOrEqual(success.getValueAtPercentile(Number(p)) * 1e-3 + 1);
      success.destroy();
      // and the merged result's own histogram is that same histogram
      const back = hdr.decodeFromCompressedBase64(got.latencyHistogram, 32, false);
      expect(back.totalCount).toBe(whole.totalCount);
      for (const p of PERCENTILES) expect(back.getValueAtPercentile(Number(p))).toBe(whole.getValueAtPercentile(Number(p)));
      back.destroy();
      whole.destroy();
    }

    // Timeline: per-interval counts add up to the total, one interval per wall-clock slot,
    // each the sum of the shards' intervals starting at the same instant.
    expect(m.timeline.reduce((a, i) => a + i.total.count, 0)).toBe(s.total.count);
    const starts = m.timeline.map((i) => i.start);
    expect(new Set(starts).size).toBe(starts.length);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    for (const iv of m.timeline) {
      const parts = shards.flatMap((x) => x.timeline.filter((j) => j.start === iv.start));
      expect(parts.reduce((a, j) => a + j.total.count, 0)).toBe(iv.total.count);
    }
  });

  it('the merged result feeds report and compare', async () => {
    const merged = join(dir, 'merged.json');
    const html = join(dir, 'merged.html');
    const rep = await loadctl(['report', merged, '-o', html]);
    expect(rep.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('split-run');
    const cmp = await loadctl(['compare', merged, merged, '--json']);
    expect(cmp.code).toBe(0);
    expect(JSON.parse(cmp.stdout).total.current.count).toBe(ITERATIONS * 2);
  });

  it('a missing shard is refused, or merged with a warning and judged on what is there', async () => {
    const three = [shardFiles[0], shardFiles[1], shardFiles[3]];
    const out = join(dir, 'partial.json');
    const refused = await loadctl(['merge', ...three, '-o', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/segments missing: 3\/4/);
    expect(existsSync(out)).toBe(false);

    const partial = await loadctl(['merge', ...three, '-o', out, '--allow-partial', '--quiet']);
    expect(partial.code).toBe(1); // count == 800 fails on three quarters
    const p = read(out);
    expect(p.summary.total.count).toBe((ITERATIONS / SHARDS) * 2 * 3);
    expect(p.summary.warnings.find((w) => w.code === 'SEGMENTS_MISSING')?.message).toMatch(/3\/4/);
    expect(p.summary.meta.segment).toBe('1/4,2/4,4/4');
  });

  it('a duplicated shard, the same file twice or a shard of another scenario is refused, naming the files', async () => {
    const out = join(dir, 'dup.json');
    const same = await loadctl(['merge', ...shardFiles, shardFiles[1], '-o', out]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain(`${shardFiles[1]} and ${shardFiles[1]} are the same run`);

    // Segment 2/4 run twice (another run id): its load would count twice.
    const again = join(dir, 'shard-2-again.json');
    const twice = read(shardFiles[1]);
    twice.summary.meta.runId = 'another-run';
    writeFileSync(again, JSON.stringify(twice));
    const dup = await loadctl(['merge', ...shardFiles, again, '-o', out]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain(`segment 2/4 appears twice: ${shardFiles[1]} and ${again}`);

    // 0.25:0.5 is 2/4 too.
    twice.summary.meta.segment = '0.25:0.5';
    writeFileSync(again, JSON.stringify(twice));
    const frac = await loadctl(['merge', ...shardFiles, again, '-o', out]);
    expect(frac.code).toBe(2);
    expect(frac.stderr).toContain(`segment 2/4 appears twice: ${shardFiles[1]} and ${again} (as 0.25:0.5)`);

    // 1/2 shares its load with 1/4 and 2/4.
    twice.summary.meta.segment = '1/2';
    writeFileSync(again, JSON.stringify(twice));
    const half = await loadctl(['merge', ...shardFiles, again, '-o', out]);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain(`segments 1/4 (${shardFiles[0]}) and 1/2 (${again}) overlap`);
    expect(half.stderr).toContain(`segments 2/4 (${shardFiles[1]}) and 1/2 (${again}) overlap`);

    // A shard of a scenario with other load.
    const foreign = join(dir, 'foreign.json');
    const other = read(shardFiles[2]);
    other.config.load.stages[0].users = 16;
    writeFileSync(foreign, JSON.stringify(other));
    const mixed = await loadctl(['merge', shardFiles[0], shardFiles[1], foreign, shardFiles[3], '-o', out]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`${shardFiles[0]} and ${foreign} are not shards of one scenario (scenario differs at load.stages[0].users)`);
    expect(existsSync(out)).toBe(false);
  });

  it('--start-at too far in the past is refused before any load is sent', async () => {
    const before = server.received;
    const past = new Date(Date.now() - 120_000).toISOString();
    const r = await loadctl(['run', scenarioFile, '--segment', '1/4', '--start-at', past, '--quiet', '-o', join(dir, 'late.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/in the past \(tolerance 30 s\)/);
    expect(server.received).toBe(before);
  });
});
