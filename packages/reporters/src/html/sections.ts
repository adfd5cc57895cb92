/**
 * Server-rendered parts of the HTML report: header with the verdict and the
 * tables. They need no JavaScript. Every value taken from a result goes through
 * escapeHtml.
 */
import type { CumulativeRequestStats, FlowStats, LatencySummary, Summary, ThresholdResult } from '@loadctl/core';
import { scopeLabel } from '@loadctl/core/internal';
import { escapeHtml as e } from './escape.js';
import {
  fmtBytes,
  fmtDelta,
  fmtDuration,
  fmtInstant,
  fmtInt,
  fmtMetric,
  fmtMsFromUs,
  fmtNum,
  fmtRatio,
  relDelta,
} from './format.js';

export interface LabelledRun {
  label: string;
  summary: Summary;
  /** Set when the result was rebuilt from a checkpoint of a run that did not finish. */
  partialReason?: string;
}

type Better = 'higher' | 'lower' | null;

interface Column<T> {
  label: string;
  value: (row: T) => number | null;
  fmt: (v: number | null) => string;
  /** Which direction is an improvement, for colouring deltas in compare mode. */
  better: Better;
  /** Δ as a relative % (default) or in percentage points for ratios. */
  delta?: 'rel' | 'pp';
}

function cell(html: string, cls = ''): string {
  return cls ? `<td class="${cls}">${html}</td>` : `<td>${html}</td>`;
}

function table(id: string, title: string, headers: string[], bodyRows: string[], empty: string, footRows: string[] = []): string {
  const head = headers.map((h, i) => `<th${i === 0 ? ' class="name"' : ''} scope="col">${e(h)}</th>`).join('');
  const body = bodyRows.length ? bodyRows.join('\n') : `<tr><td class="empty" colspan="${headers.length}">${e(empty)}</td></tr>`;
  const foot = footRows.length ? `<tfoot>${footRows.join('\n')}</tfoot>` : '';
  return `<section class="table" id="${id}"><h2>${e(title)}</h2><div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody>${foot}</table></div></section>`;
}

const msCol = (label: string, pick: (l: LatencySummary) => number): Column<LatencySummary> => ({
  label,
  value: (l) => (l.count > 0 ? pick(l) : null),
  fmt: fmtMsFromUs,
  better: 'lower',
});

const LATENCY_COLUMNS: Array<Column<LatencySummary>> = [
  msCol('p50 ms', (l) => l.percentiles['50'] ?? 0),
  msCol('p90 ms', (l) => l.percentiles['90'] ?? 0),
  msCol('p95 ms', (l) => l.percentiles['95'] ?? 0),
  msCol('p99 ms', (l) => l.percentiles['99'] ?? 0),
  msCol('max ms', (l) => l.max),
];

