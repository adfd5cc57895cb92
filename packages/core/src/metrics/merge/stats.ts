/**
 * Adding up the stats of several shards: counters are summed; latency comes from the
 * lossless encoded HDR histograms when every part carries one (then the merged
 * percentiles are those of one histogram fed every sample), and only otherwise from the
 * parts' summaries, where min, max, mean and stdev are still exact and the percentiles
 * are count-weighted estimates, flagged `approximate`.
 */
import { addCheckCounts } from '../accumulator.js';
import { addEncoded, createHistogram, encodeHistogram, summarizeHistogram } from '../histogram.js';
import type { CheckCounts, CumulativeFlowStats, CumulativeRequestStats, FlowStats, LatencySummary, RequestStats } from '../model.js';

/** Stats that may carry their encoded histograms (cumulative stats always do; interval stats when the result has them). */
export type MaybeEncoded<T> = T & { latencyHistogram?: unknown; serviceTimeHistogram?: unknown; durationHistogram?: unknown };

export interface Merged<T> {
  value: T;
  /** True when latency (or a flow's duration) is an estimate: a part had no histogram. */
  approximate: boolean;
  /** True when the service time is an estimate. */
  serviceApproximate?: boolean;
}

type EncodedKey = 'latencyHistogram' | 'serviceTimeHistogram' | 'successLatencyHistogram' | 'durationHistogram';

/** Every part's encoded histogram under `key`, or null when a part has none. */
function encodedOf(parts: ReadonlyArray<Partial<Record<EncodedKey, unknown>>>, key: EncodedKey): string[] | null {
  const out: string[] = [];
  for (const p of parts) {
    const v = p[key];
    if (typeof v !== 'string') return null;
    out.push(v);
  }
  return out;
}

/**
 * The summary of the merged histogram, with min and max taken from the parts' summaries:
 * those are the exact recorded extremes, a decoded histogram knows them only to its precision.
 */
function exactExtremes(summary: LatencySummary, parts: readonly LatencySummary[]): LatencySummary {
  const live = parts.filter((p) => p.count > 0);
  if (live.length === 0 || summary.count === 0) return summary;
  return { ...summary, min: Math.min(...live.map((p) => p.min)), max: Math.max(...live.map((p) => p.max)) };
}

/** One histogram fed every part's samples: its summary and encoding. */
function fromHistograms(encoded: readonly string[]): { summary: LatencySummary; encoded: string } {
  const h = createHistogram();
  try {
    for (const e of encoded) addEncoded(h, e);
    return { summary: summarizeHistogram(h), encoded: encodeHistogram(h) };
  } finally {
    h.destroy();
  }
}

/**
 * Latency summaries without histograms: count, min, max and mean exact; stdev exact (pooled
 * variance); percentiles the count-weighted mean of the parts' (an estimate).
 */
export function combineSummaries(parts: readonly LatencySummary[]): LatencySummary {
  const live = parts.filter((p) => p.count > 0);
  const count = live.reduce((a, p) => a + p.count, 0);
  if (count === 0) return { count: 0, min: 0, mean: 0, stdev: 0, max: 0, percentiles: Object.fromEntries(Object.keys(parts[0]?.percentiles ?? {}).map((k) => [k, 0])) };
  const mean = live.reduce((a, p) => a + p.mean * p.count, 0) / count;
  const variance = live.reduce((a, p) => a + p.count * (p.stdev * p.stdev + (p.mean - mean) ** 2), 0) / count;
  const labels = new Set(live.flatMap((p) => Object.keys(p.percentiles)));
  const percentiles: Record<string, number> = {};
  for (const l of labels) {
    let w = 0;
    let sum = 0;
    for (const p of live) {
      const v = p.percentiles[l];
      if (v === undefined) continue;
      w += p.count;
      sum += v * p.count;
    }
    if (w > 0) percentiles[l] = sum / w;
  }
  return {
    count,
    min: Math.min(...live.map((p) => p.min)),
    mean,
    stdev: Math.sqrt(variance),
    max: Math.max(...live.map((p) => p.max)),
    percentiles,
  };
}

function sumRecords(parts: ReadonlyArray<Record<string, number | undefined>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const k in p) out[k] = (out[k] ?? 0) + (p[k] ?? 0);
  return out;
}

function sum<T>(parts: readonly T[], f: (x: T) => number): number {
  let s = 0;
  for (const p of parts) s += f(p);
  return s;
}

