/**
 * The fast path of YAML loading: js-yaml builds plain values ~15x faster than the `yaml`
 * library's document API (a 5 MB scenario: well under a second instead of several), but
 * keeps no positions. It is used only where it gives exactly what `yaml` would
 * (`parseDocument(...).toJS()` with the YAML 1.2 core schema):
 *
 * - scalars are resolved with the core schema's own rules (the same regular expressions as
 *   `yaml`'s core tags), not js-yaml's, which differ on `-.5`, `0b1`, `-0x1` and `1e999`;
 * - a text with anchors, aliases or merge keys goes the full way (`yaml` bounds alias
 *   expansion and merges `<<`; js-yaml's core schema does neither);
 * - anything js-yaml refuses (a syntax error, a duplicate key, an unknown tag, several
 *   documents) goes the full way too, so its message and position come from `yaml`.
 *
 * Returns `undefined` when the full parser must be used.
 */
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';

const scalar = (tag: string, test: (s: string) => boolean, construct: (s: string) => unknown): Type =>
  new Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (s: string | null) => s !== null && test(s), construct: (s: string) => construct(s) });

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

function int(s: string): number {
  if (INT_OCT.test(s)) return parseInt(s.slice(2), 8);
  if (INT_HEX.test(s)) return parseInt(s.slice(2), 16);
  return Number(s);
}

function float(s: string): number {
  if (FLOAT_SPECIAL.test(s)) return s.endsWith('n') || s.endsWith('N') ? NaN : s.startsWith('-') ? -Infinity : Infinity;
  return parseFloat(s);
}

/** The YAML 1.2 core schema, resolved as the `yaml` library resolves it. */
const CORE = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (s: string | null) => s === null || NULL.test(s), construct: () => null }),
    scalar('bool', (s) => BOOL.test(s), (s) => s[0] === 't' || s[0] === 'T'),
    scalar('int', (s) => INT_DEC.test(s) || INT_OCT.test(s) || INT_HEX.test(s), int),
    scalar('float', (s) => FLOAT.test(s) || FLOAT_SPECIAL.test(s), float),
  ],
});

/** An anchor or alias token (`&a`, `*a` after a space, a flow indicator or the line start) or a merge key. */
const NEEDS_FULL_PARSER = /(?:^|[\s[{,])[&*][^\s[\]{},]|<</m;

/** The plain value of a single YAML document, or `undefined` when only the full parser may read it. */
export function loadFast(text: string): { value: unknown } | undefined {
  if (NEEDS_FULL_PARSER.test(text)) return undefined;
  try {
    const value = load(text, { schema: CORE, json: false });
    return { value: value === undefined ? null : value };
  } catch {
    return undefined;
  }
}