function latencyOf<T>(pick: (row: T) => LatencySummary): Array<Column<T>> {
  return LATENCY_COLUMNS.map((c) => ({ ...c, value: (row: T) => c.value(pick(row)) }));
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

const REQUEST_COLUMNS: Array<Column<CumulativeRequestStats>> = [
  { label: 'requests', value: (s) => s.count, fmt: fmtInt, better: null },
  { label: 'req/s', value: (s) => s.rps, fmt: (v) => fmtNum(v, 2), better: 'higher' },
  { label: 'errors', value: (s) => ratio(s.failed, s.count), fmt: (v) => fmtRatio(v), better: 'lower', delta: 'pp' },
  ...latencyOf<CumulativeRequestStats>((s) => s.latency),
  { label: 'bytes in', value: (s) => s.bytesIn, fmt: fmtBytes, better: null },
  { label: 'bytes out', value: (s) => s.bytesOut, fmt: fmtBytes, better: null },
];

/** A flow's stats with the duration of its run (for the iteration rate). */
interface FlowRow {
  f: FlowStats;
  durationMs: number;
}

const FLOW_COLUMNS: Array<Column<FlowRow>> = [
  { label: 'iterations', value: (r) => r.f.iterations, fmt: fmtInt, better: null },
  { label: 'iter/s', value: (r) => (r.durationMs > 0 ? r.f.iterations / (r.durationMs / 1000) : null), fmt: (v) => fmtNum(v, 2), better: 'higher' },
  { label: 'failed', value: (r) => ratio(r.f.failed, r.f.iterations), fmt: (v) => fmtRatio(v), better: 'lower', delta: 'pp' },
  ...latencyOf<FlowRow>((r) => r.f.duration),
];

function flowRow(f: FlowStats | undefined, durationMs: number): FlowRow | undefined {
  return f ? { f, durationMs } : undefined;
}

function values<T>(row: T, columns: Array<Column<T>>): string {
  return columns.map((c) => cell(c.fmt(c.value(row)), 'num')).join('');
}

// ---------------------------------------------------------------- header

function verdictBadge(s: Summary): string {
  const passed = s.verdict.passed;
  return `<span class="verdict ${passed ? 'pass' : 'fail'}" data-verdict="${passed ? 'passed' : 'failed'}">${passed ? '✓ PASSED' : '✗ FAILED'}</span>`;
}

function thresholdRows(ts: ThresholdResult[]): string {
  if (ts.length === 0) return '<p class="muted">No thresholds were set.</p>';
  const rows = ts.map(
    (t) =>
      `<tr class="${t.passed ? 'pass' : 'fail'}"><td class="mark">${t.passed ? '✓' : '✗'}</td><td>${e(scopeLabel(t))}</td><td><code>${e(t.expression)}</code></td>` +
      `<td class="num">${e(fmtMetric(t.actual, t.unit))}</td><td class="num">${e(fmtMetric(t.limit, t.unit))}</td><td>${t.aborted ? 'stopped the run' : ''}</td></tr>`,
  );
  return `<table class="thresholds"><thead><tr><th></th><th>scope</th><th>threshold</th><th>actual</th><th>limit</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const END_REASONS: Record<string, string> = {
  completed: 'completed',
  threshold_abort: 'stopped by a threshold',
  rate_shortfall_abort: 'stopped: achieved rate fell short',
  interrupted: 'interrupted',
  error: 'error',
};

/** The generator's own error next to the latency, the client and timer used, and the warm-up. */
function generatorFacts(s: Summary): Array<[string, string]> {
  const g = s.generator;
  if (!g) return [];
  const d = g.delay;
  const delay = d.count > 0 ? `p50 ${fmtMsFromUs(d.percentiles['50'])} ms, p99 ${fmtMsFromUs(d.percentiles['99'])} ms, max ${fmtMsFromUs(d.max)} ms` : 'no request sent';
  const client = [s.meta.httpClient, s.meta.arrivalTimer ? `${s.meta.arrivalTimer} arrival timer` : undefined].filter(Boolean).join(', ');
  const warm = g.warmup.durationMs > 0 ? `${fmtDuration(g.warmup.durationMs)}, ${fmtInt(g.warmup.requests)} requests (not measured)` : 'none';
  return [
    ['generator delay', delay],
    ['main thread', `longest pause ${g.mainPause.maxMs.toFixed(1)} ms`],
    ['warm-up', warm],
    ...(client ? ([['HTTP client', client]] as Array<[string, string]>) : []),
  ];
}

function runFacts(s: Summary): string {
  const m = s.meta;
  const errorRate = s.total.count > 0 ? s.total.failed / s.total.count : null;
  const facts: Array<[string, string]> = [
    ['target', m.target],
    ['run', `${m.runId} (${m.kind})`],
    ['started', fmtInstant(m.startedAt)],
    ['ended', fmtInstant(s.endedAt)],
    ['duration', fmtDuration(s.durationMs) + (m.plannedDurationMs ? ` of ${fmtDuration(m.plannedDurationMs)} planned` : '')],
    ['workers / segment', `${m.workers} / ${m.segment}`],
    ['model', m.model],
    ['interval', fmtDuration(m.intervalMs)],
    ['end reason', END_REASONS[s.verdict.endReason] ?? s.verdict.endReason],
    ['requests', `${fmtInt(s.total.count)} (${fmtRatio(errorRate)} errors)`],
    ['req/s', `${fmtNum(s.rps.mean)} mean over the load window${s.loadDurationMs !== undefined && s.durationMs - s.loadDurationMs >= 1 ? ` (${fmtDuration(s.loadDurationMs)}; graceful drain excluded)` : ''}, ${fmtNum(s.rps.min)}–${fmtNum(s.rps.max)} per interval`],
    ['latency', `p95 ${fmtMsFromUs(s.total.latency.percentiles['95'])} ms, p99 ${fmtMsFromUs(s.total.latency.percentiles['99'])} ms${s.total.failed > 0 ? ' (failed requests included)' : ''}`],
    ['dropped / late', `${fmtInt(s.dropped)} / ${fmtInt(s.late)}`],
    ...generatorFacts(s),
    ['loadctl', m.loadctlVersion],
  ];
  for (const [k, v] of Object.entries(m.tags ?? {})) facts.push([`tag ${k}`, v]);
  return `<dl class="facts">${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
}

function verdictReasons(s: Summary): string {
  const reasons = (s.verdict.reasons ?? []).filter((r) => r.code !== 'THRESHOLDS_FAILED');
  if (reasons.length === 0) return '';
  return `<ul class="verdict-reasons">${reasons.map((r) => `<li data-code="${e(r.code)}">${e(r.message)}</li>`).join('')}</ul>`;
}

function runCard(run: LabelledRun, heading: string): string {
  const s = run.summary;
  return (
    `<div class="run-card" data-run="${e(run.label)}"><h2>${e(heading)} ${verdictBadge(s)}</h2>` +
    verdictReasons(s) +
    `<p class="scenario">${e(s.meta.scenario)}</p>` +
    (run.partialReason ? `<p class="partial"><strong>Partial result.</strong> ${e(run.partialReason)}</p>` : '') +
    runFacts(s) +
    `<h3>Thresholds</h3>${thresholdRows(s.verdict.thresholds)}</div>`
  );
}

export function renderHeader(runs: LabelledRun[], title: string): string {
  const cards =
    runs.length === 1 ? runCard(runs[0], 'Verdict') : runs.map((r) => runCard(r, r.label)).join('');
  return `<header><h1>${e(title)}</h1><div class="runs runs-${runs.length}">${cards}</div></header>`;
}

// ---------------------------------------------------------------- single-run tables

/** Rows of request names with failed requests are marked: their latency includes the failures. */
const st = (x: CumulativeRequestStats): string => (x.failed > 0 ? ' has-failed' : '');
const failedClass = (x: CumulativeRequestStats): string => (x.failed > 0 ? ' class="has-failed"' : '');
function failedMark(x: CumulativeRequestStats): string {
  if (x.failed === 0) return '';
  const all = x.failed === x.count;
  return ` <span class="failed-mark" title="latency includes the failed requests">✗ ${all ? 'all' : fmtInt(x.failed)} failed</span>`;
}

function failedNote(total: CumulativeRequestStats): string {
  if (total.failed === 0) return '';
  const ok = total.successLatency;
  const success =
    ok === undefined
      ? ''
      : ok.count === 0
        ? ' No request succeeded.'
        : ` Successful requests only: p50 ${fmtMsFromUs(ok.percentiles['50'])} ms, p99 ${fmtMsFromUs(ok.percentiles['99'])} ms, max ${fmtMsFromUs(ok.max)} ms.`;
  return `<p class="note failed-note">✗ Latency includes ${fmtInt(total.failed)} failed requests: a timeout counts until it was given up, a transport error until it failed.${e(success)}</p>`;
}

function sortedEntries<T>(rec: Record<string, T>, weight: (v: T) => number): Array<[string, T]> {
  return Object.entries(rec ?? {}).sort((a, b) => weight(b[1]) - weight(a[1]) || a[0].localeCompare(b[0]));
}

function singleTables(r: LabelledRun): string {
  const s = r.summary;
  const reqRows = sortedEntries(s.requests, (x) => x.count).map(([name, st]) => `<tr${failedClass(st)}>${cell(e(name) + failedMark(st), 'name')}${values(st, REQUEST_COLUMNS)}</tr>`);
  const reqFoot = [`<tr class="total${st(s.total)}">${cell('total' + failedMark(s.total), 'name')}${values(s.total, REQUEST_COLUMNS)}</tr>`];
  const flowRows = sortedEntries(s.flows, (f) => f.iterations).map(([name, f]) => `<tr>${cell(e(name), 'name')}${values({ f, durationMs: s.loadDurationMs ?? s.durationMs }, FLOW_COLUMNS)}</tr>`);
  const checkRows = sortedEntries(s.checks, (c) => c.passes + c.fails).map(([name, c]) => {
    const n = c.passes + c.fails;
    return `<tr class="${c.fails ? 'fail' : ''}">${cell(e(name), 'name')}${cell(fmtInt(c.passes), 'num')}${cell(fmtInt(c.fails), 'num')}${cell(fmtRatio(ratio(c.passes, n)), 'num')}</tr>`;
  });
  const statusRows = Object.entries(s.total.statuses ?? {})
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([code, n]) => `<tr class="${Number(code) >= 400 ? 'fail' : ''}">${cell(e(code), 'name')}${cell(fmtInt(n), 'num')}${cell(fmtRatio(ratio(n, s.total.count)), 'num')}</tr>`);
  const errorRows = sortedEntries(s.total.errors as Record<string, number>, (n) => n)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `<tr class="fail">${cell(e(kind), 'name')}${cell(fmtInt(n), 'num')}${cell(fmtRatio(ratio(n, s.total.count)), 'num')}</tr>`);
  return [
    ...(s.loads ? [loadsTable(s)] : []),
    table('requests', 'Requests', ['request', ...REQUEST_COLUMNS.map((c) => c.label)], reqRows, 'No requests.', reqFoot),
    failedNote(s.total),
    table('flows', 'Flows', ['flow', ...FLOW_COLUMNS.map((c) => c.label)], flowRows, 'No flows.'),
    table('checks', 'Checks', ['check', 'passes', 'fails', 'pass rate'], checkRows, 'No checks.'),
    `<div class="pair">`,
    table('statuses', 'Status codes', ['status', 'responses', 'share'], statusRows, 'No responses.'),
    table('error-kinds', 'Transport errors', ['kind', 'count', 'share'], errorRows, 'No transport errors.'),
    `</div>`,
    warningsTable([{ ...r, label: '' }]),
    reportersTable([{ ...r, label: '' }]),
  ].join('\n');
}

