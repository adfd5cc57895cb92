/**
 * Threshold expressions, k6 style: parse -> validate against a scope -> evaluate
 * over a flat view of the stats (evaluate.ts).
 *
 * Grammar (whitespace is free between tokens):
 *
 *   threshold := metric op value
 *              | "trend(" series ")" op slope
 *   metric    := aggregate
 *              | "error_rate"     failed requests / requests  (status >= 400 or transport error)
 *              | "failed_rate"    failed iterations / iterations            (flow scopes)
 *              | "rps"            requests/s over the run (iterations/s in flow scopes)
 *              | "count"          requests (iterations in flow scopes)
 *              | "checks"         passed checks / all checks                (total only)
 *              | "dropped"        iterations not started, in-flight cap     (total only)
 *   aggregate := [ source "." ] ( "p(" number ")" | "avg" | "min" | "max" | "med" )
 *   source    := "latency"             every request, failed ones included: a timeout counts
 *                                      until it was given up, a transport error until it
 *                                      failed (default for total and request scopes)
 *              | "success"             successful requests only (status < 400)
 *                                      (total and request scopes)
 *              | "service_time"        from the write to the connection (total and request scopes)
 *              | "iteration_duration"  (default for flow scopes)
 *   op        := "<" | "<=" | ">" | ">=" | "==" | "!="
 *   value     := number [ unit ]
 *   unit      := "us" | "µs" | "ms" | "s" | "m"   time metrics; no unit = ms
 *              | "%"                              rates; no unit = a ratio 0..1
 *              | "/s"                             rps; optional
 *
 *   series    := "p(50)" | "p(95)" | "p(99)"      = latency.p50, latency.p95, latency.p99
 *              | "latency.p50" | "latency.p95" | "latency.p99" | "error_rate" | "rps"
 *              | name                             a monitored series: target.rss, target.fds,
 *                                                 target.tcp.established, generator.heap, host.cpu,
 *                                                 target.<prometheus name>[{label="v"}], …
 *   slope     := number [ slope_unit ] "/h"      the linear trend per hour over the steady part
 *   slope_unit:= "B" | "kB" | "KB" | "MB" | "GB" | "TB" | "KiB" | "MiB" | "GiB"   bytes series
 *              | "us" | "µs" | "ms" | "s"                                       time series
 *              | "%"                          ratio series (error_rate, cpu): percentage points
 *              (none)                         the series' own unit (counts, req/s, bytes, ms, ratio)
 *
 * Examples: `p(95) < 200ms`, `p(99.9) <= 1s`, `avg<150`, `error_rate < 1%`,
 * `checks > 99.5%`, `rps >= 450`, `dropped == 0`, `service_time.p(99) < 50ms`,
 * `success.p(99) < 100ms`,
 * `trend(target.rss) < 50MB/h`, `trend(p(99)) < 10ms/h`, `trend(target.fds) < 10/h`,
 * `trend(error_rate) < 0.1%/h`, `trend(rps) > -100/h`.
 *
 * Limits are converted to the metric's unit: ms for time, a ratio 0..1 for rates,
 * 1/s for rps, a plain number for counts; trend limits to the series' unit per hour
 * (bytes/h, ms/h, ratio/h, ...). Trends are judged on the whole run (scope "total", at the
 * end, never mid-run); a series the run did not record fails with `actual: null`.
 */
import { LoadctlError } from '../errors.js';
import { seriesUnit, type SeriesUnit } from '../metrics/series.js';

export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type ThresholdMetric = 'p' | 'avg' | 'min' | 'max' | 'med' | 'error_rate' | 'failed_rate' | 'rps' | 'count' | 'checks' | 'dropped' | 'trend';
export type LatencySource = 'latency' | 'success' | 'service_time' | 'iteration_duration';
/** A trend's limit is in its series' unit per hour: "bytes/h", "ms/h", "ratio/h", "count/h", "1/s/h", "s/h" or "/h". */
export type TrendUnit = `${SeriesUnit}/h`;
export type ThresholdUnit = 'ms' | 'ratio' | '1/s' | 'count' | TrendUnit;
export type ScopeKind = 'total' | 'request' | 'flow';

