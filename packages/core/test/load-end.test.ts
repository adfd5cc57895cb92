/**
 * "The load does not end on time" (issue 9): no iteration starts after the planned end of
 * the load, arrivals the generator could not start are counted as dropped (a generator
 * shortfall), and loads beyond what one machine can hold are refused before they start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario, quick, run, type ScenarioError } from '@loadctl/core';
import { applyOverrides } from '@loadctl/core/internal';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('the load ends on time', () => {
  it('arrivals the generator did not start before the end are dropped as a shortfall, never started late', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    // 10 arrivals over 10 ms, each rendering a 16 MB body: rendering the first takes the worker
    // far longer than the load and its 250 ms grace, so the others are due when the load is over.
    const scenario = parseScenario(
      `target: ${server.url}\nload: { rate: 1000, duration: 10ms }\nsteps:\n  - post: /\n    body: "\${randomString(16000000)}"\n`,
      { env: {} },
    );
    const r = await run(scenario, { workers: 1 });
    const s = r.summary;
    const started = s.total.count;
    expect(server.received).toBe(started);
    expect(started + s.dropped).toBe(10);
    expect(started).toBeLessThan(10);
    expect(s.missed).toBe(s.dropped);
    expect(s.warnings.map((w) => w.code)).toContain('GENERATOR_SHORTFALL');
    expect(s.warnings.map((w) => w.code)).not.toContain('DROPPED_ITERATIONS'); // not the in-flight cap
    expect(r.timeline.reduce((n, i) => n + (i.missed ?? 0), 0)).toBe(s.missed);
  });
});

describe('load ceilings', () => {
  const positionOf = (text: string, needle: string): { line: number; column: number } => {
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    return { line: line + 1, column: lines[line].indexOf(needle) + 1 };
  };

  it.each([
    ['users: 1e9', 'target: http://127.0.0.1:1\nload:\n  users: 1e9\n  duration: 1s\nsteps: [GET /]\n', '1e9', /load\.users: 1,000,000,000 users is more than one machine can hold \(at most 20,000 per worker thread × 1 worker\)/],
    ['rate: 1e12', 'target: http://127.0.0.1:1\nload:\n  rate: 1e12\n  duration: 1s\nsteps: [GET /]\n', '1e12', /load\.rate: a rate of 1,000,000,000,000\/s is more than one machine can hold/],
    [
      'a stage rate',
      'target: http://127.0.0.1:1\nload:\n  stages:\n    - { rate: 10, duration: 1s }\n    - { rate: 5000000, duration: 1s }\nsteps: [GET /]\n',
      '5000000',
      /load\.stages\[1\]\.rate: a rate of 5,000,000\/s/,
    ],
    ['connections', 'target: http://127.0.0.1:1\nload: { rate: 10, duration: 1s, connections: 900000 }\nsteps: [GET /]\n', '900000', /load\.connections: 900,000 connections/],
  ])('%s is rejected with its position', (_what, text, needle, message) => {
    let err: ScenarioError | undefined;
    try {
      parseScenario(text, { env: {}, file: 'big.yml', workers: 1 });
    } catch (e) {
      err = e as ScenarioError;
    }
    expect(err?.code).toBe('E_BAD_VALUE');
    const pos = positionOf(text, needle);
    expect(err!.issues[0]).toMatchObject({ file: 'big.yml', line: pos.line, column: pos.column });
    expect(err!.issues[0].message).toMatch(message);
    expect(err!.issues[0].message).toMatch(/--no-load-ceiling/);
  });

  it('the ceiling is per worker, and can be lifted explicitly', () => {
    const text = 'target: http://127.0.0.1:1\nload: { users: 30000, duration: 1s }\nsteps: [GET /]\n';
    expect(() => parseScenario(text, { env: {}, workers: 1 })).toThrow(/30,000 users/);
    expect(parseScenario(text, { env: {}, workers: 2 }).load!.model).toBe('closed');
    expect(parseScenario(text, { env: {}, workers: 1, loadCeiling: false }).load!.model).toBe('closed');
    expect(parseScenario(text, { env: {}, workers: 1, loadCeiling: { users: 40_000 } }).load!.model).toBe('closed');
  });

  it('quick refuses beyond the ceiling naming the flag; run re-checks after overrides, before any load', async () => {
    await expect(quick({ url: 'http://127.0.0.1:1/', rate: 1_000_000, durationMs: 1000, workers: 1 })).rejects.toMatchObject({
      code: 'E_LOAD_CEILING',
      exitCode: 2,
      message: expect.stringMatching(/^-r 1000000: a rate of 1,000,000\/s is more than one machine can hold/),
    });
    await expect(quick({ url: 'http://127.0.0.1:1/', connections: 50_000, workers: 1 })).rejects.toThrow(/^-c 50000: 50,000 connections/);
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const scenario = applyOverrides(parseScenario(`target: ${server.url}\nload: { users: 15000, duration: 1s }\nsteps: [GET /]\n`, { env: {}, workers: 1 }), { scale: 2 });
    await expect(run(scenario, { workers: 1 })).rejects.toMatchObject({ code: 'E_LOAD_CEILING', message: expect.stringMatching(/load\.stages\[0\]\.users: 30,000 users/) });
    expect(server.received).toBe(0);
  });
});
