/**
 * The monitor against real things: a real child process (the docstore example) read through
 * pidusage and /proc, a real Prometheus text endpoint over HTTP, commands started under the
 * monitor. Every assertion is a count or a presence, never a duration.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Monitor } from '../src/monitor/monitor.js';
import { execForm } from '../src/monitor/command.js';
import { planSources, splitName } from '../src/monitor/config.js';
import { countTcpStates } from '../src/monitor/proc.js';
import type { MonitorSample } from '../src/metrics/model.js';
import { startDocstore, type Child } from './support/child.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** One sample, flattened to "<source>.<series>" names. */
async function sample(m: Monitor): Promise<Record<string, number>> {
  m.sampleNow();
  await m.settle();
  const s: MonitorSample = m.take()?.values ?? {};
  const flat: Record<string, number> = {};
  for (const source in s) for (const series in s[source]) flat[`${source}.${series}`] = s[source][series];
  return flat;
}

function get(url: string, agent?: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/proc parsing', () => {
  it('counts the rows of a tcp table whose inode is one of the process sockets, by state', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0 100 0 0 10 0',
      '   1: 0100007F:1F90 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000  1000        0 222 1 0 20 4 30 10 -1',
      '   2: 0100007F:1F90 0100007F:D2A6 01 00000000:00000000 00:00000000 00000000  1000        0 333 1 0 20 4 30 10 -1',
      '   3: 0100007F:1F90 0100007F:D2A8 08 00000000:00000000 00:00000000 00000000  1000        0 444 1 0 20 4 30 10 -1',
      '   4: 0100007F:1F90 0100007F:D2AA 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0',
      '   5: 0100007F:1F91 0100007F:D2AC 01 00000000:00000000 00:00000000 00000000  1000        0 999 1 0 20 4 30 10 -1',
      '',
    ].join('\n');
    const counts: Record<string, number> = {};
    countTcpStates(table, new Set(['111', '222', '333', '444']), counts);
    expect(counts).toEqual({ listen: 1, established: 2, close_wait: 1 });
  });
});

describe('monitor config', () => {
  it('names series "target" for a single source and target.<name> for several', () => {
    expect(planSources({ pids: [{ pid: 10 }] }).processes.map((p) => p.prefix)).toEqual(['target']);
    expect(planSources({ pids: [{ pid: 10 }], commands: [{ command: 'x' }] }).processes.map((p) => p.prefix)).toEqual(['target.pid10', 'target.cmd']);
    expect(planSources({ pids: [{ pid: 10, name: 'api' }, { pid: 11, name: 'db' }] }).processes.map((p) => p.prefix)).toEqual(['target.api', 'target.db']);
    expect(planSources({ urls: [{ url: 'http://127.0.0.1:1/metrics' }] }).urls.map((p) => p.prefix)).toEqual(['target']);
    expect(splitName('api=1234')).toEqual({ name: 'api', value: '1234' });
    expect(splitName('http://x/?a=b')).toEqual({ value: 'http://x/?a=b' });
  });
  it('refuses bad pids, URLs, names and series with a message naming the flag', () => {
    expect(() => planSources({ pids: [{ pid: -3 }] })).toThrow(/--monitor-pid: "-3"/);
    expect(() => planSources({ urls: [{ url: 'not a url' }] })).toThrow(/--monitor-url/);
    expect(() => planSources({ pids: [{ pid: 1, name: 'a' }, { pid: 2, name: 'a' }] })).toThrow(/two monitored sources are named "a"/);
    expect(() => planSources({ series: ['bad name'] })).toThrow(/--monitor-series/);
    expect(() => planSources({ series: ['x{a=1}'] })).toThrow(/--monitor-series/);
  });
  it('execs simple commands so the sampled pid is the target, and leaves compound ones alone', () => {
    expect(execForm('node server.js --port 3000')).toBe('exec node server.js --port 3000');
    expect(execForm('LEAK=1 PORT="3 0" node server.js')).toBe('LEAK=1 PORT="3 0" exec node server.js');
    expect(execForm('cd api && node server.js')).toBe('cd api && node server.js');
    expect(execForm('node a.js | tee log')).toBe('node a.js | tee log');
    expect(execForm(`node -e "setInterval(() => {}, 1000)"`)).toBe(`exec node -e "setInterval(() => {}, 1000)"`);
    expect(execForm('exit 3')).toBe('exit 3');
  });
});

