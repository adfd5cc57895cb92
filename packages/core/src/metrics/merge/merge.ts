/**
 * `mergeResults`: the results of the shards of one run (`run --segment k/n` on several
 * machines) into one result, as if one machine had run the whole load. Counts are summed,
 * latency histograms added losslessly (never averaged percentiles), timelines aligned by
 * wall-clock interval, checks and errors summed.
 *
 * Refused (a MergeError, exit 2, naming the files): results of different scenarios, the
 * same run or the same segment twice, overlapping segments, and — unless `allowMissing` —
 * missing segments (then a SEGMENTS_MISSING warning says which). The verdict's thresholds
 * are left empty here: run/merge.ts re-evaluates the scenario's thresholds on the merged
 * stats.
 */
import { createHash } from 'node:crypto';
import { LoadctlError } from '../../errors.js';
import { LOADCTL_VERSION } from '../../version.js';
import { RESULT_SCHEMA_VERSION, type CumulativeRequestStats, type RunResult, type ShardSource, type Summary, type Verdict, type Warning } from '../model.js';
import { configDifference } from './config.js';
import { coverage, formatRange, segmentRange, type SegmentRange } from './segments.js';
import { mergeLoadSummaries } from './loads.js';
import { mergeChecks, mergeCumulative, mergeFlowStats, mergeKeyed } from './stats.js';
import { mergeGeneratorSummaries } from './generator.js';
import { mergeTimelines } from './timeline.js';

export interface MergeInput {
  result: RunResult;
  /** Where it came from (file path) for messages; default "result N". */
  source?: string;
}

export interface MergeResultsOptions {
  /** Merge even when segments are missing (the merged result then carries a SEGMENTS_MISSING warning). */
  allowMissing?: boolean;
}

/** Why results cannot be merged: every problem found, each naming its files. */
export class MergeError extends LoadctlError {
  constructor(readonly problems: string[]) {
    super('E_MERGE', `cannot merge: ${problems.join('; ')}`, 2);
    this.name = 'MergeError';
  }
}

/** Shards more than this far off the common interval grid get a SHARDS_NOT_ALIGNED warning. */
const ALIGN_TOLERANCE = 0.01;

const END_ORDER: ReadonlyArray<Verdict['endReason']> = ['completed', 'threshold_abort', 'rate_shortfall_abort', 'interrupted', 'error'];

function worstEnd(reasons: ReadonlyArray<Verdict['endReason']>): Verdict['endReason'] {
  return reasons.reduce((a, b) => (END_ORDER.indexOf(b) > END_ORDER.indexOf(a) ? b : a), 'completed');
}

function mergedRunId(ids: readonly string[]): string {
  const h = createHash('sha256').update([...ids].sort().join('\n')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function commonTags(all: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all[0] ?? {})) if (all.every((t) => t[k] === v)) out[k] = v;
  return out;
}

