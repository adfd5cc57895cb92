/**
 * The soak parts of the HTML report: the one-line verdict (did the target look stable or
 * leaking, and why) with the trends behind it and the monitored sources' health, and the
 * "Target" and "Generator" chart sections (charts built in monitor-charts.ts).
 */
import { type Summary, type Trend } from '@loadctl/core';
import { formatSeriesValue, formatSlope } from '@loadctl/core/internal';
import { escapeHtml as e } from './escape.js';
import type { LabelledRun } from './sections.js';

/** The structural part of a chart spec this module renders. */
interface SectionChart {
  id: string;
  title: string;
  note?: string;
  section?: 'target' | 'generator';
}

export const SOAK_CSS = `
.soak-line { padding: 8px 12px; border-radius: 8px; margin: 6px 0; font-weight: 600; }
.soak-line.stable { color: var(--pass); background: var(--pass-bg); }
.soak-line.leaking, .soak-line.degrading { color: var(--fail); background: var(--fail-bg); }
.soak-line.too_short { color: var(--muted); background: var(--panel); font-weight: 400; }
tr.trend-growing td.verdict, tr.trend-degrading td.verdict { color: var(--fail); font-weight: 700; }
`;

function shownTrends(s: Summary): boolean {
  return s.soak !== undefined && (s.soak.status !== 'too_short' || (s.monitor ?? []).some((m) => m.kind !== 'generator' && m.kind !== 'host'));
}

function trendRow(t: Trend): string {
  return (
    `<tr class="trend-${t.verdict}" title="${e(t.reason)}"><td class="name">${e(t.metric)}</td>` +
    `<td class="num">${e(formatSlope(t.slopePerHour, t.unit))}</td>` +
    `<td class="num">${e(`${formatSlope(t.low, t.unit)} .. ${formatSlope(t.high, t.unit)}`)}</td>` +
    `<td class="num">${e(formatSeriesValue(t.mean, t.unit))}</td><td class="num">${t.points}</td>` +
    `<td class="verdict">${e(t.verdict)}</td><td class="text">${e(t.reason.slice(t.reason.indexOf('): ') + 3))}</td></tr>`
  );
}

function healthRows(s: Summary): string {
  const rows = (s.monitor ?? []).map(
    (m) =>
      `<tr class="${m.failures > 0 ? 'fail' : ''}"><td class="name">${e(m.name)}</td><td>${e(m.kind)}</td><td class="text">${e(m.what)}</td>` +
      `<td class="num">${m.samples}</td><td class="num">${m.failures}</td><td class="text">${e(m.lastError ?? '')}</td></tr>`,
  );
  if (rows.length === 0) return '';
  return `<h3>Monitored sources</h3><div class="scroll"><table><thead><tr><th class="name">series prefix</th><th>kind</th><th>what</th><th>samples</th><th>failed</th><th>last problem</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function runSoak(run: LabelledRun, compare: boolean): string {
  const s = run.summary;
  const v = s.soak!;
  const heading = compare ? `<h3>${e(run.label)}</h3>` : '';
  const trends = s.trends ?? [];
  const table =
    trends.length === 0
      ? ''
      : `<div class="scroll"><table class="trends"><thead><tr><th class="name">series</th><th>trend</th><th>95% CI</th><th>mean</th><th>points</th><th>verdict</th><th>why</th></tr></thead><tbody>${trends.map(trendRow).join('')}</tbody></table></div>` +
        `<p class="note">Linear trends per hour over the steady window ${Math.round(v.fromMs / 1000)} s – ${Math.round(v.toMs / 1000)} s of the run (warm-up and ramps left out). A series is growing or degrading only when its whole 95% interval is on the bad side of zero and the change it implies over the window passes a noise floor (docs/soak.md).</p>`;
  return `${heading}<p class="soak-line ${e(v.status)}" data-soak="${e(v.status)}">${e(v.headline)}</p>${table}${healthRows(s)}`;
}

/** The soak section (verdict line, trends, sources), or '' when no run asked for one. */
export function renderSoakSection(runs: readonly LabelledRun[]): string {
  const shown = runs.filter((r) => shownTrends(r.summary));
  if (shown.length === 0) return '';
  return `<section id="soak"><h2>Soak: stable or leaking?</h2>${shown.map((r) => runSoak(r, runs.length > 1)).join('\n')}</section>`;
}

/** The "Target" and "Generator" chart sections. */
export function renderMonitorSections(charts: readonly SectionChart[]): string {
  const section = (id: 'target' | 'generator', title: string, about: string): string => {
    const mine = charts.filter((c) => c.section === id);
    if (mine.length === 0) return '';
    const figures = mine
      .map((c) => `<figure class="chart" id="chart-${e(c.id)}"><figcaption>${e(c.title)}${c.note ? ` <small>${e(c.note)}</small>` : ''}</figcaption><div class="plot" data-chart-id="${e(c.id)}"></div></figure>`)
      .join('\n');
    return `<section id="${id}"><h2>${e(title)}</h2><p class="note">${e(about)}</p><div class="charts">\n${figures}\n</div></section>`;
  };
  return (
    section('target', 'Target', 'What the monitored target did during the run: memory, CPU, descriptors, threads, TCP connections by state, scraped series (bytes in MB, CPU in % of one core).') +
    section('generator', 'Generator', 'loadctl itself and its host: main-thread heap and RSS, CPU (% of one core, all threads), main-thread event-loop lag, the workers\' utilisation, host CPU, memory and load.')
  );
}

/** Nav links for the sections present. */
export function soakNav(runs: readonly LabelledRun[], charts: readonly SectionChart[]): string {
  const links: string[] = [];
  if (runs.some((r) => shownTrends(r.summary))) links.push('<a href="#soak">Soak</a>');
  if (charts.some((c) => c.section === 'target')) links.push('<a href="#target">Target</a>');
  if (charts.some((c) => c.section === 'generator')) links.push('<a href="#generator">Generator</a>');
  return links.join('');
}
