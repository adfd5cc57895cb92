import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordMicros, summarizeHistogram } from '../src/metrics/histogram.js';
import { RESULT_SCHEMA_VERSION, type CumulativeRequestStats, type Interval, type RequestStats, type RunResult } from '../src/metrics/model.js';
import { ResultFileError, readResult, validateResult, writeResult } from '../src/metrics/result-file.js';

function stats(latencies: number[]): { plain: RequestStats; cumulative: CumulativeRequestStats } {
  const h = createHistogram();
  for (const us of latencies) recordMicros(h, us);
  const plain: RequestStats = {
    count: latencies.length,
    responses: latencies.length - 1,
    errorCount: 1,
    failed: 2,
    statuses: { '200': latencies.length - 2, '500': 1 },
    errors: { timeout: 1 },
    bytesIn: 1000,
    bytesOut: 200,
    latency: summarizeHistogram(h),
    serviceTime: summarizeHistogram(h),
  };
  return {
    plain,
    cumulative: { ...plain, latencyHistogram: encodeHistogram(h), serviceTimeHistogram: encodeHistogram(h), rps: 2.5 },
  };
}

function sampleResult(): RunResult {
  const a = stats([1200, 3400, 5600, 7800]);
  const interval: Interval = {
    index: 0,
    start: 1_700_000_000_000,
    end: 1_700_000_001_000,
    elapsedMs: 1000,
    total: a.plain,
    requests: { 'GET /x': a.plain },
    flows: { default: { iterations: 4, failed: 1, duration: a.plain.latency } },
    checks: { 'status is 200': { passes: 3, fails: 1 } },
    rps: 4,
    activeUsers: 2,
    targetRate: 5,
    dropped: 0,
    late: 1,
    stage: 'steady',
    generator: { cpu: 0.3, eventLoopLagMs: 1.2 },
  };
  return {
    schemaVersion: 1,
    summary: {
      meta: {
        runId: 'r1',
        scenario: 'quick',
        target: 'http://127.0.0.1:1',
        kind: 'quick',
        startedAt: 1_700_000_000_000,
        workers: 1,
        plannedDurationMs: 1000,
        intervalMs: 1000,
        segment: '0/1',
        loadctlVersion: '0.1.0',
        model: 'closed 2 connections',
        tags: { team: 'perf' },
      },
      endedAt: 1_700_000_001_000,
      durationMs: 1000,
      total: a.cumulative,
      requests: { 'GET /x': a.cumulative },
      flows: { default: { iterations: 4, failed: 1, duration: a.plain.latency } },
      checks: { 'status is 200': { passes: 3, fails: 1 } },
      rps: { mean: 4, min: 4, max: 4, stdev: 0 },
      dropped: 0,
      late: 1,
      verdict: {
        passed: false,
        thresholds: [
          { expression: 'p(95) < 5ms', scope: 'total', actual: 7.8, limit: 5, unit: 'ms', passed: false },
          { expression: 'rps > 1', scope: 'total', actual: null, limit: 1, unit: '1/s', passed: false, aborted: true },
        ],
        endReason: 'threshold_abort',
      },
      warnings: [{ code: 'W_X', severity: 'warn', message: 'something' }],
      reporters: { influxdb: { errors: 0, dropped: 0, notes: ['points written 10'] } },
    },
    timeline: [interval],
    config: { target: 'http://127.0.0.1:1', headers: { authorization: '***' } },
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadctl-result-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectResultError(p: Promise<unknown>, reason: RegExp, path?: string): Promise<ResultFileError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ResultFileError);
  const e = err as ResultFileError;
  expect(e.code).toBe('E_RESULT_FILE');
  if (path) {
    expect(e.path).toBe(path);
    expect(e.message).toContain(path);
  }
  expect(e.reason).toMatch(reason);
  return e;
}

