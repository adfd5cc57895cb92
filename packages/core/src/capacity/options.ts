/**
 * What users write for a capacity search, parsed: SLOs in the threshold
 * grammar, the resolution ("2%" or req/s), percentages, and the defaults.
 */
import { badInput } from '../errors.js';
import type { ThresholdSpec } from '../thresholds/spec.js';
import { checkThresholdScope, parseThreshold, ThresholdSyntaxError } from '../thresholds/parse.js';
import type { Resolution } from './search.js';

/** Used when neither --slo nor the scenario's thresholds give any. */
export const DEFAULT_SLOS: readonly string[] = ['p(99) < 500ms', 'error_rate < 1%'];

export const CAPACITY_DEFAULTS = {
  startRate: 100,
  maxRate: 100_000,
  minRate: 1,
  growth: 2,
  resolution: { kind: 'relative', value: 0.05 } as Resolution,
  stepMs: 20_000,
  /** Default warm-up: a quarter of the step. */
  warmupShare: 0.25,
  confirmMs: 60_000,
  maxDurationMs: 10 * 60_000,
  /** Pause between steps, so the target settles. */
  pauseMs: 1000,
  connections: 100,
} as const;

/** SLO expressions on the total (e.g. "p(99) < 100ms") as threshold specs; bad ones are bad input naming the flag. */
export function sloSpecs(expressions: readonly string[], flag = '--slo'): ThresholdSpec[] {
  return expressions.map((expression) => {
    try {
      const t = parseThreshold(expression);
      const why = checkThresholdScope(t, 'total');
      if (why) throw badInput('E_BAD_SLO', `${flag} "${expression}": ${why}`);
    } catch (err) {
      if (err instanceof ThresholdSyntaxError) throw badInput('E_BAD_SLO', `${flag} "${expression}": ${err.message} (expected ${err.expected})`);
      throw err;
    }
    return { expression, scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 };
  });
}

/** "2%" (relative to the rate) or "25", "25/s" (req/s). */
export function parseResolution(input: string): Resolution {
  const s = input.trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(s);
  if (pct) {
    const v = Number(pct[1]) / 100;
    if (v > 0 && v < 1) return { kind: 'relative', value: v };
  }
  const abs = /^(\d+(?:\.\d+)?)\s*(?:\/s)?$/.exec(s);
  if (abs && Number(abs[1]) > 0) return { kind: 'absolute', value: Number(abs[1]) };
  throw badInput('E_BAD_OPTION', `--resolution "${input}": expected a percentage like 2% or a rate like 25/s`);
}

/** "30%" or "0.3" → 0.3, within [0, 1). */
export function parseShare(input: string, flag: string): number {
  const s = input.trim();
  const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(s);
  const v = m ? (m[2] === '%' ? Number(m[1]) / 100 : Number(m[1])) : NaN;
  if (!(v >= 0 && v < 1)) throw badInput('E_BAD_OPTION', `${flag} "${input}": expected a share like 30% (0% to below 100%)`);
  return v;
}

export function sloLabels(specs: readonly ThresholdSpec[]): string[] {
  return specs.map((t) => (t.scope === 'total' ? t.expression : `${t.scope}: ${t.expression}`));
}