/** Problems that make the inputs unmergeable, and the parsed segment ranges. */
function check(inputs: ReadonlyArray<Required<MergeInput>>, o: MergeResultsOptions): { ranges: SegmentRange[]; missing: SegmentRange[]; problems: string[] } {
  const problems: string[] = [];
  const [first] = inputs;
  const m0 = first.result.summary.meta;
  for (const x of inputs.slice(1)) {
    const m = x.result.summary.meta;
    const differs: string[] = [];
    if (m.scenario !== m0.scenario) differs.push(`scenario "${m0.scenario}" vs "${m.scenario}"`);
    if (m.kind !== m0.kind) differs.push(`kind ${m0.kind} vs ${m.kind}`);
    if (m.intervalMs !== m0.intervalMs) differs.push(`interval ${m0.intervalMs} ms vs ${m.intervalMs} ms`);
    if (differs.length === 0) {
      const d = configDifference(first.result.config, x.result.config);
      if (d !== null) differs.push(`scenario differs at ${d}`);
    }
    if (differs.length > 0) problems.push(`${first.source} and ${x.source} are not shards of one scenario (${differs.join(', ')})`);
  }
  const byRun = new Map<string, string>();
  for (const x of inputs) {
    const id = x.result.summary.meta.runId;
    const seen = byRun.get(id);
    if (seen !== undefined) problems.push(`${seen} and ${x.source} are the same run (${id})`);
    else byRun.set(id, x.source);
  }
  const ranges: SegmentRange[] = [];
  const items: Array<{ item: number; range: SegmentRange }> = [];
  inputs.forEach((x, i) => {
    const label = x.result.summary.meta.segment;
    const r = segmentRange(label);
    if (r === null) problems.push(`${x.source}: segment "${label}" is not a segment (expected k/n or from:to)`);
    else {
      ranges.push(r);
      items.push({ item: i, range: r });
    }
  });
  const cov = coverage(items);
  for (const [a, b] of cov.overlaps) {
    const sa = inputs[a].result.summary.meta.segment;
    const sb = inputs[b].result.summary.meta.segment;
    const same = formatRange(segmentRange(sa)!) === formatRange(segmentRange(sb)!);
    problems.push(
      !same
        ? `segments ${sa} (${inputs[a].source}) and ${sb} (${inputs[b].source}) overlap`
        : sa === sb
          ? `segment ${sa} appears twice: ${inputs[a].source} and ${inputs[b].source}`
          : `segment ${sa} appears twice: ${inputs[a].source} and ${inputs[b].source} (as ${sb})`,
    );
  }
  if (cov.missing.length > 0 && !o.allowMissing && items.length === inputs.length) {
    problems.push(`segments missing: ${cov.missing.map(formatRange).join(', ')} (have ${inputs.map((x) => x.result.summary.meta.segment).join(', ')}); merge them all, or allow a partial merge (--allow-partial)`);
  }
  return { ranges, missing: cov.missing, problems };
}