export interface ParsedThreshold {
  metric: ThresholdMetric;
  /** For metric "p": the percentile, 0 < p <= 100. */
  percentile?: number;
  /** For aggregates: which latency; undefined = the scope's default. */
  source?: LatencySource;
  /** For metric "trend": the series, normalised (p(99) -> "latency.p99"). */
  series?: string;
  op: ThresholdOp;
  /** Limit in `unit`. */
  limit: number;
  unit: ThresholdUnit;
}

export class ThresholdSyntaxError extends LoadctlError {
  declare readonly code: 'E_BAD_THRESHOLD';
  constructor(
    message: string,
    /** 0-based offset of the problem in the expression. */
    readonly offset: number,
    readonly expected: string,
  ) {
    super('E_BAD_THRESHOLD', message, 2, `expected ${expected}`);
    this.name = 'ThresholdSyntaxError';
  }
}

const AGGREGATES = ['avg', 'min', 'max', 'med'] as const;
const RATIOS = ['error_rate', 'failed_rate', 'checks'] as const;
const SOURCES: readonly LatencySource[] = ['latency', 'success', 'service_time', 'iteration_duration'];
export const THRESHOLD_METRICS: readonly string[] = ['p(N)', ...AGGREGATES, 'error_rate', 'failed_rate', 'rps', 'count', 'checks', 'dropped', 'trend(series)'];
const TIME_UNITS: Record<string, number> = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000, m: 60_000 };
const OPS: readonly ThresholdOp[] = ['<=', '>=', '==', '!=', '<', '>'];
const METRIC_EXPECTED = 'p(N), avg, min, max, med, error_rate, failed_rate, rps, count, checks, dropped or trend(series)';
const BYTE_UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const TRENDED_PERCENTILES = ['50', '95', '99'];

/** The series named inside trend( … ), normalised; throws for latency percentiles that have no trend. */
function trendSeries(raw: string, offset: number): string {
  const p = /^(?:latency\.)?p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(raw) ?? /^latency\.p(\d+(?:\.\d+)?)$/.exec(raw);
  if (p) {
    if (!TRENDED_PERCENTILES.includes(String(Number(p[1])))) {
      throw new ThresholdSyntaxError(`no trend is kept for p(${p[1]})`, offset, 'p(50), p(95) or p(99)');
    }
    return `latency.p${Number(p[1])}`;
  }
  if (!/^[A-Za-z_][\w.:-]*(\{[^}]*\})?$/.test(raw)) {
    throw new ThresholdSyntaxError(raw === '' ? 'trend() needs a series' : `"${raw}" is not a series name`, offset, 'p(99), error_rate, rps or a monitored series such as target.rss');
  }
  return raw;
}

/** `trend(series) op slope`, from just after "trend(". */
function parseTrend(s: string, open: number): ParsedThreshold {
  // The matching ")": p(99) nests one pair; label values in quotes may hold anything.
  let depth = 1;
  let close = -1;
  let quoted = false;
  for (let k = open; k < s.length && close < 0; k++) {
    const c = s[k];
    if (quoted) {
      if (c === '\\') k++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) close = k;
  }
  if (close < 0) throw new ThresholdSyntaxError('"trend(" is not closed', s.length, '")"');
  const series = trendSeries(s.slice(open, close).trim(), open);
  let i = close + 1;
  while (i < s.length && /\s/.test(s[i])) i++;
  const op = OPS.find((o) => s.startsWith(o, i));
  if (!op) throw new ThresholdSyntaxError(`expected an operator at "${s.slice(i, i + 2) || 'the end'}"`, i, 'one of < <= > >= == !=');
  i += op.length;
  while (i < s.length && /\s/.test(s[i])) i++;
  const valueAt = i;
  const vm = /^(-?\d+(?:\.\d+)?)\s*([A-Za-zµ%]*)\s*(\/\s*h)?\s*$/.exec(s.slice(i));
  if (!vm) throw new ThresholdSyntaxError(`expected a slope per hour at "${s.slice(i) || 'the end'}"`, i, 'a number, a unit and "/h", e.g. 50MB/h, 10ms/h, 5/h');
  if (!vm[3]) throw new ThresholdSyntaxError(`a trend is a change per hour: write "${vm[1]}${vm[2]}/h"`, valueAt, 'a slope per hour, e.g. 50MB/h');
  const unit = seriesUnit(series);
  const num = Number(vm[1]);
  const u = vm[2];
  let limit = num;
  const bad = (expected: string): never => {
    throw new ThresholdSyntaxError(`"${u}" is not a unit of ${series} (${unit === '' ? 'no known unit' : unit})`, valueAt, expected);
  };
  if (u !== '') {
    if (unit === 'bytes') limit = num * (BYTE_UNITS[u] ?? bad('a size per hour: B, kB, MB, GB, KiB, MiB or GiB, e.g. 50MB/h'));
    else if (unit === 'ms' || unit === 's') {
      const ms = TIME_UNITS[u === 'm' ? '' : u] ?? bad('a duration per hour: us, ms or s, e.g. 10ms/h');
      limit = unit === 'ms' ? num * ms : (num * ms) / 1000;
    } else if (unit === 'ratio' && u === '%') limit = Number(`${vm[1]}e-2`);
    else bad(unit === 'ratio' ? 'percentage points per hour, e.g. 0.5%/h, or a ratio per hour' : 'a plain number per hour, e.g. 10/h');
  }
  return { metric: 'trend', series, op, limit, unit: `${unit}/h` };
}