describe('writeResult / readResult', () => {
  it('round-trips a result deep-equal', async () => {
    const path = join(dir, 'nested', 'deeper', 'result.json');
    const result = sampleResult();
    await writeResult(path, result);
    expect(await readResult(path)).toEqual(result);
    // No temp files left behind next to it.
    expect(await readdir(join(dir, 'nested', 'deeper'))).toEqual(['result.json']);
  });

  it('writes readable JSON with one timeline entry per line', async () => {
    const path = join(dir, 'layout.json');
    const result = sampleResult();
    result.timeline = [result.timeline[0]!, { ...result.timeline[0]!, index: 1 }];
    await writeResult(path, result);
    const text = await readFile(path, 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('{');
    expect(lines[1]).toBe('  "schemaVersion": 1,');
    expect(lines).toContain('  "timeline": [');
    expect(lines.filter((l) => l.startsWith('    {"index":'))).toHaveLength(2);
    expect(JSON.parse(text)).toEqual(result);
    const empty = join(dir, 'empty-timeline.json');
    await writeResult(empty, { ...result, timeline: [] });
    expect(await readFile(empty, 'utf8')).toContain('"timeline": []');
    expect((await readResult(empty)).timeline).toEqual([]);
  });

  it('replaces an existing file atomically (never a partial file)', async () => {
    const path = join(dir, 'replace.json');
    const first = sampleResult();
    await writeResult(path, first);
    const second = sampleResult();
    second.summary.meta.runId = 'r2';
    second.timeline = Array.from({ length: 500 }, (_, i) => ({ ...first.timeline[0]!, index: i }));
    // Concurrent readers only ever see one complete version.
    const reads: Promise<RunResult>[] = [];
    const write = writeResult(path, second);
    for (let i = 0; i < 20; i++) reads.push(readResult(path));
    await write;
    for (const r of await Promise.all(reads)) expect(['r1', 'r2']).toContain(r.summary.meta.runId);
    expect((await readResult(path)).timeline).toHaveLength(500);
  });

  it('reports a missing file', async () => {
    const path = join(dir, 'nope.json');
    await expectResultError(readResult(path), /file not found/, path);
  });

  it('reports a directory', async () => {
    const path = join(dir, 'a-dir');
    await mkdir(path);
    await expectResultError(readResult(path), /is a directory/, path);
  });

  it('reports garbage and empty files', async () => {
    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, '{"schemaVersion": 1, "summary": ');
    await expectResultError(readResult(garbage), /not valid JSON/, garbage);
    const empty = join(dir, 'empty.json');
    await writeFile(empty, '  \n');
    await expectResultError(readResult(empty), /empty/, empty);
    const arr = join(dir, 'array.json');
    await writeFile(arr, '[1,2]');
    await expectResultError(readResult(arr), /top level is an array/, arr);
  });

  it('rejects a newer schema version with an upgrade hint', async () => {
    const path = join(dir, 'newer.json');
    await writeFile(path, JSON.stringify({ ...sampleResult(), schemaVersion: RESULT_SCHEMA_VERSION + 1 }));
    const e = await expectResultError(readResult(path), /schema version 2 was written by a newer loadctl/, path);
    expect(e.message).toMatch(/upgrade loadctl/);
  });

  it('rejects a missing or invalid schema version', async () => {
    const { schemaVersion: _, ...noVersion } = sampleResult();
    await expectResultError(Promise.resolve().then(() => validateResult(noVersion, 'x.json')), /"schemaVersion" is missing/, 'x.json');
    await expectResultError(
      Promise.resolve().then(() => validateResult({ ...sampleResult(), schemaVersion: '1' }, 'x.json')),
      /invalid "schemaVersion" "1"/,
    );
  });

  it('names the offending fields of a malformed result', async () => {
    const bad = JSON.parse(JSON.stringify(sampleResult()));
    bad.summary.meta.runId = 42;
    delete bad.summary.total.latencyHistogram;
    bad.timeline[0].requests['GET /x'].latency.percentiles['99'] = 'fast';
    bad.summary.verdict.endReason = 'bored';
    const path = join(dir, 'malformed.json');
    await writeFile(path, JSON.stringify(bad));
    const e = await expectResultError(readResult(path), /invalid result/, path);
    expect(e.reason).toContain('summary.meta.runId: expected a string, got 42');
    expect(e.reason).toContain('summary.total.latencyHistogram: missing');
    expect(e.reason).toContain('timeline[0].requests["GET /x"].latency.percentiles["99"]: expected a number, got "fast"');
    expect(e.reason).toContain('summary.verdict.endReason: expected one of completed');
  });

  it('accepts a result without config and with optional fields absent', async () => {
    const r = sampleResult();
    delete (r as Partial<RunResult>).config;
    delete r.timeline[0]!.targetRate;
    delete r.timeline[0]!.stage;
    delete r.summary.meta.plannedDurationMs;
    const path = join(dir, 'minimal.json');
    await writeResult(path, r);
    expect(await readResult(path)).toEqual(r);
    expect(JSON.parse(await readFile(path, 'utf8')).schemaVersion).toBe(1);
  });

  it('fails to write with a clear error when the target is not writable', async () => {
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'x');
    const path = join(blocker, 'result.json');
    await expectResultError(writeResult(path, sampleResult()), /cannot write/, path);
  });
});
