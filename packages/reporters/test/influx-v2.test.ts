/**
 * InfluxDBReporter through the v2 write API (`/api/v2/write`, @influxdata/influxdb-client):
 * against a real VictoriaMetrics, against a small HTTP server that echoes credentials
 * back in its errors (they must be scrubbed), and the option / config validation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVictoriaMetrics, type VictoriaMetricsServer } from '../../../scripts/servers/index.mjs';
import {
  InfluxDBReporter,
  InfluxReporterConfigError,
  createInfluxReporter,
  influxOptionsFromEnv,
  intervalLines,
  summaryLines,
} from '../src/influxdb/index.js';
import { eventually, makeRun } from './support/synthetic.js';

const TOKEN = 'tok_9f8e7d6c5b4a-SECRET==';
let vm: VictoriaMetricsServer;

beforeAll(async () => {
  vm = await startVictoriaMetrics();
});
afterAll(async () => {
  await vm?.stop();
});

describe('InfluxDBReporter v2 → VictoriaMetrics', () => {
  it('writes all points; counts and percentiles query back exactly', async () => {
    const run = makeRun({ intervals: 15, seed: 3 });
    const reporter = new InfluxDBReporter({
      url: vm.url,
      version: 2,
      org: 'loadctl',
      bucket: 'loadctl',
      token: TOKEN,
      flushIntervalMs: 100,
      tags: { team: 'perf' },
    });
    expect(reporter.target).toBe(`${vm.url} (v2 org=loadctl bucket=loadctl)`);
    reporter.start(run.meta);
    for (const iv of run.intervals) reporter.interval(iv);
    await reporter.end(run.summary);
    const expected = run.intervals.reduce((a, iv) => a + intervalLines(iv, {}).length, 0) + summaryLines(run.summary, {}).length + 2;
    expect(reporter.stats()).toMatchObject({ points: expected, written: expected, rejected: 0, droppedBufferFull: 0, unsentAtEnd: 0 });
    expect(reporter.notes()).toEqual([`influxdb ${vm.url} (v2 org=loadctl bucket=loadctl): points written ${expected}, write retries 0, dropped 0`]);

    const sel = (metric: string, extra = '') => `{__name__="${metric}",run_id="${run.meta.runId}"${extra}}`;
    const series = await eventually(async () => {
      await vm.flush();
      const s = await vm.export(sel('loadctl_requests_count'));
      return s.length === 3 && s.every((x) => x.values.length === 15) ? s : undefined;
    }, 15_000);
    expect(series).toBeDefined();
    const byName = Object.fromEntries(series!.map((s) => [s.metric.name, s]));
    expect(byName.total!.values.reduce((a, b) => a + b, 0)).toBe(run.summary.total.count);
    expect(byName.total!.timestamps).toEqual(run.intervals.map((iv) => iv.end));
    expect(byName.total!.metric).toMatchObject({ scenario: 'synthetic', team: 'perf', env: 'test', segment: '0/1', shard: '0/1' });
    for (const [name, s] of Object.entries(run.summary.requests)) {
      expect(byName[name]!.values.reduce((a, b) => a + b, 0)).toBe(s.count);
    }
    const p99 = await vm.export(sel('loadctl_requests_latency_p99_ms', ',name="total"'));
    expect(p99[0]!.values).toEqual(run.intervals.map((iv) => iv.total.latency.percentiles['99']! / 1000));

    const summaryP99 = await eventually(async () => {
      await vm.flush();
      return (await vm.export(sel('loadctl_summary_latency_p99_ms', ',name="total"')))[0];
    });
    expect(summaryP99!.values).toEqual([run.summary.total.latency.percentiles['99']! / 1000]);
    expect(summaryP99!.timestamps).toEqual([run.summary.endedAt]);
    const checks = await vm.export(sel('loadctl_checks_fails'));
    const fails = Object.fromEntries(checks.map((c) => [c.metric.check, c.values.reduce((a, b) => a + b, 0)]));
    expect(fails).toEqual(Object.fromEntries(Object.entries(run.summary.checks).map(([k, v]) => [k, v.fails])));
    const users = await vm.export(sel('loadctl_run_active_users'));
    expect(users[0]!.values).toEqual(run.intervals.map((iv) => iv.activeUsers));
  });
});

describe('credentials are never shown', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ path: string; auth: string | undefined }> = [];
  let mode: 'unauthorized' | 'unavailable' = 'unauthorized';

  beforeAll(async () => {
    // A hostile server: it echoes the Authorization header back in its error bodies.
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization });
      req.resume();
      req.on('end', () => {
        res.writeHead(mode === 'unauthorized' ? 401 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: mode, message: `bad credentials: ${req.headers.authorization}` }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  function texts(r: InfluxDBReporter): string[] {
    return [...r.notes(), r.stats().lastError ?? '', String(r), `${r}`, JSON.stringify(r), inspect(r, { showHidden: true, depth: 10 })];
  }

  it('v2 token: sent as "Token …", scrubbed from a 401 body (rejected) and a 503 body (retried)', async () => {
    const run = makeRun({ intervals: 2 });
    for (const m of ['unauthorized', 'unavailable'] as const) {
      mode = m;
      seen.length = 0;
      const r = new InfluxDBReporter({ url, version: 2, org: 'o', bucket: 'b', token: TOKEN, flushIntervalMs: 50, minRetryDelayMs: 20, maxRetryDelayMs: 50, endTimeoutMs: 300 });
      r.start(run.meta);
      for (const iv of run.intervals) r.interval(iv);
      await r.end(run.summary);
      expect(seen[0]).toEqual({ path: '/api/v2/write?org=o&bucket=b&precision=ms', auth: `Token ${TOKEN}` });
      const s = r.stats();
      expect(s.written).toBe(0);
      if (m === 'unauthorized') expect(s.rejected).toBe(s.points);
      else expect(s.unsentAtEnd).toBe(s.points);
      expect(s.lastError).toContain('bad credentials: Token ***');
      for (const t of texts(r)) {
        expect(t).not.toContain(TOKEN);
      }
    }
  });

  it('v1 password: scrubbed in its basic-auth form too', async () => {
    mode = 'unauthorized';
    seen.length = 0;
    const password = 'hunter2-ÄÖ-p@ss';
    const run = makeRun({ intervals: 1 });
    const r = new InfluxDBReporter({ url, version: 1, db: 'x', username: 'me', password, endTimeoutMs: 300 });
    r.start(run.meta);
    r.interval(run.intervals[0]!);
    await r.end(run.summary);
    const basic = Buffer.from(`me:${password}`).toString('base64');
    expect(seen[0]!.auth).toBe(`Basic ${basic}`);
    expect(r.stats().lastError).toContain('Basic ***');
    for (const t of texts(r)) {
      expect(t).not.toContain(password);
      expect(t).not.toContain(basic);
    }
  });

  it('validation errors do not echo secrets', () => {
    expect(() => new InfluxDBReporter({ url: `http://me:${TOKEN}@127.0.0.1:8086`, version: 1, db: 'x' })).toThrow(/must not contain credentials/);
    try {
      new InfluxDBReporter({ url: `http://me:${TOKEN}@127.0.0.1:8086`, version: 1, db: 'x' });
    } catch (e) {
      expect(String(e)).not.toContain(TOKEN);
    }
    try {
      createInfluxReporter({ type: 'influxdb', url: 'http://127.0.0.1:8086', version: 2, org: 'o', bucket: 'b', token: 12345678 });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('influxdb reporter: "token" must be a non-empty string, got (hidden)');
    }
  });
});

describe('options', () => {
  const base = { url: 'http://127.0.0.1:8086' };
  const err = (f: () => unknown): InfluxReporterConfigError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InfluxReporterConfigError);
      expect((e as InfluxReporterConfigError).code).toBe('E_REPORTER_CONFIG');
      return e as InfluxReporterConfigError;
    }
    throw new Error('expected an error');
  };

  it('infers the version from db / bucket and validates each key', () => {
    expect(new InfluxDBReporter({ ...base, db: 'x' }).target).toBe('http://127.0.0.1:8086 (v1 db=x)');
    expect(new InfluxDBReporter({ ...base, db: 'x', rp: 'autogen' }).target).toBe('http://127.0.0.1:8086 (v1 db=x rp=autogen)');
    expect(new InfluxDBReporter({ ...base, org: 'o', bucket: 'b' }).target).toBe('http://127.0.0.1:8086 (v2 org=o bucket=b)');
    expect(err(() => new InfluxDBReporter({ ...base })).key).toBe('version');
    expect(err(() => new InfluxDBReporter({ url: '' })).key).toBe('url');
    expect(err(() => new InfluxDBReporter({ url: 'ftp://x', db: 'x' })).key).toBe('url');
    expect(err(() => new InfluxDBReporter({ url: 'not a url', db: 'x' })).key).toBe('url');
    expect(err(() => new InfluxDBReporter({ ...base, version: 1 })).key).toBe('db');
    expect(err(() => new InfluxDBReporter({ ...base, version: 2, bucket: 'b' })).key).toBe('org');
    expect(err(() => new InfluxDBReporter({ ...base, version: 2, org: 'o', bucket: 'b', db: 'x' })).key).toBe('db');
    // Credentials of the other version are ignored (all LOADCTL_INFLUXDB_* may be set at once).
    expect(JSON.stringify(new InfluxDBReporter({ ...base, version: 1, db: 'x', token: 't' }))).not.toContain('token');
    expect(JSON.stringify(new InfluxDBReporter({ ...base, org: 'o', bucket: 'b', username: 'u', password: 'p' }))).not.toMatch(/username|password/);
    expect(err(() => new InfluxDBReporter({ ...base, version: 1, db: 'x', bucket: 'b' })).key).toBe('bucket');
    expect(err(() => new InfluxDBReporter({ ...base, db: 'x', password: 'p' })).key).toBe('username');
    expect(err(() => new InfluxDBReporter({ ...base, db: 'x', maxBufferPoints: 0 })).key).toBe('maxBufferPoints');
    expect(err(() => new InfluxDBReporter({ ...base, db: 'x', flushIntervalMs: 1.5 })).key).toBe('flushIntervalMs');
    expect(err(() => new InfluxDBReporter({ ...base, db: 'x', minRetryDelayMs: 500, maxRetryDelayMs: 100 })).key).toBe('maxRetryDelayMs');
    expect(err(() => new InfluxDBReporter({ ...base, db: 'x', tags: { a: {} as unknown as string } })).key).toBe('tags.a');
  });

  it('createInfluxReporter takes a scenario reporters entry and names bad keys', () => {
    const r = createInfluxReporter({ type: 'influxdb', url: 'http://h:8086', version: 1, db: 'd', rp: 'r', flushInterval: '2s', tags: { a: 'b' }, endTimeout: 1500 });
    expect(JSON.parse(JSON.stringify(r))).toMatchObject({ version: 1, db: 'd', rp: 'r', flushIntervalMs: 2000, endTimeoutMs: 1500, tags: { a: 'b' } });
    expect(createInfluxReporter({ url: 'http://h:8086', version: '2', org: 'o', bucket: 'b' }).target).toBe('http://h:8086 (v2 org=o bucket=b)');
    const unknown = err(() => createInfluxReporter({ type: 'influxdb', url: 'http://h', db: 'd', flush_interval: '5s' }));
    expect(unknown.key).toBe('flush_interval');
    expect(unknown.message).toMatch(/unknown option "flush_interval" \(known: type, url, version/);
    expect(err(() => createInfluxReporter({ type: 'prometheus', url: 'http://h', db: 'd' })).key).toBe('type');
    expect(err(() => createInfluxReporter({ url: 'http://h', db: 'd', flushInterval: 'soon' })).message).toBe(
      'influxdb reporter: "flushInterval" must be a duration like "5s" or "500ms", got "soon"',
    );
    expect(err(() => createInfluxReporter({ url: 'http://h', db: 'd', flushInterval: 0 })).message).toBe(
      'influxdb reporter: "flushInterval" must be an integer >= 1, got 0',
    );
    expect(err(() => createInfluxReporter({ url: 'http://h', version: 3, db: 'd' })).key).toBe('version');
    // Option names work as keys too (what the CLI passes), with ms numbers or durations.
    expect(JSON.parse(JSON.stringify(createInfluxReporter({ url: 'http://h', db: 'd', flushIntervalMs: 1500, endTimeoutMs: '2s' })))).toMatchObject({
      flushIntervalMs: 1500,
      endTimeoutMs: 2000,
    });
    expect(err(() => createInfluxReporter({ url: 'http://h', db: 'd', flushIntervalMs: 0 })).key).toBe('flushIntervalMs');
    // Secrets merged from the environment, as the CLI does.
    const env = influxOptionsFromEnv({ LOADCTL_INFLUXDB_TOKEN: 'tok', LOADCTL_INFLUXDB_USERNAME: 'u', LOADCTL_INFLUXDB_PASSWORD: 'pw' });
    expect(JSON.parse(JSON.stringify(createInfluxReporter({ ...env, url: 'http://h', version: 1, db: 'd' })))).toMatchObject({ username: 'u', password: '***' });
    expect(JSON.parse(JSON.stringify(createInfluxReporter({ ...env, url: 'http://h', org: 'o', bucket: 'b' })))).toMatchObject({ token: '***' });
  });

  it('reads secrets from LOADCTL_INFLUXDB_* env vars', () => {
    expect(influxOptionsFromEnv({ LOADCTL_INFLUXDB_TOKEN: 't', LOADCTL_INFLUXDB_PASSWORD: 'p', LOADCTL_INFLUXDB_USERNAME: 'u', OTHER: 'x' })).toEqual({
      token: 't',
      password: 'p',
      username: 'u',
    });
    expect(influxOptionsFromEnv({ LOADCTL_INFLUXDB_TOKEN: '' })).toEqual({});
  });
});
