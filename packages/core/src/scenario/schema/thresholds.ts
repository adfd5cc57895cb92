/**
 * Thresholds as written: a list of expressions (or `{ expression, scope, abortOnFail }`),
 * or a k6-style mapping scope -> expressions. The same shape at the top level and inside
 * a load of `loads:` (where scopes are that load's).
 */
import { Type, type Static } from '@sinclair/typebox';
import { described, Duration, OrNull, Switch, Text, ThresholdExpression } from './primitives.js';

const { Optional } = Type;

const ThresholdObject = (withScope: boolean) =>
  described(
    Type.Object(
      {
        expression: described(ThresholdExpression, { missing: 'expression: <e.g. "p(95) < 200ms">' }),
        ...(withScope ? { scope: Optional(Text('a string', '"total" (default), a request name, "flow:<name>" or "load:<name>"', { nonEmpty: true })) } : {}),
        abortOnFail: Optional(Switch('Stop the run as soon as the threshold fails')),
        delayAbortEval: Optional(Duration('Do not abort before this long into the run')),
      },
      { additionalProperties: false },
    ),
    { expected: 'an expression like "p(95) < 200ms" or { expression, scope, abortOnFail }' },
  );

export const ScopedThreshold = ThresholdObject(true);
const thresholdItem = (withScope: boolean) =>
  described(Type.Union([ThresholdExpression, withScope ? ScopedThreshold : ThresholdObject(false)]), { expected: 'an expression like "p(95) < 200ms" or { expression, scope, abortOnFail }' });

export const Thresholds = OrNull(
  Type.Union(
    [
      described(Type.Array(thresholdItem(true)), { expected: 'a list of expressions' }),
      described(Type.Record(Type.String(), Type.Union([thresholdItem(false), Type.Array(thresholdItem(false))])), { expected: 'a mapping scope -> expressions' }),
    ],
    { description: 'Pass/fail criteria: a list of "metric op value" (scope total), or a mapping scope -> expressions' },
  ),
);

/** One threshold: an expression, or one with a scope and abort options. */
export type ThresholdInput = Static<ReturnType<typeof thresholdItem>>;
/** The `thresholds` of a scenario or of one of its loads. */
export type ThresholdsInput = Static<typeof Thresholds>;
