import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadPort, failEvery, startServer, type TestServer } from '../../../test/support/servers.js';
import { liveLine, loadctl } from './cli.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(failEvery(4));
});
afterAll(async () => {
  await server.close();
});

describe('loadctl quick (CLI)', () => {
  it('--json prints a summary that parses and holds the summary fields', async () => {
    const before = server.received;
    const r = await loadctl(['quick', `${server.url}/json`, '-n', '400', '-c', '4', '--workers', '1', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.total.count).toBe(400);
    expect(server.received - before).toBe(400);
    expect(s.total.statuses).toEqual({ '200': 300, '500': 100 });
    expect(s.total.latency.percentiles).toHaveProperty('99.9');
    expect(s.rps).toEqual(expect.objectContaining({ mean: expect.any(Number), min: expect.any(Number), max: expect.any(Number) }));
    expect(s.meta.kind).toBe('quick');
    expect(s.requests['GET /json'].count).toBe(400);
  });

  it('--http-client undici and fast count the same requests and statuses; only fast counts exact bytes', async () => {
    const figures: Record<string, { count: number; statuses: unknown; bytesOut: number }> = {};
    for (const client of ['undici', 'fast']) {
      const r = await loadctl(['quick', `${server.url}/c`, '-n', '100', '-c', '2', '--workers', '1', '--json', '--quiet', '--http-client', client]);
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout);
      figures[client] = { count: s.total.count, statuses: s.total.statuses, bytesOut: s.total.bytesOut };
    }
    expect(figures.fast.count).toBe(100);
    expect(figures.fast.statuses).toEqual(figures.undici.statuses);
    // "GET /c HTTP/1.1\r\nhost: …\r\nconnection: keep-alive\r\n\r\n", exactly, 100 times.
    expect(figures.fast.bytesOut).toBe(100 * Buffer.byteLength(`GET /c HTTP/1.1\r\nhost: ${new URL(server.url).host}\r\nconnection: keep-alive\r\n\r\n`));
  });

  it('prints the human summary: percentiles, histogram bars, status codes, bytes', async () => {
    const r = await loadctl(['quick', `${server.url}/`, '-n', '200', '-c', '2', '--workers', '1', '-m', 'POST', '-H', 'content-type: application/json', '-b', '{"a":1}']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/p99\.99/);
    expect(r.stdout).toMatch(/200 × 150 \(75\.0%\)/);
    expect(r.stdout).toMatch(/500 × 50 \(25\.0%\)/);
    expect(r.stdout).toMatch(/│█+/);
    expect(r.stdout).toMatch(/bytes\s+in \d/);
    // The generator's own error next to the latency; -n runs have no default warm-up.
    expect(r.stdout).toMatch(/generator delay p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms/);
    expect(r.stdout).toMatch(/main thread longest pause [\d.]+ ms · no warm-up/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // NO_COLOR honoured
  });

  it.each([
    [['quick', 'not-a-url'], /not a valid URL/],
    [['quick', 'http://127.0.0.1:1/', '-c', '-5'], /--connections[\s\S]*"-5" is not a positive whole number/],
    [['quick', 'http://127.0.0.1:1/', '-d', '10 parsecs'], /--duration[\s\S]*not a duration/],
    [['quick', 'http://127.0.0.1:1/', '-H', 'no-colon'], /bad header "no-colon" \(-H\)/],
    [['quick', 'http://127.0.0.1:1/', '--bogus'], /Nonexistent flag: --bogus/],
    [['quick', 'http://127.0.0.1:1/', '--http-client', 'curl'], /--http-client=curl to be one of: fast, undici/],
    [['quick'], /Missing 1 required arg/],
  ])('bad input %j → exit 2 with a clear message', async (args, message) => {
    const r = await loadctl(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });

  it('an unreachable target at start → exit 3', async () => {
    const port = await deadPort();
    const r = await loadctl(['quick', `http://127.0.0.1:${port}/`, '-n', '10']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('SIGINT stops the run, prints the partial summary and exits 130', async () => {
    const r = await loadctl(['quick', `${server.url}/`, '-d', '60s', '-c', '2', '--workers', '1'], { signals: [{ when: liveLine }] });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/requests [\d,]+/);
    expect(r.stdout).toMatch(/FAILED \(interrupted\)/);
    expect(r.stdout).not.toMatch(/PASSED/);
  });
});
