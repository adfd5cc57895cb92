/**
 * The scenario format, defined once. From this definition come the TypeScript input
 * type of `defineScenario` (`ScenarioInput`), the published JSON Schema
 * (schema/scenario.schema.json, written by scripts/scenario-schema.mjs) and the
 * structural half of the validator (structure.ts). docs/scenario.md is the prose.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Load } from './load.js';
import { described, Duration, Num, OrNull, PositiveDuration, Ratio, Scalar, Switch, Template, Text, ThresholdExpression, typed } from './primitives.js';
import { Flows, Steps } from './step.js';

const { Optional } = Type;

const ThresholdObject = (withScope: boolean) =>
  described(
    Type.Object(
      {
        expression: described(ThresholdExpression, { missing: 'expression: <e.g. "p(95) < 200ms">' }),
        ...(withScope ? { scope: Optional(Text('a string', '"total" (default), a request name, or "flow:<name>"', { nonEmpty: true })) } : {}),
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

const Thresholds = OrNull(
  Type.Union(
    [
      described(Type.Array(thresholdItem(true)), { expected: 'a list of expressions' }),
      described(Type.Record(Type.String(), Type.Union([thresholdItem(false), Type.Array(thresholdItem(false))])), { expected: 'a mapping scope -> expressions' }),
    ],
    { description: 'Pass/fail criteria: a list of "metric op value" (scope total), or a mapping scope -> expressions' },
  ),
);

const Variable = described(
  Type.Union([
    Scalar('a string or number', 'A constant'),
    Type.Object(
      { value: described(Scalar('a string or number', 'The value'), { missing: 'value: <the value>' }), secret: Optional(Switch('Never shown in results or logs')) },
      { additionalProperties: false },
    ),
  ]),
  { expected: 'a string, a number or { value, secret }' },
);

const DataSource = described(
  Type.Union([
    Text('a file name', 'A .csv (with a header row) or .json (array of objects) file, relative to the scenario'),
    Type.Object(
      {
        file: Optional(Text('a file name', 'A .csv or .json file, relative to the scenario', { nonEmpty: true })),
        rows: Optional(Type.Array(Type.Record(Type.String(), Type.Union([Scalar('a string', 'A cell'), Type.Null()])), { description: 'Inline rows' })),
        order: Optional(
          described(Type.Union([Type.Literal('sequential'), Type.Literal('random')], { description: 'Row order per iteration (default sequential)' }), {
            noun: 'an order',
            expected: 'sequential or random',
          }),
        ),
      },
      { additionalProperties: false },
    ),
  ]),
  { expected: 'a file name or { file, order }' },
);

const Reporter = typed<{ type: string; [option: string]: unknown }>(
  Type.Object(
    { type: described(Text('a reporter name', 'json, junit, influxdb, prometheus, html, ...', { nonEmpty: true }), { missing: 'type: <reporter name, e.g. json, junit, influxdb>' }) },
    { additionalProperties: true, description: 'An output; the other keys are its options' },
  ),
  { expected: 'a reporter like { type: json, ... }' },
);

/** One name or a list of them. */
const names = (expected: string, description: string) =>
  described(Type.Union([Text(expected, description, { nonEmpty: true }), Type.Array(Text(expected, description, { nonEmpty: true }))], { description }), { expected: 'a list of names' });

const record = <T extends TSchema>(value: T, expected: string, description: string) => OrNull(described(Type.Record(Type.String(), value, { description }), { expected }));

export const ScenarioSchema = described(
  Type.Object(
    {
      name: Optional(Scalar('a string', 'Shown in reports; default: the file name', { nonEmpty: true })),
      description: Optional(Text('a string', 'Free text')),
      target: described(Text('a URL like http://127.0.0.1:3000', 'Base URL of the system under test, e.g. http://127.0.0.1:3000'), {
        missing: 'the base URL of the system under test, e.g. target: http://127.0.0.1:3000',
      }),
      headers: Optional(record(Template('a string', 'A template'), 'a mapping', 'Default headers of every request (templates)')),
      timeout: Optional(PositiveDuration('Per-request timeout (default 10s)')),
      pipelining: Optional(Num('an integer >= 1', { integer: true, minimum: 1, description: 'HTTP/1.1 pipelining depth per connection (default 1)' })),
      variables: Optional(record(Variable, 'a mapping', 'Constants: ${name} or ${vars.name}; { value, secret: true } for secrets')),
      data: Optional(record(DataSource, 'a mapping', 'Data files: ${data.<source>.<column>}')),
      load: Load,
      rateShortfall: Optional(
        described(
          Type.Object(
            {
              maxShortfall: described(Ratio('How far below the requested rate (10% or 0.1)'), { missing: 'maxShortfall: <e.g. 10%>' }),
              grace: Optional(Duration('For how long (default 10s)')),
              abort: Optional(Switch('Abort (default) or only warn')),
            },
            { additionalProperties: false, description: 'Open model: abort when the achieved rate stays below the requested one' },
          ),
          { expected: 'a mapping: { maxShortfall: 10%, grace: 30s }' },
        ),
      ),
      flows: Optional(Flows('Flows: a list of { name, weight, steps }, or a mapping name -> { weight, steps }')),
      scenarios: Optional(Flows('Same as flows (k6 spelling)')),
      steps: Optional(Steps()),
      thresholds: Optional(Thresholds),
      reporters: Optional(OrNull(described(Type.Array(Reporter, { description: 'Outputs: { type: json, path: out.json }, ...' }), { expected: 'a list of reporters like { type: json, path: result.json }' }))),
      tags: Optional(record(Scalar('a string or number', 'A tag value'), 'a mapping of tag names to values', 'Labels copied to the run metadata')),
      secrets: Optional(
        OrNull(
          described(
            Type.Object(
              { headers: Optional(names('a header name', 'Headers whose values are redacted like Authorization')), query: Optional(names('a query parameter name', 'Query parameters redacted like api_key')) },
              { additionalProperties: false, description: 'More names whose values never appear in results, logs or reports' },
            ),
            { expected: 'a mapping { headers: [names], query: [names] }' },
          ),
        ),
      ),
      hooks: Optional(Text('the path of a JavaScript module, e.g. ./hooks.mjs', 'JavaScript hooks (docs/hooks.md): an ES module, relative to the scenario, imported by every worker', { nonEmpty: true })),
    },
    { additionalProperties: false, description: 'A loadctl scenario (docs/scenario.md)' },
  ),
  { expected: 'a mapping (the scenario)' },
);

/** The scenario as written (YAML or code): what `defineScenario` takes. */
export type ScenarioInput = Static<typeof ScenarioSchema>;
/** One threshold: an expression, or one with a scope and abort options. */
export type ThresholdInput = Static<ReturnType<typeof thresholdItem>>;
