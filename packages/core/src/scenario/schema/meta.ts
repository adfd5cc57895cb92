/**
 * What the scenario schema says beyond JSON Schema: the words of the error messages
 * (`expected`, `missing`, ...) and which values are parsed further (durations, ratios).
 * Kept under a symbol key on the schema objects, so the published JSON Schema
 * (JSON.stringify of the same objects) carries only standard keywords.
 */
import type { TSchema } from '@sinclair/typebox';
import type { ScenarioErrorCode } from '../errors.js';

export const META: unique symbol = Symbol.for('loadctl.scenario.schema.meta');

/** A problem the union selector found: reported as is, at `path` below the union's value. */
export interface SelectIssue {
  code: ScenarioErrorCode;
  /** For E_MISSING: the key that is missing from the mapping at `path`. */
  key?: string;
  /** Segments below the union's own path (a key for `at: 'key'`). */
  path: ReadonlyArray<string | number>;
  problem: string;
  expected?: string;
  at?: 'key' | 'value';
}

/** Parsed value kinds: the JSON Schema checks their spelling, these functions their meaning. */
export type ValueKind = 'duration' | 'durationRange' | 'ratio';

export interface Meta {
  /** What a right value looks like, in messages: "an integer >= 1". */
  expected?: string;
  /** The value is parsed further (see kinds.ts); its problems are reported by the kind. */
  kind?: ValueKind;
  /** For durations: 0 is not allowed. */
  positive?: boolean;
  /** Any failure inside is one E_TYPE issue at this node ("got X, expected ..."). */
  atomic?: boolean;
  /** As a required property: what to write, for E_MISSING ("target: http://..."). */
  missing?: string;
  /** A union of literals: what it is ("an HTTP method"), for `"x" is not an HTTP method`. */
  noun?: string;
  /** Arrays with minItems: the problem and expected text when empty. */
  empty?: [problem: string, expected: string];
  /** A `never` property: the key it cannot be used with. */
  conflictsWith?: string;
  /** Unions: the variant the value meant (an index into anyOf), or why none fits. */
  select?: (value: unknown) => number | SelectIssue | undefined;
}

export function metaOf(schema: TSchema): Meta | undefined {
  return (schema as { [META]?: Meta })[META];
}

/** The same schema with (more) meta: a shallow copy, so a shared schema keeps its own. */
export function withMeta<T extends TSchema>(schema: T, meta: Meta): T {
  return { ...schema, [META]: { ...metaOf(schema), ...meta } };
}
