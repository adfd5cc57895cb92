/**
 * The capacity section of the HTML report (results of `loadctl capacity`):
 * the answer and what limited it, three static SVG charts — latency
 * percentiles and throughput against offered load (knee, answer and lowest
 * failing rate marked) and the USL curve over the measured points — and the
 * step table. Server-rendered; needs no script.
 */
import { type CapacityReport, type CapacityStep, type Summary } from '@loadctl/core';
import { uslThroughput } from '@loadctl/core/internal';
import { escapeHtml as e } from './escape.js';
import { fmtDuration, fmtNum, fmtRatio } from './format.js';
import { svgChart, type SvgMarker } from './svg-chart.js';

export interface CapacityRun {
  label: string;
  summary: Summary;
}

const CSS = `
.capacity .answer { font-size: 18px; font-weight: 700; margin: 6px 0; }
.capacity .answer.found { color: var(--pass); } .capacity .answer.none { color: var(--fail); } .capacity .answer.inconclusive { color: #b45309; }
.capacity .svg-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
.capacity figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px 4px; }
.capacity figcaption { font-weight: 600; } .capacity figcaption small { font-weight: 400; color: var(--muted); }
.capacity text.axis { fill: var(--muted); }
.capacity tr.v-fail td.verdict { color: var(--fail); } .capacity tr.v-pass td.verdict { color: var(--pass); }
.capacity tr.answer-step td { font-weight: 700; background: var(--pass-bg); }
.capacity tr.v-generator td.verdict, .capacity tr.v-aborted td.verdict { color: #b45309; }
`;

const COLORS = { p50: '#16a34a', p95: '#d97706', p99: '#dc2626', throughput: '#2563eb', offered: '#94a3b8', usl: '#7c3aed' };
const judged = (s: CapacityStep): boolean => s.verdict === 'pass' || s.verdict === 'fail';

/** The latest judged step at each offered rate, by rate. */
function byRate(steps: readonly CapacityStep[]): CapacityStep[] {
  const m = new Map<number, CapacityStep>();
  for (const s of steps) if (judged(s)) m.set(s.rate, s);
  return [...m.values()].sort((a, b) => a.rate - b.rate);
}

function markers(c: CapacityReport): SvgMarker[] {
  const out: SvgMarker[] = [];
  if (c.maxRate > 0) out.push({ x: c.maxRate, label: `answer ${fmtNum(c.maxRate, 1)}/s`, color: '#15803d' });
  if (c.knee) out.push({ x: c.knee.rate, label: `knee ${fmtNum(c.knee.rate, 1)}/s`, color: '#d97706' });
  if (c.lowestFailingRate !== null) out.push({ x: c.lowestFailingRate, label: `lowest failing ${fmtNum(c.lowestFailingRate, 1)}/s`, color: '#b91c1c' });
  return out;
}

function charts(c: CapacityReport, key: string): string {
  const steps = byRate(c.steps);
  const perIteration = c.maxRate > 0 && c.maxRps > 0 ? c.maxRps / c.maxRate : 1;
  const latency = svgChart({
    id: `capacity-latency-${key}`,
    xLabel: 'offered load (iterations/s)',
    yLabel: 'latency (ms, log scale)',
    yLog: true,
    series: (['p50', 'p95', 'p99'] as const).map((p) => ({ label: p, color: COLORS[p], points: steps.map((s): [number, number] => [s.rate, s.latency[p]]) })),
    markers: markers(c),
  });
  const maxRate = Math.max(0, ...steps.map((s) => s.rate));
  const throughput = svgChart({
    id: `capacity-throughput-${key}`,
    xLabel: 'offered load (iterations/s)',
    yLabel: 'throughput (req/s)',
    series: [
      { label: 'measured', color: COLORS.throughput, points: steps.map((s): [number, number] => [s.rate, s.throughputRps]) },
      { label: 'offered', color: COLORS.offered, dash: true, dots: false, points: [[0, 0], [maxRate, maxRate * perIteration]] },
    ],
    markers: markers(c),
  });
  let usl = '';
  if (c.usl) {
    const u = c.usl;
    const nMax = Math.max(...u.points.map((p) => p.concurrency), u.peak ? u.peak.concurrency * 1.2 : 0);
    const curve: Array<[number, number]> = [];
    for (let i = 0; i <= 80; i++) {
      const n = (nMax * i) / 80;
      curve.push([n, uslThroughput(u, n)]);
    }
    const uslMarkers: SvgMarker[] = u.peak ? [{ x: u.peak.concurrency, label: `peak ${fmtNum(u.peak.throughput, 0)} req/s`, color: COLORS.usl }] : [];
    const chart = svgChart({
      id: `capacity-usl-${key}`,
      xLabel: "requests in flight (Little's law N = X·R)",
      yLabel: 'throughput (req/s)',
      series: [
        { label: 'measured', color: COLORS.throughput, line: false, points: [...u.points].sort((a, b) => a.concurrency - b.concurrency).map((p): [number, number] => [p.concurrency, p.throughput]) },
        { label: `USL fit (R² ${u.r2.toFixed(2)})`, color: COLORS.usl, dots: false, dash: !u.good, points: curve },
      ],
      markers: uslMarkers,
    });
    usl = figure(`Universal Scalability Law`, u.summary, chart);
  }
  return (
    `<div class="svg-charts">` +
    figure('Latency against offered load', 'p50, p95, p99 of each step’s measured window', latency) +
    figure('Throughput against offered load', 'the dashed line is the load offered', throughput) +
    usl +
    `</div>`
  );
}

