/** Headless Chromium (Debian's, driven by playwright-core) for the HTML report tests. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.LOADCTL_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots and rendered reports go here (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../../../test-artifacts/html/', import.meta.url));
mkdirSync(ARTIFACTS_DIR, { recursive: true });

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What the report exposes on window.__loadctlReport (see src/html/client.ts). */
export interface PageReport {
  ready: boolean;
  readyMs: number;
  renderMs: number;
  errors: string[];
  charts: Array<{
    id: string;
    kind: 'time' | 'spectrum';
    points: number;
    series: Array<{ label: string; length: number; values: Array<number | null>; envelope: boolean }>;
  }>;
}

export interface OpenedReport {
  page: Page;
  context: BrowserContext;
  url: string;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  dialogs: string[];
  report: PageReport | null;
  close(): Promise<void>;
}

export async function openReport(browser: Browser, file: string, options: { javaScript?: boolean } = {}): Promise<OpenedReport> {
  const javaScript = options.javaScript ?? true;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, javaScriptEnabled: javaScript });
  const page = await context.newPage();
  const opened: OpenedReport = {
    page,
    context,
    url: pathToFileURL(file).href,
    consoleErrors: [],
    pageErrors: [],
    requests: [],
    dialogs: [],
    report: null,
    close: () => context.close(),
  };
  page.on('console', (m) => {
    if (m.type() === 'error') opened.consoleErrors.push(m.text());
  });
  page.on('pageerror', (err) => opened.pageErrors.push(String(err)));
  page.on('request', (r) => opened.requests.push(r.url()));
  page.on('dialog', (d) => {
    opened.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(opened.url, { waitUntil: 'load' });
  if (javaScript) {
    await page.waitForFunction(() => (globalThis as unknown as { __loadctlReport?: PageReport }).__loadctlReport?.ready === true, null, { timeout: 15_000 });
    opened.report = await page.evaluate(() => {
      const r = (globalThis as unknown as { __loadctlReport: PageReport }).__loadctlReport;
      // Only the plain parts (the uPlot instances are not serialisable).
      return { ready: r.ready, readyMs: r.readyMs, renderMs: r.renderMs, errors: r.errors, charts: r.charts };
    });
  }
  return opened;
}
