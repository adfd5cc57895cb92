/**
 * Judging capacity steps, the USL fit, the report (knee, sizing, gate) and the
 * option parsers: pure functions over plain figures.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyStep } from '../src/capacity/classify.js';
import type { StepFigures } from '../src/capacity/figures.js';
import { parseResolution, parseShare, sloSpecs } from '../src/capacity/options.js';
import { buildCapacityReport, findDrift, findKnee, gatePassed, requestsPerIteration, sizing } from '../src/capacity/report.js';
import { fitUsl, uslThroughput } from '../src/capacity/usl.js';
import type { CapacitySettings, CapacityStep } from '../src/metrics/capacity-model.js';
import type { SearchOutcome } from '../src/capacity/search.js';
import type { ThresholdResult } from '../src/metrics/model.js';

function figures(o: Partial<StepFigures> = {}): StepFigures {
  const lat = { p50: 10, p95: 20, p99: 30, mean: 12 };
  return {
    measuredMs: 15_000,
    scheduledRate: 100,
    achievedRate: 100,
    throughputRps: 100,
    requests: 1500,
    errorRate: 0,
    latency: lat,
    serviceTime: lat,
    concurrency: 1.2,
    started: 1500,
    iterations: 1500,
    dropped: 0,
    generator: { cpu: 0.2, cpuMax: 0.3, eventLoopLagMs: 11, eventLoopLagMaxMs: 15 },
    ...o,
  };
}

const slo = (passed: boolean, expression = 'p(99) < 100ms', actual = passed ? 30 : 300): ThresholdResult => ({ expression, scope: 'total', actual, limit: 100, unit: 'ms', passed });

describe('classifyStep', () => {
  it('passes when every SLO holds on the load asked', () => {
    expect(classifyStep(100, figures(), [slo(true)], [slo(true)])).toEqual({ verdict: 'pass', reasons: [] });
  });

  it('fails on a missed SLO and names it', () => {
    const j = classifyStep(100, figures(), [slo(true, 'error_rate < 1%', 0), slo(false)], [slo(false)]);
    expect(j.verdict).toBe('fail');
    expect(j.limitingSlo).toBe('p(99) < 100ms');
    expect(j.reasons.join(' ')).toMatch(/p\(99\) < 100ms failed \(300 ms\)/);
  });

  it('never judges load the generator did not send: a shortfall makes it a generator step, even when the SLOs hold', () => {
    const j = classifyStep(1000, figures({ scheduledRate: 900, achievedRate: 900 }), [slo(true)], [slo(true)]);
    expect(j.verdict).toBe('generator');
    expect(j.reasons[0]).toMatch(/scheduled 900\/s of the 1000\/s asked/);
    // Within the 5% tolerance it is judged.
    expect(classifyStep(1000, figures({ scheduledRate: 960, achievedRate: 960 }), [slo(true)], [slo(true)]).verdict).toBe('pass');
  });

  it('drops at the in-flight cap: generator when the SLOs hold, the target when they do not', () => {
    const f = figures({ started: 1000, dropped: 500, achievedRate: 66 });
    expect(classifyStep(100, f, [slo(true)], [slo(true)]).reasons[0]).toMatch(/dropped at the in-flight cap.*--max-in-flight/);
    expect(classifyStep(100, f, [slo(true)], [slo(true)]).verdict).toBe('generator');
    expect(classifyStep(100, f, [slo(false)], [slo(false)]).verdict).toBe('fail');
  });

  it('a failed SLO with a saturated or lagging generator is not blamed on the target', () => {
    const busy = classifyStep(100, figures({ generator: { cpu: 0.97, cpuMax: 1, eventLoopLagMs: 12, eventLoopLagMaxMs: 20 } }), [slo(false)], [slo(false)]);
    expect(busy.verdict).toBe('generator');
    expect(busy.reasons[0]).toMatch(/saturated/);
    const lag = classifyStep(100, figures({ generator: { cpu: 0.5, cpuMax: 0.6, eventLoopLagMs: 80, eventLoopLagMaxMs: 90 } }), [slo(false)], [slo(false)]);
    expect(lag.verdict).toBe('generator');
    expect(lag.reasons[0]).toMatch(/lag 80/);
    // A saturated generator does not undo a pass: the target held the load regardless.
    expect(classifyStep(100, figures({ generator: { cpu: 1, cpuMax: 1, eventLoopLagMs: 80, eventLoopLagMaxMs: 90 } }), [slo(true)], [slo(true)]).verdict).toBe('pass');
  });

  it('latency lost waiting for a connection is the generator only when that wait dominates', () => {
    const waiting = figures({ latency: { p50: 150, p95: 250, p99: 300, mean: 160 }, serviceTime: { p50: 5, p95: 8, p99: 9, mean: 6 } });
    const j = classifyStep(100, waiting, [slo(false)], [slo(true)]);
    expect(j.verdict).toBe('generator');
    expect(j.reasons[0]).toMatch(/--connections/);
    // A few ms of scheduling delay that tip a marginal step stay the target's failure.
    const marginal = figures({ latency: { p50: 30, p95: 90, p99: 102, mean: 31 }, serviceTime: { p50: 28, p95: 88, p99: 98, mean: 29 } });
    expect(classifyStep(100, marginal, [slo(false)], [slo(true)]).verdict).toBe('fail');
  });
});

describe('USL fit', () => {
  it('recovers λ, σ and κ from exact points, with the peak where the law puts it', () => {
    const truth = { lambda: 100, sigma: 0.05, kappa: 0.001 };
    const points = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64].map((n) => ({ concurrency: n, throughput: uslThroughput(truth, n) }));
    const fit = fitUsl(points)!;
    expect(fit.lambda).toBeCloseTo(100, 0);
    expect(fit.sigma).toBeCloseTo(0.05, 2);
    expect(fit.kappa).toBeCloseTo(0.001, 4);
    expect(fit.r2).toBeGreaterThan(0.999);
    expect(fit.good).toBe(true);
    const nStar = Math.sqrt((1 - 0.05) / 0.001);
    expect(fit.peak!.concurrency).toBeCloseTo(nStar, 0);
    expect(fit.peak!.throughput).toBeCloseTo(uslThroughput(truth, nStar), 0);
    expect(fit.contentionAt!.concurrency).toBeCloseTo(1 + 0.1 / 0.05, 1);
    expect(fit.summary).toMatch(/peaks near/);
    expect(fit.summary).not.toMatch(/Caveat/);
  });

  it('a curve that only levels off has no peak', () => {
    const truth = { lambda: 50, sigma: 0.1, kappa: 0 };
    const fit = fitUsl([1, 2, 4, 8, 16, 32, 64].map((n) => ({ concurrency: n, throughput: uslThroughput(truth, n) })))!;
    expect(fit.peak === null || fit.peak.concurrency > 500).toBe(true);
    expect(fit.sigma).toBeCloseTo(0.1, 2);
  });

  it('says plainly when the fit is poor, and gives no fit on fewer than three points', () => {
    const scattered = [
      { concurrency: 1, throughput: 900 },
      { concurrency: 2, throughput: 100 },
      { concurrency: 3, throughput: 800 },
      { concurrency: 4, throughput: 50 },
      { concurrency: 5, throughput: 950 },
    ];
    const fit = fitUsl(scattered)!;
    expect(fit.good).toBe(false);
    expect(fit.summary).toMatch(/Caveat: the fit is poor/);
    expect(fitUsl(scattered.slice(0, 2))).toBeNull();
  });

  it('always returns finite, bounded parameters', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ concurrency: fc.double({ min: 0.01, max: 5000, noNaN: true }), throughput: fc.double({ min: 0.1, max: 1e6, noNaN: true }) }), { minLength: 3, maxLength: 15 }), (pts) => {
        const fit = fitUsl(pts);
        if (fit === null) return;
        for (const v of [fit.lambda, fit.sigma, fit.kappa, fit.r2]) expect(Number.isFinite(v)).toBe(true);
        expect(fit.sigma).toBeGreaterThanOrEqual(0);
        expect(fit.kappa).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });
});

function step(i: number, rate: number, verdict: CapacityStep['verdict'], o: Partial<CapacityStep> = {}): CapacityStep {
  const f = figures({ scheduledRate: rate, achievedRate: rate, throughputRps: rate, requests: rate * 15, started: rate * 15, iterations: rate * 15, concurrency: rate * 0.012 });
  return { index: i, kind: 'climb', rate, durationMs: 20_000, warmupMs: 5000, startedAt: 0, ...f, slos: [], verdict, reasons: [], ...o };
}

describe('capacity report', () => {
  it('finds the knee where throughput stops following the offered load', () => {
    const steps = [step(0, 100, 'pass'), step(1, 200, 'pass'), step(2, 400, 'fail', { throughputRps: 310 })];
    expect(findKnee(steps)).toMatchObject({ rate: 400 });
    const latencyKnee = [step(0, 100, 'pass'), step(1, 200, 'pass', { latency: { p50: 25, p95: 40, p99: 50, mean: 26 } })];
    expect(findKnee(latencyKnee)!.reason).toMatch(/median latency 25.0 ms/);
    expect(findKnee([step(0, 100, 'pass'), step(1, 200, 'pass')])).toBeNull();
  });

  it('sees a target that got slower during the search: a lower rate, or the same rate far slower, failing after a pass', () => {
    const slow = { latency: { p50: 900, p95: 1500, p99: 2000, mean: 1000 } };
    // behaviour-like: 1600/s passed while fresh, the confirmation at 1600/s failed 1000x slower
    const same = [step(0, 800, 'pass'), step(1, 1600, 'pass'), step(2, 3200, 'fail', slow), step(3, 2400, 'fail', slow), step(4, 1600, 'fail', slow)];
    expect(findDrift(same)).toEqual({ passedStep: 1, failedStep: 4, passedRate: 1600, failedRate: 1600, passedP99Ms: 30, failedP99Ms: 2000 });
    const lower = [step(0, 800, 'pass'), step(1, 1600, 'pass'), step(2, 1200, 'fail')];
    expect(findDrift(lower)).toMatchObject({ passedRate: 1600, failedRate: 1200 });
    // a stationary target: failures only above every pass, or a boundary flip of the same rate at a similar p99
    expect(findDrift([step(0, 100, 'pass'), step(1, 200, 'fail'), step(2, 150, 'pass'), step(3, 175, 'fail')])).toBeNull();
    expect(findDrift([step(0, 100, 'pass'), step(1, 200, 'pass'), step(2, 200, 'fail', { latency: { p50: 40, p95: 90, p99: 110, mean: 45 } })])).toBeNull();
    // in the report: a field and a sentence saying so; none for a stationary target
    const settings = { startRate: 100, minRate: 1, maxRate: 1e6, growth: 2, stepMs: 20_000, warmupMs: 5000, confirmMs: 60_000, resolution: { kind: 'relative', value: 0.02 } } as CapacitySettings;
    const input = (outcome: SearchOutcome, steps: CapacityStep[]) => ({ outcome, steps, settings, slos: ['p(99) < 100ms'], elapsedMs: 1 });
    const r = buildCapacityReport(input({ status: 'inconclusive', limitedBy: 'target', stopReason: 'max_duration', rate: 800, confirmed: false, lowestFailing: 1600 }, same));
    expect(r.drift).toMatchObject({ passedStep: 1, failedStep: 4 });
    expect(r.explanation).toMatch(/got slower during the search: 1,600\/s passed at step 2 .* but 1,600\/s failed at step 5/);
    const steady = buildCapacityReport(input({ status: 'found', limitedBy: 'target', stopReason: 'converged', rate: 100, confirmed: true, lowestFailing: 200 }, [step(0, 100, 'pass'), step(1, 200, 'fail')]));
    expect(steady.drift).toBeUndefined();
    expect(steady.explanation).not.toMatch(/slower/);
  });

  it('sizes instances with headroom, and marks a lower-bound capacity as an upper bound on instances', () => {
    expect(sizing(1000, 5000, 0.3, false)).toEqual({ traffic: 5000, headroom: 0.3, perInstanceRps: 700, instances: 8, upperBound: false });
    expect(sizing(1000, 700, 0.3, false).instances).toBe(1);
    expect(sizing(0, 700, 0.3, true).instances).toBeNull();
  });

  it('gates: a found capacity is compared, a lower bound passes only when it already reaches the minimum', () => {
    expect(gatePassed({ status: 'found', maxRps: 450 }, 450)).toBe(true);
    expect(gatePassed({ status: 'found', maxRps: 449 }, 450)).toBe(false);
    expect(gatePassed({ status: 'none', maxRps: 0 }, 1)).toBe(false);
    expect(gatePassed({ status: 'inconclusive', maxRps: 500 }, 450)).toBe(true);
    expect(gatePassed({ status: 'inconclusive', maxRps: 400 }, 450)).toBeNull();
  });

  it('maxRps is requests per second at the answer: the rate times the requests per iteration', () => {
    expect(requestsPerIteration({ requests: 3003, iterations: 1000 })).toBe(3);
    expect(requestsPerIteration({ requests: 2500, iterations: 1000 })).toBe(2.5);
    const steps = [step(0, 100, 'pass', { requests: 4500, iterations: 1500 }), step(1, 200, 'fail')];
    const r = buildCapacityReport({
      outcome: { status: 'found', limitedBy: 'target', stopReason: 'converged', rate: 100, confirmed: false, lowestFailing: 200 },
      steps,
      settings: { startRate: 100, maxRate: 1000, minRate: 1, growth: 2, resolution: { kind: 'relative', value: 0.05 }, stepMs: 20_000, warmupMs: 5000, confirmMs: 0, maxDurationMs: 600_000 },
      slos: ['p(99) < 100ms'],
      elapsedMs: 1234.4,
      traffic: 1000,
      headroom: 0.5,
      minRps: 250,
    });
    expect(r).toMatchObject({ maxRate: 100, maxRps: 300, answerStep: 0, elapsedMs: 1234, gate: { minRps: 250, passed: true }, sizing: { perInstanceRps: 150, instances: 7 } });
    expect(r.explanation).toMatch(/^Capacity 100\/s \(300 req\/s\)/);
  });
});

describe('capacity options', () => {
  it('parses resolutions, shares and SLOs, naming the flag on bad input', () => {
    expect(parseResolution('2%')).toEqual({ kind: 'relative', value: 0.02 });
    expect(parseResolution('25/s')).toEqual({ kind: 'absolute', value: 25 });
    expect(parseResolution('25')).toEqual({ kind: 'absolute', value: 25 });
    expect(() => parseResolution('150%')).toThrow(/--resolution "150%"/);
    expect(parseShare('30%', '--headroom')).toBeCloseTo(0.3);
    expect(() => parseShare('100%', '--headroom')).toThrow(/--headroom "100%"/);
    expect(sloSpecs(['p(99) < 100ms'])).toEqual([{ expression: 'p(99) < 100ms', scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 }]);
    expect(() => sloSpecs(['p(99) < 100 parsecs'])).toThrow(/--slo "p\(99\) < 100 parsecs"/);
    expect(() => sloSpecs(['failed_rate < 1%'])).toThrow(/flow scope/);
  });
});
