/**
 * renderHtmlReport: one self-contained HTML file (uPlot, styles, data and the
 * drawing script inlined; nothing is fetched when it is viewed) for one run or
 * for a base/current comparison.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LoadctlError, type Result, type RunResult } from '@loadctl/core';
import { toResult, writeFileAtomic } from '@loadctl/core/internal';
import { renderCapacitySection } from './capacity.js';
import type { ChartOptions, ChartSpec, RunKey } from './chart-types.js';
import { buildReportData, type ReportRun } from './report-data.js';
import { escapeHtml as e, inlineSource, jsonForScript } from './escape.js';
import { fmtInstant } from './format.js';
import { renderHeader, renderTables, type LabelledRun } from './sections.js';
import { REPORT_CSS } from './styles.js';
import { renderMonitorSections, renderSoakSection, soakNav, SOAK_CSS } from './soak-section.js';

/** A result read from result.json (timeline in an array) or the Result of a run (timeline read back from disk). */
export type ReportResult = RunResult | Result;
export type HtmlReportInput = ReportResult | { base: ReportResult; current: ReportResult };

export interface HtmlReportOptions extends ChartOptions {
  /** Page title; default "loadctl report: <scenario>" or "loadctl comparison: …". */
  title?: string;
  /** Names of the two runs in compare mode (default "base" and "current"). */
  labels?: { base?: string; current?: string };
  /** Shown in the footer; default now. */
  generatedAt?: Date;
}

