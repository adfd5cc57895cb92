/**
 * The published JSON Schema of scenario files (packages/core/schema/scenario.schema.json,
 * written by scripts/scenario-schema.mjs, checked for staleness by a test): the TypeBox
 * definition as plain JSON. Editors with the YAML language server use it through a
 * `# yaml-language-server: $schema=<path or URL>` first line (see docs/scenario.md).
 */
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { ClosedStage, Load, OpenStage } from './load.js';
import { LoadEntry, RateShortfall, Tags } from './loads.js';
import { ScenarioSchema } from './scenario.js';
import { Capture, Check, FlowInList, FlowInMap, Step, StepOrLine } from './step.js';
import { Thresholds } from './thresholds.js';

/** Where the schema file is, relative to the @loadctl/core package root. */
export const SCENARIO_SCHEMA_FILE = 'schema/scenario.schema.json';

/** The schema file of this installed package (what `loadctl init` points editors at). */
export function scenarioSchemaPath(): string {
  // src/scenario/schema/ and dist/scenario/schema/ are both three levels below the package root.
  return fileURLToPath(new URL(`../../../${SCENARIO_SCHEMA_FILE}`, import.meta.url));
}

/** Parts used in several places, written once under `definitions`. */
const NAMED = new Map<TSchema, string>([
  [StepOrLine, 'step'],
  [Step, 'request'],
  [Capture, 'capture'],
  [Check, 'check'],
  [FlowInList, 'flow'],
  [FlowInMap, 'flowInMapping'],
  [ClosedStage, 'closedStage'],
  [OpenStage, 'openStage'],
  [Load, 'load'],
  [LoadEntry, 'loadEntry'],
  [Thresholds, 'thresholds'],
  [RateShortfall, 'rateShortfall'],
  [Tags, 'tags'],
]);

/** A named part, or a shallow copy of one (TypeBox's Optional copies a schema, adding only a symbol key). */
function nameOf(v: object): string | undefined {
  const direct = NAMED.get(v as TSchema);
  if (direct !== undefined) return direct;
  const keys = Object.keys(v);
  for (const [schema, name] of NAMED) {
    const own = Object.keys(schema);
    if (own.length === keys.length && own.every((k) => (schema as Record<string, unknown>)[k] === (v as Record<string, unknown>)[k])) return name;
  }
  return undefined;
}

const isNever = (v: unknown) => typeof v === 'object' && v !== null && 'not' in v && Object.keys((v as { not: object }).not).length === 0;

/**
 * Plain JSON of a schema: string keys only (TypeBox's and our meta are symbol keys), named
 * parts as $ref, and without the `never` properties that only make the TypeScript union
 * discriminated (`additionalProperties: false` already rejects them, with a clearer
 * "Property rate is not allowed" in editors).
 */
function plain(v: unknown, defs: Record<string, unknown>, top = false): unknown {
  if (Array.isArray(v)) return v.map((x) => plain(x, defs));
  if (typeof v !== 'object' || v === null) return v;
  const name = top ? undefined : nameOf(v);
  if (name !== undefined) {
    if (!(name in defs)) {
      defs[name] = null; // reserve the name (and the order) before descending
      defs[name] = plain(v, defs, true);
    }
    return { $ref: `#/definitions/${name}` };
  }
  const entries = Object.entries(v).filter(([, x]) => !isNever(x));
  return Object.fromEntries(entries.map(([k, x]) => [k, k === 'required' && Array.isArray(x) ? x : plain(x, defs)]));
}

export function scenarioJsonSchema(): Record<string, unknown> {
  const definitions: Record<string, unknown> = {};
  const root = plain(ScenarioSchema, definitions, true) as Record<string, unknown>;
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...root, definitions };
}

/** The file's text: what the script writes and the test compares. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