/** Merge shard results into one. Throws MergeError when they cannot be merged. */
export function mergeResults(list: readonly MergeInput[], o: MergeResultsOptions = {}): RunResult {
  if (list.length === 0) throw new MergeError(['no results given']);
  const inputs = list.map((x, i) => ({ result: x.result, source: x.source ?? `result ${i + 1}` }));
  const { missing, problems } = check(inputs, o);
  if (problems.length > 0) throw new MergeError(problems);

  const summaries = inputs.map((x) => x.result.summary);
  const metas = summaries.map((s) => s.meta);
  const m0 = metas[0];
  const startedAt = Math.min(...metas.map((m) => m.startedAt));
  const endedAt = Math.max(...summaries.map((s) => s.endedAt));
  const durationMs = Math.max(0, endedAt - startedAt);
  // The load window of the whole: from the first start to the last part's end of load (graceful drains excluded).
  const loadEnd = Math.max(...summaries.map((s) => s.meta.startedAt + (s.loadDurationMs ?? s.durationMs)));
  const loadDurationMs = Math.max(0, Math.min(durationMs, loadEnd - startedAt));
  const warnings: Warning[] = [];

  const total = mergeCumulative(summaries.map((s) => s.total), loadDurationMs);
  const requests = mergeKeyed<CumulativeRequestStats, CumulativeRequestStats>(summaries.map((s) => s.requests), (xs) => mergeCumulative(xs, loadDurationMs));
  const flows = mergeKeyed(summaries.map((s) => s.flows), mergeFlowStats);
  const tl = mergeTimelines(inputs.map((x) => x.result.timeline), startedAt, m0.intervalMs);

  if (missing.length > 0) {
    warnings.push({
      code: 'SEGMENTS_MISSING',
      severity: 'error',
      message: `partial merge: segments ${missing.map(formatRange).join(', ')} are missing, so counts, rates and thresholds cover only part of the load`,
    });
  }
  if (total.approximate || requests.approximate) {
    warnings.push({ code: 'MERGE_LATENCY_APPROXIMATE', severity: 'warn', message: 'some shard results carry no latency histograms: merged latency percentiles are estimates' });
  }
  if (flows.approximate) {
    warnings.push({ code: 'MERGE_FLOW_DURATION_APPROXIMATE', severity: 'info', message: 'shard results from an older loadctl carry no iteration-duration histograms: merged flow duration percentiles are estimates' });
  }
  if (!tl.totalLatencyExact) {
    warnings.push({
      code: 'MERGE_INTERVAL_PERCENTILES_APPROXIMATE',
      severity: 'info',
      message: 'shard intervals carry no latency histograms (results of an older loadctl): per-interval latency percentiles of the merged timeline are count-weighted estimates; counts and the whole-run figures are exact',
    });
  } else if (tl.approximate) {
    warnings.push({
      code: 'MERGE_INTERVAL_PERCENTILES_APPROXIMATE',
      severity: 'info',
      message: 'per-interval total latency percentiles of the merged timeline are exact; per request name, service time and flow duration they are count-weighted estimates (intervals carry only the total latency histogram)',
    });
  }
  if (tl.maxOffsetMs > m0.intervalMs * ALIGN_TOLERANCE) {
    warnings.push({
      code: 'SHARDS_NOT_ALIGNED',
      severity: 'warn',
      message: `shards did not start on one interval grid (up to ${tl.maxOffsetMs.toFixed(0)} ms apart; start them with one --start-at): per-interval figures mix neighbouring seconds, totals are exact`,
    });
  }
  for (const s of summaries) for (const w of s.warnings) warnings.push({ ...w, message: `shard ${s.meta.segment}: ${w.message}` });

  const full = tl.timeline.filter((i) => i.end - i.start >= m0.intervalMs * 0.999);
  const rates = (full.length > 0 ? full : tl.timeline).map((i) => i.rps);
  const rmean = rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : 0;
  const shards: ShardSource[] = inputs.map((x) => ({
    runId: x.result.summary.meta.runId,
    segment: x.result.summary.meta.segment,
    source: x.source,
    startedAt: x.result.summary.meta.startedAt,
    endedAt: x.result.summary.endedAt,
    workers: x.result.summary.meta.workers,
    count: x.result.summary.total.count,
  }));
  const summary: Summary = {
    meta: {
      runId: mergedRunId(metas.map((m) => m.runId)),
      scenario: m0.scenario,
      target: m0.target,
      kind: m0.kind,
      startedAt,
      workers: metas.reduce((a, m) => a + m.workers, 0),
      plannedDurationMs: m0.plannedDurationMs,
      intervalMs: m0.intervalMs,
      segment: missing.length === 0 ? '1/1' : metas.map((m) => m.segment).join(','),
      loadctlVersion: LOADCTL_VERSION,
      model: m0.model,
      tags: commonTags(metas.map((m) => m.tags)),
      shards,
      ...(m0.loads !== undefined ? { loads: m0.loads } : {}),
    },
    endedAt,
    durationMs,
    loadDurationMs,
    total: total.value,
    requests: requests.value,
    flows: flows.value,
    checks: mergeChecks(summaries.map((s) => s.checks)),
    rps: {
      mean: total.value.rps,
      min: rates.length ? Math.min(...rates) : 0,
      max: rates.length ? Math.max(...rates) : 0,
      stdev: rates.length ? Math.sqrt(rates.reduce((a, b) => a + (b - rmean) ** 2, 0) / rates.length) : 0,
    },
    dropped: summaries.reduce((a, s) => a + s.dropped, 0),
    ...(summaries.some((s) => s.missed !== undefined) ? { missed: summaries.reduce((a, s) => a + (s.missed ?? 0), 0) } : {}),
    late: summaries.reduce((a, s) => a + s.late, 0),
    verdict: { passed: true, thresholds: [], endReason: worstEnd(summaries.map((s) => s.verdict.endReason)) },
    warnings,
    reporters: {},
  };
  const generator = mergeGeneratorSummaries(summaries.map((s) => s.generator));
  if (generator) summary.generator = generator;
  for (const key of ['httpClient', 'arrivalTimer', 'warmupMs'] as const) {
    const v = m0[key];
    if (v !== undefined && metas.every((m) => m[key] === v)) Object.assign(summary.meta, { [key]: v });
  }
  const loads = mergeLoadSummaries(summaries, startedAt, durationMs, tl.timeline, m0.intervalMs);
  if (loads !== undefined) summary.loads = loads;
  return { schemaVersion: RESULT_SCHEMA_VERSION, summary, timeline: tl.timeline, config: inputs[0].result.config };
}