describe('monitoring a process by pid', () => {
  it('reads RSS, CPU, threads, descriptors and TCP connections per state of a real service', async () => {
    const child = await startDocstore();
    cleanups.push(() => child.stop());
    const m = new Monitor({ pids: [{ pid: child.pid }], generator: false, host: false }, 1000);
    cleanups.push(() => m.stop());
    // A kept-alive connection the service has accepted (it answered over it).
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    expect(await get(`${child.url}/health`, agent)).toBe(200);
    const v = await sample(m);
    expect(v['target.rss']).toBeGreaterThan(10e6);
    expect(v['target.cpu']).toBeGreaterThanOrEqual(0);
    expect(v['target.threads']).toBeGreaterThanOrEqual(2);
    expect(v['target.fds']).toBeGreaterThanOrEqual(4);
    expect(v['target.tcp.listen']).toBe(1);
    expect(v['target.tcp.established']).toBeGreaterThanOrEqual(1);
    expect(m.health()).toEqual([{ name: 'target', kind: 'pid', what: `pid ${child.pid}`, samples: 1, failures: 0 }]);
  });

  it('sees leaked connections as descriptors and ESTABLISHED sockets', async () => {
    const child = await startDocstore({ LEAK_SOCKETS_EVERY: '1' });
    cleanups.push(() => child.stop());
    const m = new Monitor({ pids: [{ pid: child.pid }], generator: false, host: false }, 1000);
    cleanups.push(() => m.stop());
    const before = await sample(m);
    for (let i = 0; i < 40; i++) expect(await get(`${child.url}/health`)).toBe(200);
    // The leak's connect() completes in the service's event loop: ask it how many it holds.
    let leaked = 0;
    for (let tries = 0; tries < 1000 && leaked < 40; tries++) {
      const res = await fetch(`${child.url}/leak`);
      leaked = ((await res.json()) as { sockets: number }).sockets;
    }
    expect(leaked).toBeGreaterThanOrEqual(40);
    const after = await sample(m);
    // Each leaked connection is two sockets in the service (client end and sink end).
    expect(after['target.fds'] - before['target.fds']).toBeGreaterThanOrEqual(2 * 40 - 2);
    expect(after['target.tcp.established'] - before['target.tcp.established']).toBeGreaterThanOrEqual(2 * 40 - 4);
  });

  it('a process that is gone is a counted failure and a warning, not an error', async () => {
    const child: Child = await startDocstore();
    await child.stop();
    const m = new Monitor({ pids: [{ pid: child.pid }], generator: false, host: false }, 1000);
    const v1 = await sample(m);
    const v2 = await sample(m);
    await m.stop();
    expect(v1).toEqual({});
    expect(v2).toEqual({});
    const [h] = m.health();
    expect(h).toMatchObject({ samples: 2, failures: 2, lastError: `process ${child.pid} is gone` });
    expect(m.warnings()).toEqual([
      { code: 'MONITOR_SAMPLE_FAILED', severity: 'warn', message: `monitor target (pid ${child.pid}): 2 of 2 samples failed; last: process ${child.pid} is gone` },
    ]);
  });
});

describe('monitoring a command it starts', () => {
  it('starts it, keeps its output in the log directory, samples it and stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-cmd-'));
    const m = new Monitor({ commands: [{ command: `GREETING=hello "${process.execPath}" -e "console.log(process.env.GREETING, process.pid); console.error('to stderr'); setInterval(() => {}, 1000)"` }], logDir: dir, generator: false, host: false }, 1000);
    cleanups.push(() => m.stop());
    m.startCommands();
    const cmd = m.commands[0].command;
    let out = '';
    for (let i = 0; i < 2000 && !out.includes('\n'); i++) {
      out = readFileSync(join(dir, 'target.stdout.log'), 'utf8');
      await new Promise((r) => setTimeout(r, 10));
    }
    // exec'd by the shell: the pid that printed is the pid loadctl samples.
    expect(out.trim()).toBe(`hello ${cmd.pid}`);
    const v = await sample(m);
    expect(v['target.rss']).toBeGreaterThan(10e6);
    await m.stop();
    expect(cmd.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(cmd.exitedEarly).toBe(false);
    expect(readFileSync(join(dir, 'target.stderr.log'), 'utf8')).toBe('to stderr\n');
    expect(m.warnings()).toEqual([]);
  });

  it('kills a command that ignores SIGTERM after the grace, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-cmd-'));
    const m = new Monitor({ commands: [{ command: `"${process.execPath}" -e "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"` }], logDir: dir, stopGraceMs: 200, generator: false, host: false }, 1000);
    cleanups.push(() => m.stop());
    m.startCommands();
    for (let i = 0; i < 2000 && !readFileSync(join(dir, 'target.stdout.log'), 'utf8').includes('up'); i++) await new Promise((r) => setTimeout(r, 10));
    await m.stop();
    expect(m.commands[0].command.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(m.warnings().map((w) => w.code)).toEqual(['MONITOR_TARGET_KILLED']);
  });

  it('a command that exits on its own is a warning, and later samples fail (counted)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-cmd-'));
    const m = new Monitor({ commands: [{ command: 'exit 7' }], logDir: dir, generator: false, host: false }, 1000);
    m.startCommands();
    const cmd = m.commands[0].command;
    for (let i = 0; i < 2000 && cmd.exit === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(cmd.exit).toEqual({ code: 7, signal: null });
    await sample(m);
    await m.stop();
    expect(m.warnings().map((w) => w.code)).toEqual(['MONITOR_TARGET_EXITED', 'MONITOR_SAMPLE_FAILED']);
    expect(m.health()[0]).toMatchObject({ kind: 'cmd', samples: 1, failures: 1 });
  });
});

