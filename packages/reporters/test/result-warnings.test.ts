/**
 * Every warning reaches the files: a real run whose InfluxDB sink has nowhere to write and
 * whose other sink throws. The sinks end first, so their losses are warnings of the one
 * Result that result.json and the HTML report are written from.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quick, readResult, type Reporter } from '@loadctl/core';
import { freePort } from '../../../scripts/servers/index.mjs';
import { startServer, type TestServer } from '../../../test/support/servers.js';
import { HtmlReporter } from '../src/html/index.js';
import { InfluxDBReporter } from '../src/influxdb/index.js';
import { JsonResultReporter } from '../src/json/index.js';

let dir: string;
let server: TestServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadctl-warnings-'));
  server = await startServer((_n, _req, res) => res.end('ok'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('reporter losses in result.json and the HTML report', () => {
  it('puts InfluxDB points lost, write errors and a failing sink in both files', async () => {
    const deadInflux = await freePort();
    const influx = new InfluxDBReporter({
      url: `http://127.0.0.1:${deadInflux}`,
      db: 'loadctl',
      flushIntervalMs: 100,
      minRetryDelayMs: 20,
      maxRetryDelayMs: 50,
      endTimeoutMs: 300,
    });
    const broken: Reporter = {
      name: 'broken-sink',
      kind: 'sink',
      end: () => {
        throw new Error('sink exploded');
      },
    };
    const out = join(dir, 'run');
    const { summary } = await quick({
      url: `${server.url}/`,
      requests: 200,
      connections: 2,
      workers: 1,
      outDir: out,
      reporters: [influx, broken, new JsonResultReporter({ path: join(out, 'result.json') }), new HtmlReporter(join(out, 'report.html'))],
    });
    const lost = influx.losses();
    expect(lost.lost).toBe(lost.total);
    expect(lost.failures).toBeGreaterThan(0);

    const result = await readResult(join(out, 'result.json'));
    const codes = result.summary.warnings.map((w) => w.code);
    expect(codes).toContain('REPORTER_DATA_LOST');
    expect(codes).toContain('REPORTER_FAILED');
    const influxWarning = result.summary.warnings.find((w) => w.code === 'REPORTER_DATA_LOST')!;
    expect(influxWarning.message).toContain(`reporter influxdb: ${lost.total} of ${lost.total} points lost`);
    expect(lost.lastError).toBeTruthy();
    expect(influxWarning.message).toContain(`(last error: ${lost.lastError})`);
    expect(result.summary.warnings.find((w) => w.code === 'REPORTER_FAILED')!.message).toMatch(/broken-sink: 1 errors.*sink exploded/);
    expect(result.summary.reporters.influxdb.losses).toEqual(lost);
    // The returned summary says the same.
    expect(summary.warnings).toEqual(expect.arrayContaining(result.summary.warnings));
    // The timeline read back from timeline.jsonl made it into result.json, the checkpoint is gone.
    expect(result.timeline.reduce((n, iv) => n + iv.total.count, 0)).toBe(200);
    expect((await readdir(out)).sort()).toEqual(['report.html', 'result.json', 'timeline.jsonl']);

    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('REPORTER_DATA_LOST');
    expect(html).toContain(`${lost.total} of ${lost.total} points lost`);
    expect(html).toContain('sink exploded');
  });
});
