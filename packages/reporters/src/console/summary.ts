import type { ChalkInstance } from 'chalk';
import { PERCENTILES, type CumulativeRequestStats, type SeriesUnit, type Summary } from '@loadctl/core';
import { decodeHistogram, formatSlope, isWholeSegment, logBuckets, scopeLabel } from '@loadctl/core/internal';
import { bytes, duration, int, ms, pct, rate, table } from './format.js';
import { renderSoak } from './soak.js';

const PCT_LABELS = PERCENTILES.map(String);

/** A request name marked when some of its requests failed (their latency is in the figures). */
function marked(label: string, s: CumulativeRequestStats, c: ChalkInstance): string {
  return s.failed > 0 ? `${label} ${c.red('✗')}` : label;
}

function latencyRow(label: string, s: CumulativeRequestStats, c: ChalkInstance): string[] {
  const l = s.latency;
  return [marked(label, s, c), ms(l.min), ms(l.mean), ms(l.stdev), ...PCT_LABELS.map((p) => ms(l.percentiles[p] ?? 0)), ms(l.max)];
}

/** Under the latency table: what the ✗ rows hold, and the successful requests' own figures. */
function failedNote(s: CumulativeRequestStats, c: ChalkInstance): string[] {
  if (s.failed === 0) return [];
  const ok = s.successLatency;
  const success =
    ok === undefined ? '' : ok.count === 0 ? '; no request succeeded' : `; successful only: p50 ${ms(ok.percentiles['50'] ?? 0)}  p99 ${ms(ok.percentiles['99'] ?? 0)}  max ${ms(ok.max)} ms`;
  return [
    c.dim(`  ✗ includes ${int(s.failed)} failed requests (${pct(s.failed / Math.max(1, s.count), 1)}): a timeout counts until it was given up, an error until it failed${success}`),
  ];
}

function histogramBars(s: CumulativeRequestStats, width = 40): string[] {
  const h = decodeHistogram(s.latencyHistogram);
  const buckets = logBuckets(h, 10);
  h.destroy();
  const total = buckets.reduce((a, b) => a + b.count, 0);
  if (total === 0) return [];
  const peak = Math.max(...buckets.map((b) => b.count));
  return buckets.map((b) => {
    const bar = '█'.repeat(Math.round((b.count / peak) * width));
    return `  ${ms(b.from).padStart(8)} – ${ms(b.to).padEnd(8)} ms │${bar} ${int(b.count)} (${pct(b.count / total, 1)})`;
  });
}

function statusLine(statuses: Record<string, number>, count: number, c: ChalkInstance): string {
  const entries = Object.entries(statuses).sort(([a], [b]) => Number(a) - Number(b));
  if (entries.length === 0) return 'none';
  return entries
    .map(([code, n]) => {
      const text = `${code} × ${int(n)} (${pct(n / count, 1)})`;
      return Number(code) >= 500 ? c.red(text) : Number(code) >= 400 ? c.yellow(text) : c.green(text);
    })
    .join('   ');
}

function errorLine(errors: Record<string, number | undefined>, c: ChalkInstance): string {
  const entries = Object.entries(errors).filter(([, n]) => (n ?? 0) > 0);
  if (entries.length === 0) return c.green('none');
  return entries.map(([kind, n]) => c.red(`${kind} × ${int(n ?? 0)}`)).join('   ');
}

/** A threshold's measured value in its unit: ms, a rate as %, 1/s, or a count. */
export function formatThresholdValue(v: number | null, unit: string): string {
  if (v === null) return 'no data';
  switch (unit) {
    case 'ms':
      return `${Number(v.toFixed(3))} ms`;
    case 'ratio':
      return `${Number((v * 100).toFixed(3))}%`;
    case '1/s':
      return `${Number(v.toFixed(2))}/s`;
    case 'count':
      return int(v);
    default:
      if (unit.endsWith('/h')) return formatSlope(v, unit.slice(0, -2) as SeriesUnit);
      return `${Number(v.toFixed(3))} ${unit}`;
  }
}

