/**
 * @loadctl/core/testing against real runs on a loopback server: assertPassed and the
 * Vitest matcher pass a run whose thresholds held, and fail one whose thresholds did
 * not with a message naming each failing threshold with its measured value and limit.
 * Imported through the package's subpath exports, as users import them.
 */
import { AssertionError } from 'node:assert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineScenario, run, type RunResult } from '@loadctl/core';
import { assertPassed, describeVerdict, LoadTestAssertionError, loadctlMatchers } from '@loadctl/core/testing';
import '@loadctl/core/testing/vitest';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer;
let passing: RunResult;
let failing: RunResult;

beforeAll(async () => {
  server = await startServer((_n, req, res) => (req.url === '/fail' ? json(res, 500, { error: 'boom' }) : json(res, 200, { ok: true })));
  const load = { users: 1, duration: '1s' } as const;
  passing = await run(defineScenario({ target: server.url, load, steps: [{ get: '/ok', check: { status: 200 } }], thresholds: ['count > 0', 'error_rate < 1%', 'p(99) < 1m'] }, { env: {} }), { workers: 1 });
  failing = await run(
    defineScenario(
      {
        target: server.url,
        load,
        steps: [{ get: '/ok', check: { status: 200 } }, { get: '/fail', check: { status: 200 } }],
        thresholds: ['count > 0', 'checks > 99%', { expression: 'error_rate < 1%', scope: 'GET /fail' }, 'rps > 1000000'],
      },
      { env: {} },
    ),
    { workers: 1 },
  );
});
afterAll(async () => {
  await server.close();
});

function thrown(fn: () => void): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

describe('assertPassed', () => {
  it('passes a run whose thresholds held, given the result, its summary or its verdict', () => {
    expect(passing.summary.verdict.passed).toBe(true);
    assertPassed(passing);
    assertPassed(passing.summary);
    assertPassed(passing.summary.verdict);
  });

  it('throws an AssertionError listing each failing threshold with its measured value and limit', () => {
    const e = thrown(() => assertPassed(failing));
    expect(e).toBeInstanceOf(AssertionError);
    expect(e).toBeInstanceOf(LoadTestAssertionError);
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('load test failed: 3 of 4 thresholds failed (the run completed)');
    // failing ones first, in scenario order, then the passing one
    expect(lines.slice(1).map((l) => l.trim().slice(0, 1))).toEqual(['✗', '✗', '✗', '✓']);
    expect(lines[1]).toMatch(/^ {2}✗ checks > 99%: measured \d+(\.\d+)?%, limit 99%$/);
    expect(lines[2]).toBe('  ✗ error_rate < 1% (GET /fail): measured 100%, limit 1%');
    expect(lines[3]).toMatch(/^ {2}✗ rps > 1000000: measured \d+(\.\d)?\/s, limit 1000000\/s$/);
    expect(lines[4]).toMatch(/^ {2}✓ count > 0: \d+$/);
    const err = e as LoadTestAssertionError;
    expect(err.failed.map((t) => t.expression)).toEqual(['checks > 99%', 'error_rate < 1%', 'rps > 1000000']);
    expect(err.failed.find((t) => t.expression === 'checks > 99%')!.actual).toBeLessThan(0.99);
  });

  it('a run stopped early fails even with no failing threshold, and says why', () => {
    const stopped = { ...passing.summary.verdict, passed: false, endReason: 'interrupted' as const };
    expect(thrown(() => assertPassed(stopped)).message.split('\n')[0]).toBe('load test failed: 0 of 3 thresholds failed (the run was interrupted)');
  });

  it('rejects what is not a result', () => {
    expect(() => assertPassed({} as never)).toThrow(TypeError);
  });
});

describe('expect(result).toPass()', () => {
  it('passes and fails like assertPassed, with the same message', () => {
    expect(passing).toPass();
    expect(failing).not.toPass();
    const e = thrown(() => expect(failing).toPass());
    expect(e.message).toBe(describeVerdict(failing));
    expect(thrown(() => expect(passing).not.toPass()).message).toMatch(/^expected the load test to fail, but it passed:\nload test passed: 3 thresholds held/);
  });

  it('is a plain matcher object for expect.extend (Vitest or Jest)', () => {
    expect(loadctlMatchers.toPass(failing).pass).toBe(false);
    expect(loadctlMatchers.toPass(passing.summary).pass).toBe(true);
  });
});
