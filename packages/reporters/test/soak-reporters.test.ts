/**
 * Monitored series, trends and the soak verdict through every reporter: real InfluxDB 1.6
 * (read back with InfluxQL), the Prometheus endpoint (scraped over HTTP), the console summary
 * and live line (one line per interval over a day-long synthetic run), and the HTML report.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Interval, type MonitorSample, type RunResult } from '@loadctl/core';
import { computeTrends, soakVerdict } from '@loadctl/core/internal';
import { startInfluxDB1, type InfluxDB1Server } from '../../../scripts/servers/index.mjs';
import { InfluxDBReporter } from '../src/influxdb/index.js';
import { PrometheusReporter } from '../src/prometheus/index.js';
import { ConsoleReporter } from '../src/console/reporter.js';
import { renderSummary } from '../src/console/summary.js';
import { renderHtmlReport } from '../src/html/index.js';
import { makeRun, type SyntheticRun } from './support/synthetic.js';
import { rows } from './support/influx.js';
import { parseExposition, value } from './support/prom.js';
import { Chalk } from 'chalk';

const N = 40;

/** A synthetic run whose target leaks 2 MB and 1 descriptor per interval, with trends and verdict. */
function leakyRun(): SyntheticRun {
  const run = makeRun({ intervals: N, tags: { env: 'soak' } });
  run.intervals.forEach((iv, i) => {
    const sample: MonitorSample = {
      target: { rss: 100e6 + i * 2e6, fds: 50 + i, 'tcp.established': 20, cpu: 0.25 },
      generator: { heap: 20e6, rss: 90e6, cpu: 0.5, lag: 2 },
      host: { cpu: 0.4, 'mem.used': 4e9, load1: 1.5 },
    };
    iv.monitor = sample;
  });
  const s = run.summary;
  s.trends = computeTrends(run.intervals, { fromMs: 0, intervalMs: s.meta.intervalMs });
  s.soak = soakVerdict(s.trends, 0, s.durationMs);
  s.monitor = [
    { name: 'target', kind: 'pid', what: 'pid 4242', samples: N, failures: 0 },
    { name: 'generator', kind: 'generator', what: 'loadctl (pid 1)', samples: N, failures: 0 },
    { name: 'host', kind: 'host', what: 'this host', samples: N, failures: 0 },
  ];
  return run;
}

describe('InfluxDB: loadctl_monitor and loadctl_trends', () => {
  let influx: InfluxDB1Server;
  beforeAll(async () => {
    influx = await startInfluxDB1({ db: 'loadctl' });
  });
  afterAll(async () => {
    await influx?.stop();
  });

  it('writes one point per source per interval, tagged by source, and the trends at the end', async () => {
    const run = leakyRun();
    const reporter = new InfluxDBReporter({ url: influx.url, version: 1, db: 'loadctl', flushIntervalMs: 100 });
    reporter.start(run.meta);
    for (const iv of run.intervals) reporter.interval(iv);
    await reporter.end(run.summary);
    expect(reporter.stats()).toMatchObject({ rejected: 0, unsentAtEnd: 0, droppedBufferFull: 0 });
    const id = run.meta.runId;
    const perSource = await rows(influx, `SELECT count("cpu") AS n FROM "loadctl_monitor" WHERE "run_id" = '${id}' GROUP BY "source"`);
    expect(Object.fromEntries(perSource.map((r) => [r.source, r.n]))).toEqual({ target: N, generator: N, host: N });
    const [rss] = await rows(influx, `SELECT first("rss") AS a, last("rss") AS b, last("tcp.established") AS est FROM "loadctl_monitor" WHERE "run_id" = '${id}' AND "source" = 'target'`);
    expect(rss).toMatchObject({ a: 100e6, b: 100e6 + (N - 1) * 2e6, est: 20 });
    const trends = await rows(influx, `SELECT "slope_per_hour", "low", "points" FROM "loadctl_trends" WHERE "run_id" = '${id}' GROUP BY "metric", "verdict", "unit"`);
    const rssTrend = trends.find((r) => r.metric === 'target.rss')!;
    expect(rssTrend).toMatchObject({ verdict: 'growing', unit: 'bytes', points: N });
    expect(rssTrend.slope_per_hour).toBeCloseTo(2e6 * 3600, -3);
    expect(trends.find((r) => r.metric === 'target.fds')).toMatchObject({ verdict: 'growing', unit: 'count' });
    expect(trends.length).toBe(run.summary.trends!.length);
  });
});