/** The generator's own error next to the latency: its delay, the main thread's pauses, the warm-up. */
function generatorLines(s: Summary, c: ChalkInstance): string[] {
  const g = s.generator;
  if (!g) return [];
  const d = g.delay;
  const delay = d.count > 0 ? `generator delay p50 ${ms(d.percentiles['50'] ?? 0)} ms, p99 ${ms(d.percentiles['99'] ?? 0)} ms, max ${ms(d.max)} ms` : 'generator delay: no request sent';
  const flagged = s.warnings.some((w) => w.code === 'GENERATOR_DELAY') ? c.yellow.bold(delay) : delay;
  const pause = `main thread longest pause ${Number(g.mainPause.maxMs.toFixed(1))} ms`;
  const warm = g.warmup.durationMs > 0 ? `warm-up ${duration(g.warmup.durationMs)} (${int(g.warmup.requests)} requests, not measured)` : 'no warm-up';
  return [`  ${flagged}`, c.dim(`  ${pause} · ${warm}`)];
}

/** Side-by-side loads: one row per load (its model, requests, rate, errors, latency, dropped), then their rate shortfalls. */
function loadsTable(s: Summary, c: ChalkInstance): string[] {
  const rows = [['load', 'model', 'requests', 'req/s', 'error %', 'p50', 'p95', 'p99', 'dropped']];
  const notes: string[] = [];
  for (const [name, l] of Object.entries(s.loads ?? {})) {
    const t = l.total;
    const p = t.latency.percentiles;
    rows.push([marked(name, t, c), s.meta.loads?.[name]?.model ?? '', int(t.count), rate(l.rps.mean), pct(t.count ? t.failed / t.count : 0), ms(p['50'] ?? 0), ms(p['95'] ?? 0), ms(p['99'] ?? 0), int(l.dropped)]);
    const sh = l.rateShortfall;
    if (sh !== undefined && sh > 0.05) notes.push(c.red(`  ${name}: achieved ${pct(1 - sh, 1)} of the requested rate (shortfall ${pct(sh, 1)})`));
  }
  return [table(rows), ...notes];
}

