/**
 * --json on every command, and the one error -> exit code mapping: bad input 2 (flags,
 * scenarios, result files), could not proceed 3, each with a stable code in --json.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadPort, startServer, type TestServer } from '../../../test/support/servers.js';
import { loadctl } from './cli.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_n, _req, res) => res.end('ok'));
});
afterAll(async () => {
  await server.close();
});

const fixture = (name: string): string => resolve(`packages/core/test/fixtures/scenarios/${name}`);

describe('--json and exit codes', () => {
  it('validate --json lists each file with its scenario or its issues (positions included), exit 2 if any is bad', async () => {
    const good = fixture('full.yml');
    const bad = fixture('broken/bad-threshold.yml');
    const env = { SHOP_TOKEN: 'x' };
    const r = await loadctl(['validate', good, bad, '--json'], { env });
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { ok: boolean; files: Array<{ file: string; ok: boolean; scenario?: { flows: number }; issues?: Array<{ line: number; column: number; message: string }> }> };
    expect(out.ok).toBe(false);
    expect(out.files.map((f) => [f.file, f.ok])).toEqual([
      [good, true],
      [bad, false],
    ]);
    expect(out.files[0].scenario!.flows).toBeGreaterThan(0);
    expect(out.files[1].issues![0].line).toBeGreaterThan(0);
    expect(out.files[1].issues![0].message).toMatch(/bad-threshold\.yml:\d+:\d+: thresholds\[1\]/);

    const ok = await loadctl(['validate', good, '--json'], { env });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, files: [{ file: good, ok: true }] });
  });

  it('a bad flag value is bad input (exit 2) with the --help pointer', async () => {
    const r = await loadctl(['quick', `${server.url}/`, '-c', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Parsing --connections\s+"lots" is not a positive whole number\nSee more help with --help/);
  });

  it('--checkpoint on quick needs --out-dir (exit 2)', async () => {
    const r = await loadctl(['quick', `${server.url}/`, '-n', '10', '--checkpoint', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/out-dir/);
  });

  it('errors print as { error } on stdout with --json: bad input 2, could not proceed 3', async () => {
    const bad = await loadctl(['quick', 'ftp://127.0.0.1/', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'E_BAD_URL', exitCode: 2 } });
    const port = await deadPort();
    const dead = await loadctl(['quick', `http://127.0.0.1:${port}/`, '-n', '5', '--json']);
    expect(dead.code).toBe(3);
    expect(JSON.parse(dead.stdout)).toMatchObject({ error: { code: 'E_TARGET_UNREACHABLE', exitCode: 3 } });
    const missing = await loadctl(['compare', 'nope-a.json', 'nope-b.json', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'E_RESULT_FILE', exitCode: 2 } });
  });
});
