/**
 * The HTML report of a real run (the engine against a loopback server), opened in
 * headless Chromium: charts have one point per interval of the run, the verdict is
 * the run's, nothing is fetched and nothing errors.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { parseScenario, run, type Interval, type Reporter } from '@loadctl/core';
import { writeHtmlReport } from '../src/html/index.js';
import { ARTIFACTS_DIR, launchChromium, openReport } from './support/html-browser.js';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';

let browser: Browser;
let server: TestServer;
beforeAll(async () => {
  browser = await launchChromium();
  server = await startServer((n, _req, res) => setTimeout(() => json(res, n % 10 === 0 ? 500 : 200, { n }), 2));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('HTML report of a real run', () => {
  it('renders the run: one point per interval, the verdict, no errors, no requests', async () => {
    const scenario = parseScenario(
      `name: real-run\ntarget: ${server.url}\nload: { rate: 100, duration: 4s }\nflows:\n  - { name: a, weight: 1, steps: [GET /a] }\n  - { name: b, weight: 1, steps: [GET /b] }\nthresholds: [ "error_rate < 1%", "p(95) < 5s" ]\n`,
      { env: {} },
    );
    const intervals: Interval[] = [];
    const tap: Reporter = { name: 'tap', interval: (i) => void intervals.push(i) };
    const result = await run(scenario, { workers: 1, reporters: [tap] });
    expect(result.summary.verdict.passed).toBe(false); // 10% errors
    const file = join(ARTIFACTS_DIR, 'real-run.html');
    await writeHtmlReport(file, result);
    const o = await openReport(browser, file);
    try {
      expect(o.consoleErrors).toEqual([]);
      expect(o.pageErrors).toEqual([]);
      expect(o.requests).toEqual([o.url]);
      const r = o.report!;
      const rps = r.charts.find((c) => c.id === 'rps')!;
      expect(rps.points).toBe(result.timeline.length);
      expect(rps.series.map((s) => s.label)).toEqual(['total', 'GET /a', 'GET /b']);
      // The generator's own health: a chart with a point per interval, and its figures in the header.
      const gen = r.charts.find((c) => c.id === 'generator')!;
      expect(gen.points).toBe(result.timeline.length);
      expect(gen.series.map((s) => s.label)).toEqual(['delay p50', 'delay p99', 'delay max', 'main-thread pause']);
      await expect(o.page.locator('dl.facts').textContent()).resolves.toMatch(/generator delayp50 [\d.]+ ms, p99 [\d.]+ ms/);
      await expect(o.page.locator('header .verdict').textContent()).resolves.toBe('✗ FAILED');
      const rows = await o.page.locator('table.thresholds tbody tr').allInnerTexts();
      // Every 10th request fails: 10%, or just under when the generator missed an arrival at the end.
      expect(rows[0]).toMatch(/^✗\s+total\s+error_rate < 1%\s+(9\.\d+|10(\.0+)?)%/);
      expect(rows[1]).toMatch(/^✓/);
      await o.page.screenshot({ path: join(ARTIFACTS_DIR, 'real-run.png'), fullPage: true });
    } finally {
      await o.close();
    }
  });
});