/** Request stats of one name over several parts (histograms kept when every part has them). */
export function mergeRequestStats(parts: ReadonlyArray<MaybeEncoded<RequestStats>>): Merged<MaybeEncoded<RequestStats>> {
  const value: MaybeEncoded<RequestStats> = {
    count: sum(parts, (p) => p.count),
    responses: sum(parts, (p) => p.responses),
    errorCount: sum(parts, (p) => p.errorCount),
    failed: sum(parts, (p) => p.failed),
    statuses: sumRecords(parts.map((p) => p.statuses)),
    errors: sumRecords(parts.map((p) => p.errors)),
    bytesIn: sum(parts, (p) => p.bytesIn),
    bytesOut: sum(parts, (p) => p.bytesOut),
    latency: combineSummaries(parts.map((p) => p.latency)),
    serviceTime: combineSummaries(parts.map((p) => p.serviceTime)),
  };
  let approximate = parts.length > 1;
  let serviceApproximate = parts.length > 1;
  const lat = encodedOf(parts, 'latencyHistogram');
  if (lat) {
    const m = fromHistograms(lat);
    value.latency = exactExtremes(m.summary, parts.map((p) => p.latency));
    value.latencyHistogram = m.encoded;
    approximate = false;
  }
  const svc = encodedOf(parts, 'serviceTimeHistogram');
  if (svc) {
    const m = fromHistograms(svc);
    value.serviceTime = exactExtremes(m.summary, parts.map((p) => p.serviceTime));
    value.serviceTimeHistogram = m.encoded;
    serviceApproximate = false;
  }
  return { value, approximate, serviceApproximate };
}

/** Cumulative stats of one name; `rps` over `durationMs` (the merged load window). */
export function mergeCumulative(parts: readonly CumulativeRequestStats[], durationMs: number): Merged<CumulativeRequestStats> {
  const m = mergeRequestStats(parts);
  const v = m.value;
  const latencyHistogram = typeof v.latencyHistogram === 'string' ? v.latencyHistogram : fromHistograms([]).encoded;
  const serviceTimeHistogram = typeof v.serviceTimeHistogram === 'string' ? v.serviceTimeHistogram : fromHistograms([]).encoded;
  const value: CumulativeRequestStats = {
    ...v,
    latencyHistogram,
    serviceTimeHistogram,
    rps: durationMs > 0 ? v.count / (durationMs / 1000) : 0,
  };
  // Latency of the successful requests: from their histograms when every part has one.
  const success = encodedOf(parts, 'successLatencyHistogram');
  if (success) {
    const s = fromHistograms(success);
    value.successLatency = exactExtremes(s.summary, parts.flatMap((p) => (p.successLatency ? [p.successLatency] : [])));
    value.successLatencyHistogram = s.encoded;
  }
  return { value, approximate: m.approximate || m.serviceApproximate === true };
}

/** Flow stats of one flow (iteration-duration histogram kept when every part has one). */
export function mergeFlowStats(parts: ReadonlyArray<MaybeEncoded<FlowStats>>): Merged<CumulativeFlowStats> {
  const value: CumulativeFlowStats = {
    iterations: sum(parts, (p) => p.iterations),
    failed: sum(parts, (p) => p.failed),
    duration: combineSummaries(parts.map((p) => p.duration)),
  };
  const enc = encodedOf(parts, 'durationHistogram');
  if (enc) {
    const m = fromHistograms(enc);
    value.duration = exactExtremes(m.summary, parts.map((p) => p.duration));
    value.durationHistogram = m.encoded;
    return { value, approximate: false };
  }
  return { value, approximate: parts.length > 1 };
}

/** Merge keyed stats (request names, flows): each key over the parts that have it. */
export function mergeKeyed<T, R>(parts: ReadonlyArray<Record<string, T>>, merge: (xs: T[]) => Merged<R>): Merged<Record<string, R>> {
  const keys = [...new Set(parts.flatMap((p) => Object.keys(p)))].sort();
  const value: Record<string, R> = {};
  let approximate = false;
  for (const k of keys) {
    const m = merge(parts.flatMap((p) => (p[k] !== undefined ? [p[k]] : [])));
    value[k] = m.value;
    approximate ||= m.approximate || m.serviceApproximate === true;
  }
  return { value, approximate };
}

export function mergeChecks(parts: readonly CheckCounts[]): CheckCounts {
  const out: CheckCounts = {};
  for (const p of parts) addCheckCounts(out, p);
  return out;
}
