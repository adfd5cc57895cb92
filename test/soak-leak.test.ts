/**
 * The leak a soak run exists to catch: scenarios/docstore-soak.yml against the docstore
 * example with its leak switches (a real child process, monitored by pid).
 *
 * Built to hold on a busy machine: the leak is count-based and large (128 KiB kept per
 * request, ~300 MB over the run, against a ~70 MB process), the run is bounded by an
 * iteration count (not by time), and its pace bounds the rate from above, so a fast machine
 * still yields enough intervals to fit a trend and a slow one only yields more. Each
 * measured run follows an unmonitored warm-up run of a fixed count (the target's JIT and heap
 * sizes settle by work done, not by time), and without the leak the verdict is only required
 * to be "not growing" (the noise floor exists for exactly this).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadScenario, run, type RunResult, type Scenario, type SingleLoadScenario, type Trend } from '../packages/core/dist/index.js';
import { ConsoleReporter, renderHtmlReport } from '../packages/reporters/dist/index.js';
import { startDocstore, type Child } from '../packages/core/test/support/child.js';
import { Writable } from 'node:stream';

const SCENARIO = fileURLToPath(new URL('../scenarios/docstore-soak.yml', import.meta.url));
const ITERATIONS = 600; // x 4 requests
const WARMUP_ITERATIONS = 300;
const LEAK_KB = 128;

const children: Child[] = [];
afterEach(async () => {
  while (children.length > 0) await children.pop()!.stop();
});

/** The soak scenario, bounded by count: 2 users, >= 20 ms between iterations, only the leak threshold kept. */
async function soakRun(env: Record<string, string>): Promise<{ result: RunResult; child: Child }> {
  const child = await startDocstore(env);
  children.push(child);
  const loaded: Scenario = await loadScenario(SCENARIO, { env: { DOCSTORE_URL: child.url } });
  if (loaded.loads !== undefined) throw new Error(`${SCENARIO} has one load`);
  const bounded = (iterations: number): SingleLoadScenario['load'] => ({ model: 'closed', stages: [{ durationMs: 300_000, users: 2 }], iterations });
  const scenario: SingleLoadScenario = {
    ...loaded,
    load: bounded(ITERATIONS),
    flows: loaded.flows.map((f) => ({ ...f, pace: { minMs: 20, maxMs: 20 } })),
    thresholds: loaded.thresholds.filter((t) => t.expression === 'trend(target.rss) < 50MB/h'),
  };
  // Warm the target up by count first (JIT, heap sizes, connection handling), unmonitored.
  const warm = await run({ ...scenario, load: bounded(WARMUP_ITERATIONS), thresholds: [] }, { workers: 1 });
  expect(warm.summary.total.count).toBe(WARMUP_ITERATIONS * 4);
  const result = await run(scenario, {
    workers: 1,
    intervalMs: 250,
    trendWarmupMs: 1000,
    monitor: { pids: [{ pid: child.pid }], generator: false, host: false },
  });
  return { result, child };
}

/** The console summary as printed (no colours). */
function consoleSummary(result: RunResult): string {
  let text = '';
  const out = new Writable({ write: (chunk: Buffer, _e, cb) => ((text += chunk.toString()), cb()) });
  new ConsoleReporter({ out, live: out, quiet: true, color: false }).end(result.summary);
  return text;
}

const trend = (r: RunResult, metric: string): Trend | undefined => r.summary.trends?.find((t) => t.metric === metric);

describe('soak: scenarios/docstore-soak.yml against a leaking docstore', () => {
  it('with LEAK_MEMORY_KB the verdict, the summary and the report say target RSS is growing', async () => {
    const { result } = await soakRun({ LEAK_MEMORY_KB: String(LEAK_KB) });
    const s = result.summary;
    expect(s.total.failed).toBe(0);
    expect(s.total.count).toBe(ITERATIONS * 4);
    const rss = trend(result, 'target.rss');
    expect(rss, JSON.stringify(s.trends)).toBeDefined();
    expect(rss!.verdict, rss!.reason).toBe('growing');
    expect(rss!.low).toBeGreaterThan(0);
    expect(s.soak!.status).toBe('leaking');
    expect(s.soak!.headline).toMatch(/^target looked LEAKING over .*target\.rss growing \+/);
    // The scenario's leak budget fails the run.
    expect(s.verdict.thresholds).toHaveLength(1);
    expect(s.verdict.thresholds[0]).toMatchObject({ expression: 'trend(target.rss) < 50MB/h', passed: false, unit: 'bytes/h' });
    expect(s.verdict.passed).toBe(false);
    expect(consoleSummary(result)).toContain(`\n  ${s.soak!.headline}\n`);
    expect(await renderHtmlReport(result)).toContain('data-soak="leaking">target looked LEAKING');
  });

  it('with LEAK_SOCKETS_EVERY the target descriptors and ESTABLISHED connections are growing', async () => {
    const { result } = await soakRun({ LEAK_SOCKETS_EVERY: '4' });
    expect(result.summary.total.failed).toBe(0);
    const fds = trend(result, 'target.fds');
    const est = trend(result, 'target.tcp.established');
    expect(fds?.verdict, fds?.reason).toBe('growing');
    expect(est?.verdict, est?.reason).toBe('growing');
    expect(result.summary.soak!.status).toBe('leaking');
  });

  it('without a leak the RSS verdict is not growing, and neither are descriptors or connections', async () => {
    const { result, child } = await soakRun({});
    expect(result.summary.monitor![0].what).toBe(`pid ${child.pid}`);
    const s = result.summary;
    expect(s.total.failed).toBe(0);
    for (const metric of ['target.rss', 'target.fds', 'target.tcp.established']) {
      const t = trend(result, metric);
      expect(t, metric).toBeDefined();
      expect(t!.verdict, `${metric}: ${t!.reason}`).not.toBe('growing');
    }
    expect(s.soak!.status).not.toBe('leaking');
    expect(s.monitor).toHaveLength(1);
    expect(s.monitor![0]).toMatchObject({ name: 'target', kind: 'pid', failures: 0 });
  });
});
