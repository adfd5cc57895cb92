/**
 * The leaves of the scenario format: durations, rates, counts, switches, templates,
 * methods, threshold expressions. Each is a JSON Schema (what editors check), a
 * TypeScript type (what `defineScenario` accepts) and meta (what messages say).
 *
 * Numbers, durations and switches also accept a string holding an environment
 * expression (`rate: ${env.RATE ?? 100}`); it is substituted, then checked again
 * against the same schema, when the scenario is normalised.
 */
import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';
import type { HttpMethod } from '../model.js';
import { META, type Meta } from './meta.js';

/** Give a schema the TypeScript type `T` (a narrower one than TypeBox infers) and meta. */
export function typed<T>(schema: TSchema, meta?: Meta): TUnsafe<T> {
  if (meta) (schema as { [META]?: Meta })[META] = meta;
  return schema as TUnsafe<T>;
}

/** Add meta to a schema built for this place (no copy; see withMeta for shared ones). */
export function described<T extends TSchema>(schema: T, meta: Meta): T {
  const s = schema as { [META]?: Meta };
  s[META] = { ...s[META], ...meta };
  return schema;
}

// ---------------------------------------------------------------- environment expressions

/** A string with a `${...}` expression, e.g. `${env.RATE ?? 100}`: resolved when loaded. */
export type EnvRef = `${string}\${${string}}${string}`;
const ENV = '\\$\\{';
const EnvString = Type.String({ pattern: ENV, description: 'An environment expression, e.g. ${env.RATE ?? 100}' });

// ---------------------------------------------------------------- durations

export type DurationUnit = 'us' | 'µs' | 'ms' | 's' | 'm' | 'h' | 'd';
type DurationPart = `${number}${DurationUnit}`;
/** `500ms`, `30s`, `5m`, `1h30m`, `1.5s`, `250us`, `2d`. */
export type DurationString = DurationPart | `${DurationPart}${DurationPart}` | `${DurationPart}${DurationPart}${DurationPart}`;
/** A duration: a string with units, or 0 (a bare number is ambiguous: seconds or milliseconds?). */
export type Duration = DurationString | 0 | '0' | EnvRef;
/** A think time: a duration or a range `500ms..2s`. */
export type DurationRange = Duration | `${ShortDuration}..${ShortDuration}`;
type ShortDuration = DurationPart | `${DurationPart}${DurationPart}`;

const D = '(?:\\d+(?:\\.\\d+)?(?:us|µs|ms|s|m|h|d))+|0';
export const DURATION_EXPECTED = 'a duration like 500ms, 30s, 5m or 1h30m';
export const RANGE_EXPECTED = 'a duration (1s) or a range (500ms..2s)';
/** For editors (the `errorMessage` keyword of the YAML language server). */
const DURATION_HINT = `Expected ${DURATION_EXPECTED}`;

function durationSchema(positive: boolean, description: string): TUnsafe<Duration> {
  return typed<Duration>(
    Type.Union([Type.String({ pattern: `^\\s*(?:${D})\\s*$|${ENV}`, errorMessage: DURATION_HINT }), Type.Literal(0)], { description }),
    { kind: 'duration', positive, expected: DURATION_EXPECTED },
  );
}
/** A duration > 0 (stage lengths, timeouts). */
export const PositiveDuration = (description: string) => durationSchema(true, description);
/** A duration >= 0. */
export const Duration = (description: string) => durationSchema(false, description);

export const DurationRange = (description: string) =>
  typed<DurationRange>(
    Type.Union([Type.String({ pattern: `^\\s*(?:${D})\\s*(?:\\.\\.\\s*(?:${D})\\s*)?$|${ENV}`, errorMessage: `Expected ${RANGE_EXPECTED}` }), Type.Literal(0)], { description }),
    { kind: 'durationRange', expected: RANGE_EXPECTED },
  );

// ---------------------------------------------------------------- numbers, ratios, switches

