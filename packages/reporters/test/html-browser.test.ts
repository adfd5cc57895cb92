/**
 * The HTML report in headless Chromium: charts drawn, verdict shown, no console
 * errors, nothing fetched, names rendered as text, a 3-hour soak opening fast.
 * Screenshots and the rendered files land in test-artifacts/html/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunResult } from '@loadctl/core';
import { renderHtmlReport, writeHtmlReport } from '../src/html/index.js';
import { ARTIFACTS_DIR, launchChromium, openReport, type OpenedReport } from './support/html-browser.js';
import { shortRun, SOAK_SPIKE, soakRun } from './support/html-fixtures.js';

const XSS = '<script>alert(1)</script>';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function render(name: string, input: RunResult | { base: RunResult; current: RunResult }): Promise<{ file: string; bytes: number }> {
  const file = join(ARTIFACTS_DIR, `${name}.html`);
  await writeHtmlReport(file, input);
  return { file, bytes: Buffer.byteLength(await renderHtmlReport(input)) };
}

function expectClean(o: OpenedReport): void {
  expect(o.consoleErrors).toEqual([]);
  expect(o.pageErrors).toEqual([]);
  expect(o.report?.errors ?? []).toEqual([]);
  expect(o.requests).toEqual([o.url]);
  expect(o.dialogs).toEqual([]);
}

describe('HTML report in Chromium', () => {
  it('draws every chart of a short run with one point per interval', async () => {
    const { file } = await render('short', shortRun());
    const o = await openReport(browser, file);
    try {
      expectClean(o);
      const r = o.report!;
      expect(r.charts.map((c) => c.id)).toEqual(['rps', 'latency', 'errors', 'load', 'dropped', 'distribution']);
      // uPlot draws on one canvas per chart.
      expect(await o.page.locator('.uplot canvas').count()).toBe(6);
      for (const c of r.charts.filter((c) => c.kind === 'time')) {
        expect(c.points).toBe(30);
        for (const s of c.series) expect(s.length).toBe(30);
      }
      expect(r.charts[0].series.map((s) => s.label)).toEqual(['total', 'GET /products/{id}', 'POST /cart']);
      // Legend: the x entry plus one per series.
      expect(await o.page.locator('#chart-latency .u-legend .u-series').count()).toBe(5);
      await expect(o.page.locator('header .verdict').textContent()).resolves.toBe('✗ FAILED');
      const rows = await o.page.locator('table.thresholds tbody tr').allInnerTexts();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(/^✓\s+total\s+p\(95\) < 200ms\s+[\d.]+ ms\s+200 ms/);
      expect(rows[1]).toMatch(/^✗\s+total\s+error_rate < 1%\s+[\d.]+%\s+1%/);
      await o.page.screenshot({ path: join(ARTIFACTS_DIR, 'short.png'), fullPage: true });
    } finally {
      await o.close();
    }
  });

  it('shows hover values in the legend and toggles a series on legend click', async () => {
    const { file } = await render('short-hover', shortRun());
    const o = await openReport(browser, file);
    try {
      const over = o.page.locator('#chart-latency .u-over');
      const box = (await over.boundingBox())!;
      await o.page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      const values = await o.page.locator('#chart-latency .u-legend .u-series .u-value').allInnerTexts();
      expect(values[0]).toMatch(/^0:1\d$/); // time since start, mid-run
      expect(values[1]).toMatch(/^[\d.]+ ms$/);
      const p99 = o.page.locator('#chart-latency .u-legend .u-series').nth(3);
      await p99.click();
      await expect(p99.getAttribute('class')).resolves.toContain('u-off');
      const shown = await o.page.evaluate(() => (globalThis as unknown as { __loadctlReport: { plots: Record<string, { series: Array<{ show: boolean }> }> } }).__loadctlReport.plots.latency.series.map((s) => s.show));
      expect(shown).toEqual([true, true, true, false, true]);
      expectClean(o);
    } finally {
      await o.close();
    }
  });

  it('renders a script-like name as visible text and runs nothing', async () => {
    const run = shortRun({
      scenario: XSS,
      checkName: XSS,
      requests: [
        { name: XSS, rate: 50, baseMs: 20, serverErrors: 0.01 },
        { name: 'GET /ok', rate: 20, baseMs: 10, serverErrors: 0 },
      ],
      warnings: [{ code: 'x', severity: 'warn', message: XSS }],
    });
    const { file } = await render('xss', run);
    const o = await openReport(browser, file);
    try {
      expectClean(o);
      await expect(o.page.locator('h1').textContent()).resolves.toBe(`loadctl report: ${XSS}`);
      await expect(o.page.locator('p.scenario').textContent()).resolves.toBe(XSS);
      const requestRow = o.page.locator('#requests tbody tr td.name', { hasText: XSS });
      expect(await requestRow.count()).toBe(1);
      expect(await requestRow.isVisible()).toBe(true);
      expect(await o.page.locator('#checks tbody td.name').first().textContent()).toBe(XSS);
      expect(await o.page.locator('#chart-rps .u-legend .u-label', { hasText: XSS }).count()).toBe(1);
      // Exactly the page's own three scripts exist.
      expect(await o.page.locator('script').count()).toBe(3);
    } finally {
      await o.close();
    }
  });

  it('shows the tables without JavaScript', async () => {
    const { file } = await render('short-nojs', shortRun());
    const o = await openReport(browser, file, { javaScript: false });
    try {
      expect(o.consoleErrors).toEqual([]);
      expect(o.requests).toEqual([o.url]);
      await expect(o.page.locator('header .verdict').textContent()).resolves.toBe('✗ FAILED');
      expect(await o.page.locator('#requests tbody tr').count()).toBe(2);
      expect(await o.page.locator('#requests tfoot tr').innerText()).toMatch(/^total( ✗ [\d,]+ failed)?\s+\d/);
      expect(await o.page.getByText('The charts need JavaScript').isVisible()).toBe(true);
      expect(await o.page.locator('canvas').count()).toBe(0);
    } finally {
      await o.close();
    }
  });

  // How fast the report opens is a timing claim (bench/, a quiet machine); here: size, points, the spike.
  it('opens a 3-hour soak (10 800 intervals) under 5 MB, with the spike drawn', async () => {
    const { file, bytes } = await render('soak-3h', soakRun());
    const o = await openReport(browser, file);
    try {
      expectClean(o);
      const r = o.report!;
      console.log(`3-h soak report: ${(bytes / 1024 / 1024).toFixed(2)} MB, ready in ${r.readyMs.toFixed(0)} ms after navigation (charts drawn in ${r.renderMs.toFixed(0)} ms)`);
      expect(bytes).toBeLessThan(5 * 1024 * 1024);
      expect(await o.page.locator('.uplot canvas').count()).toBe(6);
      for (const c of r.charts.filter((c) => c.kind === 'time')) {
        expect(c.points).toBeLessThanOrEqual(1500);
        expect(c.points).toBeGreaterThan(1000);
      }
      const latency = r.charts.find((c) => c.id === 'latency')!;
      const max = latency.series.find((s) => s.label === 'max')!;
      expect(Math.max(...max.values.map((v) => v ?? 0))).toBe(SOAK_SPIKE.ms);
      const p50 = latency.series.find((s) => s.label === 'p50')!;
      expect(p50.envelope).toBe(true);
      const load = r.charts.find((c) => c.id === 'load')!;
      expect(load.series.map((s) => s.label)).toEqual(['target rate', 'achieved rate', 'in flight']);
      await o.page.screenshot({ path: join(ARTIFACTS_DIR, 'soak-3h.png'), fullPage: true });
    } finally {
      await o.close();
    }
  });

  it('opens a 20 000-interval run under the same limits', async () => {
    const { file, bytes } = await render('soak-20k', soakRun({ intervals: 20_000, stages: [], spike: { at: 19_990, ms: 3000 } }));
    const o = await openReport(browser, file);
    try {
      expectClean(o);
      console.log(`20 000-interval report: ${(bytes / 1024 / 1024).toFixed(2)} MB, ready in ${o.report!.readyMs.toFixed(0)} ms`);
      expect(bytes).toBeLessThan(5 * 1024 * 1024);
      const max = o.report!.charts.find((c) => c.id === 'latency')!.series.find((s) => s.label === 'max')!;
      expect(max.length).toBeLessThanOrEqual(1500);
      expect(Math.max(...max.values.map((v) => v ?? 0))).toBe(3000);
    } finally {
      await o.close();
    }
  });

  it('compares two runs: overlays, both verdicts, delta tables', async () => {
    const base = shortRun({ seed: 3 });
    const current = shortRun({
      seed: 4,
      intervals: 45,
      requests: [
        { name: 'GET /products/{id}', rate: 150, baseMs: 25, serverErrors: 0.002 },
        { name: 'POST /cart', rate: 40, baseMs: 50, serverErrors: 0.002 },
      ],
    });
    const { file } = await render('compare', { base, current });
    const o = await openReport(browser, file);
    try {
      expectClean(o);
      const verdicts = await o.page.locator('header .run-card h2').allInnerTexts();
      expect(verdicts.map((v) => v.replace(/\s+/g, ' '))).toEqual(['base ✗ FAILED', 'current ✓ PASSED']);
      const r = o.report!;
      const rps = r.charts.find((c) => c.id === 'rps')!;
      expect(rps.points).toBe(45);
      expect(rps.series.map((s) => s.label)).toEqual([
        'total (base)',
        'GET /products/{id} (base)',
        'POST /cart (base)',
        'total (current)',
        'GET /products/{id} (current)',
        'POST /cart (current)',
      ]);
      expect(r.charts.filter((c) => c.kind === 'spectrum')).toHaveLength(3);
      expect(await o.page.locator('.uplot canvas').count()).toBe(5 + 3);
      const deltaRows = o.page.locator('#requests tr.delta-row');
      expect(await deltaRows.count()).toBe(3);
      expect(await o.page.locator('#requests td.delta.worse').count()).toBeGreaterThan(0);
      expect(await o.page.locator('#requests td.delta.better').count()).toBeGreaterThan(0);
      await o.page.screenshot({ path: join(ARTIFACTS_DIR, 'compare.png'), fullPage: true });
    } finally {
      await o.close();
    }
  });
});
