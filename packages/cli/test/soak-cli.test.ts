/**
 * The --monitor-* and --trend-warmup flags through the real binary: a target started with
 * --monitor-cmd (the docstore example), bad values, a command that dies, a pid that is gone.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/servers.js';
import { loadctl } from './cli.js';

const DOCSTORE = fileURLToPath(new URL('../../../examples/docstore/dist/main.js', import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_n, _req, res) => res.end('ok'));
});
afterAll(async () => {
  await server.close();
});

/** A port free right now (bound and released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(false);
    });
    c.once('error', () => resolve(true));
  });
}

describe('loadctl --monitor-*', () => {
  it('--monitor-cmd starts the target, waits for it, monitors it, keeps its output and stops it', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-soak-cli-'));
    const r = await loadctl([
      'quick',
      `http://127.0.0.1:${port}/health`,
      '-n',
      '600',
      '-c',
      '2',
      '--workers',
      '1',
      '--monitor-cmd',
      `"${process.execPath}" "${DOCSTORE}" --port ${port}`,
      '--out-dir',
      dir,
      '--json',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.total.count).toBe(600);
    expect(s.total.statuses).toEqual({ '200': 600 });
    expect(s.monitor).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'target', kind: 'cmd', failures: 0 }),
        expect.objectContaining({ name: 'generator', kind: 'generator' }),
        expect.objectContaining({ name: 'host', kind: 'host' }),
      ]),
    );
    expect(s.monitor.find((m: { kind: string }) => m.kind === 'cmd').samples).toBeGreaterThan(0);
    expect(Array.isArray(s.trends)).toBe(true);
    expect(s.soak.status).toMatch(/^(stable|leaking|degrading|too_short)$/);
    expect(readFileSync(join(dir, 'target.stdout.log'), 'utf8')).toMatch(/^docstore listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(existsSync(join(dir, 'target.stderr.log'))).toBe(true);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    expect(result.timeline.some((i: { monitor?: { target?: { rss?: number } } }) => (i.monitor?.target?.rss ?? 0) > 0)).toBe(true);
    // Stopped at the end: nothing listens on its port any more.
    expect(await refused(port)).toBe(true);
  });

  it('a command that exits before its target listens is exit 3, with where its output went', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-soak-cli-'));
    const port = await freePort();
    const r = await loadctl(['quick', `http://127.0.0.1:${port}/`, '-n', '10', '--monitor-cmd', 'echo broken >&2; exit 4', '--out-dir', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('exited (code 4) before');
    expect(r.stderr).toContain(join(dir, 'target.stderr.log'));
    expect(readFileSync(join(dir, 'target.stderr.log'), 'utf8')).toBe('broken\n');
  });

  it.each([
    [['--monitor-pid', 'abc'], /--monitor-pid "abc": expected a process id/],
    [['--monitor-url', 'ftp://x/metrics'], /--monitor-url: "ftp:\/\/x\/metrics" is not http/],
    [['--monitor-series', 'bad series'], /--monitor-series: "bad series" is not a series/],
    [['--trend-warmup', 'soon'], /"soon" is not a duration/],
  ])('%j is bad input: exit 2 naming the flag', async (flags, message) => {
    const before = server.received;
    const r = await loadctl(['quick', `${server.url}/`, '-n', '10', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(server.received).toBe(before);
  });

  it('a monitored pid that is gone is a warning in the summary, not a failure', async () => {
    const r = await loadctl(['quick', `${server.url}/`, '-n', '200', '-c', '2', '--workers', '1', '--monitor-pid', 'api=2147483646', '--no-monitor-self', '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.monitor).toEqual([expect.objectContaining({ name: 'target', kind: 'pid', what: 'pid 2147483646', lastError: 'process 2147483646 is gone' })]);
    expect(s.monitor[0].failures).toBe(s.monitor[0].samples);
    expect(s.warnings.map((w: { code: string }) => w.code)).toContain('MONITOR_SAMPLE_FAILED');
  });
});