function figure(title: string, note: string, svg: string): string {
  return `<figure><figcaption>${e(title)} <small>${e(note)}</small></figcaption>${svg}</figure>`;
}

function stepTable(c: CapacityReport): string {
  const sloHead = c.slos.map((s, i) => `<th scope="col" title="${e(s)}">S${i + 1}</th>`).join('');
  const rows = c.steps.map((s) => {
    const marks = s.slos.map((t) => `<td class="mark">${t.passed ? '✓' : '✗'}</td>`).join('');
    const verdict = s.verdict === 'fail' && s.limitingSlo ? `fail: ${s.limitingSlo}` : s.verdict === 'generator' ? 'generator-limited' : s.verdict === 'aborted' ? 'cut short' : s.verdict;
    const num = (v: number, d = 1): string => `<td class="num">${e(fmtNum(v, d))}</td>`;
    return (
      `<tr class="v-${s.verdict}${c.answerStep === s.index ? ' answer-step' : ''}"><td class="num">${s.index + 1}</td><td>${e(s.kind)}</td>` +
      num(s.rate) +
      num(s.achievedRate) +
      num(s.throughputRps) +
      num(s.latency.p50, 2) +
      num(s.latency.p95, 2) +
      num(s.latency.p99, 2) +
      `<td class="num">${e(fmtRatio(s.errorRate))}</td>` +
      num(s.concurrency) +
      marks +
      `<td class="verdict">${e(verdict)}</td><td class="text">${e(s.reasons.join('; '))}</td></tr>`
    );
  });
  const legend = c.slos.map((s, i) => `S${i + 1}: <code>${e(s)}</code>`).join(' · ');
  return (
    `<h3>Steps</h3><p class="note">${legend}. Figures cover each step's measured window (its first ${e(fmtDuration(c.settings.warmupMs))} excluded as warm-up).</p>` +
    `<div class="scroll"><table class="capacity-steps"><thead><tr><th scope="col">#</th><th scope="col">step</th><th scope="col">asked/s</th><th scope="col">achieved/s</th>` +
    `<th scope="col">req/s</th><th scope="col">p50 ms</th><th scope="col">p95 ms</th><th scope="col">p99 ms</th><th scope="col">errors</th><th scope="col">in flight</th>` +
    `${sloHead}<th scope="col">verdict</th><th scope="col">why</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></div>`
  );
}

const STATUS: Record<CapacityReport['status'], string> = { found: 'found', none: 'no rate met the SLOs', inconclusive: 'not determined (lower bound)' };

function facts(c: CapacityReport): string {
  const items: Array<[string, string]> = [
    ['limited by', c.limitedBy],
    ['status', `${STATUS[c.status]}${c.confirmed ? ', confirmed' : ''}`],
    ['SLOs', c.slos.join(', ')],
    ['search', `${c.steps.length} steps in ${fmtDuration(c.elapsedMs)}; steps of ${fmtDuration(c.settings.stepMs)}, confirmation ${fmtDuration(c.settings.confirmMs)}`],
  ];
  if (c.knee) items.push(['knee', `${fmtNum(c.knee.rate, 1)}/s — ${c.knee.reason}`]);
  if (c.sizing) {
    const z = c.sizing;
    items.push(['sizing', z.instances === null ? 'no capacity measured' : `${fmtNum(z.traffic, 0)} req/s with ${fmtRatio(z.headroom, 0)} headroom → ${z.upperBound ? 'at most ' : ''}${z.instances} instances`]);
  }
  if (c.gate) items.push(['gate', `--min-rps ${fmtNum(c.gate.minRps, 1)}: ${c.gate.passed === true ? 'passed' : c.gate.passed === false ? 'failed' : 'unknown'}`]);
  return `<dl class="facts">${items.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
}

/** The capacity section for every run that has one ('' when none has). */
export function renderCapacitySection(runs: readonly CapacityRun[]): string {
  const withCapacity = runs.filter((r) => r.summary.capacity);
  if (withCapacity.length === 0) return '';
  const blocks = withCapacity.map((r, i) => {
    const c = r.summary.capacity!;
    const rps = Math.abs(c.maxRps - c.maxRate) > 0.01 * c.maxRate ? ` (${fmtNum(c.maxRps, 1)} req/s)` : '';
    return (
      `<div class="capacity-run" data-run="${e(r.label)}">${withCapacity.length > 1 ? `<h3>${e(r.label)}</h3>` : ''}` +
      `<p class="answer ${e(c.status)}">Capacity ${e(fmtNum(c.maxRate, 1))}/s${e(rps)} — limited by the ${e(c.limitedBy)}</p>` +
      `<p>${e(c.explanation)}</p>${facts(c)}${charts(c, String(i))}${stepTable(c)}</div>`
    );
  });
  return `<style>${CSS}</style><section id="capacity" class="capacity"><h2>Capacity</h2>${blocks.join('\n')}</section>`;
}
