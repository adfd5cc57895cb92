/**
 * `loadctl compare --markdown`: the comparison as GitHub-flavoured Markdown for
 * a pull-request comment — the verdict first, then a table, then the details
 * folded away. Names from results are escaped for table cells.
 */
import type { CapacityComparison, Comparison, RequestComparison } from '@loadctl/core';

/** Text safe inside a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/\r?\n/g, ' ');
}

const pct = (x: number | null): string => (x === null || !Number.isFinite(x) ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`);
const num = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2));
const ms = (x: number): string => x.toFixed(x >= 100 ? 0 : 2);

const HEAD = { ok: '✅ no regression', regressed: '❌ regressed', inconclusive: '⚠️ inconclusive' } as const;

export interface MarkdownLabels {
  base?: string;
  current?: string;
}

export function renderCapacityComparisonMarkdown(c: CapacityComparison, labels: MarkdownLabels = {}): string {
  const bl = cell(labels.base ?? 'base');
  const cl = cell(labels.current ?? 'current');
  const status = (s: CapacityComparison['base']): string => `${s.status}${s.confirmed ? ' (confirmed)' : ''}`;
  const lines = [
    `### loadctl capacity: ${HEAD[c.verdict]}`,
    '',
    `| | ${bl} | ${cl} | change |`,
    '|---|---:|---:|---:|',
    `| **max RPS** | ${num(c.base.maxRps)} | ${num(c.current.maxRps)} | ${pct(c.change)} |`,
    `| offered rate (iterations/s) | ${num(c.base.maxRate)} | ${num(c.current.maxRate)} | |`,
    `| limited by | ${c.base.limitedBy} | ${c.current.limitedBy} | |`,
    `| status | ${status(c.base)} | ${status(c.current)} | |`,
    '',
    `Allowed drop of max RPS: ${(c.options.maxRpsDrop * 100).toFixed(0)}%${c.options.maxLatencyIncrease !== null ? `; allowed p99 increase at equal load: ${(c.options.maxLatencyIncrease * 100).toFixed(0)}%` : ''}.`,
  ];
  if (c.regressions.length > 0) lines.push('', ...c.regressions.map((r) => `- ❌ ${cell(r)}`));
  if (c.warnings.length > 0) lines.push('', ...c.warnings.map((w) => `- ⚠️ ${cell(w)}`));
  if (c.steps.length > 0) {
    lines.push(
      '',
      `<details><summary>Latency at equal offered load (${c.steps.length} rate${c.steps.length === 1 ? '' : 's'})</summary>`,
      '',
      `| offered/s | p50 ms | p95 ms | p99 ms | p99 change | ${bl} | ${cl} |`,
      '|---:|---:|---:|---:|---:|---|---|',
      ...c.steps.map(
        (s) =>
          `| ${num(s.rate)} | ${ms(s.base.p50)} → ${ms(s.current.p50)} | ${ms(s.base.p95)} → ${ms(s.current.p95)} | ${ms(s.base.p99)} → ${ms(s.current.p99)} | ${pct(s.change.p99)} | ${s.base.verdict} | ${s.current.verdict} |`,
      ),
      '',
      '</details>',
    );
  }
  return `${lines.join('\n')}\n`;
}

function requestRow(r: RequestComparison): string {
  if (!r.base || !r.current || !r.change) return `| ${cell(r.name)} | only in ${r.base ? 'base' : 'current'} | | | | |`;
  const mark = r.regressions.length > 0 ? '❌' : '✅';
  const c = r.change;
  return `| ${mark} ${cell(r.name)} | ${ms(r.current.p50)} (${pct(c.p50)}) | ${ms(r.current.p95)} (${pct(c.p95)}) | ${ms(r.current.p99)} (${pct(c.p99)}) | ${num(r.current.rps)} (${pct(c.rps)}) | ${(r.current.errorRate * 100).toFixed(2)}% |`;
}

/** A run-against-run comparison (`loadctl compare` on two ordinary results). */
export function renderComparisonMarkdown(c: Comparison): string {
  const lines = [
    `### loadctl compare: ${c.regressed ? HEAD.regressed : HEAD.ok}`,
    '',
    '| request | p50 ms | p95 ms | p99 ms | req/s | errors |',
    '|---|---:|---:|---:|---:|---:|',
    requestRow(c.total),
    ...c.requests.map(requestRow),
  ];
  const why = [c.total, ...c.requests].flatMap((r) => r.regressions.map((x) => `- ❌ ${cell(r.name)}: ${cell(x)}`));
  if (why.length > 0) lines.push('', ...why);
  return `${lines.join('\n')}\n`;
}

/** Plain text for the terminal. */
export function renderCapacityComparisonText(c: CapacityComparison): string {
  const lines = [
    `max RPS ${num(c.base.maxRps)} → ${num(c.current.maxRps)} (${pct(c.change)}, allowed -${(c.options.maxRpsDrop * 100).toFixed(0)}%)`,
    `  base: ${c.base.status}, limited by the ${c.base.limitedBy}; current: ${c.current.status}, limited by the ${c.current.limitedBy}`,
  ];
  for (const s of c.steps) lines.push(`  at ${num(s.rate)}/s: p50 ${ms(s.base.p50)} → ${ms(s.current.p50)} ms, p99 ${ms(s.base.p99)} → ${ms(s.current.p99)} ms (${pct(s.change.p99)})`);
  for (const r of c.regressions) lines.push(`  regression: ${r}`);
  for (const w of c.warnings) lines.push(`  warning: ${w}`);
  lines.push(c.verdict === 'regressed' ? 'REGRESSED' : c.verdict === 'inconclusive' ? 'INCONCLUSIVE' : 'NO REGRESSION');
  return lines.join('\n');
}
