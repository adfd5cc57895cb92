/**
 * The scenario format, defined once. From this definition come the TypeScript input
 * type of `defineScenario` (`ScenarioInput`), the published JSON Schema
 * (schema/scenario.schema.json, written by scripts/scenario-schema.mjs) and the
 * structural half of the validator (structure.ts). docs/scenario.md is the prose.
 */
import { Type, type Static } from '@sinclair/typebox';
import { isObj } from '../values.js';
import { Load } from './load.js';
import { Loads, RateShortfall, record, Tags } from './loads.js';
import { described, Num, OrNull, PositiveDuration, Scalar, Switch, Template, Text, typed } from './primitives.js';
import { Flows, Steps } from './step.js';
import { Thresholds } from './thresholds.js';

export { ScopedThreshold, type ThresholdInput } from './thresholds.js';

const { Optional } = Type;

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

/** What every scenario has, whatever its form: target, headers, variables, data, secrets, timeouts (before the load) ... */
const HEAD = {
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
};
/** ... and thresholds, outputs, tags and secrets (after it). */
const TAIL = {
  thresholds: Optional(Thresholds),
  reporters: Optional(OrNull(described(Type.Array(Reporter, { description: 'Outputs: { type: json, path: out.json }, ...' }), { expected: 'a list of reporters like { type: json, path: result.json }' }))),
  tags: Optional(Tags),
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
};

/** The keys both forms have. */
export const COMMON = { ...HEAD, ...TAIL };

/** A key of one form that the other form has instead: an error saying which goes with which. */
const never = (conflictsWith: string) => Optional(described(Type.Never(), { conflictsWith }));

/** One load: `load` + `flows` (or `steps`) at the top level. */
export const SingleLoadScenarioSchema = Type.Object(
  {
    ...HEAD,
    load: Load,
    rateShortfall: Optional(RateShortfall),
    flows: Optional(Flows('Flows: a list of { name, weight, steps }, or a mapping name -> { weight, steps }')),
    scenarios: Optional(Flows('Same as flows (k6 spelling)')),
    steps: Optional(Steps()),
    ...TAIL,
    loads: never('load'),
  },
  { additionalProperties: false, description: 'A loadctl scenario with one load (docs/scenario.md)' },
);

/** Several loads side by side: `loads: [{ name, load, flows }, ...]`. */
export const MultiLoadScenarioSchema = Type.Object(
  {
    ...HEAD,
    loads: Loads,
    ...TAIL,
    load: never('loads'),
    rateShortfall: never('loads'),
    flows: never('loads'),
    scenarios: never('loads'),
    steps: never('loads'),
  },
  { additionalProperties: false, description: 'A loadctl scenario with loads side by side (docs/scenario.md#loads)' },
);

/** The form a scenario document means: side by side when it has `loads`. */
function scenarioForm(v: unknown): number | undefined {
  return isObj(v) ? (v.loads !== undefined ? 1 : 0) : undefined;
}

export const ScenarioSchema = described(Type.Union([SingleLoadScenarioSchema, MultiLoadScenarioSchema], { description: 'A loadctl scenario (docs/scenario.md)' }), {
  expected: 'a mapping (the scenario)',
  select: scenarioForm,
});

/**
 * The scenario as written (YAML or code): what `defineScenario` takes. One load
 * (`load` + `flows`/`steps`) or several side by side (`loads`); mixing `load` with
 * `loads` does not compile.
 */
export type ScenarioInput = Static<typeof ScenarioSchema>;
/** The one-load form. */
export type SingleLoadScenarioInput = Static<typeof SingleLoadScenarioSchema>;
/** The side-by-side form. */
export type MultiLoadScenarioInput = Static<typeof MultiLoadScenarioSchema>;
