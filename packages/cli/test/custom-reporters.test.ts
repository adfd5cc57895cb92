/**
 * Reporters of your own through the CLI (docs/reporters.md, "A reporter of your own"):
 * the example examples/reporters/slack-like.mjs given by --reporter and by a scenario's
 * reporters: entry; reporters that throw or never return are isolated like the built-in
 * ones; a module that cannot make a reporter is bad input before any load.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';
import { loadctl } from './cli.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/reporters/slack-like.mjs', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/reporters/${name}`, import.meta.url));
const lines = (file: string): Array<{ text: string; blocks: unknown[] }> =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { text: string; blocks: unknown[] });

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_n, _req, res) => json(res, 200, { ok: true }));
});
afterAll(async () => {
  await server.close();
});

describe('custom reporters (CLI)', () => {
  it('--reporter ./examples/reporters/slack-like.mjs: the example writes its messages next to the results', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loadctl-custom-rep-'));
    const r = await loadctl(['quick', `${server.url}/`, '-n', '300', '-c', '2', '--workers', '1', '--quiet', '--json', '--out-dir', out, '--reporter', EXAMPLE]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { reporters: Record<string, { errors: number; dropped: number; notes: string[] }> };
    expect(summary.reporters['slack-like']).toMatchObject({ errors: 0, dropped: 0 });
    const messages = lines(join(out, 'slack.jsonl'));
    expect(messages[0].text).toMatch(/^:rocket: \*quick\* started against http:\/\/127\.0\.0\.1:\d+/);
    expect(messages.at(-1)!.text).toBe(':white_check_mark: *quick* passed');
    expect(JSON.stringify(messages.at(-1)!.blocks)).toContain('*requests* 300');
    expect(summary.reporters['slack-like'].notes).toEqual([`${messages.length} messages written to ${join(out, 'slack.jsonl')}`]);
  });

  it("a scenario's reporters: entry names the module relative to the scenario file, with options", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-custom-rep-'));
    writeFileSync(join(dir, 'slack.mjs'), readFileSync(EXAMPLE, 'utf8'));
    writeFileSync(
      join(dir, 'scenario.yml'),
      `target: ${server.url}\nload: { users: 2, iterations: 100 }\nsteps: [ { get: / } ]\nthresholds: [ "error_rate > 50%" ]\nreporters:\n  - { type: ./slack.mjs, path: alerts.jsonl, everyIntervals: 1 }\n`,
    );
    const out = join(dir, 'out');
    const r = await loadctl(['run', join(dir, 'scenario.yml'), '--workers', '1', '--quiet', '--out-dir', out], { cwd: tmpdir() });
    expect(r.code).toBe(1); // no request fails: the threshold does
    const messages = lines(join(out, 'alerts.jsonl'));
    const end = messages.at(-1)!;
    expect(end.text).toBe(':x: *scenario* failed (completed)');
    expect(JSON.stringify(end.blocks)).toContain('`total: error_rate > 50%` measured 0');
    // everyIntervals: 1 — one progress message per interval between start and end
    expect(messages.slice(1, -1).every((m) => m.text.startsWith(':hourglass:'))).toBe(true);
  });

  it('a reporter that throws in start, interval and end is counted and shown, never fails the run', async () => {
    const r = await loadctl(['quick', `${server.url}/`, '-n', '200', '-c', '2', '--workers', '1', '--quiet', '--json', '--reporter', fixture('throwing.mjs')]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { total: { count: number }; reporters: Record<string, { errors: number; notes: string[] }>; warnings: Array<{ code: string; message: string }> };
    expect(s.total.count).toBe(200);
    expect(s.reporters.throwing.errors).toBeGreaterThanOrEqual(2); // start and end at least
    expect(s.reporters.throwing.notes.at(-1)).toMatch(/^last error: /);
    expect(s.warnings.some((w) => w.code === 'REPORTER_FAILED' && w.message.startsWith('reporter throwing:'))).toBe(true);
  });

  it('a reporter whose interval never returns is cut off at the end: the run ends with its results', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loadctl-custom-rep-'));
    const r = await loadctl(['quick', `${server.url}/`, '-n', '200', '-c', '2', '--workers', '1', '--quiet', '--json', '--out-dir', out, '--reporter', fixture('stuck.mjs')]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { total: { count: number }; reporters: Record<string, { errors: number; dropped: number }> };
    expect(s.total.count).toBe(200);
    expect(s.reporters.stuck.errors).toBe(1); // its queue did not finish in time
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).summary.total.count).toBe(200);
  });

  it('a module that cannot make a reporter, or an unknown --reporter, is bad input (exit 2) before any load', async () => {
    const before = server.received;
    const bad = await loadctl(['quick', `${server.url}/`, '-n', '10', '--workers', '1', '--quiet', '--reporter', fixture('bad-factory.mjs')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the factory threw: no webhook configured');
    const nameless = await loadctl(['quick', `${server.url}/`, '-n', '10', '--workers', '1', '--quiet', '--reporter', fixture('no-name.mjs')]);
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toContain('the reporter has no name');
    const missing = await loadctl(['quick', `${server.url}/`, '-n', '10', '--workers', '1', '--quiet', '--reporter', './nowhere.mjs']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('reporter module ./nowhere.mjs: not found');
    const unknown = await loadctl(['quick', `${server.url}/`, '-n', '10', '--workers', '1', '--quiet', '--reporter', 'slack']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown --reporter "slack"');
    expect(server.received).toBe(before);
  });
});
