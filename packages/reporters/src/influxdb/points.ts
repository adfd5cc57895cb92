/**
 * Run data → InfluxDB points (line protocol built by the client library's Point).
 * The measurement / tag / field schema is documented in docs/reporters.md.
 * Latency fields are milliseconds as floats (`*_ms`); counts are integers.
 */
import { Point } from '@influxdata/influxdb-client';
import { ERROR_KINDS, type FlowStats, type Interval, type LatencySummary, type RequestStats, type RunMeta, type Summary } from '@loadctl/core';
import { monitorPoints, trendPoints } from './monitor-points.js';

export const MEASUREMENTS = {
  requests: 'loadctl_requests',
  status: 'loadctl_status',
  checks: 'loadctl_checks',
  flows: 'loadctl_flows',
  run: 'loadctl_run',
  summary: 'loadctl_summary',
  events: 'loadctl_events',
} as const;

/** Percentile labels of LatencySummary.percentiles written as latency_p<label>_ms ("99.9" → p99_9). */
export const LATENCY_PERCENTILES = ['50', '90', '95', '99', '99.9'] as const;
const SERVICE_PERCENTILES = ['50', '95', '99'] as const;

export function percentileField(prefix: string, label: string): string {
  return `${prefix}_p${label.replace('.', '_')}_ms`;
}

/** Tags every point of a run carries: user tags first, the run's identity wins on a clash. */
export function baseTags(meta: RunMeta | undefined, extra: Record<string, string>): Record<string, string> {
  const tags: Record<string, string> = { ...(meta?.tags ?? {}), ...extra };
  if (meta) {
    tags.run_id = meta.runId;
    tags.scenario = meta.scenario;
    tags.segment = meta.segment;
    // The shard of a run split with --segment ("1/1" unsplit): no two shards' points collide.
    tags.shard = meta.segment;
  }
  return tags;
}

function point(measurement: string, tags: Record<string, string>, ts: number): Point {
  const p = new Point(measurement);
  for (const [k, v] of Object.entries(tags)) if (v !== '' && k !== '') p.tag(k, v);
  p.timestamp(Math.round(ts));
  return p;
}

const ms = (us: number): number => us / 1000;

function int(p: Point, name: string, v: number | undefined): void {
  if (v !== undefined && Number.isFinite(v)) p.intField(name, Math.round(v));
}
function float(p: Point, name: string, v: number | undefined): void {
  if (v !== undefined && Number.isFinite(v)) p.floatField(name, v);
}

function latencyFields(p: Point, prefix: string, l: LatencySummary, labels: readonly string[], minMeanMax: boolean): void {
  if (l.count === 0) return; // no samples: write no latency rather than zeros that pollute mean/max
  if (minMeanMax) {
    float(p, `${prefix}_min_ms`, ms(l.min));
    float(p, `${prefix}_mean_ms`, ms(l.mean));
    float(p, `${prefix}_max_ms`, ms(l.max));
  }
  for (const label of labels) float(p, percentileField(prefix, label), ms(l.percentiles[label] ?? 0));
}

function requestFields(p: Point, s: RequestStats, seconds: number): void {
  int(p, 'count', s.count);
  int(p, 'responses', s.responses);
  float(p, 'rps', seconds > 0 ? s.count / seconds : 0);
  int(p, 'failed', s.failed);
  int(p, 'errors', s.errorCount);
  for (const kind of ERROR_KINDS) int(p, `errors_${kind}`, s.errors[kind] ?? 0);
  int(p, 'bytes_in', s.bytesIn);
  int(p, 'bytes_out', s.bytesOut);
  latencyFields(p, 'latency', s.latency, LATENCY_PERCENTILES, true);
  latencyFields(p, 'service', s.serviceTime, SERVICE_PERCENTILES, false);
}

function statusClass(code: string): string {
  return /^[1-5]\d\d$/.test(code) ? `${code[0]}xx` : 'other';
}

function toLines(points: Point[]): string[] {
  const out: string[] = [];
  for (const p of points) {
    const line = p.toLineProtocol();
    if (line) out.push(line);
  }
  return out;
}

/** What the request, status, check, flow and run points of an interval are made of: the run's, or one load's part. */
type Section = Pick<Interval, 'total' | 'requests' | 'flows' | 'checks' | 'rps' | 'activeUsers' | 'targetRate' | 'achievedRate' | 'dropped' | 'late' | 'stage'>;

