/**
 * The JSON Schema of result.json, written with TypeBox so that the compiler checks it
 * against the TypeScript model (model.ts) both ways. The published file
 * (packages/core/schema/result.schema.json) is this schema, serialised; a test keeps them
 * equal (regenerate it with `node scripts/result-schema.mjs` after `pnpm build`). Objects accept unknown properties: new optional fields do not change the schema
 * version, and readers ignore what they do not know.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { CapacityReport } from './capacity-model.js';
import { RESULT_SCHEMA_VERSION, type MonitorSample, type RunResult } from './model.js';
import type { SeriesUnit } from './series.js';

const Num = Type.Number();
const Count = Type.Number({ minimum: 0 });
const Str = Type.String();
const RecordOf = <T extends TSchema>(t: T) => Type.Record(Type.String(), t);
/** A reference to a schema kept once under `definitions` (the published file stays short). */
const Ref = <T extends TSchema>(name: string, _t: T) => Type.Unsafe<Static<T>>({ $ref: `#/definitions/${name}` });

const LatencySummary = Type.Object({
  count: Count,
  min: Num,
  mean: Num,
  stdev: Num,
  max: Num,
  percentiles: Type.Record(Type.String(), Num, { description: 'percentile label ("50", "99.9") -> µs' }),
}, { title: 'LatencySummary', description: 'Latency figures in microseconds' });

/** Transport error kind -> count (ERROR_KINDS; the model check below keeps the two lists equal). */
const ErrorKinds = Type.Partial(
  Type.Object({
    connect_refused: Count,
    connect_timeout: Count,
    reset: Count,
    timeout: Count,
    tls: Count,
    dns: Count,
    protocol: Count,
    aborted: Count,
    other: Count,
  }),
);

const requestStatsProps = {
  count: Count,
  responses: Count,
  errorCount: Count,
  failed: Count,
  statuses: RecordOf(Count),
  errors: ErrorKinds,
  bytesIn: Count,
  bytesOut: Count,
  latency: Ref('LatencySummary', LatencySummary),
  serviceTime: Ref('LatencySummary', LatencySummary),
};
const RequestStats = Type.Object(requestStatsProps, { title: 'RequestStats' });

const CumulativeRequestStats = Type.Object(
  {
    ...requestStatsProps,
    successLatency: Type.Optional(Ref('LatencySummary', LatencySummary)),
    latencyHistogram: Type.String({ description: 'hdr-histogram-js compressed base64 (µs)' }),
    serviceTimeHistogram: Str,
    successLatencyHistogram: Type.Optional(Str),
    rps: Num,
  },
  { title: 'CumulativeRequestStats' },
);

const FlowStats = Type.Object({ iterations: Count, failed: Count, duration: Ref('LatencySummary', LatencySummary) }, { title: 'FlowStats' });
const CumulativeFlowStats = Type.Object(
  {
    iterations: Count,
    failed: Count,
    duration: Ref('LatencySummary', LatencySummary),
    durationHistogram: Type.Optional(Type.String({ description: 'hdr-histogram-js compressed base64 of iteration durations (µs)' })),
  },
  { title: 'CumulativeFlowStats' },
);
const CheckCounts = RecordOf(Type.Object({ passes: Count, fails: Count }));

/** What an interval and a side-by-side load's part of it both have. */
const intervalFigures = {
  total: Ref('RequestStats', RequestStats),
  requests: RecordOf(Ref('RequestStats', RequestStats)),
  flows: RecordOf(Ref('FlowStats', FlowStats)),
  checks: CheckCounts,
  rps: Num,
  activeUsers: Num,
  targetRate: Type.Optional(Num),
  achievedRate: Type.Optional(Num),
  dropped: Count,
  late: Count,
  stage: Type.Optional(Str),
};

const LoadInterval = Type.Object({ ...intervalFigures, missed: Count }, { title: 'LoadInterval', description: "One load's part of an interval (side-by-side loads)" });

