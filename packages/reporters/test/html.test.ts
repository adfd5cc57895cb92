/** HTML report: data building, escaping, downsampling and file output (no browser; see html-browser.test.ts). */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Interval, type RunResult } from '@loadctl/core';
import { createHistogram, encodeHistogram, memoryTimeline, recordMicros, toResult } from '@loadctl/core/internal';
import { HtmlReporter, renderHtmlReport, writeHtmlReport, HtmlReportError } from '../src/html/index.js';
import type { ReportData } from '../src/html/chart-types.js';
import { buildReportData } from '../src/html/report-data.js';
import { spectrumOf } from '../src/html/spectrum.js';
import { bucketOf, BucketReducer, planGrid, type TimeGrid } from '../src/html/downsample.js';
import { escapeHtml, jsonForScript } from '../src/html/escape.js';
import { makeResult, shortRun, SOAK_SPIKE, soakRun } from './support/html-fixtures.js';

const XSS = '<script>alert(1)</script>';

function embeddedData(html: string): ReportData {
  const m = /<script type="application\/json" id="loadctl-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no data block');
  return JSON.parse(m[1]) as ReportData;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadctl-html-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('escaping', () => {
  it('escapes text for HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('keeps JSON inside a script block from closing it, and round-trips', () => {
    const v = { name: `${XSS}<!-- & \u2028` };
    const s = jsonForScript(v);
    expect(s).not.toMatch(/[<>]/);
    expect(s).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(s)).toEqual(v);
  });
});

describe('downsampling', () => {
  const timeline = (n: number): Interval[] => makeResult({ intervals: n, exactIntervals: false, spike: { at: Math.floor(n * 0.61), ms: 9000 } }).timeline;
  const span = (tl: readonly Interval[]): number => Math.max(0, ...tl.map((iv) => iv.elapsedMs));
  const bucketSizes = (tl: readonly Interval[], grid: TimeGrid): number[] => {
    const sizes = grid.xs.map(() => 0);
    for (const iv of tl) sizes[bucketOf(iv, 1000, grid)]++;
    return sizes;
  };

  it('leaves short timelines as recorded', () => {
    const tl = timeline(30);
    const grid = planGrid([{ spanMs: span(tl), intervalMs: 1000 }]);
    expect(grid.factor).toBe(1);
    expect(grid.xs).toHaveLength(30);
    expect(grid.xs[0]).toBe(1);
    expect(grid.xs[29]).toBe(30);
    expect(bucketSizes(tl, grid).every((n) => n === 1)).toBe(true);
  });

  it.each([10_800, 20_000, 86_400])('cuts %i intervals to at most 1500 buckets, every interval in one bucket', (n) => {
    const tl = Array.from({ length: n }, (_, i) => ({ index: i, start: i * 1000, end: (i + 1) * 1000, elapsedMs: (i + 1) * 1000 }) as Interval);
    const grid = planGrid([{ spanMs: span(tl), intervalMs: 1000 }]);
    expect(grid.xs.length).toBeLessThanOrEqual(1500);
    expect(grid.xs.length).toBeGreaterThan(1000);
    const sizes = bucketSizes(tl, grid);
    expect(sizes.reduce((s, g) => s + g, 0)).toBe(n);
    expect(Math.max(...sizes)).toBe(grid.factor);
  });

  it('keeps a single spike in the max series and in the envelope of the mean series', () => {
    const tl = timeline(10_800);
    const spikeIv = tl[Math.floor(10_800 * 0.61)];
    const grid = planGrid([{ spanMs: span(tl), intervalMs: 1000 }]);
    const reducer = new BucketReducer(grid, 1000, [
      { value: (iv) => iv.total.latency.max / 1000 },
      { value: (iv) => (iv.total.latency.percentiles['99'] ?? 0) / 1000, weight: (iv) => iv.total.latency.count },
    ]);
    for (const iv of tl) reducer.add(iv);
    const max = reducer.reduced(0).max;
    expect(Math.max(...max.map((v) => v ?? 0))).toBe(9000);
    const p99 = reducer.reduced(1);
    const k = bucketOf(spikeIv, 1000, grid);
    expect(p99.hi[k]).toBe(Math.round(spikeIv.total.latency.percentiles['99']) / 1000);
    expect(p99.hi[k]!).toBeGreaterThan(p99.values[k]!);
    expect(p99.lo[k]!).toBeLessThanOrEqual(p99.values[k]!);
  });

  it('aligns two runs of different lengths on one grid', () => {
    const a = timeline(100);
    const b = timeline(160);
    const grid = planGrid([{ spanMs: span(a), intervalMs: 1000 }, { spanMs: span(b), intervalMs: 1000 }], 50);
    expect(grid.xs.length).toBeLessThanOrEqual(50);
    expect(grid.xs.at(-1)).toBeGreaterThanOrEqual(160);
    const sizes = bucketSizes(a, grid);
    expect(sizes.filter((n) => n > 0).length).toBeLessThan(sizes.length);
  });
});

