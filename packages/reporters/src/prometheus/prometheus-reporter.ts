import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import { ERROR_KINDS, LoadctlError, type CheckCounts, type FlowStats, type Interval, type Reporter, type RequestStats, type RunMeta, type Summary } from '@loadctl/core';
import { MonitorGauges } from './monitor-gauges.js';

export interface PrometheusReporterOptions {
  /** Port to serve on (default 9464); 0 picks a free port (see `.url`). */
  port?: number;
  /** Interface to bind (default 127.0.0.1; "0.0.0.0" to be scraped from elsewhere). */
  host?: string;
  /** Path of the exposition (default "/metrics"). */
  path?: string;
  /** Keep serving this long after `end()` (ms) so a last scrape sees the final values (default 0). */
  lingerMs?: number;
  /** Extra constant labels on every series (in addition to run_id, scenario and the run's tags). */
  labels?: Record<string, string>;
}

/** A bad option (exit 2), or the port cannot be listened on (exit 3). */
export class PrometheusReporterError extends LoadctlError {
  declare readonly code: 'E_PROMETHEUS_LISTEN' | 'E_REPORTER_CONFIG';
  constructor(code: 'E_PROMETHEUS_LISTEN' | 'E_REPORTER_CONFIG', message: string, options?: { cause?: unknown }) {
    super(code, `prometheus reporter: ${message}`, code === 'E_PROMETHEUS_LISTEN' ? 3 : 2, undefined, options);
    this.name = 'PrometheusReporterError';
  }
}

/** What the counters are fed from: an interval, a summary, or one load's part of either. */
interface Counted {
  requests: Record<string, RequestStats>;
  checks: CheckCounts;
  flows: Record<string, Pick<FlowStats, 'iterations' | 'failed'>>;
  dropped: number;
  late: number;
}
type LoadLabel = { load?: string };
type Apply = (c: Counter<string>, labels: Record<string, string>, v: number) => void;

/** Quantile label → percentile key of LatencySummary.percentiles. */
const QUANTILES: ReadonlyArray<[string, string]> = [
  ['0.5', '50'],
  ['0.9', '90'],
  ['0.95', '95'],
  ['0.99', '99'],
];

/** Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]*, no "__" prefix. */
export function sanitizeLabelName(name: string): string {
  let s = name.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(s)) s = `_${s}`;
  if (s.startsWith('__')) s = s.replace(/^_+/, '_');
  return s || '_';
}

/**
 * Serves the live run on `/metrics` with its own prom-client Registry:
 * counters fed from each Interval (and topped up to the Summary's exact totals
 * at the end), gauges for the latest interval (rps, users, target rate,
 * latency quantiles). The server closes at `end()` after `lingerMs`.
 *
 * Loads side by side: every series of requests, checks, flows, iterations and rates is
 * per load (label `load`), so that sum() over `load` is the run's; the run's own latency
 * quantiles stay unlabelled (`name="total"`). A one-load run has no `load` label.
 */
export class PrometheusReporter implements Reporter {
  readonly name = 'prometheus';
  readonly kind = 'sink' as const;
  readonly registry = new Registry();
  private readonly options: Required<Omit<PrometheusReporterOptions, 'labels'>> & { labels: Record<string, string> };
  private server: Server | undefined;
  private listening: Promise<string> | undefined;
  private address: string | undefined;
  private scrapes = 0;
  private closed = false;
  /** What each counter series has been increased by, to top up to the summary at the end. */
  private readonly sent = new Map<string, number>();