/** Side-by-side loads: each load's model and figures, the run's total below. */
function loadsTable(s: Summary): string {
  const loads = Object.entries(s.loads ?? {});
  const rows = loads.map(
    ([name, l]) =>
      `<tr${failedClass(l.total)} data-load="${e(name)}">${cell(e(name) + failedMark(l.total), 'name')}${cell(e(s.meta.loads?.[name]?.model ?? ''))}${values(l.total, REQUEST_COLUMNS)}${cell(fmtInt(l.dropped), 'num')}</tr>`,
  );
  const foot = [`<tr class="total${st(s.total)}">${cell('all loads' + failedMark(s.total), 'name')}${cell('')}${values(s.total, REQUEST_COLUMNS)}${cell(fmtInt(s.dropped), 'num')}</tr>`];
  return table('loads', 'Loads', ['load', 'model', ...REQUEST_COLUMNS.map((c) => c.label), 'dropped'], rows, 'No loads.', foot);
}

function warningsTable(runs: LabelledRun[]): string {
  const withRun = runs.length > 1;
  const rows = runs.flatMap((run) =>
    (run.summary.warnings ?? []).map(
      (w) =>
        `<tr class="sev-${e(w.severity)}">${withRun ? cell(e(run.label), 'name') : ''}${cell(e(w.severity))}${cell(`<code>${e(w.code)}</code>`)}${cell(e(w.message), 'text')}</tr>`,
    ),
  );
  return table('warnings', 'Warnings', [...(withRun ? ['run'] : []), 'severity', 'code', 'message'], rows, 'No warnings.');
}

