/**
 * PrometheusReporter: /metrics parsed strictly, exact values from synthetic
 * intervals, and a real Prometheus (`/usr/bin/prometheus`) scraping it.
 */
import { describe, expect, it } from 'vitest';
import { startPrometheus } from '../../../scripts/servers/index.mjs';
import { PrometheusReporter, PrometheusReporterError, createPrometheusReporter, sanitizeLabelName } from '../src/prometheus/index.js';
import { eventually, makeRun } from './support/synthetic.js';
import { parseExposition, select, value, type Exposition } from './support/prom.js';

async function scrape(url: string): Promise<Exposition> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

describe('PrometheusReporter', () => {
  it('serves exact counters and latest-interval gauges on /metrics', async () => {
    const run = makeRun({ intervals: 6, tags: { env: 'ci', 'team-name': 'perf' } });
    const reporter = new PrometheusReporter({ port: 0, labels: { region: 'eu' } });
    await reporter.start(run.meta);
    expect(reporter.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    for (const iv of run.intervals) reporter.interval(iv);
    const exp = await scrape(reporter.url);

    expect(exp.types).toMatchObject({
      loadctl_requests_total: 'counter',
      loadctl_errors_total: 'counter',
      loadctl_checks_total: 'counter',
      loadctl_latency_seconds: 'gauge',
      loadctl_rps: 'gauge',
      loadctl_active_users: 'gauge',
      loadctl_target_rate: 'gauge',
    });
    // Default labels on every sample.
    for (const s of exp.samples) expect(s.labels).toMatchObject({ run_id: run.meta.runId, scenario: 'synthetic', shard: run.meta.segment, env: 'ci', team_name: 'perf', region: 'eu' });

    for (const [name, stats] of Object.entries(run.summary.requests)) {
      for (const [status, n] of Object.entries(stats.statuses)) expect(value(exp, 'loadctl_requests_total', { name, status })).toBe(n);
      if (stats.errorCount > 0) expect(value(exp, 'loadctl_requests_total', { name, status: 'error' })).toBe(stats.errorCount);
      const perName = select(exp, 'loadctl_requests_total', { name }).reduce((a, s) => a + s.value, 0);
      expect(perName).toBe(stats.count);
      for (const [kind, n] of Object.entries(stats.errors)) expect(value(exp, 'loadctl_errors_total', { name, kind })).toBe(n);
      expect(value(exp, 'loadctl_received_bytes_total', { name })).toBe(stats.bytesIn);
      expect(value(exp, 'loadctl_failed_requests_total', { name })).toBe(stats.failed);
    }
    expect(select(exp, 'loadctl_requests_total').reduce((a, s) => a + s.value, 0)).toBe(run.summary.total.count);
    for (const [check, c] of Object.entries(run.summary.checks)) {
      expect(value(exp, 'loadctl_checks_total', { check, result: 'pass' })).toBe(c.passes);
      expect(value(exp, 'loadctl_checks_total', { check, result: 'fail' })).toBe(c.fails);
    }
    const last = run.intervals.at(-1)!;
    expect(value(exp, 'loadctl_rps')).toBe(last.rps);
    expect(value(exp, 'loadctl_active_users')).toBe(last.activeUsers);
    expect(value(exp, 'loadctl_target_rate')).toBe(150);
    expect(value(exp, 'loadctl_dropped_iterations_total')).toBe(run.summary.dropped);
    // The generator's own health of the latest interval.
    expect(value(exp, 'loadctl_generator_delay_seconds', { quantile: '0.5' })).toBe(last.generator.delay!.p50 / 1e6);
    expect(value(exp, 'loadctl_generator_delay_seconds', { quantile: '0.99' })).toBe(last.generator.delay!.p99 / 1e6);
    expect(value(exp, 'loadctl_generator_delay_seconds', { quantile: '1' })).toBe(last.generator.delay!.max / 1e6);
    expect(value(exp, 'loadctl_main_thread_pause_seconds')).toBe(last.generator.mainPauseMs! / 1000);
    for (const [q, p] of [['0.5', '50'], ['0.9', '90'], ['0.95', '95'], ['0.99', '99']] as const) {
      expect(value(exp, 'loadctl_latency_seconds', { name: 'total', quantile: q })).toBe(last.total.latency.percentiles[p]! / 1e6);
      for (const [name, s] of Object.entries(last.requests)) {
        expect(value(exp, 'loadctl_latency_seconds', { name, quantile: q })).toBe(s.latency.percentiles[p]! / 1e6);
      }
    }
    expect(value(exp, 'loadctl_run_finished')).toBe(0);

    await reporter.end(run.summary);
    expect(reporter.notes()).toEqual([`prometheus: served ${reporter.url} (1 scrape)`]);
    await expect(fetch(reporter.url)).rejects.toThrow();
  });

  it('tops counters up to the summary when intervals were missed, and lingers for a last scrape', async () => {
    const run = makeRun({ intervals: 5 });
    const reporter = new PrometheusReporter({ port: 0, lingerMs: 400 });
    await reporter.start(run.meta);
    reporter.interval(run.intervals[0]!); // intervals 1..4 "lost" by the bus
    const ending = reporter.end(run.summary);
    const exp = await scrape(reporter.url);
    expect(select(exp, 'loadctl_requests_total').reduce((a, s) => a + s.value, 0)).toBe(run.summary.total.count);
    expect(value(exp, 'loadctl_checks_total', { check: 'status is 200', result: 'fail' })).toBe(run.summary.checks['status is 200']!.fails);
    expect(value(exp, 'loadctl_late_iterations_total')).toBe(run.summary.late);
    expect(value(exp, 'loadctl_run_finished')).toBe(1);
    expect(value(exp, 'loadctl_run_passed')).toBe(0);
    await ending;
    await expect(fetch(reporter.url)).rejects.toThrow();
  });

  it('answers 404 elsewhere and reports a busy port clearly', async () => {
    const a = new PrometheusReporter({ port: 0 });
    const url = await a.listen();
    expect((await fetch(url.replace('/metrics', '/nope'))).status).toBe(404);
    const port = Number(new URL(url).port);
    const b = new PrometheusReporter({ port });
    const err = await b.listen().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusReporterError);
    expect((err as PrometheusReporterError).code).toBe('E_PROMETHEUS_LISTEN');
    expect((err as Error).message).toContain(`port ${port} on 127.0.0.1 is already in use`);
    await a.close();
    expect(() => new PrometheusReporter({ port: 70000 })).toThrow(/"port" must be an integer/);
    expect(() => new PrometheusReporter({ port: 1 }).url).toThrow(/not listening yet/);
    expect(sanitizeLabelName('team-name')).toBe('team_name');
    expect(sanitizeLabelName('1x')).toBe('_1x');
    expect(sanitizeLabelName('__x')).toBe('_x');
  });

  it('createPrometheusReporter validates a scenario reporters entry', async () => {
    const r = createPrometheusReporter({ type: 'prometheus', port: '0', host: '127.0.0.1', path: '/m', linger: '50ms', labels: { a: 1 } });
    const url = await r.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/m$/);
    await r.close();
    const bad = (c: Record<string, unknown>) => {
      try {
        createPrometheusReporter(c);
      } catch (e) {
        expect((e as PrometheusReporterError).code).toBe('E_REPORTER_CONFIG');
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(bad({ prot: 9464 })).toBe('prometheus reporter: "prot" is not a prometheus reporter option (known: type, port, host, path, linger, lingerMs, labels)');
    expect(bad({ port: -1 })).toMatch(/"port" must be an integer 0\.\.65535/);
    expect(bad({ linger: 'later' })).toMatch(/"linger" must be a duration/);
    expect(bad({ path: 'metrics' })).toMatch(/"path" must start with/);
    expect(bad({ type: 'influxdb' })).toMatch(/"type" must be "prometheus"/);
  });

  it('the strict exposition parser rejects malformed lines', () => {
    expect(() => parseExposition('# TYPE a counter\na{x="1} 1\n')).toThrow(/bad labels/);
    expect(() => parseExposition('a 1\n')).toThrow(/undeclared/);
    expect(() => parseExposition('# TYPE a gauge\na one\n')).toThrow(/bad value/);
    expect(() => parseExposition('# TYPE a gauge\na 1')).toThrow(/newline/);
    expect(parseExposition('# TYPE a gauge\na{x="q\\"\\n"} +Inf\n').samples[0]).toEqual({ name: 'a', labels: { x: 'q"\n' }, value: Infinity });
  });

  it('is scraped by a real Prometheus', async () => {
    const run = makeRun({ intervals: 4 });
    const reporter = new PrometheusReporter({ port: 0 });
    await reporter.start(run.meta);
    for (const iv of run.intervals) reporter.interval(iv);
    const target = new URL(reporter.url).host;
    const prom = await startPrometheus({ targets: [target], scrapeIntervalMs: 250 });
    try {
      const result = await eventually(async () => {
        const r = await prom.query(`sum(loadctl_requests_total{run_id="${run.meta.runId}"})`);
        return r.length === 1 && Number(r[0]!.value[1]) === run.summary.total.count ? r : undefined;
      }, 15_000, 200);
      expect(result, `targets: ${JSON.stringify(await prom.targets())}\n${prom.logTail()}`).toBeDefined();
      const p99 = await prom.query(`loadctl_latency_seconds{name="total",quantile="0.99"}`);
      expect(Number(p99[0]!.value[1])).toBe(run.intervals.at(-1)!.total.latency.percentiles['99']! / 1e6);
      const [t] = await prom.targets();
      expect(t!.health).toBe('up');
    } finally {
      await prom.stop();
      await reporter.end(run.summary);
    }
  });
});