  private readonly requests: Counter<'name' | 'status' | 'load'>;
  private readonly errors: Counter<'name' | 'kind' | 'load'>;
  private readonly failed: Counter<'name' | 'load'>;
  private readonly bytesIn: Counter<'name' | 'load'>;
  private readonly bytesOut: Counter<'name' | 'load'>;
  private readonly checks: Counter<'check' | 'result' | 'load'>;
  private readonly iterations: Counter<'flow' | 'load'>;
  private readonly iterationsFailed: Counter<'flow' | 'load'>;
  private readonly dropped: Counter<'load'>;
  private readonly late: Counter<'load'>;
  private readonly rps: Gauge<'load'>;
  private readonly activeUsers: Gauge<'load'>;
  private readonly targetRate: Gauge<'load'>;
  private readonly achievedRate: Gauge<'load'>;
  private readonly latency: Gauge<'name' | 'quantile' | 'load'>;
  private readonly serviceTime: Gauge<'name' | 'quantile' | 'load'>;
  private readonly cpu: Gauge;
  private readonly lag: Gauge;
  private readonly delay: Gauge<'quantile'>;
  private readonly mainPause: Gauge;
  private readonly elapsed: Gauge;
  private readonly finished: Gauge;
  private readonly passed: Gauge;
  private readonly monitorGauges: MonitorGauges;

