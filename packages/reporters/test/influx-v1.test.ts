/**
 * InfluxDBReporter against a real InfluxDB 1.6 (`/usr/bin/influxd`, v1 /write API):
 * exact counts and percentiles read back with InfluxQL, credentials, and faults
 * (server never up; server killed mid-run and restarted on the same port).
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startInfluxDB1, type InfluxDB1Server } from '../../../scripts/servers/index.mjs';
import { InfluxDBReporter, intervalLines, summaryLines } from '../src/influxdb/index.js';
import { eventually, makeRun } from './support/synthetic.js';
import { pointCounts, rows, totalPoints } from './support/influx.js';

const PASSWORD = 'pw-S3cr3t!/+=&x';
let influx: InfluxDB1Server;

beforeAll(async () => {
  influx = await startInfluxDB1({ db: 'loadctl', auth: { user: 'loadctl', password: PASSWORD } });
});
afterAll(async () => {
  await influx?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function reporterFor(extra: Partial<ConstructorParameters<typeof InfluxDBReporter>[0]> = {}): InfluxDBReporter {
  return new InfluxDBReporter({
    url: influx.url,
    version: 1,
    db: 'loadctl',
    username: 'loadctl',
    password: PASSWORD,
    flushIntervalMs: 100,
    minRetryDelayMs: 50,
    maxRetryDelayMs: 200,
    tags: { team: 'perf' },
    ...extra,
  });
}

function expectNoSecret(reporter: InfluxDBReporter): void {
  const texts = [reporter.notes().join('\n'), String(reporter), JSON.stringify(reporter), inspect(reporter, { depth: 5, showHidden: true })];
  const basic = Buffer.from(`loadctl:${PASSWORD}`).toString('base64');
  for (const t of texts) {
    expect(t).not.toContain(PASSWORD);
    expect(t).not.toContain(encodeURIComponent(PASSWORD));
    expect(t).not.toContain(basic);
  }
}

describe('InfluxDBReporter v1 (InfluxDB 1.6)', () => {
  it('writes every interval, the summary and annotations; counts and p99 read back exactly', async () => {
    const run = makeRun({ intervals: 20, tags: { env: 'ci' } });
    const reporter = reporterFor();
    reporter.start(run.meta);
    for (const [i, iv] of run.intervals.entries()) {
      // Never waits for the network: interval() returns nothing to wait for (not a promise).
      expect(reporter.interval(iv)).toBeUndefined();
      if (i === 9) {
        // Background flushes happen during the run, not only at the end.
        const mid = await eventually(async () => (reporter.stats().written > 0 ? reporter.stats().written : 0), 30_000, 20);
        expect(mid).toBeGreaterThan(0);
      }
    }
    await reporter.end(run.summary);
    const stats = reporter.stats();
    const expectedLines =
      run.intervals.reduce((a, iv) => a + intervalLines(iv, {}).length, 0) + summaryLines(run.summary, {}).length + 2;
    expect(stats).toMatchObject({ points: expectedLines, written: expectedLines, droppedBufferFull: 0, rejected: 0, unsentAtEnd: 0, pending: 0 });
    expect(reporter.notes()).toEqual([
      `influxdb ${influx.url} (v1 db=loadctl): points written ${expectedLines}, write retries 0, dropped 0`,
    ]);
    expectNoSecret(reporter);

    const runId = run.meta.runId;
    expect(await totalPoints(influx, runId)).toBe(expectedLines);
    const counts = await pointCounts(influx, runId);
    expect(counts.loadctl_requests).toBe(20 * 3);
    expect(counts.loadctl_run).toBe(20);
    expect(counts.loadctl_events).toBe(2);
    expect(counts.loadctl_summary).toBe(3);

    // Exact sums per request name and for the total.
    const sums = await rows(
      influx,
      `SELECT sum("count") AS count, sum("failed") AS failed, sum("errors_timeout") AS timeouts, sum("bytes_in") AS bytes_in FROM "loadctl_requests" WHERE "run_id" = '${runId}' GROUP BY "name"`,
    );
    const byName = Object.fromEntries(sums.map((r) => [r.name, r]));
    expect(byName.total).toMatchObject({ count: run.summary.total.count, failed: run.summary.total.failed, bytes_in: run.summary.total.bytesIn });
    for (const [name, s] of Object.entries(run.summary.requests)) {
      expect(byName[name]).toMatchObject({ count: s.count, failed: s.failed, timeouts: s.errors.timeout ?? 0 });
    }
    // Status classes add up to the responses.
    const status = await rows(
      influx,
      `SELECT sum("count") AS n FROM "loadctl_status" WHERE "run_id" = '${runId}' AND "name" = 'total' GROUP BY "status_class"`,
    );
    const byClass = Object.fromEntries(status.map((r) => [r.status_class, r.n]));
    expect(byClass['5xx']).toBe(run.summary.total.statuses['500']);
    expect(byClass['2xx']).toBe(run.summary.total.statuses['200']);

    // Per-interval p99 (ms floats) equal the intervals' values, at the interval end timestamps.
    const p99 = await rows(
      influx,
      `SELECT "latency_p99_ms", "latency_p99_9_ms", "service_p99_ms", "rps" FROM "loadctl_requests" WHERE "run_id" = '${runId}' AND "name" = 'total'`,
    );
    expect(p99.map((r) => r.time)).toEqual(run.intervals.map((iv) => iv.end));
    expect(p99.map((r) => r.latency_p99_ms)).toEqual(run.intervals.map((iv) => iv.total.latency.percentiles['99']! / 1000));
    expect(p99.map((r) => r.latency_p99_9_ms)).toEqual(run.intervals.map((iv) => iv.total.latency.percentiles['99.9']! / 1000));
    expect(p99.map((r) => r.service_p99_ms)).toEqual(run.intervals.map((iv) => iv.total.serviceTime.percentiles['99']! / 1000));
    expect(p99.map((r) => r.rps)).toEqual(run.intervals.map((iv) => iv.rps));

    // The end-of-run summary point carries the cumulative figures.
    const [summary] = await rows(
      influx,
      `SELECT * FROM "loadctl_summary" WHERE "run_id" = '${runId}' AND "name" = 'total'`,
    );
    expect(summary).toMatchObject({
      time: run.summary.endedAt,
      count: run.summary.total.count,
      latency_p99_ms: run.summary.total.latency.percentiles['99']! / 1000,
      latency_p50_ms: run.summary.total.latency.percentiles['50']! / 1000,
      passed: false,
      end_reason: 'completed',
      thresholds_failed: 1,
      scenario: 'synthetic',
      team: 'perf',
      env: 'ci',
      segment: '0/1',
    });

    // Run gauges.
    const runRows = await rows(influx, `SELECT "active_users", "target_rate", "dropped", "late", "stage" FROM "loadctl_run" WHERE "run_id" = '${runId}'`);
    expect(runRows.map((r) => r.active_users)).toEqual(run.intervals.map((iv) => iv.activeUsers));
    expect(runRows.reduce((a, r) => a + (r.dropped as number), 0)).toBe(run.summary.dropped);
    expect(runRows[0]).toMatchObject({ target_rate: 150, stage: 'ramp' });
    // The generator's own health per interval.
    const genRows = await rows(influx, `SELECT "generator_delay_p50_ms", "generator_delay_p99_ms", "generator_delay_max_ms", "main_thread_pause_ms" FROM "loadctl_run" WHERE "run_id" = '${runId}'`);
    expect(genRows.map((r) => [r.generator_delay_p50_ms, r.generator_delay_p99_ms, r.generator_delay_max_ms, r.main_thread_pause_ms])).toEqual(
      run.intervals.map((iv) => [iv.generator.delay!.p50 / 1000, iv.generator.delay!.p99 / 1000, iv.generator.delay!.max / 1000, iv.generator.mainPauseMs]),
    );

    // Checks.
    const checks = await rows(influx, `SELECT sum("passes") AS p, sum("fails") AS f FROM "loadctl_checks" WHERE "run_id" = '${runId}' GROUP BY "check"`);
    for (const [name, c] of Object.entries(run.summary.checks)) {
      expect(checks.find((r) => r.check === name)).toMatchObject({ p: c.passes, f: c.fails });
    }

    // Annotations at run start and end.
    const events = await rows(influx, `SELECT "text", "title", "event" FROM "loadctl_events" WHERE "run_id" = '${runId}'`);
    expect(events.map((e) => [e.time, e.event])).toEqual([
      [run.meta.startedAt, 'start'],
      [run.summary.endedAt, 'end'],
    ]);
    expect(events[0]!.text).toContain(`run ${runId} started`);
    expect(events[1]!.text).toMatch(/ended \(completed\): FAILED; \d+ requests/);
  });

  it('writes into a named retention policy (rp)', async () => {
    await influx.query(`CREATE RETENTION POLICY "short" ON "loadctl" DURATION 2h REPLICATION 1`);
    const run = makeRun({ intervals: 3 });
    const reporter = reporterFor({ rp: 'short' });
    expect(reporter.target).toBe(`${influx.url} (v1 db=loadctl rp=short)`);
    reporter.start(run.meta);
    for (const iv of run.intervals) reporter.interval(iv);
    await reporter.end(run.summary);
    expect(reporter.stats().written).toBe(reporter.stats().points);
    const inRp = await rows(influx, `SELECT count("rps") FROM "loadctl"."short"."loadctl_run" WHERE "run_id" = '${run.meta.runId}'`);
    expect(inRp[0]!.count).toBe(3);
    expect(await totalPoints(influx, run.meta.runId)).toBe(0); // not in the default policy
  });

  it('counts a 401 (wrong password) as rejected and never shows the password', async () => {
    const run = makeRun({ intervals: 3 });
    const reporter = reporterFor({ password: PASSWORD + 'nope' });
    reporter.start(run.meta);
    for (const iv of run.intervals) reporter.interval(iv);
    await reporter.end(run.summary);
    const s = reporter.stats();
    expect(s.written).toBe(0);
    expect(s.rejected).toBe(s.points);
    expect(s.lastError).toMatch(/^HTTP 401/);
    const notes = reporter.notes();
    expect(notes[0]).toContain(`dropped ${s.points} (buffer full 0, rejected ${s.points}, unsent at end 0)`);
    expect(notes[1]).toMatch(/^warning: no points reached InfluxDB at .*last error: HTTP 401/);
    for (const t of [...notes, String(reporter), JSON.stringify(reporter), inspect(reporter)]) expect(t).not.toContain(PASSWORD);
  });

  it('server never started: the run completes, every point is counted as dropped', async () => {
    const port = await freePort();
    const run = makeRun({ intervals: 8 });
    const reporter = new InfluxDBReporter({
      url: `http://127.0.0.1:${port}`,
      version: 1,
      db: 'loadctl',
      username: 'u',
      password: PASSWORD,
      flushIntervalMs: 50,
      minRetryDelayMs: 20,
      maxRetryDelayMs: 100,
      endTimeoutMs: 400,
    });
    reporter.start(run.meta);
    for (const iv of run.intervals) {
      reporter.interval(iv);
      await sleep(20);
    }
    // end() is bounded by endTimeoutMs; whether the refused connection or the end's abort is
    // the last error depends on timing, so only what holds either way is asserted.
    await reporter.end(run.summary);
    const s = reporter.stats();
    const expected = run.intervals.reduce((a, iv) => a + intervalLines(iv, {}).length, 0) + summaryLines(run.summary, {}).length + 2;
    expect(s.points).toBe(expected);
    expect(s).toMatchObject({ written: 0, droppedBufferFull: 0, rejected: 0, unsentAtEnd: expected, pending: 0 });
    const notes = reporter.notes();
    expect(notes[0]).toBe(
      `influxdb http://127.0.0.1:${port} (v1 db=loadctl): points written 0, write retries ${s.retries}, dropped ${expected} (buffer full 0, rejected 0, unsent at end ${expected})`,
    );
    expect(notes[1]).toMatch(/^warning: no points reached InfluxDB at http:\/\/127\.0\.0\.1:\d+ \(last error: .*(ECONNREFUSED|abort|timed out)/i);
    for (const t of [...notes, String(reporter), JSON.stringify(reporter)]) expect(t).not.toContain(PASSWORD);
    // Nothing is sent after end.
    reporter.interval(run.intervals[0]!);
    expect(reporter.stats().points).toBe(expected);
  });

  it('server killed mid-run and restarted on the same port: loss is bounded and counted exactly', async () => {
    const server = await startInfluxDB1({ db: 'loadctl' });
    try {
      const run = makeRun({ intervals: 30, seed: 7 });
      const perInterval = intervalLines(run.intervals[0]!, {}).length;
      const reporter = new InfluxDBReporter({
        url: server.url,
        version: 1,
        db: 'loadctl',
        flushIntervalMs: 50,
        minRetryDelayMs: 50,
        maxRetryDelayMs: 150,
        maxBufferPoints: perInterval * 4,
        endTimeoutMs: 3000,
      });
      reporter.start(run.meta);
      const feed = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          reporter.interval(run.intervals[i]!);
          await sleep(30);
        }
      };
      await feed(0, 8);
      await eventually(async () => reporter.stats().pending === 0, 30_000, 20);
      const writtenBefore = reporter.stats().written;
      expect(writtenBefore).toBe(reporter.stats().points);

      await server.kill();
      await feed(8, 20); // 12 intervals while down; the buffer holds 4
      const during = reporter.stats();
      expect(during.droppedBufferFull).toBeGreaterThan(0);
      expect(during.pending).toBeLessThanOrEqual(perInterval * 4);
      expect(during.retries).toBeGreaterThan(0);

      await server.restart();
      await feed(20, 30);
      await reporter.end(run.summary);
      const s = reporter.stats();
      expect(s.pending).toBe(0);
      expect(s.unsentAtEnd).toBe(0);
      expect(s.rejected).toBe(0);
      // Every point is accounted for, and what is stored is exactly what was reported written.
      expect(s.written + s.droppedBufferFull).toBe(s.points);
      const stored = await totalPoints(server, run.meta.runId);
      expect(stored).toBe(s.written);
      expect(s.points - stored).toBe(s.droppedBufferFull);
      expect(reporter.notes()[0]).toContain(`dropped ${s.droppedBufferFull} (buffer full ${s.droppedBufferFull}, rejected 0, unsent at end 0)`);
      // Points after the restart arrived. How many of intervals 20..29 the buffer had to drop
      // depends on when the writer's backoff met the restart; the newest always survive (the
      // buffer drops the oldest, and the end's summary and events take less than 2 intervals).
      const after = await rows(
        server,
        `SELECT "count" FROM "loadctl_requests" WHERE "run_id" = '${run.meta.runId}' AND "name" = 'total' AND time >= ${run.intervals[20]!.end}ms`,
      );
      const afterTimes = after.map((r) => r.time as number);
      const ends = run.intervals.slice(20).map((iv) => iv.end);
      expect(afterTimes.every((t) => ends.includes(t))).toBe(true);
      expect(afterTimes).toEqual(expect.arrayContaining(ends.slice(-2)));
      // The oldest were dropped: the first intervals written before the kill are all there.
      const before = await rows(
        server,
        `SELECT "count" FROM "loadctl_requests" WHERE "run_id" = '${run.meta.runId}' AND "name" = 'total' AND time <= ${run.intervals[7]!.end}ms`,
      );
      expect(before).toHaveLength(8);
    } finally {
      await server.stop();
    }
  });
});