function reportersTable(runs: LabelledRun[]): string {
  const withRun = runs.length > 1;
  const rows = runs.flatMap((run) =>
    Object.entries(run.summary.reporters ?? {}).map(
      ([name, h]) =>
        `<tr class="${h.errors || h.dropped ? 'fail' : ''}">${withRun ? cell(e(run.label), 'name') : ''}${cell(e(name), withRun ? '' : 'name')}${cell(fmtInt(h.errors), 'num')}${cell(fmtInt(h.dropped), 'num')}${cell((h.notes ?? []).map((n) => e(n)).join('<br>'), 'text')}</tr>`,
    ),
  );
  return table('reporters', 'Reporters', [...(withRun ? ['run'] : []), 'reporter', 'errors', 'dropped', 'notes'], rows, 'No reporter notes.');
}

// ---------------------------------------------------------------- compare tables

function deltaCell<T>(c: Column<T>, base: T | undefined, cur: T | undefined): string {
  const b = base === undefined ? null : c.value(base);
  const v = cur === undefined ? null : c.value(cur);
  let text: string;
  let diff: number | null;
  if (c.delta === 'pp') {
    diff = b !== null && v !== null ? (v - b) * 100 : null;
    text = diff === null ? '—' : Math.abs(diff) < 0.005 ? '±0 pp' : `${diff > 0 ? '+' : '−'}${fmtNum(Math.abs(diff), 2)} pp`;
  } else {
    diff = relDelta(b, v);
    text = fmtDelta(diff);
  }
  let cls = 'num delta';
  if (c.better && diff !== null && Math.abs(diff) >= 0.05) {
    const improved = c.better === 'higher' ? diff > 0 : diff < 0;
    cls += improved ? ' better' : ' worse';
  }
  return cell(e(text), cls);
}