  constructor(options: PrometheusReporterOptions = {}) {
    const port = options.port ?? 9464;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new PrometheusReporterError('E_REPORTER_CONFIG', `"port" must be an integer 0..65535, got ${String(port)}`);
    }
    const path = options.path ?? '/metrics';
    if (!path.startsWith('/')) throw new PrometheusReporterError('E_REPORTER_CONFIG', `"path" must start with "/", got ${path}`);
    const lingerMs = options.lingerMs ?? 0;
    if (!Number.isFinite(lingerMs) || lingerMs < 0) {
      throw new PrometheusReporterError('E_REPORTER_CONFIG', `"lingerMs" must be >= 0, got ${String(lingerMs)}`);
    }
    this.options = { port, host: options.host ?? '127.0.0.1', path, lingerMs, labels: options.labels ?? {} };

    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]) => new Gauge<L>({ name, help, labelNames, registers });
    this.requests = counter('loadctl_requests_total', 'Completed requests by request name and HTTP status ("error" = no status: transport error).', ['name', 'status', 'load']);
    this.errors = counter('loadctl_errors_total', 'Transport errors by request name and kind.', ['name', 'kind', 'load']);
    this.failed = counter('loadctl_failed_requests_total', 'Requests that failed (status >= 400 or transport error).', ['name', 'load']);
    this.bytesIn = counter('loadctl_received_bytes_total', 'Response bytes received.', ['name', 'load']);
    this.bytesOut = counter('loadctl_sent_bytes_total', 'Request bytes sent.', ['name', 'load']);
    this.checks = counter('loadctl_checks_total', 'Check evaluations by check name and result (pass|fail).', ['check', 'result', 'load']);
    this.iterations = counter('loadctl_iterations_total', 'Completed flow iterations.', ['flow', 'load']);
    this.iterationsFailed = counter('loadctl_failed_iterations_total', 'Failed flow iterations.', ['flow', 'load']);
    this.dropped = counter('loadctl_dropped_iterations_total', 'Iterations not started because the in-flight cap was reached.', ['load']);
    this.late = counter('loadctl_late_iterations_total', 'Iterations started late.', ['load']);
    this.rps = gauge('loadctl_rps', 'Requests per second in the latest interval.', ['load']);
    this.activeUsers = gauge('loadctl_active_users', 'Active virtual users (closed model) or in-flight iterations (open model).', ['load']);
    this.targetRate = gauge('loadctl_target_rate', 'Requested arrival rate, iterations/s (open model).', ['load']);
    this.achievedRate = gauge('loadctl_achieved_rate', 'Iterations started per second (open model).', ['load']);
    this.latency = gauge('loadctl_latency_seconds', 'Latency quantiles of the latest interval, per request name ("total" = all).', ['name', 'quantile', 'load']);
    this.serviceTime = gauge('loadctl_service_time_seconds', 'Service time quantiles of the latest interval, per request name ("total" = all).', ['name', 'quantile', 'load']);
    this.cpu = gauge('loadctl_generator_cpu_ratio', 'Highest worker CPU use (0..1) in the latest interval.', []);
    this.lag = gauge('loadctl_event_loop_lag_seconds', 'Worst worker event-loop lag p99 in the latest interval.', []);
    this.delay = gauge('loadctl_generator_delay_seconds', 'Generator delay of the latest interval: how late requests were sent after they were due (quantile 0.5, 0.99, 1 = max).', ['quantile']);
    this.mainPause = gauge('loadctl_main_thread_pause_seconds', "The main thread's longest pause in the latest interval.", []);
    this.elapsed = gauge('loadctl_elapsed_seconds', 'Time since the run started, at the latest interval end.', []);
    this.finished = gauge('loadctl_run_finished', '1 once the run has ended.', []);
    this.passed = gauge('loadctl_run_passed', 'At the end: 1 if all thresholds passed, else 0.', []);
    this.finished.set(0);
    this.monitorGauges = new MonitorGauges(this.registry);
  }

  /** The metrics URL once listening, e.g. "http://127.0.0.1:9464/metrics". */
  get url(): string {
    if (!this.address) throw new PrometheusReporterError('E_REPORTER_CONFIG', 'not listening yet: call start() or listen() first');
    return this.address;
  }

  /** Start serving (idempotent); resolves to the metrics URL. */
  listen(): Promise<string> {
    this.listening ??= new Promise<string>((resolve, reject) => {
      const server = createServer((req, res) => void this.handle(req, res));
      server.keepAliveTimeout = 5_000;
      server.once('error', (err: NodeJS.ErrnoException) => {
        const { host, port } = this.options;
        const reason =
          err.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is already in use; choose another "port" (0 picks a free one)`
            : err.code === 'EACCES'
              ? `no permission to listen on ${host}:${port}`
              : `cannot listen on ${host}:${port}: ${err.message}`;
        reject(new PrometheusReporterError('E_PROMETHEUS_LISTEN', reason, { cause: err }));
      });
      server.listen(this.options.port, this.options.host, () => {
        const a = server.address() as AddressInfo;
        const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
        this.address = `http://${host}:${a.port}${this.options.path}`;
        resolve(this.address);
      });
      this.server = server;
    });
    return this.listening;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== this.options.path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`loadctl metrics are at ${this.options.path}\n`);
      return;
    }
    try {
      const body = await this.registry.metrics();
      this.scrapes++;
      res.writeHead(200, { 'content-type': this.registry.contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String((err as Error).message));
    }
  }

  async start(meta: RunMeta): Promise<void> {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...meta.tags, ...this.options.labels })) labels[sanitizeLabelName(k)] = v;
    labels.run_id = meta.runId;
    labels.scenario = meta.scenario;
    // The shard of a run split with --segment ("1/1" unsplit): each shard's series stay apart.
    labels.shard = meta.segment;
    this.registry.setDefaultLabels(labels);
    await this.listen();
  }

  private incBy(counter: Counter<string>, labels: Record<string, string>, by: number): void {
    // A 0 still creates the series, so rate() and absent() behave from the first scrape.
    if (!(by >= 0)) return;
    counter.inc(labels, by);
    const key = `${(counter as unknown as { name: string }).name}\u0000${JSON.stringify(labels)}`;
    this.sent.set(key, (this.sent.get(key) ?? 0) + by);
  }

  /** Increase a counter series up to `target` (its cumulative total) if intervals were missed. */
  private topUp(counter: Counter<string>, labels: Record<string, string>, target: number): void {
    const key = `${(counter as unknown as { name: string }).name}\u0000${JSON.stringify(labels)}`;
    const missing = target - (this.sent.get(key) ?? 0);
    if (missing > 0) this.incBy(counter, labels, missing);
  }

  private requestCounters(name: string, s: RequestStats, apply: Apply, load: LoadLabel): void {
    for (const [status, n] of Object.entries(s.statuses)) apply(this.requests, { name, status, ...load }, n);
    if (s.errorCount > 0) apply(this.requests, { name, status: 'error', ...load }, s.errorCount);
    for (const kind of ERROR_KINDS) apply(this.errors, { name, kind, ...load }, s.errors[kind] ?? 0);
    apply(this.failed, { name, ...load }, s.failed);
    apply(this.bytesIn, { name, ...load }, s.bytesIn);
    apply(this.bytesOut, { name, ...load }, s.bytesOut);
  }

  /** The counters of one load's figures (all of the run's for one load), labelled with `load`. */
  private counters(x: Counted, apply: Apply, load: LoadLabel): void {
    for (const [name, s] of Object.entries(x.requests)) this.requestCounters(name, s, apply, load);
    for (const [check, c] of Object.entries(x.checks)) {
      apply(this.checks, { check, result: 'pass', ...load }, c.passes);
      apply(this.checks, { check, result: 'fail', ...load }, c.fails);
    }
    for (const [flow, f] of Object.entries(x.flows)) {
      apply(this.iterations, { flow, ...load }, f.iterations);
      apply(this.iterationsFailed, { flow, ...load }, f.failed);
    }
    apply(this.dropped, load, x.dropped);
    apply(this.late, load, x.late);
  }

  interval(iv: Interval): void {
    if (this.closed) return;
    const inc = this.incBy.bind(this);
    // Quantiles describe the latest interval only: names without requests in it disappear.
    this.latency.reset();
    this.serviceTime.reset();
    const quantiles = (name: string, s: RequestStats, load: LoadLabel): void => {
      if (s.latency.count > 0) for (const [q, p] of QUANTILES) this.latency.set({ name, quantile: q, ...load }, (s.latency.percentiles[p] ?? 0) / 1e6);
      if (s.serviceTime.count > 0) for (const [q, p] of QUANTILES) this.serviceTime.set({ name, quantile: q, ...load }, (s.serviceTime.percentiles[p] ?? 0) / 1e6);
    };
    // One load: the run's figures; side by side: each load's, labelled (their sums are the run's).
    const parts: Array<[LoadLabel, Interval | NonNullable<Interval['loads']>[string]]> = iv.loads ? Object.entries(iv.loads).map(([load, l]) => [{ load }, l]) : [[{}, iv]];
    for (const [load, x] of parts) {
      this.counters(x, inc, load);
      this.rps.set(load, x.rps);
      this.activeUsers.set(load, x.activeUsers);
      if (x.targetRate !== undefined) this.targetRate.set(load, x.targetRate);
      if (x.achievedRate !== undefined) this.achievedRate.set(load, x.achievedRate);
      for (const [name, s] of Object.entries(x.requests)) quantiles(name, s, load);
      if (iv.loads) quantiles('total', x.total, load);
    }
    quantiles('total', iv.total, {});
    this.cpu.set(iv.generator.cpu);
    this.lag.set(iv.generator.eventLoopLagMs / 1000);
    const d = iv.generator.delay;
    if (d) {
      this.delay.set({ quantile: '0.5' }, d.p50 / 1e6);
      this.delay.set({ quantile: '0.99' }, d.p99 / 1e6);
      this.delay.set({ quantile: '1' }, d.max / 1e6);
    }
    if (iv.generator.mainPauseMs !== undefined) this.mainPause.set(iv.generator.mainPauseMs / 1000);
    this.elapsed.set(iv.elapsedMs / 1000);
    this.monitorGauges.interval(iv);
  }

  async end(summary: Summary): Promise<void> {
    if (this.closed) return;
    // Counters end at the summary's exact totals, even if intervals were lost on the way.
    const topUp = this.topUp.bind(this);
    if (summary.loads) for (const [load, l] of Object.entries(summary.loads)) this.counters(l, topUp, { load });
    else this.counters(summary, topUp, {});
    this.finished.set(1);
    this.passed.set(summary.verdict.passed ? 1 : 0);
    this.monitorGauges.end(summary);
    if (this.options.lingerMs > 0 && this.server) await new Promise((r) => setTimeout(r, this.options.lingerMs));
    await this.close();
  }

  /** Stop serving now (end() does this after lingerMs). */
  async close(): Promise<void> {
    this.closed = true;
    const server = this.server;
    if (!server || !server.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  notes(): string[] {
    if (!this.address) return [];
    return [`prometheus: served ${this.address} (${this.scrapes} scrape${this.scrapes === 1 ? '' : 's'})`];
  }
}