describe('latency spectrum', () => {
  it('maps percentiles to 1/(1-p) and ends at the max', () => {
    const h = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMicros(h, i * 1000);
    const sp = spectrumOf(encodeHistogram(h))!;
    h.destroy();
    expect(sp.xs[0]).toBe(1);
    expect(sp.xs).toContain(2); // 50%
    expect(sp.xs).toContain(10); // 90%
    expect(sp.ms[sp.xs.indexOf(2)]).toBeCloseTo(500, 0);
    expect(sp.ms.at(-1)).toBeCloseTo(1000, 0);
    for (let i = 1; i < sp.xs.length; i++) expect(sp.xs[i]).toBeGreaterThan(sp.xs[i - 1]);
  });
  it('is null for empty or unreadable histograms', () => {
    expect(spectrumOf(encodeHistogram(createHistogram()))).toBeNull();
    expect(spectrumOf('not a histogram')).toBeNull();
    expect(spectrumOf(undefined)).toBeNull();
  });
});

describe('renderHtmlReport', () => {
  const run = shortRun();
  let html: string;
  beforeAll(async () => {
    html = await renderHtmlReport(run, { generatedAt: new Date(Date.UTC(2026, 0, 15, 10)) });
  });

  it('is self-contained: no external URLs, scripts or styles', () => {
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('uPlot');
  });

  it('server-renders the header and tables', () => {
    expect(html).toContain('data-verdict="failed"');
    expect(html).toContain('p(95) &lt; 200ms');
    expect(html).toContain('error_rate &lt; 1%');
    expect(html).toMatch(/<td class="mark">✓<\/td><td>total<\/td><td><code>p\(95\)/);
    expect(html).toMatch(/<td class="mark">✗<\/td><td>total<\/td><td><code>error_rate/);
    for (const id of ['requests', 'flows', 'checks', 'statuses', 'error-kinds', 'warnings', 'reporters']) expect(html).toContain(`<section class="table" id="${id}">`);
    expect(html).toContain('GET /products/{id}');
    expect(html).toContain('points written 120, retried 3, dropped 0');
    expect(html).toContain('Generator CPU above 90%');
  });

  it('embeds chart data for every chart, one point per interval for short runs', () => {
    const data = embeddedData(html);
    expect(data.mode).toBe('single');
    expect(data.charts.map((c) => c.id)).toEqual(['rps', 'latency', 'errors', 'load', 'dropped', 'distribution']);
    for (const c of data.charts.filter((c) => c.kind === 'time')) {
      expect(c.xs).toHaveLength(30);
      for (const s of c.series) {
        expect(s.values).toHaveLength(30);
        expect(s.lo).toBeUndefined();
      }
    }
    const rps = data.charts.find((c) => c.id === 'rps')!;
    expect(rps.series.map((s) => s.label)).toEqual(['total', 'GET /products/{id}', 'POST /cart']);
    expect(rps.series[0].values[20]).toBe(run.timeline[20].total.count);
    const load = data.charts.find((c) => c.id === 'load')!;
    expect(load.markers.map((m) => [m.x, m.label])).toEqual([
      [0, 'ramp-up'],
      [10, 'steady'],
    ]);
    const dist = data.charts.find((c) => c.id === 'distribution')!;
    expect(dist.series.map((s) => s.label)).toEqual(['total', 'GET /products/{id}', 'POST /cart']);
  });

  it('escapes names everywhere they appear', async () => {
    const evil = shortRun({
      scenario: XSS,
      checkName: XSS,
      requests: [
        { name: XSS, rate: 50, baseMs: 20, serverErrors: 0.01 },
        { name: 'GET /ok', rate: 20, baseMs: 10, serverErrors: 0 },
      ],
      warnings: [{ code: XSS, severity: 'error', message: XSS }],
    });
    const out = await renderHtmlReport(evil);
    // The only closing script tags are the three of the page itself.
    expect(out.match(/<\/script/gi)).toHaveLength(3);
    expect(out).not.toContain('<script>alert(1)');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(embeddedData(out).charts[0].series.map((s) => s.label)).toContain(XSS);
  });

  it('downsamples a 3-hour soak to ≤ 1500 points and stays small', async () => {
    const soak = soakRun();
    const t0 = performance.now();
    const out = await renderHtmlReport(soak);
    const ms = performance.now() - t0;
    const data = embeddedData(out);
    expect(data.grid.factor).toBeGreaterThan(1);
    for (const c of data.charts.filter((c) => c.kind === 'time')) {
      expect(c.xs.length).toBeLessThanOrEqual(1500);
      for (const s of c.series) expect(s.values.length).toBe(c.xs.length);
    }
    const maxSeries = data.charts.find((c) => c.id === 'latency')!.series.find((s) => s.label === 'max')!;
    expect(maxSeries.agg).toBe('max');
    expect(Math.max(...maxSeries.values.map((v) => v ?? 0))).toBe(SOAK_SPIKE.ms);
    expect(Buffer.byteLength(out)).toBeLessThan(5 * 1024 * 1024);
    console.log(`3-h soak: rendered in Node in ${ms.toFixed(0)} ms, ${(Buffer.byteLength(out) / 1024).toFixed(0)} KiB`);
  });

  it('compares two runs: overlaid series, deltas and both verdicts', async () => {
    const base = shortRun({ seed: 1 });
    const current = shortRun({
      seed: 2,
      intervals: 40,
      requests: [
        { name: 'GET /products/{id}', rate: 120, baseMs: 30, serverErrors: 0.001 },
        { name: 'POST /cart', rate: 40, baseMs: 55, serverErrors: 0.001 },
      ],
    });
    const out = await renderHtmlReport({ base, current });
    const data = embeddedData(out);
    expect(data.mode).toBe('compare');
    const latency = data.charts.find((c) => c.id === 'latency')!;
    expect(latency.xs).toHaveLength(40);
    expect(latency.series.map((s) => s.label)).toEqual(['p50 (base)', 'p95 (base)', 'p99 (base)', 'max (base)', 'p50 (current)', 'p95 (current)', 'p99 (current)', 'max (current)']);
    expect(latency.series[0].dash).toBe(true);
    expect(latency.series[0].values.slice(30).every((v) => v === null)).toBe(true);
    expect(data.charts.filter((c) => c.kind === 'spectrum').map((c) => c.title)).toEqual([
      'Latency distribution: total',
      'Latency distribution: GET /products/{id}',
      'Latency distribution: POST /cart',
    ]);
    expect(out.match(/data-verdict="failed"/g)).toHaveLength(1);
    expect(out.match(/data-verdict="passed"/g)).toHaveLength(1);
    // p50 of GET went from ~18 to ~30 ms: a worse delta of roughly +60%.
    const m = /<th scope="rowgroup" rowspan="3" class="name">GET \/products\/\{id\}<\/th>[\s\S]*?<tr class="delta-row ">(.*?)<\/tr>/.exec(out);
    expect(m).not.toBeNull();
    const cells = [...m![1].matchAll(/<td class="([^"]*)">([^<]*)<\/td>/g)].map((c) => [c[1], c[2]]);
    const p50 = cells[4];
    expect(p50[0]).toContain('worse');
    expect(parseFloat(p50[1].replace('+', ''))).toBeGreaterThan(40);
  });

  it('rejects what is not a result, with a code', async () => {
    await expect(renderHtmlReport({} as RunResult)).rejects.toThrow(HtmlReportError);
    let caught: unknown;
    try {
      await renderHtmlReport({ base: {} as RunResult, current: shortRun() });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HtmlReportError);
    expect((caught as HtmlReportError).code).toBe('ERR_LOADCTL_HTML_INPUT');
    expect((caught as Error).message).toMatch(/^base is not a loadctl result/);
  });

  it('limits the request names drawn as series', async () => {
    const many = makeResult({
      intervals: 5,
      requests: Array.from({ length: 20 }, (_, i) => ({ name: `GET /r${i}`, rate: 10 + i, baseMs: 10, serverErrors: 0 })),
    });
    const data = await buildReportData([{ key: 'run', label: 'run', summary: many.summary, timeline: memoryTimeline(many.timeline) }], { maxNamedSeries: 5 });
    const rps = data.charts.find((c) => c.id === 'rps')!;
    expect(rps.series).toHaveLength(6);
    expect(rps.series[1].label).toBe('GET /r19');
    expect(rps.note).toMatch(/15 more request names/);
  });
});

describe('writeHtmlReport and HtmlReporter', () => {
  it('writes the file, creating directories', async () => {
    const path = join(dir, 'a', 'b', 'report.html');
    await writeHtmlReport(path, shortRun());
    expect(await readFile(path, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('writes at end from the run\'s Result, keeping no intervals itself', async () => {
    const run = shortRun();
    const path = join(dir, 'reporter', 'run.html');
    const reporter = new HtmlReporter(path);
    expect(reporter.name).toBe('html');
    expect(reporter.kind).toBe('file');
    expect('interval' in reporter).toBe(false);
    expect(reporter.notes()).toEqual([]);
    await expect(reporter.end(run.summary)).rejects.toThrow(HtmlReportError);
    await reporter.end(run.summary, toResult(run));
    const html = await readFile(path, 'utf8');
    expect(embeddedData(html).charts[0].xs).toHaveLength(30);
    expect(reporter.notes()[0]).toMatch(/^HTML report .*run\.html \(\d+ KiB\)$/);
  });

  it('rejects an empty path', () => {
    expect(() => new HtmlReporter('')).toThrow(HtmlReportError);
  });
});
