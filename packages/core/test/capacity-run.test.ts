/**
 * The capacity search end to end against real loopback servers, with short
 * steps. Only what holds on a busy machine is asserted: the answer never
 * exceeds a capacity known by construction by more than 10%, an artificially
 * capped generator is reported as the limit, a --max-rate below the capacity
 * is reported as range, and the shape of the result. (How close the answer
 * gets is a bench/capacity claim, not a test.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { quickCapacity, type CapacityOptions } from '@loadctl/core';
import { execute, quickScenario, validateResult } from '@loadctl/core/internal';
import { startSlotServer, type SlotServer } from '../../../scripts/servers/slots.mjs';

let server: SlotServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Short steps: 1.5 s holds with the first 0.5 s excluded, 250 ms intervals. */
const SHORT: CapacityOptions = { stepMs: 1500, warmupMs: 500, confirmMs: 2500, intervalMs: 250, pauseMs: 200, workers: 1, maxDurationMs: 90_000 };

describe('execute: excludeFirstMs', () => {
  it('streams the warm-up intervals but leaves them out of the summary', async () => {
    server = await startSlotServer({ slots: 50, serviceMs: 2 });
    const scenario = quickScenario({ url: `${server.url}/`, rate: 200, durationMs: 2000 });
    const r = await execute(scenario, { kind: 'quick', intervalMs: 250, excludeFirstMs: 700, workers: 1 });
    // 700 ms rounds up to three whole intervals.
    const measured = r.timeline.filter((i) => i.index >= 3);
    const warm = r.timeline.filter((i) => i.index < 3);
    expect(warm.reduce((n, i) => n + i.total.count, 0)).toBeGreaterThan(0);
    expect(r.summary.total.count).toBe(measured.reduce((n, i) => n + i.total.count, 0));
    expect(r.summary.flows.quick.iterations).toBe(measured.reduce((n, i) => n + (i.flows.quick?.iterations ?? 0), 0));
    expect(r.summary.durationMs).toBeLessThanOrEqual(r.timeline[r.timeline.length - 1].end - r.timeline[3].start + 1);
  });
});

describe('capacity search against a target of known capacity', () => {
  it('never reports more than 10% above slots / service time', async () => {
    // 4 slots × 20 ms: 200 req/s; beyond it a FIFO queue grows.
    server = await startSlotServer({ slots: 4, serviceMs: 20 });
    const steps: number[] = [];
    const r = await quickCapacity({ ...SHORT, url: `${server.url}/`, slos: ['p(99) < 100ms'], startRate: 100, resolution: '10%', onStep: (s) => steps.push(s.rate) });
    const c = r.summary.capacity!;
    expect(c.steps.map((s) => s.rate)).toEqual(steps);
    expect(c.maxRate).toBeLessThanOrEqual(1.1 * server.capacity);
    expect(c.maxRps).toBeLessThanOrEqual(1.1 * server.capacity);
    // Whatever the machine did, a rate well beyond the capacity never passed.
    for (const s of c.steps) if (s.rate > 1.25 * server.capacity) expect(s.verdict).not.toBe('pass');
    if (c.status === 'found') {
      expect(c.limitedBy).toBe('target');
      expect(c.steps[c.answerStep!]).toMatchObject({ kind: 'confirm', verdict: 'pass', rate: c.maxRate });
    }

    // The result: one timeline over all steps, the answer step's figures in the summary.
    expect(() => validateResult(JSON.parse(JSON.stringify(r)))).not.toThrow();
    expect(r.timeline.map((i) => i.index)).toEqual(r.timeline.map((_, k) => k));
    expect(r.timeline.some((i) => /^step 1 · 100\/s · warm-up$/.test(i.stage ?? ''))).toBe(true);
    expect(new Set(r.timeline.map((i) => i.stage?.replace(/ · warm-up$/, ''))).size).toBe(c.steps.length);
    expect(r.summary.verdict.thresholds.find((t) => t.scope === 'capacity')).toBeDefined();
    expect(r.summary.meta.model).toMatch(/^capacity search/);
    expect(r.summary.verdict.passed).toBe(c.status === 'found');
  });
});

describe('capacity search: never a false capacity', () => {
  it('an artificially capped generator is reported as the limit', async () => {
    // The target holds 1000 req/s; the generator may keep only 2 requests in flight (≈ 40/s at 50 ms).
    server = await startSlotServer({ slots: 50, serviceMs: 50 });
    const r = await quickCapacity({ ...SHORT, url: `${server.url}/`, slos: ['p(99) < 5s'], startRate: 20, maxInFlight: 2 });
    const c = r.summary.capacity!;
    expect(c).toMatchObject({ limitedBy: 'generator', stopReason: 'generator', status: 'inconclusive', confirmed: false });
    expect(c.maxRate).toBeLessThan(server.capacity);
    const gen = c.steps.filter((s) => s.verdict === 'generator');
    expect(gen.length).toBe(2);
    // Both steps are the generator's; at least one says it was the in-flight cap (on a stalled
    // machine a step may first be judged short of its scheduled rate, also the generator's).
    expect(gen.some((s) => /in-flight cap/.test(s.reasons.join(' ')))).toBe(true);
    expect(c.explanation).toMatch(/^Not a capacity: the load generator/);
    expect(r.summary.verdict.passed).toBe(false);
  });

  it('a --max-rate below the capacity is reported as range, and a --min-rps it reaches passes', async () => {
    server = await startSlotServer({ slots: 50, serviceMs: 10 });
    const r = await quickCapacity({ ...SHORT, url: `${server.url}/`, slos: ['p(99) < 1s'], startRate: 50, maxRate: 100, minRps: 80, traffic: 1000, headroom: 0.3 });
    const c = r.summary.capacity!;
    expect(c).toMatchObject({ limitedBy: 'range', stopReason: 'max_rate', status: 'inconclusive', maxRate: 100, gate: { minRps: 80, passed: true } });
    expect(c.steps.map((s) => s.rate)).toEqual([50, 100]);
    expect(c.sizing).toMatchObject({ traffic: 1000, headroom: 0.3, upperBound: true });
    expect(c.sizing!.instances).toBe(Math.ceil(1000 / (c.maxRps * 0.7)));
    expect(r.summary.verdict.passed).toBe(true);
  });
});

describe('capacity search: interrupted', () => {
  it('stops at the signal, keeps the judged steps, and says so', async () => {
    server = await startSlotServer({ slots: 50, serviceMs: 5 });
    const ac = new AbortController();
    const r = await quickCapacity({ ...SHORT, url: `${server.url}/`, slos: ['p(99) < 1s'], startRate: 20, signal: ac.signal, onStep: () => ac.abort() });
    const c = r.summary.capacity!;
    expect(c.stopReason).toBe('interrupted');
    expect(c.steps).toHaveLength(1);
    expect(c.steps[0].verdict).not.toBe('aborted');
    expect(r.summary.verdict.endReason).toBe('interrupted');
    expect(r.summary.verdict.passed).toBe(false);
    expect(c.explanation).toMatch(/^Interrupted/);
  });
});
