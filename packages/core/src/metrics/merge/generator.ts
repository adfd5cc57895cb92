/**
 * The generator's own figures of merged shards: the generator delay from the shards'
 * lossless histograms (present only when every shard has one), the worst main-thread pause,
 * the warm-up requests summed; per interval, the worst of the shards.
 */
import { addEncoded, createCumulativeHistogram, encodeHistogram, summarizeHistogram } from '../histogram.js';
import type { GeneratorHealth, GeneratorSummary } from '../model.js';

export function mergeGeneratorSummaries(parts: ReadonlyArray<GeneratorSummary | undefined>): GeneratorSummary | undefined {
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  const gs = parts as readonly GeneratorSummary[];
  const h = createCumulativeHistogram();
  for (const g of gs) addEncoded(h, g.delayHistogram);
  const delay = summarizeHistogram(h);
  // The exact recorded extremes are the parts'; a decoded histogram knows them only to its precision.
  const sent = gs.filter((g) => g.delay.count > 0);
  if (sent.length > 0) {
    delay.min = Math.min(...sent.map((g) => g.delay.min));
    delay.max = Math.max(...sent.map((g) => g.delay.max));
  }
  const out: GeneratorSummary = {
    delay,
    delayHistogram: encodeHistogram(h),
    mainPause: { maxMs: Math.max(...gs.map((g) => g.mainPause.maxMs)), p50Ms: Math.max(...gs.map((g) => g.mainPause.p50Ms)) },
    warmup: { durationMs: Math.max(...gs.map((g) => g.warmup.durationMs)), requests: gs.reduce((n, g) => n + g.warmup.requests, 0) },
  };
  h.destroy();
  return out;
}

/** One interval of several shards: each figure the worst of theirs (the delay percentiles too: an upper bound). */
export function mergeGeneratorHealth(parts: readonly GeneratorHealth[]): GeneratorHealth {
  const out: GeneratorHealth = {
    cpu: Math.max(...parts.map((p) => p.cpu)),
    eventLoopLagMs: Math.max(...parts.map((p) => p.eventLoopLagMs)),
  };
  const delays = parts.flatMap((p) => (p.delay ? [p.delay] : []));
  if (delays.length > 0) {
    out.delay = { p50: Math.max(...delays.map((d) => d.p50)), p99: Math.max(...delays.map((d) => d.p99)), max: Math.max(...delays.map((d) => d.max)) };
  }
  const pauses = parts.flatMap((p) => (p.mainPauseMs !== undefined ? [p.mainPauseMs] : []));
  if (pauses.length > 0) out.mainPauseMs = Math.max(...pauses);
  return out;
}