/** The end-of-run summary as text. */
export function renderSummary(s: Summary, c: ChalkInstance): string {
  const out: string[] = [];
  const m = s.meta;
  const head = (t: string): void => {
    out.push('', c.bold.underline(t));
  };
  out.push(c.bold(`loadctl ${m.kind === 'quick' ? 'quick' : `run ${m.scenario}`}`) + c.dim(`  ${m.runId}`));
  out.push(`  target     ${m.target}`);
  out.push(`  load       ${m.model} · ${m.workers} worker${m.workers > 1 ? 's' : ''}${m.shards ? ` · merged from ${m.shards.length} shard${m.shards.length > 1 ? 's' : ''}` : !isWholeSegment(m.segment) ? ` · shard ${m.segment}` : ''}`);
  out.push(`  duration   ${duration(s.durationMs)}   requests ${int(s.total.count)}   ${c.bold(`${rate(s.rps.mean)} req/s`)} (per second: min ${rate(s.rps.min)}, max ${rate(s.rps.max)}, stdev ${rate(s.rps.stdev)})`);
  const drainMs = s.loadDurationMs === undefined ? 0 : s.durationMs - s.loadDurationMs;
  if (drainMs >= 1) out.push(c.dim(`             req/s over the load window (${duration(s.loadDurationMs!)}); the ${duration(drainMs)} graceful drain after it is excluded`));
  if (s.rateShortfall !== undefined) {
    const sh = s.rateShortfall;
    out.push(`  rate       ${sh > 0.05 ? c.red.bold(`achieved ${pct(1 - sh, 1)} of the requested rate (shortfall ${pct(sh, 1)})`) : `achieved ${pct(1 - sh, 1)} of the requested rate`}`);
  }
  if (s.dropped > 0 || s.late > 0) out.push(`  iterations dropped ${int(s.dropped)}, late ${int(s.late)}`);
  if (s.loads) {
    head('Loads');
    out.push(...loadsTable(s, c));
  }

  head('Latency (ms)');
  const names = Object.keys(s.requests).sort();
  const rows = [['', 'min', 'mean', 'stdev', ...PCT_LABELS.map((p) => `p${p}`), 'max']];
  if (names.length > 1) for (const n of names) rows.push(latencyRow(n, s.requests[n], c));
  rows.push(latencyRow(names.length > 1 ? 'total' : names[0] ?? 'total', s.total, c));
  out.push(table(rows));
  out.push(...failedNote(s.total, c));
  const svc = s.total.serviceTime;
  if (m.model.startsWith('open')) {
    out.push(c.dim(`  latency is measured from each request's scheduled time; service time (from send): p50 ${ms(svc.percentiles['50'] ?? 0)}  p99 ${ms(svc.percentiles['99'] ?? 0)}  max ${ms(svc.max)}`));
  }
  out.push(...generatorLines(s, c));
  const bars = histogramBars(s.total);
  if (bars.length > 0) {
    head('Latency distribution');
    out.push(...bars);
  }

  if (names.length > 1 || m.kind === 'scenario') {
    head('Requests');
    const r = [['name', 'count', 'req/s', 'errors', 'error %', 'p50', 'p95', 'p99', 'bytes in']];
    for (const n of names) {
      const x = s.requests[n];
      r.push([marked(n, x, c), int(x.count), rate(x.rps), int(x.failed), pct(x.count ? x.failed / x.count : 0), ms(x.latency.percentiles['50'] ?? 0), ms(x.latency.percentiles['95'] ?? 0), ms(x.latency.percentiles['99'] ?? 0), bytes(x.bytesIn)]);
    }
    out.push(table(r));
  }
  const flows = Object.entries(s.flows);
  if (m.kind === 'scenario' && flows.length > 0) {
    head('Flows');
    const r = [['flow', 'iterations', 'failed', 'duration p50', 'p95', 'p99']];
    for (const [n, f] of flows) r.push([n, int(f.iterations), int(f.failed), ms(f.duration.percentiles['50'] ?? 0), ms(f.duration.percentiles['95'] ?? 0), ms(f.duration.percentiles['99'] ?? 0)]);
    out.push(table(r));
  }
  const checks = Object.entries(s.checks);
  if (checks.length > 0) {
    head('Checks');
    for (const [n, k] of checks) {
      const total = k.passes + k.fails;
      const mark = k.fails === 0 ? c.green('✓') : c.red('✗');
      out.push(`  ${mark} ${n}  ${pct(total ? k.passes / total : 0)} (${int(k.passes)} passed, ${int(k.fails)} failed)`);
    }
  }

  head('Responses');
  out.push(`  status     ${statusLine(s.total.statuses, Math.max(1, s.total.count), c)}`);
  out.push(`  errors     ${errorLine(s.total.errors, c)}`);
  out.push(`  bytes      in ${bytes(s.total.bytesIn)}   out ${bytes(s.total.bytesOut)}`);

  if (s.verdict.thresholds.length > 0) {
    head('Thresholds');
    for (const t of s.verdict.thresholds) {
      const mark = t.passed ? c.green('✓') : c.red('✗');
      const actual = formatThresholdValue(t.actual, t.unit);
      const label = scopeLabel(t);
      const scope = label === 'total' ? '' : `${label}: `;
      out.push(`  ${mark} ${scope}${t.expression}   measured ${actual}${t.aborted ? c.red('  (aborted the run)') : ''}`);
    }
  }
  out.push(...renderSoak(s, c));
  const notes = Object.entries(s.reporters).filter(([, h]) => h.notes.length > 0 || h.errors > 0 || h.dropped > 0);
  if (notes.length > 0) {
    head('Reporters');
    for (const [n, h] of notes) out.push(`  ${n}: ${[...h.notes, ...(h.errors ? [`${h.errors} errors`] : []), ...(h.dropped ? [`${h.dropped} intervals dropped`] : [])].join('; ')}`);
  }
  if (s.warnings.length > 0) {
    head('Warnings');
    for (const w of s.warnings) out.push(`  ${w.severity === 'info' ? c.dim('•') : c.yellow('!')} ${w.message}`);
  }
  out.push('');
  const reason = s.verdict.endReason;
  const verdict = s.verdict.passed ? c.green.bold('PASSED') : c.red.bold('FAILED');
  out.push(`${verdict}${reason !== 'completed' ? c.dim(` (${reason.replace(/_/g, ' ')})`) : ''}`);
  // Why it did not pass, when that is not only the failed thresholds listed above.
  for (const r of s.verdict.reasons ?? []) if (r.code !== 'THRESHOLDS_FAILED') out.push(c.red(`  ✗ ${r.message}`));
  return out.join('\n');
}