const Interval = Type.Object(
  {
    index: Count,
    start: Num,
    end: Num,
    elapsedMs: Num,
    ...intervalFigures,
    missed: Type.Optional(Count),
    generator: Type.Object({
      cpu: Num,
      eventLoopLagMs: Num,
      delay: Type.Optional(Type.Object({ p50: Num, p99: Num, max: Num }, { description: 'generator delay of the requests sent in the interval (µs)' })),
      mainPauseMs: Type.Optional(Type.Number({ description: "the main thread's longest pause in the interval (ms)" })),
    }),
    latencyHistogram: Type.Optional(Str),
    monitor: Type.Optional(
      Type.Unsafe<MonitorSample>({
        type: 'object',
        description: 'source -> series -> value (docs/soak.md)',
        additionalProperties: { type: 'object', additionalProperties: { type: 'number' } },
      }),
    ),
    monitorAt: Type.Optional(Num),
    loads: Type.Optional(RecordOf(Ref('LoadInterval', LoadInterval))),
  },
  { title: 'Interval' },
);

const RunMeta = Type.Object(
  {
    runId: Str,
    scenario: Str,
    target: Str,
    kind: Type.Union([Type.Literal('quick'), Type.Literal('scenario')]),
    startedAt: Num,
    workers: Num,
    plannedDurationMs: Type.Optional(Num),
    intervalMs: Num,
    segment: Str,
    loadctlVersion: Str,
    model: Str,
    tags: RecordOf(Str),
    shards: Type.Optional(
      Type.Array(
        Type.Object({ runId: Str, segment: Str, source: Str, startedAt: Num, endedAt: Num, workers: Num, count: Count }),
        { description: 'a merged result (loadctl merge): the shard results it was made of' },
      ),
    ),
    httpClient: Type.Optional(Type.Union([Type.Literal('fast'), Type.Literal('undici')])),
    arrivalTimer: Type.Optional(Type.Union([Type.Literal('precise'), Type.Literal('coarse')])),
    warmupMs: Type.Optional(Count),
    seed: Type.Optional(Type.Number({ description: 'seed of the run\'s PRNGs: the same seed replays the same randomness' })),
    loads: Type.Optional(
      Type.Record(Type.String(), Type.Object({ model: Str, plannedDurationMs: Type.Optional(Num), tags: RecordOf(Str) }), { description: 'side-by-side loads: what each one is' }),
    ),
  },
  { title: 'RunMeta' },
);

