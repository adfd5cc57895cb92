/** compareCapacity: max RPS with a tolerance, latency at equal offered load, lower bounds that cannot show a regression. */
import { describe, expect, it } from 'vitest';
import { compareCapacity } from '../src/metrics/capacity-compare.js';
import type { CapacityReport, CapacityStep } from '../src/metrics/capacity-model.js';
import type { RunResult } from '../src/metrics/model.js';

function step(index: number, rate: number, verdict: CapacityStep['verdict'], p99: number): CapacityStep {
  const lat = { p50: p99 / 3, p95: p99 / 1.5, p99, mean: p99 / 3 };
  return {
    index,
    kind: 'climb',
    rate,
    durationMs: 20_000,
    warmupMs: 5000,
    measuredMs: 15_000,
    startedAt: 0,
    scheduledRate: rate,
    achievedRate: rate,
    throughputRps: rate,
    requests: rate * 15,
    errorRate: 0,
    latency: lat,
    serviceTime: lat,
    concurrency: 1,
    started: rate * 15,
    iterations: rate * 15,
    dropped: 0,
    generator: { cpu: 0.1, cpuMax: 0.1, eventLoopLagMs: 1, eventLoopLagMaxMs: 1 },
    slos: [],
    verdict,
    reasons: [],
  };
}

function result(maxRps: number, status: CapacityReport['status'], steps: CapacityStep[], limitedBy: CapacityReport['limitedBy'] = 'target'): RunResult {
  const capacity: CapacityReport = {
    status,
    limitedBy,
    stopReason: 'converged',
    maxRate: maxRps,
    maxRps,
    confirmed: status === 'found',
    answerStep: 0,
    lowestFailingRate: null,
    knee: null,
    explanation: '',
    slos: ['p(99) < 100ms'],
    settings: { startRate: 100, maxRate: 1e5, minRate: 1, growth: 2, resolution: { kind: 'relative', value: 0.05 }, stepMs: 20_000, warmupMs: 5000, confirmMs: 60_000, maxDurationMs: 600_000 },
    steps,
    usl: null,
    elapsedMs: 1,
  };
  return { schemaVersion: 1, summary: { capacity } as RunResult['summary'], timeline: [], config: null };
}

const steps = (p99At400: number): CapacityStep[] => [step(0, 100, 'pass', 10), step(1, 200, 'pass', 12), step(2, 400, 'pass', p99At400), step(3, 800, 'fail', 900)];

describe('compareCapacity', () => {
  it('passes within the allowed drop and regresses beyond it', () => {
    const base = result(1000, 'found', steps(20));
    expect(compareCapacity(base, result(960, 'found', steps(20)), { maxRpsDrop: 0.05 })).toMatchObject({ verdict: 'ok', regressed: false, regressions: [] });
    const worse = compareCapacity(base, result(940, 'found', steps(20)), { maxRpsDrop: 0.05 });
    expect(worse.verdict).toBe('regressed');
    expect(worse.change).toBeCloseTo(-0.06);
    expect(worse.regressions[0]).toMatch(/max RPS 1000 → 940 \(-6\.0%, allowed -5%\)/);
  });

  it('a lower-bound current capacity shows no regression when it reaches the floor, and cannot show one below it', () => {
    const base = result(1000, 'found', steps(20));
    expect(compareCapacity(base, result(990, 'inconclusive', steps(20), 'range'), { maxRpsDrop: 0.05 }).verdict).toBe('ok');
    const low = compareCapacity(base, result(500, 'inconclusive', steps(20), 'generator'), { maxRpsDrop: 0.05 });
    expect(low.verdict).toBe('inconclusive');
    expect(low.regressed).toBe(false);
    expect(low.warnings.join(' ')).toMatch(/cannot tell whether max RPS 1000 → 500/);
  });

  it('pairs steps at equal offered load and judges p99 only when asked, only where both held', () => {
    const base = result(1000, 'found', steps(20));
    const current = result(1000, 'found', steps(30));
    const shown = compareCapacity(base, current);
    expect(shown.steps.map((s) => s.rate)).toEqual([100, 200, 400, 800]);
    expect(shown.steps[2].change.p99).toBeCloseTo(0.5);
    expect(shown.verdict).toBe('ok');
    const judged = compareCapacity(base, current, { maxLatencyIncrease: 0.2 });
    expect(judged.verdict).toBe('regressed');
    expect(judged.regressions).toEqual(['p99 at 400/s 20.00 → 30.00 ms (+50.0%, allowed +20%)']);
  });

  it('refuses to compare a capacity result with a run result', () => {
    const plain = { ...result(1, 'found', []), summary: {} as RunResult['summary'] };
    expect(() => compareCapacity(result(1000, 'found', []), plain)).toThrow(/current is not from `loadctl capacity`/);
  });
});