/** Parse one expression. Throws ThresholdSyntaxError. */
export function parseThreshold(expression: string): ParsedThreshold {
  const s = expression;
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  ws();
  if (i >= s.length) throw new ThresholdSyntaxError('empty threshold', 0, `"metric op value", e.g. "p(95) < 200ms"`);

  if (/^trend\s*\(/.test(s.slice(i))) return parseTrend(s, s.indexOf('(', i) + 1);

  // metric
  let source: LatencySource | undefined;
  let metric: ThresholdMetric | undefined;
  let percentile: number | undefined;
  const metricStart = i;
  const word = /^[A-Za-z_]+/.exec(s.slice(i))?.[0] ?? '';
  if ((SOURCES as readonly string[]).includes(word) && s[i + word.length] === '.') {
    source = word as LatencySource;
    i += word.length + 1;
  }
  const rest = s.slice(i);
  const pm = /^p\(\s*(\d+(?:\.\d+)?)\s*\)/.exec(rest);
  if (pm) {
    metric = 'p';
    percentile = Number(pm[1]);
    if (!(percentile > 0 && percentile <= 100)) throw new ThresholdSyntaxError(`percentile ${pm[1]} is out of range`, i + 2, 'a percentile in (0, 100]');
    i += pm[0].length;
  } else {
    const w = /^[A-Za-z_]+/.exec(rest)?.[0] ?? '';
    if (w === 'p' && rest[1] !== '(') {
      throw new ThresholdSyntaxError(`"${/^\S+/.exec(rest)?.[0]}" is not a metric`, i, 'p(N), e.g. p(95)');
    }
    if (source !== undefined && !(AGGREGATES as readonly string[]).includes(w)) {
      throw new ThresholdSyntaxError(`"${source}.${w}" is not a metric`, i, `${source}.p(N), .avg, .min, .max or .med`);
    }
    if (![...AGGREGATES, ...RATIOS, 'rps', 'count', 'dropped'].includes(w)) {
      throw new ThresholdSyntaxError(w === '' ? `expected a metric at "${rest}"` : `unknown metric "${w}"`, i, METRIC_EXPECTED);
    }
    metric = w as ThresholdMetric;
    i += w.length;
  }
  void metricStart;

  // op
  ws();
  const op = OPS.find((o) => s.startsWith(o, i));
  if (!op) {
    const got = s.slice(i, i + 2) || 'the end';
    throw new ThresholdSyntaxError(s[i] === '=' ? `"=" is not an operator` : `expected an operator at "${got}"`, i, 'one of < <= > >= == !=');
  }
  i += op.length;

  // value
  ws();
  const vm = /^(-?\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|%|\/s)?/.exec(s.slice(i));
  if (!vm) throw new ThresholdSyntaxError(`expected a number at "${s.slice(i) || 'the end'}"`, i, 'a number with an optional unit, e.g. 200ms, 1%, 450');
  const valueAt = i;
  const num = Number(vm[1]);
  const unitSrc = vm[2];
  i += vm[0].length;
  ws();
  if (i < s.length) throw new ThresholdSyntaxError(`unexpected "${s.slice(i)}"`, i, 'the end of the expression (units: us, ms, s, m, %, /s)');

  let limit: number;
  let unit: ThresholdUnit;
  const isTime = metric === 'p' || (AGGREGATES as readonly string[]).includes(metric);
  if (isTime) {
    unit = 'ms';
    if (unitSrc === undefined) limit = num;
    else if (unitSrc in TIME_UNITS) limit = num * TIME_UNITS[unitSrc];
    else throw new ThresholdSyntaxError(`"${unitSrc}" is not a time unit`, valueAt, 'a duration like 200ms, 1.5s, 500us');
  } else if ((RATIOS as readonly string[]).includes(metric)) {
    unit = 'ratio';
    // "99.4e-2" parses to the double nearest 0.994 (99.4 / 100 would not).
    if (unitSrc === '%') limit = Number(`${vm[1]}e-2`);
    else if (unitSrc === undefined) {
      if (num > 1) throw new ThresholdSyntaxError(`${num} is not a ratio between 0 and 1 (did you mean ${num}%?)`, valueAt, 'a percentage like 1% or a ratio like 0.01');
      limit = num;
    } else throw new ThresholdSyntaxError(`"${unitSrc}" is not a unit of ${metric}`, valueAt, 'a percentage like 1% or a ratio like 0.01');
    if (limit < 0 || limit > 1) throw new ThresholdSyntaxError(`${vm[0].trim()} is not between 0% and 100%`, valueAt, 'a percentage between 0% and 100%');
  } else if (metric === 'rps') {
    unit = '1/s';
    if (unitSrc !== undefined && unitSrc !== '/s') throw new ThresholdSyntaxError(`"${unitSrc}" is not a unit of rps`, valueAt, 'a rate like 450 or 450/s');
    limit = num;
  } else {
    unit = 'count';
    if (unitSrc !== undefined) throw new ThresholdSyntaxError(`${metric} takes a plain number, not "${unitSrc}"`, valueAt, 'a plain number');
    limit = num;
  }
  if (isTime && limit < 0) throw new ThresholdSyntaxError('a negative duration', valueAt, 'a duration >= 0');

  const out: ParsedThreshold = { metric, op, limit, unit };
  if (percentile !== undefined) out.percentile = percentile;
  if (source !== undefined) out.source = source;
  return out;
}

export function scopeKind(scope: string): ScopeKind {
  return scope === 'total' ? 'total' : scope.startsWith('flow:') ? 'flow' : 'request';
}

/** Why `t` cannot apply to a scope of this kind, or undefined if it can. */
export function checkThresholdScope(t: ParsedThreshold, kind: ScopeKind): string | undefined {
  if (t.metric === 'trend') return kind === 'total' ? undefined : 'trend() is measured over the whole run (scope "total")';
  const isAgg = t.metric === 'p' || (AGGREGATES as readonly string[]).includes(t.metric);
  if (isAgg) {
    if (kind === 'flow' && (t.source === 'latency' || t.source === 'success' || t.source === 'service_time')) return `${t.source} is not measured per flow (use iteration_duration or a request scope)`;
    if (kind !== 'flow' && t.source === 'iteration_duration') return 'iteration_duration needs a flow scope ("flow:<name>")';
    return undefined;
  }
  if (t.metric === 'error_rate' && kind === 'flow') return 'error_rate is per request; for flows use failed_rate';
  if (t.metric === 'failed_rate' && kind !== 'flow') return 'failed_rate needs a flow scope ("flow:<name>"); for requests use error_rate';
  if ((t.metric === 'checks' || t.metric === 'dropped') && kind !== 'total') return `${t.metric} is only measured in total (scope "total")`;
  return undefined;
}

/** The latency source an aggregate reads in a scope of this kind. */
export function effectiveSource(t: ParsedThreshold, kind: ScopeKind): LatencySource {
  return t.source ?? (kind === 'flow' ? 'iteration_duration' : 'latency');
}
