/**
 * "Verdicts that lie" (issue 9), through the real binary: a run in which nothing succeeded
 * is not PASSED; an interrupted run says so (exit 130) and still writes its results, also
 * after a second Ctrl-C, leaving no temp files; output paths are checked before any load
 * (exit 2) and a write that fails at the end is exit 3. Signals are sent when the output
 * shows the run got there, never on a timer.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadPort, json, silent, startServer, type TestServer } from '../../../test/support/servers.js';
import { liveLine, loadctl } from './cli.js';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startServer((_n, _req, res) => setTimeout(() => json(res, 200, {}), 5));
  dir = mkdtempSync(join(tmpdir(), 'loadctl-verdicts-'));
});
afterAll(async () => {
  await server.close();
});

function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('honest verdicts (CLI)', () => {
  it('quick against a port where nothing listens (--no-preflight) is FAILED, exit 1, saying why', async () => {
    const port = await deadPort();
    const r = await loadctl(['quick', `http://127.0.0.1:${port}/`, '-n', '20', '-c', '2', '--workers', '1', '--no-preflight']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/PASSED/);
    expect(r.stdout).toMatch(/FAILED/);
    expect(r.stdout).toMatch(/no request succeeded \(20 sent: 20 connect_refused\)/);
    const j = await loadctl(['quick', `http://127.0.0.1:${port}/`, '-n', '5', '-c', '1', '--workers', '1', '--no-preflight', '--json', '--quiet']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).verdict).toMatchObject({ passed: false, reasons: [{ code: 'NO_SUCCESSFUL_REQUESTS' }] });
  });

  it('a target that never answers 1 request in 10: the thresholds on p(99) and checks fail, exit 1', async () => {
    const flaky = await startServer((n, _req, res) => {
      if (n % 10 !== 0) json(res, 200, {});
    });
    try {
      const f = file(
        'flaky.yml',
        `target: ${flaky.url}\ntimeout: 500ms\nload: { users: 2, iterations: 50 }\nsteps:\n  - get: /\n    check: { status: 200 }\nthresholds:\n  - p(99) < 100ms\n  - checks > 99%\n`,
      );
      const r = await loadctl(['run', f, '--out-dir', join(dir, 'out-flaky'), '--workers', '1', '--quiet']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ p\(99\) < 100ms {3}measured \d+(\.\d+)? ms/);
      expect(r.stdout).toMatch(/✗ checks > 99% {3}measured 90%/);
      expect(r.stdout).toMatch(/^FAILED$/m);
    } finally {
      await flaky.close();
    }
  });

  it('a second SIGINT still writes the results at once (no graceful wait for sinks) and leaves no temp files', async () => {
    // An InfluxDB sink that never answers: a graceful end would wait for it.
    const sink = await startServer(silent);
    try {
      const f = file(
        'double.yml',
        `target: ${server.url}\nload: { users: 2, duration: 60s }\nsteps: [GET /]\nreporters:\n  - { type: influxdb, url: "${sink.url}", db: loadctl, endTimeout: 60s }\n`,
      );
      const out = join(dir, 'out-double');
      const r = await loadctl(['run', f, '--out-dir', out, '--workers', '1'], {
        signals: [{ when: (o) => liveLine(o) && server.received > 0 }, { when: ({ stderr }) => /stopping: finishing up/.test(stderr) }],
      });
      expect(r.code).toBe(130);
      expect(r.stderr).toMatch(/stopping at once/);
      expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'result.json', 'timeline.jsonl']);
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
      expect(result.summary.verdict).toMatchObject({ passed: false, endReason: 'interrupted' });
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<\/html>\s*$/);
    } finally {
      await sink.close();
    }
  });

  it.each([
    ['--out-dir under a regular file', (plain: string) => ['--out-dir', join(plain, 'sub')], /--out-dir .*plain-file\/sub: cannot write there \(a part of the path is a file, not a directory\)/],
    ['-o under a regular file', (plain: string) => ['-o', join(plain, 'result.json')], /-o\/--out .*plain-file\/result\.json: cannot write there/],
    ['--html naming a directory', () => ['--html', dir], /--html .*: cannot write there \(it is a directory\)/],
    ['--junit under a regular file', (plain: string) => ['--junit', join(plain, 'x', 'junit.xml')], /--junit .*junit\.xml: cannot write there/],
  ])('%s: exit 2 before any load, naming the flag and the path', async (_what, flags, message) => {
    const plain = file('plain-file', 'not a directory');
    const before = server.received;
    const r = await loadctl(['quick', `${server.url}/`, '-n', '10', '-c', '1', '--workers', '1', ...flags(plain)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(server.received).toBe(before);
  });

  it('run: an --out-dir that cannot be written is exit 2 before any load', async () => {
    const plain = file('plain-file', 'not a directory');
    const f = file('ok.yml', `target: ${server.url}\nload: { users: 1, duration: 1s }\nsteps: [GET /]\n`);
    const before = server.received;
    const r = await loadctl(['run', f, '--out-dir', join(plain, 'out'), '--workers', '1', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out-dir .*plain-file\/out: cannot write there/);
    expect(server.received).toBe(before);
  });

  it('a result that cannot be written at the end is exit 3 with a clear message', async () => {
    const out = join(dir, 'out-vanishing');
    // Hold the only request until the output directory has become a regular file.
    const gate = await startServer((_n, _req, res) => {
      rmSync(out, { recursive: true, force: true });
      writeFileSync(out, 'now a file');
      json(res, 200, {});
    });
    try {
      const r = await loadctl(['quick', `${gate.url}/`, '-n', '1', '-c', '1', '--workers', '1', '--quiet', '--out-dir', out]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/error: could not write the result file: result file .*out-vanishing\/result\.json: cannot write/);
      expect(r.stderr).toMatch(/error: could not write the JUnit XML/);
      expect(r.stderr).toMatch(/error: could not write the HTML report/);
      expect(existsSync(join(dir, 'out-vanishing', 'result.json'))).toBe(false);
    } finally {
      await gate.close();
    }
  });
});