/** A number (or an env expression) with bounds; `expected` is the wording of messages. */
export function Num(expected: string, o: { integer?: boolean; minimum?: number; exclusiveMinimum?: number; description: string }): TUnsafe<number | EnvRef> {
  const bounds = { minimum: o.minimum, exclusiveMinimum: o.exclusiveMinimum };
  for (const k of Object.keys(bounds) as Array<keyof typeof bounds>) if (bounds[k] === undefined) delete bounds[k];
  const n: TSchema = o.integer ? Type.Integer(bounds) : Type.Number(bounds);
  return typed<number | EnvRef>(Type.Union([n, EnvString], { description: o.description }), { expected });
}

export type Ratio = number | `${number}%` | EnvRef;
export const RATIO_EXPECTED = 'a percentage like 10% or a ratio like 0.1';
export const Ratio = (description: string) =>
  typed<Ratio>(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.String({ pattern: `^\\s*\\d+(?:\\.\\d+)?\\s*%?\\s*$|${ENV}`, errorMessage: `Expected ${RATIO_EXPECTED}` })], { description }), {
    kind: 'ratio',
    expected: RATIO_EXPECTED,
  });

export const Switch = (description: string) => typed<boolean | EnvRef>(Type.Union([Type.Boolean(), EnvString], { description }), { expected: 'true or false' });

// ---------------------------------------------------------------- text

/** Text where YAML may have read a number or boolean (`name: 42`): converted to a string. */
export type Scalar = string | number | boolean;
export const Scalar = (expected: string, description: string, o: { nonEmpty?: boolean } = {}) =>
  typed<Scalar>(Type.Union([Type.String(o.nonEmpty ? { minLength: 1 } : {}), Type.Number(), Type.Boolean()], { description }), { expected });

/** A string that may hold `${...}` templates (see docs/scenario.md#templates). */
export type Template = string;
export const Template = (expected: string, description: string) =>
  typed<Template | number | boolean>(Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description }), { expected });

export const Text = (expected: string, description: string, o: { nonEmpty?: boolean } = {}) =>
  described(Type.String({ ...(o.nonEmpty ? { minLength: 1 } : {}), description }), { expected });

/** Where YAML may say nothing (`thresholds:` with no items): null is the same as absent. */
export const OrNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()], { description: schema.description });

// ---------------------------------------------------------------- methods

export const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
export type Method = HttpMethod | Lowercase<HttpMethod>;
export const Method = typed<Method>(
  Type.Union(
    METHODS.flatMap((m) => [Type.Literal(m), Type.Literal(m.toLowerCase())]),
    { description: 'The HTTP method' },
  ),
  { noun: 'an HTTP method', expected: `one of ${METHODS.join(', ')}` },
);

/** "GET /path": a step written as one string. */
export type RequestLine = `${Method} ${string}`;
const methodAlternatives = METHODS.map((m) => [...m].map((c) => `[${c}${c.toLowerCase()}]`).join('')).join('|');
export const RequestLine = typed<RequestLine>(
  Type.String({ pattern: `^\\s*(?:${methodAlternatives})\\s+\\S+\\s*$|${ENV}`, description: 'A request: "METHOD /path"', patternErrorMessage: 'Expected "METHOD /path", e.g. "GET /users"' }),
  { noun: 'a request', expected: '"METHOD /path" or { get: /path, ... }' },
);

// ---------------------------------------------------------------- thresholds

type Sp = '' | ' ';
type Aggregate = `p(${number})` | 'avg' | 'min' | 'max' | 'med';
type Source = 'latency' | 'success' | 'service_time' | 'iteration_duration';
/** Metrics of the threshold grammar (thresholds/parse.ts); `trend(...)` for soak trends. */
export type ThresholdMetricName = Aggregate | `${Source}.${Aggregate}` | 'error_rate' | 'failed_rate' | 'rps' | 'count' | 'checks' | 'dropped' | `trend(${string})`;
export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';
/** `metric op value`, e.g. `p(95) < 200ms`, `error_rate < 1%`, `rps >= 450`. */
export type ThresholdExpression = `${ThresholdMetricName}${Sp}${ThresholdOperator}${Sp}${number}${string}` | EnvRef;
export const ThresholdExpression = typed<ThresholdExpression>(
  Type.String({ minLength: 1, description: 'metric op value, e.g. "p(95) < 200ms", "error_rate < 1%", "rps >= 450" (see docs/scenario.md#thresholds)' }),
  { expected: 'an expression like "p(95) < 200ms"' },
);
