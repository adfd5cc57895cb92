/**
 * A real run of two loads side by side (an open and a closed load against a loopback
 * server), through every reporter: result.json keeps each load's figures and what each
 * load is; the console, the HTML report and JUnit show a row or a scope per load; InfluxDB
 * (real 1.6) holds the run's points as for one load plus each load's, tagged `load`, and
 * Prometheus labels each load's series with `load` so that sums over it are the run's.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, readResult, run, validateResult, type RunResult } from '@loadctl/core';
import { startInfluxDB1, type InfluxDB1Server } from '../../../scripts/servers/index.mjs';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';
import { liveLine } from '../src/console/live.js';
import { renderSummary } from '../src/console/summary.js';
import { renderHtmlReport } from '../src/html/index.js';
import { InfluxDBReporter, loadTagsOf, summaryLines } from '../src/influxdb/index.js';
import { JsonResultReporter } from '../src/json/index.js';
import { renderJUnit } from '../src/junit/index.js';
import { PrometheusReporter } from '../src/prometheus/index.js';
import { rows } from './support/influx.js';
import { parseExposition } from './support/prom.js';

let server: TestServer;
let influx: InfluxDB1Server;
let result: RunResult;
let resultFile: string;

beforeAll(async () => {
  influx = await startInfluxDB1({ db: 'loadctl' });
  // /api answers 200, /write 503: the writers' threshold fails, the api's passes.
  server = await startServer((_n, req, res) => setTimeout(() => json(res, req.url?.startsWith('/api') ? 200 : 503, {}), 2));
  const scenario = parseScenario(
    `name: two-loads
target: ${server.url}
tags: { team: perf }
loads:
  - name: api
    load: { rate: 100, duration: 1200ms, maxInFlight: 7 }
    steps:
      - get: /api/items
        check: { status: 200 }
    thresholds: ['error_rate < 1%']
  - name: writers
    load: { users: 2, duration: 1s }
    tags: { team: data, kind: write }
    flows:
      - name: write
        pace: 10ms
        steps: [POST /write/items]
thresholds:
  - { expression: 'error_rate < 1%', scope: 'load:writers' }
`,
    { env: {} },
  );
  resultFile = join(mkdtempSync(join(tmpdir(), 'loadctl-loads-')), 'result.json');
  const reporters = [new InfluxDBReporter({ url: influx.url, version: 1, db: 'loadctl', flushIntervalMs: 100 }), new JsonResultReporter({ path: resultFile })];
  result = await run(scenario, { workers: 2, intervalMs: 250, reporters });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await influx?.stop();
});

describe('loads side by side in every reporter', () => {
  it('result.json: each load figures and what it is; it validates and reads back', async () => {
    const file = JSON.parse(readFileSync(resultFile, 'utf8'));
    expect(() => validateResult(file)).not.toThrow();
    const back = await readResult(resultFile);
    const s = back.summary;
    expect(Object.keys(s.loads!)).toEqual(['api', 'writers']);
    expect(s.meta.loads).toEqual({
      api: { model: 'open up to 100/s, max 7 in flight', plannedDurationMs: 1200, tags: {} },
      writers: { model: 'closed 2 users', plannedDurationMs: 1000, tags: { team: 'data', kind: 'write' } },
    });
    expect(s.total.count).toBe(s.loads!.api.total.count + s.loads!.writers.total.count);
    expect(s.total.count).toBe(server.received);
    expect(back.timeline.every((i) => i.loads !== undefined)).toBe(true);
  });

  it('console: a Loads table, thresholds named by their load, a live line per load', () => {
    const c = new Chalk({ level: 0 });
    const text = renderSummary(result.summary, c);
    const lines = text.split('\n');
    const loads = lines.slice(lines.indexOf('Loads') + 1, lines.indexOf('Loads') + 4);
    expect(loads[0]).toMatch(/^\s+load\s+model\s+requests\s+req\/s\s+error %\s+p50\s+p95\s+p99\s+dropped$/);
    expect(loads[1]).toMatch(new RegExp(`^\\s+api\\s+open up to 100/s, max 7 in flight\\s+${result.summary.loads!.api.total.count}\\s`));
    expect(loads[2]).toMatch(new RegExp(`^\\s+writers ✗\\s+closed 2 users\\s+${result.summary.loads!.writers.total.count}\\s.*100\\.00%`));
    expect(text).toMatch(/✗ load:writers: error_rate < 1%\s+measured 100%/);
    expect(text).toMatch(/✓ load:api: error_rate < 1%\s+measured 0%/);
    const full = result.timeline.find((i) => i.loads?.api && i.loads.writers)!;
    const line = liveLine(full, result.summary.meta, c);
    expect(line).toMatch(/api rate [\d.]+\/[\d.]+\/s in flight \d+/);
    expect(line).toMatch(/writers users \d+/);
  });

  it('HTML: a Loads table with a row per load and the run total; thresholds scoped to their load', async () => {
    const html = await renderHtmlReport(result);
    const section = /<section class="table" id="loads">(.*?)<\/section>/s.exec(html)?.[1] ?? '';
    expect([...section.matchAll(/data-load="([^"]+)"/g)].map((m) => m[1])).toEqual(['api', 'writers']);
    expect(section).toContain('closed 2 users');
    expect(section).toContain('all loads');
    expect(html).toContain('<td>load:writers</td><td><code>error_rate &lt; 1%</code></td>');
  });

  it('JUnit: a testcase per threshold named by its load, the loads as properties', () => {
    const xml = renderJUnit(result.summary);
    expect(xml).toContain('<testcase name="load:writers: error_rate &lt; 1%" classname="loadctl.thresholds.load:writers" time="0">');
    expect(xml).toContain('<testcase name="load:api: error_rate &lt; 1%" classname="loadctl.thresholds.load:api" time="0"/>');
    expect(xml).toContain('<property name="load.writers.model" value="closed 2 users"/>');
    expect(xml).toContain('<property name="load.writers.tag.kind" value="write"/>');
  });

  it("InfluxDB: the run's points without a load tag, each load's with it; counts add up exactly", async () => {
    const runId = result.summary.meta.runId;
    const sum = async (where: string): Promise<number> =>
      ((await rows(influx, `SELECT sum("count") FROM "loadctl_requests" WHERE "run_id" = '${runId}' AND "name" = 'total' AND ${where}`))[0]?.sum as number | undefined) ?? 0;
    const s = result.summary;
    expect(await sum(`"load" = ''`)).toBe(s.total.count);
    expect(await sum(`"load" = 'api'`)).toBe(s.loads!.api.total.count);
    expect(await sum(`"load" = 'writers'`)).toBe(s.loads!.writers.total.count);
    // each load's points carry its own tags besides the run's
    const tags = await rows(influx, `SELECT last("count") FROM "loadctl_requests" WHERE "run_id" = '${runId}' AND "load" = 'writers' GROUP BY "team", "kind"`);
    expect(tags.map((t) => [t.team, t.kind])).toEqual([['data', 'write']]);
    const summary = await rows(influx, `SELECT "count", "thresholds_failed" FROM "loadctl_summary" WHERE "run_id" = '${runId}' AND "name" = 'total' GROUP BY "load"`);
    expect(summary.map((r) => [r.load, r.count, r.thresholds_failed]).sort()).toEqual(
      [
        ['', s.total.count, 1],
        ['api', s.loads!.api.total.count, 0],
        ['writers', s.loads!.writers.total.count, 1],
      ].sort(),
    );
    // every end-of-run line once: a load's total point is not written twice
    const lines = summaryLines(s, {}, loadTagsOf(s.meta, {}));
    expect(new Set(lines).size).toBe(lines.length);
  });

  it("Prometheus: each load's series labelled load; their sums are the run's", async () => {
    const prom = new PrometheusReporter({ port: 0 });
    await prom.start(result.summary.meta);
    try {
      for (const i of result.timeline) prom.interval(i);
      const x = parseExposition(await prom.registry.metrics());
      const requests = x.samples.filter((s) => s.name === 'loadctl_requests_total');
      expect(requests.every((s) => s.labels.load === 'api' || s.labels.load === 'writers')).toBe(true);
      const total = (load: string): number => requests.filter((s) => s.labels.load === load).reduce((n, s) => n + s.value, 0);
      expect(total('api')).toBe(result.summary.loads!.api.total.count);
      expect(total('writers')).toBe(result.summary.loads!.writers.total.count);
      expect(requests.reduce((n, s) => n + s.value, 0)).toBe(result.summary.total.count);
      expect(x.samples.filter((s) => s.name === 'loadctl_rps').map((s) => s.labels.load).sort()).toEqual(['api', 'writers']);
      // the run's own latency quantiles stay unlabelled
      expect(x.samples.some((s) => s.name === 'loadctl_latency_seconds' && s.labels.name === 'total' && s.labels.load === undefined)).toBe(true);
    } finally {
      await prom.close();
    }
  });
});