const Warning = Type.Object({
  code: Str,
  severity: Type.Union([Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
  message: Str,
});

const ThresholdResult = Type.Object({
  expression: Str,
  scope: Str,
  load: Type.Optional(Str),
  actual: Type.Union([Num, Type.Null()]),
  limit: Num,
  unit: Str,
  passed: Type.Boolean(),
  aborted: Type.Optional(Type.Boolean()),
});

const Verdict = Type.Object({
  passed: Type.Boolean(),
  thresholds: Type.Array(ThresholdResult),
  endReason: Type.Union(
    (['completed', 'threshold_abort', 'rate_shortfall_abort', 'interrupted', 'error'] as const).map((r) => Type.Literal(r)),
  ),
  reasons: Type.Optional(Type.Array(Type.Object({ code: Str, message: Str }))),
});

const ReporterLosses = Type.Object({
  unit: Str,
  total: Count,
  lost: Count,
  failures: Count,
  lastError: Type.Optional(Str),
});

const ReporterHealth = Type.Object({
  errors: Count,
  dropped: Count,
  notes: Type.Array(Str),
  losses: Type.Optional(ReporterLosses),
});

const Trend = Type.Object({
  metric: Str,
  slopePerHour: Num,
  low: Num,
  high: Num,
  unit: Type.Unsafe<SeriesUnit>({ type: 'string' }),
  verdict: Type.Union([Type.Literal('stable'), Type.Literal('growing'), Type.Literal('degrading')]),
  mean: Num,
  points: Count,
  reason: Str,
});

const SoakVerdict = Type.Object({
  status: Type.Union([Type.Literal('stable'), Type.Literal('leaking'), Type.Literal('degrading'), Type.Literal('too_short')]),
  headline: Str,
  fromMs: Num,
  toMs: Num,
});

const MonitorSourceHealth = Type.Object({
  name: Str,
  kind: Type.Union([Type.Literal('pid'), Type.Literal('cmd'), Type.Literal('url'), Type.Literal('generator'), Type.Literal('host')]),
  what: Str,
  samples: Count,
  failures: Count,
  lastError: Type.Optional(Str),
});

const GeneratorSummary = Type.Object(
  {
    delay: Ref('LatencySummary', LatencySummary),
    delayHistogram: Type.String({ description: 'hdr-histogram-js compressed base64 of the generator delay (µs)' }),
    mainPause: Type.Object({ maxMs: Num, p50Ms: Num }),
    warmup: Type.Object({ durationMs: Count, requests: Count }),
  },
  { title: 'GeneratorSummary', description: "the generator's own error and health (docs/results.md)" },
);

/** What a summary and a side-by-side load's summary both have. */
const summaryFigures = {
  total: Ref('CumulativeRequestStats', CumulativeRequestStats),
  requests: RecordOf(Ref('CumulativeRequestStats', CumulativeRequestStats)),
  flows: RecordOf(Ref('CumulativeFlowStats', CumulativeFlowStats)),
  checks: CheckCounts,
  rps: Type.Object({ mean: Num, min: Num, max: Num, stdev: Num }),
  dropped: Count,
  late: Count,
  rateShortfall: Type.Optional(Num),
};

const LoadSummary = Type.Object(
  { loadDurationMs: Num, ...summaryFigures, missed: Count },
  { title: 'LoadSummary', description: "One load's figures over the run (side-by-side loads)" },
);

const Summary = Type.Object(
  {
    meta: RunMeta,
    endedAt: Num,
    durationMs: Num,
    loadDurationMs: Type.Optional(Num),
    ...summaryFigures,
    missed: Type.Optional(Count),
    verdict: Verdict,
    warnings: Type.Array(Warning),
    reporters: RecordOf(ReporterHealth),
    trends: Type.Optional(Type.Array(Trend)),
    soak: Type.Optional(SoakVerdict),
    monitor: Type.Optional(Type.Array(MonitorSourceHealth)),
    /** Checked as an object here; its shape is documented in docs/capacity.md. */
    capacity: Type.Optional(Type.Unsafe<CapacityReport>({ type: 'object', description: 'loadctl capacity: the search and its steps (docs/capacity.md)' })),
    generator: Type.Optional(GeneratorSummary),
    loads: Type.Optional(RecordOf(LoadSummary)),
  },
  { title: 'Summary' },
);

export const ResultSchema = Type.Object(
  {
    schemaVersion: Type.Integer({ minimum: 1, maximum: RESULT_SCHEMA_VERSION }),
    partial: Type.Optional(Type.Boolean()),
    partialReason: Type.Optional(Str),
    summary: Summary,
    timeline: Type.Array(Ref('Interval', Interval)),
    config: Type.Optional(Type.Unknown()),
  },
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'urn:loadctl:result.schema.json',
    title: 'loadctl result.json',
    description: 'The result of one loadctl run (see docs/results.md).',
    definitions: { LatencySummary, RequestStats, CumulativeRequestStats, FlowStats, CumulativeFlowStats, Interval, LoadInterval },
  },
);

type SchemaResult = Static<typeof ResultSchema>;
/**
 * The schema and the model must describe the same thing: the same keys at every level
 * (optional ones included) and mutually assignable types.
 */
type DeepSame<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [A] extends [readonly unknown[]]
      ? [B] extends [readonly unknown[]]
        ? DeepSame<A[number & keyof A], B[number & keyof B]>
        : false
      : [A] extends [object]
        ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
          ? false extends { [K in keyof A & keyof B]-?: DeepSame<A[K], B[K]> }[keyof A & keyof B]
            ? false
            : true
          : false
        : true
    : false
  : false;
type Model = Omit<RunResult, 'schemaVersion' | 'config'> & { schemaVersion: number };
const schemaMatchesModel: DeepSame<Omit<SchemaResult, 'config'>, Model> = true;
void schemaMatchesModel;