function compareRows<T>(name: string, base: T | undefined, cur: T | undefined, columns: Array<Column<T>>, labels: [string, string], cls = ''): string {
  const line = (label: string, row: T | undefined): string =>
    `${cell(e(label), 'run')}${columns.map((c) => cell(row === undefined ? '—' : c.fmt(c.value(row)), 'num')).join('')}`;
  return (
    `<tr class="first ${cls}">${`<th scope="rowgroup" rowspan="3" class="name">${e(name)}</th>`}${line(labels[0], base)}</tr>\n` +
    `<tr class="${cls}">${line(labels[1], cur)}</tr>\n` +
    `<tr class="delta-row ${cls}">${cell('Δ', 'run')}${columns.map((c) => deltaCell(c, base, cur)).join('')}</tr>`
  );
}

function unionKeys(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): string[] {
  return [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
}

function compareTables(base: LabelledRun, cur: LabelledRun): string {
  const labels: [string, string] = [base.label, cur.label];
  const B = base.summary;
  const C = cur.summary;
  const byCount = (names: string[], count: (n: string) => number): string[] => names.sort((x, y) => count(y) - count(x) || x.localeCompare(y));

  const reqNames = byCount(unionKeys(B.requests, C.requests), (n) => (C.requests[n]?.count ?? 0) + (B.requests[n]?.count ?? 0));
  const reqRows = reqNames.map((n) => compareRows(n, B.requests[n], C.requests[n], REQUEST_COLUMNS, labels));
  const reqFoot = [compareRows('total', B.total, C.total, REQUEST_COLUMNS, labels, 'total')];

  const flowNames = byCount(unionKeys(B.flows, C.flows), (n) => (C.flows[n]?.iterations ?? 0) + (B.flows[n]?.iterations ?? 0));
  const flowRows = flowNames.map((n) => compareRows(n, flowRow(B.flows[n], B.durationMs), flowRow(C.flows[n], C.durationMs), FLOW_COLUMNS, labels));

  const passRate = (c: { passes: number; fails: number } | undefined): number | null => (c ? ratio(c.passes, c.passes + c.fails) : null);
  const checkRows = unionKeys(B.checks, C.checks)
    .sort()
    .map((n) => {
      const col: Column<{ passes: number; fails: number }> = { label: '', value: (c) => passRate(c), fmt: (v) => fmtRatio(v), better: 'higher', delta: 'pp' };
      const b = B.checks[n];
      const c = C.checks[n];
      return `<tr>${cell(e(n), 'name')}${cell(fmtRatio(passRate(b)), 'num')}${cell(fmtRatio(passRate(c)), 'num')}${deltaCell(col, b, c)}${cell(c ? fmtInt(c.fails) : '—', 'num')}</tr>`;
    });

  const countCol: Column<number> = { label: '', value: (n) => n, fmt: fmtInt, better: 'lower' };
  const countRows = (b: Record<string, number>, c: Record<string, number>, keys: string[], better: Better): string[] =>
    keys.map((k) => `<tr>${cell(e(k), 'name')}${cell(fmtInt(b[k] ?? 0), 'num')}${cell(fmtInt(c[k] ?? 0), 'num')}${deltaCell({ ...countCol, better }, b[k] ?? 0, c[k] ?? 0)}</tr>`);
  const statusKeys = unionKeys(B.total.statuses, C.total.statuses).sort();
  const statusRows = statusKeys.map((k) => countRows(B.total.statuses, C.total.statuses, [k], Number(k) >= 400 ? 'lower' : null)[0]);
  const bErr = B.total.errors as Record<string, number>;
  const cErr = C.total.errors as Record<string, number>;
  const errRows = countRows(bErr, cErr, unionKeys(bErr, cErr).filter((k) => (bErr[k] ?? 0) + (cErr[k] ?? 0) > 0).sort(), 'lower');

  const runHeads = (first: string): string[] => [first, base.label, cur.label, 'Δ'];
  return [
    table('requests', 'Requests', ['request', 'run', ...REQUEST_COLUMNS.map((c) => c.label)], reqRows, 'No requests.', reqFoot).replace('<table>', '<table class="compare">'),
    table('flows', 'Flows', ['flow', 'run', ...FLOW_COLUMNS.map((c) => c.label)], flowRows, 'No flows.').replace('<table>', '<table class="compare">'),
    table('checks', 'Checks (pass rate)', [...runHeads('check'), `fails (${cur.label})`], checkRows, 'No checks.'),
    `<div class="pair">`,
    table('statuses', 'Status codes', runHeads('status'), statusRows, 'No responses.'),
    table('error-kinds', 'Transport errors', runHeads('kind'), errRows, 'No transport errors.'),
    `</div>`,
    warningsTable([base, cur]),
    reportersTable([base, cur]),
  ].join('\n');
}

export function renderTables(runs: LabelledRun[]): string {
  return runs.length === 1 ? singleTables(runs[0]) : compareTables(runs[0], runs[1]);
}
