import { mkdtempSync, readFileSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadPort, json, startServer, type TestServer } from '../../../test/support/servers.js';
import { liveLine, loadctl } from './cli.js';

let server: TestServer;
let dir: string;
const SECRET = 's3cr3t-t0ken-value';
let seenAuth = '';

beforeAll(async () => {
  server = await startServer((_n, req, res) => {
    seenAuth = String(req.headers.authorization ?? '');
    if (req.url?.startsWith('/slow')) setTimeout(() => json(res, 200, { ok: true }), 30);
    else json(res, 200, { ok: true, name: 'x' });
  });
  dir = mkdtempSync(join(tmpdir(), 'loadctl-run-'));
});
afterAll(async () => {
  await server.close();
});

function scenario(name: string, body: string): string {
  const file = join(dir, `${name}.yml`);
  writeFileSync(file, body);
  return file;
}

describe('loadctl run (CLI)', () => {
  it('runs a scenario, passes its thresholds and writes result.json, junit.xml and report.html without secrets', async () => {
    const file = scenario(
      'ok',
      `name: ok-run
target: \${env.TARGET}
variables:
  token: { value: "\${env.API_TOKEN}", secret: true }
headers:
  authorization: Bearer \${token}
load: { users: 2, iterations: 60 }
steps:
  - get: /items
    check: { status: 200, json: $.ok, equals: true }
thresholds:
  - checks > 99%
  - p(95) < 5s
`,
    );
    const out = join(dir, 'out-ok');
    const r = await loadctl(['run', file, '--out-dir', out, '--workers', '1', '--quiet', '-e', `TARGET=${server.url}`], { env: { API_TOKEN: SECRET } });
    expect(r.stderr.trim().split('\n').sort()).toEqual([
      expect.stringMatching(/^HTML report .*report\.html/),
      expect.stringMatching(/^JUnit XML written to .*junit\.xml$/),
      expect.stringMatching(/^result written to .*result\.json/),
    ]);
    expect(r.code).toBe(0);
    expect(seenAuth).toBe(`Bearer ${SECRET}`); // the secret reached the target...
    expect(r.stdout).toMatch(/✓ checks > 99%\s+measured 100%/);
    expect(r.stdout).toMatch(/PASSED/);
    // The timeline was recorded beside them as the run went; the checkpoint of a finished run is gone.
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'result.json', 'timeline.jsonl']);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.schemaVersion).toBe(1);
    expect(result.summary.total.count).toBe(60);
    expect(result.summary.verdict.passed).toBe(true);
    expect(result.timeline.length).toBeGreaterThan(0);
    // ...but never appears in output, result, JUnit or report.
    for (const f of ['result.json', 'junit.xml', 'report.html', 'timeline.jsonl']) expect(readFileSync(join(out, f), 'utf8')).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<testcase[^>]*checks &gt; 99%/);
  });

  it('a failing threshold exits 1 and JUnit carries the failure', async () => {
    const file = scenario('fail', `target: ${server.url}\nload: { users: 1, iterations: 20 }\nsteps: [GET /slow]\nthresholds: [ "p(50) < 1ms" ]\n`);
    const out = join(dir, 'out-fail');
    const r = await loadctl(['run', file, '--out-dir', out, '--workers', '1', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ p\(50\) < 1ms\s+measured \d/);
    expect(r.stdout).toMatch(/FAILED/);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<failure/);
  });

  it('a broken scenario exits 2 with file:line:column and a suggestion, before any load', async () => {
    const before = server.received;
    const broken = resolve('packages/core/test/fixtures/scenarios/broken/unknown-key.yml');
    const r = await loadctl(['run', broken, '--out-dir', join(dir, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown-key\.yml:7:9: flows\[0\]\.steps\[0\]\.hedaers: unknown key "hedaers".*did you mean "headers"\?/);
    expect(server.received).toBe(before);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('validate reports every broken fixture with exit 2', async () => {
    const r = await loadctl(['validate', ...['bad-duration', 'bad-threshold', 'missing-target', 'wrong-type'].map((n) => resolve(`packages/core/test/fixtures/scenarios/broken/${n}.yml`))]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(4);
    expect(r.stderr).toMatch(/bad-threshold\.yml:\d+:\d+: thresholds\[1\]/);
  });

  it('one YAML syntax error is reported once, not with its knock-on errors', async () => {
    const file = scenario('cascade', `target: http://127.0.0.1:1\nload: { users: 1, duration: 1s }\nsteps:\n  - get: /x\n    check: [{ status: 200 }, { json: $[1], equals: lon }]\n  - get: /y\n`);
    const r = await loadctl(['validate', file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cascade\.yml:5:\d+: \(document\): YAML syntax error: .*more syntax errors after it/);
  });

  it('an unreachable target exits 3', async () => {
    const port = await deadPort();
    const file = scenario('dead', `target: http://127.0.0.1:${port}\nload: { users: 1, duration: 1s }\nsteps: [GET /]\n`);
    const r = await loadctl(['run', file, '--out-dir', join(dir, 'out-dead'), '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach/);
  });

  it('SIGINT stops the run, still writes result.json with a failed verdict and exits 130', async () => {
    const file = scenario('long', `target: ${server.url}\nload: { users: 2, duration: 60s }\nsteps: [GET /slow]\n`);
    const out = join(dir, 'out-int');
    const before = server.received;
    const r = await loadctl(['run', file, '--out-dir', out, '--workers', '1'], { signals: [{ when: (o) => liveLine(o) && server.received > before }] });
    expect(r.code).toBe(130);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.summary.verdict).toMatchObject({ endReason: 'interrupted', passed: false, reasons: [{ code: 'INTERRUPTED' }] });
    expect(result.summary.total.count).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/FAILED \(interrupted\)/);
  });
});