/** Bad input to the HTML report, with a stable code. */
export class HtmlReportError extends LoadctlError {
  declare readonly code: 'ERR_LOADCTL_HTML_INPUT';
  constructor(message: string) {
    super('ERR_LOADCTL_HTML_INPUT', message, 2);
    this.name = 'HtmlReportError';
  }
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

let assets: { js: string; css: string; version: string } | undefined;
let client: string | undefined;

/**
 * The report's browser code: client/report-client.ts compiled for the browser by `pnpm build`
 * (tsconfig.client.json), read once. The same path from src/html (tests) and dist/html.
 */
function clientScript(): string {
  client ??= readFileSync(new URL('../../dist/browser/client/report-client.js', import.meta.url), 'utf8');
  return client;
}

/** uPlot's browser build and stylesheet, read once from the installed package. */
function uplotAssets(): { js: string; css: string; version: string } {
  if (!assets) {
    const require = createRequire(import.meta.url);
    const read = (rel: string): string => readFileSync(require.resolve(`uplot/${rel}`), 'utf8');
    const pkg = JSON.parse(read('package.json')) as { version?: string };
    assets = { js: read('dist/uPlot.iife.min.js'), css: read('dist/uPlot.min.css'), version: pkg.version ?? '?' };
  }
  return assets;
}

function checkResult(r: unknown, what: string): asserts r is ReportResult {
  const x = r as Partial<Result> | null;
  const timeline = x?.timeline as unknown;
  const readable = Array.isArray(timeline) || (typeof timeline === 'object' && timeline !== null && Symbol.asyncIterator in timeline);
  if (!x || typeof x !== 'object' || !x.summary || typeof x.summary !== 'object' || !x.summary.meta || !readable) {
    throw new HtmlReportError(`${what} is not a loadctl result (expected { summary, timeline, ... } as in result.json)`);
  }
}

function isCompare(input: HtmlReportInput): input is { base: ReportResult; current: ReportResult } {
  return typeof input === 'object' && input !== null && 'base' in input && 'current' in input && !('summary' in input);
}

function reportRun(key: RunKey, label: string, r: ReportResult): ReportRun & LabelledRun {
  const x = toResult(r);
  return { key, label, summary: x.summary, timeline: x.timeline, partialReason: x.partial ? (x.partialReason ?? 'the run did not finish') : undefined };
}

/**
 * The report as one HTML string. The timeline is streamed (twice: scan, then downsample), so
 * a Result whose timeline is on disk is never held in memory whole.
 */
export async function renderHtmlReport(input: HtmlReportInput, options: HtmlReportOptions = {}): Promise<string> {
  const runs: Array<ReportRun & LabelledRun> = [];
  if (isCompare(input)) {
    checkResult(input.base, 'base');
    checkResult(input.current, 'current');
    runs.push(reportRun('base', options.labels?.base ?? 'base', input.base));
    runs.push(reportRun('current', options.labels?.current ?? 'current', input.current));
  } else {
    checkResult(input, 'input');
    runs.push(reportRun('run', 'run', input));
  }
  const compare = runs.length > 1;
  const title =
    options.title ??
    (compare
      ? `loadctl comparison: ${runs[0].summary.meta.scenario} vs ${runs[1].summary.meta.scenario}`
      : `loadctl report: ${runs[0].summary.meta.scenario}`);

  const data = await buildReportData(runs, options);
  const { js, css, version } = uplotAssets();
  const generated = options.generatedAt ?? new Date();
  const loadctlVersion = runs[runs.length - 1].summary.meta.loadctlVersion;
  const capacity = renderCapacitySection(runs);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="loadctl ${e(loadctlVersion)}">
<title>${e(title)}</title>
<style>${inlineSource(css)}</style>
<style>${inlineSource(REPORT_CSS + SOAK_CSS)}</style>
</head>
<body>
${renderHeader(runs, title)}
<main>
<nav>${capacity ? '<a href="#capacity">Capacity</a>' : ''}<a href="#charts">Charts</a><a href="#requests">Requests</a><a href="#flows">Flows</a><a href="#checks">Checks</a><a href="#statuses">Status codes</a><a href="#error-kinds">Transport errors</a><a href="#warnings">Warnings</a><a href="#reporters">Reporters</a>${soakNav(runs, data.charts)}</nav>
${capacity}${renderSoakSection(runs)}
${renderCharts(data.charts.filter((c) => !c.section), data.grid.factor, data.grid.bucketMs, compare)}
${renderMonitorSections(data.charts)}
${renderTables(runs)}
</main>
<footer>Generated by loadctl ${e(loadctlVersion)} on ${e(fmtInstant(generated.getTime()))}. Charts drawn with uPlot ${e(version)}. This file is self-contained and works offline.</footer>
<script type="application/json" id="loadctl-data">${jsonForScript(data)}</script>
<script>${inlineSource(js)}</script>
<script type="module">${inlineSource(clientScript())}</script>
</body>
</html>
`;
}

function renderCharts(charts: ChartSpec[], factor: number, bucketMs: number, compare: boolean): string {
  const about: string[] = [];
  if (factor > 1) {
    about.push(
      `Downsampled for drawing: each point covers ${factor} intervals (${bucketMs / 1000} s); lines are bucket means, shaded bands the min–max of the bucket, and max latency is the bucket's highest value, so spikes stay visible.`,
    );
  }
  if (compare) about.push('Time is seconds since each run started; the base run is drawn dashed.');
  about.push('Hover to read values; click a legend entry to hide or show a series; drag to zoom, double-click to reset.');
  const figures = charts
    .map(
      (c) =>
        `<figure class="chart" id="chart-${e(c.id)}"><figcaption>${e(c.title)}${c.note ? ` <small>${e(c.note)}</small>` : ''}</figcaption>` +
        `<div class="plot" data-chart-id="${e(c.id)}"></div></figure>`,
    )
    .join('\n');
  return (
    `<section id="charts"><h2>Charts</h2><p class="note">${about.map(e).join(' ')}</p>` +
    `<p class="note no-js">The charts need JavaScript; the tables below do not.</p>` +
    `<div class="charts">\n${figures}\n</div></section>`
  );
}

/** Render and write the report, creating the directory if needed. */
export async function writeHtmlReport(path: string, input: HtmlReportInput, options: HtmlReportOptions = {}): Promise<void> {
  await writeFileAtomic(path, await renderHtmlReport(input, options));
}
