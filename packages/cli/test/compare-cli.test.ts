import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delayed, startServer, type TestServer } from '../../../test/support/servers.js';
import { loadctl } from './cli.js';

let fast: TestServer;
let slow: TestServer;
let dir: string;
beforeAll(async () => {
  fast = await startServer(delayed(() => 5));
  slow = await startServer(delayed(() => 60));
  dir = mkdtempSync(join(tmpdir(), 'loadctl-compare-'));
});
afterAll(async () => {
  await fast.close();
  await slow.close();
});

async function record(server: TestServer, name: string, path = '/x'): Promise<string> {
  const file = join(dir, `${name}.json`);
  const r = await loadctl(['quick', `${server.url}${path}`, '-n', '100', '-c', '2', '--workers', '1', '--quiet', '-o', file]);
  expect(r.code).toBe(0);
  return file;
}

describe('loadctl compare and report (CLI)', () => {
  it('flags a slower build as a regression (exit 1) and an identical run as none (exit 0)', async () => {
    const base = await record(fast, 'base');
    const current = await record(slow, 'current');
    const worse = await loadctl(['compare', base, current]);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(/regression in GET \/x: p50 \d+\.\d+ → \d+\.\d+ ms/);
    expect(worse.stdout).toMatch(/REGRESSED/);
    const same = await loadctl(['compare', base, base, '--json']);
    expect(same.code).toBe(0);
    const c = JSON.parse(same.stdout);
    expect(c.regressed).toBe(false);
    expect(c.total.change.p99).toBe(0);
    // The HTML report overlays both runs.
    const html = join(dir, 'compare.html');
    const rep = await loadctl(['report', base, current, '-o', html]);
    expect(rep.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/<html/);
  });

  it('two runs with no request name in common are refused (exit 2); a different target is warned about', async () => {
    const x = await record(fast, 'fast-x');
    const y = await record(fast, 'fast-y', '/y');
    const r = await loadctl(['compare', x, y]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no request name in common \(base: "GET \/x"; current: "GET \/y"\)/);
    expect(r.stdout).not.toMatch(/NO REGRESSION/);
    const other = await record(slow, 'slow-x');
    const w = await loadctl(['compare', x, other, '--max-latency-increase', '100000%', '--max-rps-drop', '100%']);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain(`warning: target differs: ${fast.url} vs ${slow.url}`);
  });

  it('a missing or invalid result file is bad input (exit 2)', async () => {
    const r = await loadctl(['compare', join(dir, 'nope.json'), join(dir, 'nope2.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/result file .*nope\.json: file not found/);
  });
});
