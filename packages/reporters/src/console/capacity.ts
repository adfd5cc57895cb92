/**
 * The capacity search on the terminal: a step table printed row by row as the
 * steps finish (fixed widths, so rows line up without knowing the next ones),
 * and the answer with what limited it, the knee, the USL fit, sizing and gate.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { CapacityReport, CapacityStep } from '@loadctl/core';
import { duration, int, pct } from './format.js';

const COLS: Array<[string, number]> = [
  ['#', 3],
  ['step', 7],
  ['asked/s', 9],
  ['achieved/s', 10],
  ['req/s', 9],
  ['p50 ms', 8],
  ['p95 ms', 8],
  ['p99 ms', 8],
  ['errors', 7],
];

const chalk = (color: boolean): ChalkInstance => new Chalk({ level: color && !process.env.NO_COLOR ? 1 : 0 });
const num = (v: number): string => (v >= 100 || Number.isInteger(v) ? int(v) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const lat = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function columns(values: string[]): string {
  return `  ${values.map((v, i) => (i < 2 ? v.padEnd(COLS[i][1]) : v.padStart(COLS[i][1]))).join(' ')}`;
}

/** Header lines: the column names and the legend of the SLO columns (one 4-wide column each). */
export function capacityStepHeader(slos: readonly string[]): string {
  const sloHead = slos.map((_, i) => `S${i + 1}`.padEnd(4)).join(' ');
  const legend = slos.map((s, i) => `S${i + 1}: ${s}`).join('   ');
  return `${columns(COLS.map(([name]) => name))}  ${sloHead} verdict
  ${legend}`;
}

/** One finished step. */
export function capacityStepRow(s: CapacityStep, color = false): string {
  const c = chalk(color);
  const marks = s.slos.map((t) => `${t.passed ? c.green('✓') : c.red('✗')}   `).join(' ');
  const verdict =
    s.verdict === 'pass'
      ? c.green('pass')
      : s.verdict === 'fail'
        ? c.red(`fail${s.limitingSlo ? ` (${s.limitingSlo})` : ''}`)
        : s.verdict === 'generator'
          ? c.yellow('generator-limited')
          : c.dim('cut short');
  const row = columns([String(s.index + 1), s.kind, num(s.rate), num(s.achievedRate), num(s.throughputRps), lat(s.latency.p50), lat(s.latency.p95), lat(s.latency.p99), pct(s.errorRate, 1)]);
  const why = s.verdict === 'generator' || s.verdict === 'aborted' ? `\n      ${c.dim(s.reasons.join('; '))}` : '';
  return `${row}  ${marks} ${verdict}${why}`;
}

const STATUS_TEXT: Record<CapacityReport['status'], string> = {
  found: 'found',
  none: 'none: no rate met the SLOs',
  inconclusive: 'not determined — a lower bound only',
};

/** The answer and everything operations asks next. */
export function renderCapacitySummary(r: CapacityReport, color = false): string {
  const c = chalk(color);
  const lines: string[] = [];
  const head = `Capacity: ${num(r.maxRate)}/s${Math.abs(r.maxRps - r.maxRate) > 0.01 * r.maxRate ? ` (${num(r.maxRps)} req/s)` : ''}`;
  const colour = r.status === 'found' ? c.green : r.status === 'none' ? c.red : c.yellow;
  lines.push(c.bold(colour(`${head} — ${STATUS_TEXT[r.status]}, limited by the ${r.limitedBy}${r.confirmed ? ', confirmed' : ''}`)));
  lines.push(`  ${r.explanation}`);
  if (r.knee) lines.push(`  knee: ${num(r.knee.rate)}/s — ${r.knee.reason}`);
  if (r.usl) lines.push(`  ${r.usl.summary}`);
  if (r.sizing) {
    const z = r.sizing;
    lines.push(
      z.instances === null
        ? `  sizing: no capacity measured, cannot size ${int(z.traffic)} req/s`
        : `  sizing: ${int(z.traffic)} req/s with ${pct(z.headroom, 0)} headroom → ${z.upperBound ? 'at most ' : ''}${int(z.instances)} instance${z.instances === 1 ? '' : 's'} (${num(z.perInstanceRps)} req/s each)`,
    );
  }
  if (r.gate) {
    const g = r.gate;
    const text = g.passed === true ? c.green('PASSED') : g.passed === false ? c.red('FAILED') : c.yellow('UNKNOWN (the search did not reach it)');
    lines.push(`  gate --min-rps ${num(g.minRps)}: ${text} (${num(r.maxRps)} req/s)`);
  }
  lines.push(c.dim(`  ${r.steps.length} steps in ${duration(r.elapsedMs)}; SLOs: ${r.slos.join(', ')}`));
  return lines.join('\n');
}

/** The --json view: the capacity section (maxRps, limitedBy, steps, ...) plus what was measured. */
export function capacityJson(r: CapacityReport, meta: { runId: string; scenario: string; target: string }): Record<string, unknown> {
  return { ...r, runId: meta.runId, scenario: meta.scenario, target: meta.target };
}
