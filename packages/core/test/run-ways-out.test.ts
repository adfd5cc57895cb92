/**
 * Every way out of a run ends the reporters (sinks, then files with the one Result, then
 * outputs) and cleans up its temp timeline: completion, threshold abort, interrupt, a worker
 * that crashes.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Reporter, type Result, type Scenario, type Summary } from '@loadctl/core';
import { execute, quickScenario, timelineArray } from '@loadctl/core/internal';
import { startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_n, _req, res) => res.end('ok'));
});
afterAll(async () => {
  await server.close();
});

/** A sink and a file reporter that record how they were ended. */
function witnesses(): { reporters: Reporter[]; ends: string[]; result: () => Result } {
  const ends: string[] = [];
  let result: Result | undefined;
  const sink: Reporter = { name: 'sink', kind: 'sink', end: (_s: Summary, r?: Result) => void ends.push(`sink:${r ? 'result' : 'none'}`) };
  const file: Reporter = {
    name: 'file',
    kind: 'file',
    end: async (_s: Summary, r?: Result) => {
      ends.push(`file:${r ? 'result' : 'none'}`);
      result = r;
      // The timeline is readable while files are written.
      if (r) await timelineArray(r.timeline);
    },
  };
  const output: Reporter = { name: 'out', end: () => void ends.push('output') };
  return {
    reporters: [output, file, sink],
    ends,
    result: () => {
      if (!result) throw new Error('the file reporter got no Result');
      return result;
    },
  };
}

const scenario = (durationMs: number): Scenario => quickScenario({ url: `${server.url}/`, durationMs, connections: 2 });

describe('every way out ends the reporters', () => {
  it('completion', async () => {
    const w = witnesses();
    const r = await execute(scenario(600), { kind: 'quick', workers: 1, reporters: w.reporters });
    expect(w.ends).toEqual(['sink:none', 'file:result', 'output']);
    expect(w.result().summary.verdict.endReason).toBe('completed');
    expect(r.timeline.reduce((n, iv) => n + iv.total.count, 0)).toBe(r.summary.total.count);
  });

  it('threshold abort', async () => {
    const w = witnesses();
    const failing = { expression: 'p(50) < 0ms', scope: 'total', actual: 1, limit: 0, unit: 'ms', passed: false };
    const r = await execute(scenario(120_000), {
      kind: 'quick',
      workers: 1,
      reporters: w.reporters,
      judge: { evaluate: () => [failing], shouldAbort: () => [failing] },
    });
    expect(w.ends).toEqual(['sink:none', 'file:result', 'output']);
    expect(r.summary.verdict).toMatchObject({ passed: false, endReason: 'threshold_abort' });
    expect(r.summary.verdict.thresholds[0].aborted).toBe(true);
  });

  it('interrupt', async () => {
    const w = witnesses();
    const ac = new AbortController();
    const stopper: Reporter = { name: 'stopper', interval: () => ac.abort() };
    const r = await execute(scenario(120_000), { kind: 'quick', workers: 1, reporters: [...w.reporters, stopper], signal: ac.signal });
    expect(w.ends).toEqual(['sink:none', 'file:result', 'output']);
    expect(r.summary.verdict.endReason).toBe('interrupted');
    expect(w.result().summary.verdict.endReason).toBe('interrupted');
  });

  it('an exception mid-run: the load stops, the files are written, then the exception is thrown', async () => {
    const w = witnesses();
    const judge = {
      evaluate: () => [],
      shouldAbort: () => {
        throw new Error('judge broke');
      },
    };
    await expect(execute(scenario(120_000), { kind: 'quick', workers: 1, reporters: w.reporters, judge })).rejects.toThrow('judge broke');
    expect(w.ends).toEqual(['sink:none', 'file:result', 'output']);
    expect(w.result().summary.verdict.endReason).toBe('error');
    expect(w.result().summary.warnings.find((x) => x.code === 'RUN_FAILED')?.message).toBe('the run failed: judge broke');
  });

  it('removes the temp timeline of a library run when it returns', async () => {
    const own = mkdtempSync(join(tmpdir(), 'loadctl-ways-out-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = own; // os.tmpdir() reads it on each call
    let during: string[] = [];
    const spy: Reporter = { name: 'spy', kind: 'file', end: () => void (during = readdirSync(own)) };
    try {
      await execute(scenario(300), { kind: 'quick', workers: 1, reporters: [spy] });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(during).toHaveLength(1);
    expect(readdirSync(own)).toEqual([]);
    rmSync(own, { recursive: true, force: true });
  });
});