/** The request, status, check and flow points of one section, and its run point (returned, for more fields). */
function sectionPoints(x: Section, tags: Record<string, string>, ts: number, seconds: number, points: Point[]): Point {
  const requestPoint = (name: string, s: RequestStats): void => {
    const t = { ...tags, name };
    const p = point(MEASUREMENTS.requests, t, ts);
    requestFields(p, s, seconds);
    points.push(p);
    for (const [code, count] of Object.entries(s.statuses)) {
      const sp = point(MEASUREMENTS.status, { ...t, status: code, status_class: statusClass(code) }, ts);
      int(sp, 'count', count);
      points.push(sp);
    }
  };
  for (const [name, s] of Object.entries(x.requests)) requestPoint(name, s);
  requestPoint('total', x.total);

  for (const [check, c] of Object.entries(x.checks)) {
    const p = point(MEASUREMENTS.checks, { ...tags, check }, ts);
    int(p, 'passes', c.passes);
    int(p, 'fails', c.fails);
    points.push(p);
  }
  for (const [flow, f] of Object.entries(x.flows)) points.push(flowPoint(flow, f, tags, ts));

  const run = point(MEASUREMENTS.run, tags, ts);
  float(run, 'rps', x.rps);
  int(run, 'requests', x.total.count);
  int(run, 'failed', x.total.failed);
  int(run, 'active_users', x.activeUsers);
  float(run, 'target_rate', x.targetRate);
  float(run, 'achieved_rate', x.achievedRate);
  int(run, 'dropped', x.dropped);
  int(run, 'late', x.late);
  int(run, 'iterations', Object.values(x.flows).reduce((a, f) => a + f.iterations, 0));
  points.push(run);
  return run;
}

/**
 * Line-protocol lines for one interval (timestamp = interval end, ms). Loads side by side:
 * the run's points as for one load, then each load's, tagged `load` (and the load's tags,
 * `loadTags[name]`); a query that sums over points keeps to `"load" = ''` for the run's.
 */
export function intervalLines(iv: Interval, tags: Record<string, string>, loadTags: Record<string, Record<string, string>> = {}): string[] {
  const ts = iv.end;
  const seconds = (iv.end - iv.start) / 1000;
  const points: Point[] = [];
  const run = sectionPoints(iv, tags, ts, seconds, points);
  int(run, 'elapsed_ms', iv.elapsedMs);
  int(run, 'interval_index', iv.index);
  float(run, 'generator_cpu', iv.generator.cpu);
  float(run, 'event_loop_lag_ms', iv.generator.eventLoopLagMs);
  const delay = iv.generator.delay;
  if (delay) {
    float(run, 'generator_delay_p50_ms', ms(delay.p50));
    float(run, 'generator_delay_p99_ms', ms(delay.p99));
    float(run, 'generator_delay_max_ms', ms(delay.max));
  }
  float(run, 'main_thread_pause_ms', iv.generator.mainPauseMs);
  if (iv.stage) run.stringField('stage', iv.stage);
  points.push(...monitorPoints(iv, tags));
  for (const [name, l] of Object.entries(iv.loads ?? {})) {
    const lr = sectionPoints(l, loadTags[name] ?? { ...tags, load: name }, ts, seconds, points);
    if (l.stage) lr.stringField('stage', l.stage);
  }
  return toLines(points);
}

/** The tags of a side-by-side load's points: the run's, the load's own, and `load`; the run's identity wins. */
export function loadTagsOf(meta: RunMeta | undefined, extra: Record<string, string>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, l] of Object.entries(meta?.loads ?? {})) out[name] = { ...baseTags(meta && { ...meta, tags: { ...meta.tags, ...l.tags } }, extra), load: name };
  return out;
}

function flowPoint(flow: string, f: FlowStats, tags: Record<string, string>, ts: number): Point {
  const p = point(MEASUREMENTS.flows, { ...tags, flow }, ts);
  int(p, 'iterations', f.iterations);
  int(p, 'failed', f.failed);
  if (f.duration.count > 0) {
    float(p, 'duration_mean_ms', ms(f.duration.mean));
    for (const label of ['50', '95', '99']) float(p, `duration_p${label}_ms`, ms(f.duration.percentiles[label] ?? 0));
  }
  return p;
}

/** The `loadctl_summary` points of each request name and of `total` (returned, for more fields). */
function summaryRequestPoints(x: Pick<Summary, 'requests' | 'total'>, tags: Record<string, string>, ts: number, seconds: number, points: Point[]): Point {
  const one = (name: string, s: RequestStats): Point => {
    const p = point(MEASUREMENTS.summary, { ...tags, name }, ts);
    requestFields(p, s, seconds);
    float(p, 'error_rate', s.count > 0 ? s.failed / s.count : 0);
    points.push(p);
    return p;
  };
  for (const [name, s] of Object.entries(x.requests)) one(name, s);
  return one('total', x.total);
}

