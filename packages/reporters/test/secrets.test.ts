/**
 * "Secrets in URL query strings leak" (issue 9): credential-like query parameters and
 * headers marked secret are redacted in every output — console, result.json, JUnit, the
 * HTML report, InfluxDB tags (a real InfluxDB 1.x) and Prometheus labels (scraped) — while
 * the target still receives the real values.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quick, type QuickOptions, type Reporter } from '@loadctl/core';
import { startInfluxDB1, type InfluxDB1Server } from '../../../scripts/servers/index.mjs';
import { ConsoleReporter, HtmlReporter, InfluxDBReporter, JsonResultReporter, JUnitReporter, PrometheusReporter } from '../src/index.js';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';

let influx: InfluxDB1Server;
let server: TestServer;
let seen: string[] = [];
beforeAll(async () => {
  influx = await startInfluxDB1({ db: 'secrets' });
  server = await startServer((_n, req, res) => {
    seen.push(`${req.url} ${String(req.headers['x-custom-auth'])}`);
    json(res, 200, {});
  });
});
afterAll(async () => {
  await server?.close();
  await influx?.stop();
});

function sink(): PassThrough & { text(): string } {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  return Object.assign(s, { text: () => text });
}

describe('secrets never reach an output', () => {
  it('api_key, token and a configured query parameter and header are *** everywhere; the request carries them', async () => {
    seen = [];
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-secrets-'));
    const secrets = ['SECRET-API-1', 'SECRET-TOK-2', 'SECRET-SESS-3', 'SECRET-HDR-4', 'SECRET-BEARER-5'];
    const o: QuickOptions = {
      url: `${server.url}/search?api_key=SECRET-API-1&page=2&Token=SECRET-TOK-2&session=SECRET-SESS-3`,
      headers: { 'x-custom-auth': 'SECRET-HDR-4', authorization: 'Bearer SECRET-BEARER-5' },
      secretHeaders: ['X-Custom-Auth'],
      secretQuery: ['session'],
      requests: 60,
      connections: 2,
      workers: 1,
    };
    const out = sink();
    const live = sink();
    const prom = new PrometheusReporter({ port: 0, lingerMs: 2000 });
    let scraped = '';
    // A sink ended with Prometheus (while it lingers): scrapes what Prometheus would.
    const scraper: Reporter = { name: 'scraper', kind: 'sink', end: async () => void (scraped = await (await fetch(prom.url!)).text()) };
    const reporters: Reporter[] = [
      new ConsoleReporter({ out, live, color: false }),
      new JsonResultReporter({ path: join(dir, 'result.json') }),
      new JUnitReporter(join(dir, 'junit.xml')),
      new HtmlReporter(join(dir, 'report.html')),
      new InfluxDBReporter({ url: influx.url, version: 1, db: 'secrets', flushIntervalMs: 100 }),
      prom,
      scraper,
    ];
    const { summary } = await quick({ ...o, reporters });

    // The target got the real values.
    expect(seen).toHaveLength(60);
    expect(seen[0]).toBe('/search?api_key=SECRET-API-1&page=2&Token=SECRET-TOK-2&session=SECRET-SESS-3 SECRET-HDR-4');

    const name = 'GET /search?api_key=***&page=2&Token=***&session=***';
    expect(Object.keys(summary.requests)).toEqual([name]);
    const result = readFileSync(join(dir, 'result.json'), 'utf8');
    expect(JSON.parse(result).summary.requests[name].count).toBe(60);
    const influxPoints = JSON.stringify(await influx.query(`SELECT * FROM /loadctl_.*/ WHERE "run_id" = '${summary.meta.runId}'`));
    const nameTags = JSON.stringify(await influx.query(`SHOW TAG VALUES FROM "loadctl_requests" WITH KEY = "name" WHERE "run_id" = '${summary.meta.runId}'`));
    expect(nameTags).toContain('api_key=***');
    expect(scraped).toContain('api_key=***');
    const outputs: Record<string, string> = {
      console: out.text() + live.text(),
      'result.json': result,
      'junit.xml': readFileSync(join(dir, 'junit.xml'), 'utf8'),
      'report.html': readFileSync(join(dir, 'report.html'), 'utf8'),
      influxdb: influxPoints + nameTags,
      prometheus: scraped,
    };
    expect(outputs.console).toContain(name);
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    }
  });
});
