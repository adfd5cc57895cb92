/** The report's own stylesheet (uPlot's is inlined next to it). */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #ffffff; --panel: #f8fafc;
  --pass: #15803d; --pass-bg: #dcfce7; --fail: #b91c1c; --fail-bg: #fee2e2; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 1400px; margin: 0 auto; padding: 0 20px; }
h1 { font-size: 22px; margin: 18px 0 10px; word-break: break-word; }
h2 { font-size: 17px; margin: 22px 0 8px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
code { font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted, .note { color: var(--muted); }
.runs { display: grid; gap: 16px; }
.runs-2 { grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); }
.run-card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 12px; }
.run-card h2 { display: flex; align-items: center; gap: 10px; }
.scenario { font-weight: 600; margin: 0 0 8px; word-break: break-word; }
.partial { margin: 0 0 8px; padding: 6px 10px; border-left: 4px solid #d97706; background: #fffbeb; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 13px; font-weight: 700; }
.verdict.pass { color: var(--pass); background: var(--pass-bg); }
.verdict.fail { color: var(--fail); background: var(--fail-bg); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; word-break: break-word; }
nav { margin: 16px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav a { color: #2563eb; text-decoration: none; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; color: #334155; background: var(--panel); white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
td.name, th.name { word-break: break-word; max-width: 420px; }
td.text { white-space: pre-wrap; word-break: break-word; }
td.empty { color: var(--muted); font-style: italic; }
tr.total td, tr.total th { font-weight: 600; border-top: 2px solid #cbd5e1; }
tr.fail td.mark, tr.sev-error td:first-child { color: var(--fail); }
.verdict-reasons { color: var(--fail); margin: 0.2em 0 0.6em; }
.failed-mark { color: var(--fail); font-size: 0.85em; white-space: nowrap; }
tr.pass td.mark { color: var(--pass); }
table.thresholds td.mark { font-weight: 700; width: 1.5em; }
table.thresholds tr.fail { background: var(--fail-bg); }
table.compare tr.first th, table.compare tr.first td { border-top: 2px solid #cbd5e1; }
table.compare td.run { color: var(--muted); white-space: nowrap; }
tr.delta-row td { font-size: 12px; }
td.delta.better { color: var(--pass); }
td.delta.worse { color: var(--fail); font-weight: 600; }
.scroll { overflow-x: auto; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 0 24px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px 4px; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; word-break: break-word; }
figure.chart figcaption small { font-weight: 400; color: var(--muted); margin-left: 6px; }
.plot { width: 100%; min-height: 40px; }
html:not(.js) .plot { display: none; }
html.js .no-js { display: none; }
.uplot .u-legend { font-size: 12px; text-align: left; }
.uplot .u-legend .u-series { padding: 0 6px; cursor: pointer; }
.uplot .u-legend .u-series > * { padding: 2px; }
footer { color: var(--muted); font-size: 12px; padding: 24px 20px 40px; }
@media print { .charts { grid-template-columns: 1fr; } nav { display: none; } }
`;