/**
 * End-of-run points: one `loadctl_summary` per request name and for `total` (timestamp =
 * endedAt); loads side by side: each load's too, tagged `load`.
 */
export function summaryLines(summary: Summary, tags: Record<string, string>, loadTags: Record<string, Record<string, string>> = {}): string[] {
  const ts = summary.endedAt;
  // Rates over the load window (graceful drain excluded), as in the summary.
  const seconds = (summary.loadDurationMs ?? summary.durationMs) / 1000;
  const points: Point[] = [];
  const t = summaryRequestPoints(summary, tags, ts, seconds, points);
  int(t, 'duration_ms', summary.durationMs);
  float(t, 'rps_mean', summary.rps.mean);
  float(t, 'rps_min', summary.rps.min);
  float(t, 'rps_max', summary.rps.max);
  int(t, 'dropped', summary.dropped);
  int(t, 'late', summary.late);
  const checks = Object.values(summary.checks);
  int(t, 'checks_passes', checks.reduce((a, c) => a + c.passes, 0));
  int(t, 'checks_fails', checks.reduce((a, c) => a + c.fails, 0));
  int(t, 'thresholds', summary.verdict.thresholds.length);
  int(t, 'thresholds_failed', summary.verdict.thresholds.filter((x) => !x.passed).length);
  t.booleanField('passed', summary.verdict.passed);
  t.stringField('end_reason', summary.verdict.endReason);
  const g = summary.generator;
  if (g) {
    if (g.delay.count > 0) {
      for (const label of ['50', '99']) float(t, `generator_delay_p${label}_ms`, ms(g.delay.percentiles[label] ?? 0));
      float(t, 'generator_delay_max_ms', ms(g.delay.max));
    }
    float(t, 'main_thread_pause_max_ms', g.mainPause.maxMs);
    int(t, 'warmup_requests', g.warmup.requests);
  }
  points.push(...trendPoints(summary, tags));
  for (const [load, l] of Object.entries(summary.loads ?? {})) {
    const p = summaryRequestPoints(l, loadTags[load] ?? { ...tags, load }, ts, l.loadDurationMs / 1000, points);
    float(p, 'rps_mean', l.rps.mean);
    int(p, 'dropped', l.dropped);
    int(p, 'late', l.late);
    const mine = summary.verdict.thresholds.filter((x) => x.load === load);
    int(p, 'thresholds', mine.length);
    int(p, 'thresholds_failed', mine.filter((x) => !x.passed).length);
  }
  return toLines(points);
}

/** A Grafana annotation point in `loadctl_events` (fields: title, text; tag: event). */
export function eventLine(event: 'start' | 'end', ts: number, title: string, text: string, tags: Record<string, string>): string {
  const p = point(MEASUREMENTS.events, { ...tags, event }, ts);
  p.stringField('title', title);
  p.stringField('text', text);
  return p.toLineProtocol() ?? '';
}

export function startEvent(meta: RunMeta, tags: Record<string, string>): string {
  return eventLine(
    'start',
    meta.startedAt,
    `loadctl ${meta.scenario} started`,
    `loadctl run ${meta.runId} started: ${meta.scenario} → ${meta.target} (${meta.model}, ${meta.workers} workers, segment ${meta.segment})`,
    tags,
  );
}

export function endEvent(summary: Summary, tags: Record<string, string>): string {
  const t = summary.total;
  const p95 = t.latency.count > 0 ? `${(ms(t.latency.percentiles['95'] ?? 0)).toFixed(1)} ms` : 'n/a';
  const errorRate = t.count > 0 ? ((t.failed / t.count) * 100).toFixed(2) : '0.00';
  const failed = summary.verdict.thresholds.filter((x) => !x.passed).length;
  return eventLine(
    'end',
    summary.endedAt,
    `loadctl ${summary.meta.scenario} ${summary.verdict.passed ? 'passed' : 'FAILED'}`,
    `loadctl run ${summary.meta.runId} ended (${summary.verdict.endReason}): ${summary.verdict.passed ? 'passed' : 'FAILED'}; ` +
      `${t.count} requests, ${summary.rps.mean.toFixed(1)}/s, p95 ${p95}, errors ${errorRate}%` +
      (failed > 0 ? `, ${failed} threshold(s) failed` : ''),
    tags,
  );
}
