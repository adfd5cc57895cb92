/**
 * Every InfluxQL query of examples/grafana/loadctl-influxdb1.json (panels,
 * template variables, annotations) runs against a real InfluxDB 1.6 holding a
 * run written by the reporter, with Grafana's macros substituted, and returns data.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfluxDB1, type InfluxDB1Server } from '../../../scripts/servers/index.mjs';
import { InfluxDBReporter } from '../src/influxdb/index.js';
import { makeRun, type SyntheticRun } from './support/synthetic.js';
import { computeTrends } from '@loadctl/core/internal';

const DASHBOARD = fileURLToPath(new URL('../../../examples/grafana/loadctl-influxdb1.json', import.meta.url));

interface Query {
  where: string;
  query: string;
}

function collectQueries(dashboard: Record<string, unknown>): Query[] {
  const out: Query[] = [];
  const walkPanels = (panels: unknown[] | undefined, prefix: string): void => {
    for (const p of (panels ?? []) as Array<Record<string, unknown>>) {
      for (const t of (p.targets ?? []) as Array<Record<string, unknown>>) {
        out.push({ where: `${prefix}panel "${p.title}" ${t.refId}`, query: String(t.query) });
      }
      walkPanels(p.panels as unknown[] | undefined, `${prefix}row "${p.title}" > `);
    }
  };
  walkPanels(dashboard.panels as unknown[], '');
  const templating = (dashboard.templating as { list: Array<Record<string, unknown>> }).list;
  for (const v of templating) {
    if (v.type === 'query') out.push({ where: `variable $${v.name}`, query: typeof v.query === 'string' ? v.query : String((v.query as { query: string }).query) });
  }
  const annotations = (dashboard.annotations as { list: Array<Record<string, unknown>> }).list;
  for (const a of annotations) if (typeof a.query === 'string') out.push({ where: `annotation "${a.name}"`, query: a.query });
  return out;
}

/** Grafana's regex escaping for InfluxQL (/.../ literals, so "/" too). */
const regexEscape = (s: string): string => s.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&');

let influx: InfluxDB1Server;
let run: SyntheticRun;

beforeAll(async () => {
  influx = await startInfluxDB1({ db: 'loadctl' });
  run = makeRun({ intervals: 30, seed: 11, startedAt: Date.now() - 10 * 60_000 });
  // What --monitor-pid and the generator/host sampling add (the "Target and generator" row).
  run.intervals.forEach((iv, i) => {
    iv.monitor = {
      target: { rss: 80e6 + i * 1e6, cpu: 0.3, fds: 40 + i, threads: 11, 'tcp.established': 20, 'tcp.close_wait': 0 },
      generator: { heap: 20e6, rss: 90e6, cpu: 0.5, lag: 2 },
      host: { cpu: 0.4, 'mem.used': 4e9, load1: 1.2 },
    };
  });
  run.summary.trends = computeTrends(run.intervals, { fromMs: 0, intervalMs: run.meta.intervalMs });
  const reporter = new InfluxDBReporter({ url: influx.url, version: 1, db: 'loadctl', flushIntervalMs: 100 });
  reporter.start(run.meta);
  for (const iv of run.intervals) reporter.interval(iv);
  await reporter.end(run.summary);
  expect(reporter.stats().written).toBe(reporter.stats().points);
});
afterAll(async () => {
  await influx?.stop();
});

describe('Grafana dashboard examples/grafana/loadctl-influxdb1.json', () => {
  it('is an importable dashboard with a data-source input', () => {
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    expect(d.__inputs[0]).toMatchObject({ name: 'DS_INFLUXDB', pluginId: 'influxdb' });
    expect(d.uid).toBe('loadctl-influxdb1');
    expect(d.templating.list.map((v: { name: string }) => v.name)).toEqual(['scenario', 'run', 'request']);
    const ids = new Set<number>();
    for (const p of d.panels) {
      expect(ids.has(p.id)).toBe(false);
      ids.add(p.id);
      for (const t of p.targets ?? []) expect(t).toMatchObject({ rawQuery: true, datasource: { uid: '${DS_INFLUXDB}' } });
    }
  });

  it('every query returns series', async () => {
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    const queries = collectQueries(d);
    expect(queries.length).toBeGreaterThan(20);
    const from = run.meta.startedAt - 60_000;
    const to = run.summary.endedAt + 60_000;
    const names = Object.keys(run.summary.requests);
    const failures: string[] = [];
    for (const { where, query } of queries) {
      const q = query
        .replaceAll('$timeFilter', `time >= ${from}ms AND time <= ${to}ms`)
        .replaceAll('$__interval', '2s')
        .replaceAll('$scenario', regexEscape(run.meta.scenario))
        .replaceAll('$run', regexEscape(run.meta.runId))
        .replaceAll('$request', `(${names.map(regexEscape).join('|')})`);
      expect(q, where).not.toMatch(/\$(?!tag_)\w/);
      try {
        const res = await influx.query(q);
        const series = res.results[0]?.series ?? [];
        if (series.length === 0 || series.every((s) => s.values.length === 0)) failures.push(`${where}: no series\n  ${q}`);
        if (where === 'variable $request') {
          expect(series[0]!.values.map((v) => v[1]).sort()).toEqual([...names].sort());
        }
        if (where === 'variable $run') expect(series[0]!.values.map((v) => v[1])).toContain(run.meta.runId);
      } catch (err) {
        failures.push(`${where}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('stat panels show the run figures', async () => {
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    const panel = (title: string): string => d.panels.find((p: { title: string }) => p.title === title).targets[0].query;
    const sub = (q: string) => q.replaceAll('$timeFilter', `time >= ${run.meta.startedAt - 60_000}ms`).replaceAll('$run', regexEscape(run.meta.runId)).replaceAll('$__interval', '1s');
    const one = async (q: string) => (await influx.query(sub(q))).results[0]!.series![0]!.values[0]![1];
    expect(await one(panel('Requests'))).toBe(run.summary.total.count);
    expect(await one(panel('Error rate'))).toBeCloseTo(run.summary.total.failed / run.summary.total.count, 12);
    expect(await one(panel('p99 latency (run)'))).toBe(run.summary.total.latency.percentiles['99']! / 1000);
    expect(await one(panel('Mean RPS'))).toBeCloseTo(run.summary.rps.mean, 9);
    expect(await one(panel('Thresholds failed'))).toBe(1);
  });
});