/** A Prometheus text endpoint whose counter goes up by 5 per scrape. */
async function metricsServer(): Promise<{ url: string; scrapes: number; close(): Promise<void> }> {
  const state = { scrapes: 0 };
  const server: Server = createServer((req, res) => {
    state.scrapes++;
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      [
        '# HELP process_resident_memory_bytes Resident memory size in bytes.',
        '# TYPE process_resident_memory_bytes gauge',
        `process_resident_memory_bytes ${50e6 + state.scrapes * 1e6}`,
        '# TYPE nodejs_heap_space_size_used_bytes gauge',
        'nodejs_heap_space_size_used_bytes{space="old"} 3000',
        'nodejs_heap_space_size_used_bytes{space="new"} 500',
        '# TYPE http_requests_total counter',
        `http_requests_total{code="200"} ${state.scrapes * 4}`,
        `http_requests_total{code="500"} ${state.scrapes}`,
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{le="0.1"} 7',
        'http_request_duration_seconds_bucket{le="+Inf"} 9',
        'http_request_duration_seconds_sum 1.5',
        'http_request_duration_seconds_count 9',
        '',
      ].join('\n'),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    get scrapes() {
      return state.scrapes;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('scraping a Prometheus endpoint', () => {
  it('keeps gauges, sums label sets, selects by label, and turns counters into rates', async () => {
    const srv = await metricsServer();
    cleanups.push(() => srv.close());
    const series = ['process_resident_memory_bytes', 'nodejs_heap_space_size_used_bytes', 'nodejs_heap_space_size_used_bytes{space="old"}', 'http_requests_total', 'http_request_duration_seconds_count', 'not_there'];
    const m = new Monitor({ urls: [{ url: srv.url }], series, generator: false, host: false }, 1000);
    cleanups.push(() => m.stop());
    const a = await sample(m);
    expect(a).toEqual({
      'target.process_resident_memory_bytes': 51e6,
      'target.nodejs_heap_space_size_used_bytes': 3500,
      'target.nodejs_heap_space_size_used_bytes{space="old"}': 3000,
    });
    const b = await sample(m);
    expect(b['target.process_resident_memory_bytes']).toBe(52e6);
    // +5 requests between the scrapes, over a positive time: a positive rate.
    expect(b['target.http_requests_total.rate']).toBeGreaterThan(0);
    expect(b['target.http_request_duration_seconds_count.rate']).toBe(0);
    expect(m.health()[0]).toMatchObject({ kind: 'url', samples: 2, failures: 0, lastError: 'not exposed: not_there' });
  });

  it('an endpoint that is down or answers an error is a counted failure', async () => {
    const srv = await metricsServer();
    const down = srv.url;
    await srv.close();
    const srv2 = await metricsServer();
    cleanups.push(() => srv2.close());
    const m = new Monitor({ urls: [{ url: down, name: 'gone' }, { url: srv2.url.replace('/metrics', '/nope?token=secret'), name: 'wrong' }], generator: false, host: false }, 1000);
    expect(await sample(m)).toEqual({});
    await m.stop();
    const h = m.health();
    expect(h.map((x) => [x.name, x.failures])).toEqual([
      ['target.gone', 1],
      ['target.wrong', 1],
    ]);
    expect(h[1].lastError).toMatch(/answered 404/);
    // The query string (it may hold a token) never reaches the result.
    expect(JSON.stringify([h, m.warnings()])).not.toContain('secret');
  });
});

describe('the generator and its host', () => {
  it('samples heap, RSS, CPU and lag of this process, and CPU, memory and load of the host', async () => {
    const m = new Monitor({}, 1000);
    cleanups.push(() => m.stop());
    await sample(m);
    await new Promise((r) => setTimeout(r, 50));
    const v = await sample(m);
    expect(v['generator.heap']).toBeGreaterThan(1e6);
    expect(v['generator.rss']).toBeGreaterThan(v['generator.heap']);
    expect(v['generator.cpu']).toBeGreaterThanOrEqual(0);
    expect(v['generator.lag']).toBeGreaterThan(0);
    expect(v['host.cpu']).toBeGreaterThanOrEqual(0);
    expect(v['host.cpu']).toBeLessThanOrEqual(1);
    expect(v['host.mem.used']).toBeGreaterThan(0);
    expect(v['host.load1']).toBeGreaterThanOrEqual(0);
  });
});


