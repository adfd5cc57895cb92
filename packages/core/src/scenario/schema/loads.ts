/**
 * Side-by-side loads: `loads:` holds several loads that run at the same time, each with
 * its own model, flows, tags, thresholds and rate-shortfall policy (docs/scenario.md#loads).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Load } from './load.js';
import { described, Duration, OrNull, Ratio, Scalar, Switch, Text } from './primitives.js';
import { Flows, Steps } from './step.js';
import { Thresholds } from './thresholds.js';

const { Optional } = Type;

/** A mapping of names to values (`null` as empty, as YAML writes `tags:` with no items). */
export const record = <T extends TSchema>(value: T, expected: string, description: string) => OrNull(described(Type.Record(Type.String(), value, { description }), { expected }));

export const RateShortfall = described(
  Type.Object(
    {
      maxShortfall: described(Ratio('How far below the requested rate (10% or 0.1)'), { missing: 'maxShortfall: <e.g. 10%>' }),
      grace: Optional(Duration('For how long (default 10s)')),
      abort: Optional(Switch('Abort (default) or only warn')),
    },
    { additionalProperties: false, description: 'Open model: abort when the achieved rate stays below the requested one' },
  ),
  { expected: 'a mapping: { maxShortfall: 10%, grace: 30s }' },
);

export const Tags = record(Scalar('a string or number', 'A tag value'), 'a mapping of tag names to values', 'Labels copied to the run metadata');

/** A load name: letters, digits, `_`, `.` and `-` (it becomes a tag and label value, and `load:<name>`). */
export const LOAD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export const LoadEntry = described(
  Type.Object(
    {
      name: described(Text('a load name', 'Unique load name: results are grouped by it; thresholds elsewhere say load:<name>', { nonEmpty: true }), {
        missing: 'name: <load name> (results and load:<name> thresholds use it)',
      }),
      description: Optional(Text('a string', 'Free text')),
      load: Load,
      flows: Optional(Flows('This load\'s flows: a list of { name, weight, steps }, or a mapping name -> { weight, steps }')),
      scenarios: Optional(Flows('Same as flows (k6 spelling)')),
      steps: Optional(Steps()),
      thresholds: Optional(Thresholds),
      tags: Optional(Tags),
      rateShortfall: Optional(RateShortfall),
    },
    { additionalProperties: false, description: 'One load that runs beside the others: its model, flows, thresholds (scoped to it) and tags' },
  ),
  { expected: 'a load: { name, load, flows }' },
);

export const Loads = described(
  Type.Array(LoadEntry, { minItems: 1, description: 'Loads that run at the same time, each with its own model, flows and thresholds' }),
  { expected: 'a list of loads like { name, load, flows }', empty: ['no loads', 'at least one load'], missing: 'loads: a list of { name, load, flows }' },
);

/** One entry of `loads:`. */
export type LoadEntryInput = Static<typeof LoadEntry>;
