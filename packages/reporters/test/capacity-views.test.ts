/**
 * How a capacity search is shown: the HTML report's Capacity section (static SVG charts with
 * the knee, the answer and the lowest failing rate marked, the USL curve, the step table),
 * the console step rows and summary, and the Markdown comparison for pull requests.
 */
import { describe, expect, it } from 'vitest';
import { compareCapacity, type CapacityStep, type RunResult } from '@loadctl/core';
import { buildCapacityReport } from '@loadctl/core/internal';
import { capacityStepHeader, capacityStepRow, renderCapacityComparisonMarkdown, renderCapacitySummary, renderHtmlReport } from '../src/index.js';
import { shortRun } from './support/html-fixtures.js';

function step(index: number, rate: number, verdict: CapacityStep['verdict'], p99: number, throughput = rate): CapacityStep {
  const lat = { p50: p99 / 4, p95: p99 / 2, p99, mean: p99 / 4 };
  return {
    index,
    kind: index === 0 ? 'climb' : 'bisect',
    rate,
    durationMs: 20_000,
    warmupMs: 5000,
    measuredMs: 15_000,
    startedAt: 0,
    scheduledRate: rate,
    achievedRate: rate,
    throughputRps: throughput,
    requests: throughput * 15,
    errorRate: 0,
    latency: lat,
    serviceTime: lat,
    concurrency: (throughput * lat.mean) / 1000,
    started: rate * 15,
    iterations: rate * 15,
    dropped: 0,
    generator: { cpu: 0.1, cpuMax: 0.2, eventLoopLagMs: 1, eventLoopLagMaxMs: 2 },
    slos: [{ expression: 'p(99) < 100ms', scope: 'total', actual: p99, limit: 100, unit: 'ms', passed: verdict === 'pass' }],
    verdict,
    reasons: verdict === 'fail' ? [`p(99) < 100ms failed (${p99} ms)`] : [],
    ...(verdict === 'fail' ? { limitingSlo: 'p(99) < 100ms' } : {}),
  };
}

const STEPS = [step(0, 100, 'pass', 5), step(1, 200, 'pass', 6), step(2, 400, 'pass', 9), step(3, 800, 'fail', 900, 520), step(4, 600, 'fail', 400, 530), step(5, 500, 'pass', 60)];

function capacityResult(slos = ['p(99) < 100ms']): RunResult {
  const r = shortRun();
  r.summary.capacity = buildCapacityReport({
    outcome: { status: 'found', limitedBy: 'target', stopReason: 'converged', rate: 500, confirmed: false, lowestFailing: 600 },
    steps: STEPS,
    settings: { startRate: 100, maxRate: 1e5, minRate: 1, growth: 2, resolution: { kind: 'relative', value: 0.25 }, stepMs: 20_000, warmupMs: 5000, confirmMs: 0, maxDurationMs: 600_000 },
    slos,
    elapsedMs: 120_000,
    traffic: 5000,
    headroom: 0.3,
  });
  return r;
}

describe('HTML report: the Capacity section', () => {
  it('draws latency and throughput against offered load with the answer, knee and lowest failing rate, the USL curve and the steps', async () => {
    const html = await renderHtmlReport(capacityResult());
    expect(html).toContain('<a href="#capacity">Capacity</a>');
    expect(html).toMatch(/<section id="capacity" class="capacity">/);
    expect(html).toMatch(/Capacity 500\/s — limited by the target/);
    for (const id of ['capacity-latency-0', 'capacity-throughput-0', 'capacity-usl-0']) expect(html).toContain(`id="${id}"`);
    const latency = html.slice(html.indexOf('id="capacity-latency-0"'), html.indexOf('</svg>', html.indexOf('id="capacity-latency-0"')));
    expect(latency).toContain('data-marker="answer 500/s"');
    expect(latency).toContain('data-marker="lowest failing 600/s"');
    expect(latency).toMatch(/data-marker="knee \d+\/s"/);
    // One point per offered rate for each percentile.
    expect(latency).toMatch(/data-series="p99" data-points="6"/);
    expect(html).toMatch(/data-series="USL fit \(R² [\d.]+\)"/);
    expect((html.match(/<tr class="v-(pass|fail)/g) ?? []).length).toBe(6);
    expect(html).toMatch(/<tr class="v-pass answer-step">/);
    expect(html).toMatch(/5,000 req\/s with 30% headroom → 15 instances/);
  });

  it('escapes what comes from the result', async () => {
    const html = await renderHtmlReport(capacityResult(['<img src=x onerror=alert(1)>']));
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('leaves a run without a capacity section as it was', async () => {
    const html = await renderHtmlReport(shortRun());
    expect(html).not.toContain('id="capacity"');
    expect(html).not.toContain('href="#capacity"');
  });
});

describe('console views', () => {
  it('rows line up under the header and the summary says what limited the answer', () => {
    const header = capacityStepHeader(['p(99) < 100ms']).split('\n')[0];
    const row = capacityStepRow(STEPS[3]);
    expect(row.indexOf('800')).toBeLessThan(header.indexOf('asked/s') + 'asked/s'.length);
    expect(row).toMatch(/✗\s+fail \(p\(99\) < 100ms\)/);
    const text = renderCapacitySummary(capacityResult().summary.capacity!);
    expect(text).toMatch(/^Capacity: 500\/s — found, limited by the target/);
    expect(text).toMatch(/sizing: 5,000 req\/s with 30% headroom → 15 instances \(350 req\/s each\)/);
    expect(text).not.toMatch(/\u001b\[/);
  });
});

describe('Markdown comparison', () => {
  it('leads with the verdict and escapes table cells', () => {
    const base = capacityResult();
    const current = capacityResult(['a | b']);
    current.summary.capacity = { ...current.summary.capacity!, maxRps: 400, maxRate: 400 };
    const md = renderCapacityComparisonMarkdown(compareCapacity(base, current, { maxRpsDrop: 0.05 }), { base: 'main | x', current: 'PR' });
    expect(md.split('\n')[0]).toBe('### loadctl capacity: ❌ regressed');
    expect(md).toContain('| | main \\| x | PR | change |');
    expect(md).toContain('| **max RPS** | 500 | 400 | −20.0% |');
    expect(md).toContain('the SLOs differ (base: p(99) &lt; 100ms; current: a \\| b)');
  });
});
