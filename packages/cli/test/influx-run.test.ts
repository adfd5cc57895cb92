/**
 * A real `loadctl run` streaming to a real InfluxDB 1.6 through --reporter influxdb:
 * what InfluxDB holds adds up exactly to the run's own summary.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfluxDB1, type InfluxDB1Server } from '../../../scripts/servers/index.mjs';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';
import { loadctl } from './cli.js';

let influx: InfluxDB1Server;
let server: TestServer;
beforeAll(async () => {
  influx = await startInfluxDB1({ db: 'e2e' });
  server = await startServer((n, _req, res) => json(res, n % 5 === 0 ? 500 : 200, { n }));
});
afterAll(async () => {
  await influx?.stop();
  await server?.close();
});

type InfluxResult = { results: Array<{ series?: Array<{ columns: string[]; values: unknown[][] }> }> };
function scalar(r: InfluxResult, column: string): number {
  const s = r.results[0].series?.[0];
  if (!s) return NaN;
  return Number(s.values[0][s.columns.indexOf(column)]);
}

describe('loadctl run → InfluxDB 1.6', () => {
  it('the points written add up to the run summary; p99 of the summary point matches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-influx-'));
    const file = join(dir, 's.yml');
    writeFileSync(file, `name: influx-e2e\ntarget: ${server.url}\nload: { rate: 150, duration: 3s }\nsteps: [GET /a]\ntags: { build: "42" }\n`);
    const r = await loadctl(['run', file, '--out-dir', join(dir, 'out'), '--workers', '2', '--quiet', '--reporter', 'influxdb', '--influxdb-url', influx.url, '--influxdb-db', 'e2e', '--influxdb-flush', '1s']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0); // no thresholds: passes
    const result = JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8'));
    const total = result.summary.total;
    // 450 arrivals, each sent (or missed, counted, by a generator far behind at the end).
    expect(total.count + (result.summary.missed ?? 0)).toBe(450);
    const runId = result.summary.meta.runId;
    const where = `WHERE "run_id" = '${runId}' AND "name" = 'total'`;
    const sum = (await influx.query(`SELECT sum("count") AS c, sum("failed") AS f FROM "loadctl_requests" ${where}`)) as InfluxResult;
    expect(scalar(sum, 'c')).toBe(total.count);
    expect(scalar(sum, 'f')).toBe(total.failed);
    const summaryPoint = (await influx.query(`SELECT "latency_p99_ms", "count" FROM "loadctl_summary" ${where}`)) as InfluxResult;
    expect(scalar(summaryPoint, 'count')).toBe(total.count);
    expect(scalar(summaryPoint, 'latency_p99_ms')).toBeCloseTo(total.latency.percentiles['99'] / 1000, 6);
    // Reporter health is in the summary: nothing dropped.
    expect(result.summary.reporters.influxdb.dropped).toBe(0);
    expect(result.summary.reporters.influxdb.notes.join(' ')).toMatch(/written/);
  });

  it('two shards of one run write apart: each point tagged with its shard, counts per shard equal each result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-influx-shards-'));
    const file = join(dir, 's.yml');
    writeFileSync(file, `name: influx-shards\ntarget: ${server.url}\nload: { rate: 60, duration: 2s }\nsteps: [GET /s]\n`);
    const before = server.received;
    const start = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000).toISOString();
    const shards = ['1/2', '2/2'];
    const runs = await Promise.all(
      shards.map((seg, i) =>
        loadctl(['run', file, '--segment', seg, '--start-at', start, '--start-tolerance', '10m', '--out-dir', join(dir, `s${i}`), '--workers', '1', '--quiet', '--reporter', 'influxdb', '--influxdb-url', influx.url, '--influxdb-db', 'e2e', '--influxdb-flush', '1s']),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const results = shards.map((_, i) => JSON.parse(readFileSync(join(dir, `s${i}`, 'result.json'), 'utf8')));
    // Each shard's default warm-up reached the server too; the results say how many requests it sent.
    const warmup = results.reduce((n, r) => n + r.summary.generator.warmup.requests, 0);
    expect(results[0].summary.total.count + results[1].summary.total.count + warmup).toBe(server.received - before);
    for (const [i, seg] of shards.entries()) {
      const where = `WHERE "scenario" = 'influx-shards' AND "shard" = '${seg}' AND "name" = 'total'`;
      const sum = (await influx.query(`SELECT sum("count") AS c FROM "loadctl_requests" ${where}`)) as InfluxResult;
      expect(scalar(sum, 'c')).toBe(results[i].summary.total.count);
    }
  });
});