describe('Prometheus: loadctl_monitor and loadctl_trend_per_hour', () => {
  it('serves the latest sample per source and series, and the trends once the run ended', async () => {
    const run = leakyRun();
    const prom = new PrometheusReporter({ port: 0, lingerMs: 0 });
    await prom.start(run.meta);
    const url = prom.url;
    for (const iv of run.intervals) prom.interval(iv);
    const live = parseExposition(await (await fetch(url)).text());
    expect(value(live, 'loadctl_monitor', { source: 'target', series: 'rss' })).toBe(100e6 + (N - 1) * 2e6);
    expect(value(live, 'loadctl_monitor', { source: 'target', series: 'tcp.established' })).toBe(20);
    expect(value(live, 'loadctl_monitor', { source: 'host', series: 'mem.used' })).toBe(4e9);
    // Trends are set in end(), which also closes the server: read the registry itself.
    await prom.end(run.summary);
    const ended = parseExposition(await prom.registry.metrics());
    expect(value(ended, 'loadctl_trend_per_hour', { metric: 'target.rss', verdict: 'growing', unit: 'bytes' })).toBeCloseTo(2e6 * 3600, -3);
  });
});

class Sink extends Writable {
  text = '';
  writes = 0;
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    this.writes++;
    cb();
  }
}

describe('console', () => {
  it('the summary says in one line that the target looked leaking, and why, above the trends', () => {
    const run = leakyRun();
    const text = renderSummary(run.summary, new Chalk({ level: 0 }));
    const lines = text.split('\n');
    const at = lines.indexOf('Soak');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {2}target looked LEAKING over 40s: target\.(rss|fds) growing .*95% CI/);
    expect(lines[at + 1]).toContain('target.rss growing +7.2 GB/h');
    expect(lines.some((l) => /^ {2}target\.fds +\+3600\/h .* growing$/.test(l))).toBe(true);
  });

  it('the live line shows the monitored target RSS and descriptors', () => {
    const run = leakyRun();
    const live = new Sink(false);
    const reporter = new ConsoleReporter({ live, out: new Sink(false), color: false });
    reporter.start(run.meta);
    reporter.interval(run.intervals[5]);
    expect(live.text.trim().split('\n').pop()).toMatch(/ │ target 110\.0 MB 55 fds$/);
  });

  it('the live view stays one line per interval over 24 h of 1 s intervals (piped) and one rewritten line on a TTY', () => {
    const run = makeRun({ intervals: 1, targetRate: 50_000 });
    const base: Interval = { ...run.intervals[0], rps: 50_000, activeUsers: 12_345 };
    base.total = { ...base.total, count: 50_000, failed: 3 };
    const day = 86_400;
    for (const isTTY of [false, true]) {
      const live = new Sink(isTTY);
      const reporter = new ConsoleReporter({ live, out: new Sink(false), color: false });
      reporter.start({ ...run.meta, plannedDurationMs: day * 1000 });
      const header = live.text;
      for (let i = 0; i < day; i++) reporter.interval({ ...base, index: i, elapsedMs: (i + 1) * 1000 });
      const body = live.text.slice(header.length);
      if (!isTTY) {
        const lines = body.split('\n');
        expect(lines.pop()).toBe('');
        expect(lines).toHaveLength(day);
        expect(lines[day - 1]).toMatch(/^24h00m00s\/24h00m00s │ /);
        expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(200);
      } else {
        expect(body.includes('\n')).toBe(false);
        expect(body.split('\r\u001b[2K')).toHaveLength(day + 1);
      }
    }
  });
});

describe('HTML report', () => {
  it('has the soak line and the Target and Generator sections with their charts', async () => {
    const run = leakyRun();
    const result: RunResult = { schemaVersion: 1, summary: run.summary, timeline: run.intervals, config: null };
    const html = await renderHtmlReport(result);
    expect(html).toContain('<section id="soak">');
    expect(html).toMatch(/<p class="soak-line leaking" data-soak="leaking">target looked LEAKING over 40s: /);
    const target = html.slice(html.indexOf('<section id="target">'), html.indexOf('<section id="generator">'));
    expect(target).toContain('data-chart-id="monitor-target-bytes"');
    expect(target).toContain('data-chart-id="monitor-target-tcp"');
    const generator = html.slice(html.indexOf('<section id="generator">'));
    expect(generator).toContain('data-chart-id="monitor-generator-bytes"');
    expect(generator).toContain('data-chart-id="monitor-host-ratio"');
    expect(generator).toContain('data-chart-id="monitor-workers-elu"');
    // A run without monitoring has none of it.
    const plain = makeRun({ intervals: 5 });
    const plainHtml = await renderHtmlReport({ schemaVersion: 1, summary: plain.summary, timeline: plain.intervals, config: null });
    expect(plainHtml).not.toContain('<section id="target">');
    expect(plainHtml).not.toContain('<section id="soak">');
  });
});
