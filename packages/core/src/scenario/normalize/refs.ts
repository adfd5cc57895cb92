/**
 * Names a template may refer to at one point of the scenario, and the check of a
 * template's references against them. Captures are indexed once per flow (first and
 * last step that makes each name), so "captured by an earlier step" and "captured
 * only later" are O(1) questions, whatever the number of steps.
 */
import { suggest } from '../errors.js';
import type { Issues } from '../issues.js';
import type { Seg } from '../parse.js';
import { templateRefs, type TemplatePart } from '../template.js';

/** Where each capture name is made in one flow: the first and the last step index. */
export class CaptureIndex {
  private readonly at = new Map<string, { first: number; last: number }>();

  add(name: string, step: number): void {
    const e = this.at.get(name);
    if (!e) this.at.set(name, { first: step, last: step });
    else e.last = step;
  }

  /** Made by a step before `step`. */
  before(name: string, step: number): boolean {
    const e = this.at.get(name);
    return e !== undefined && e.first < step;
  }

  /** Made by `step` or a later one. */
  fromOn(name: string, step: number): boolean {
    const e = this.at.get(name);
    return e !== undefined && e.last >= step;
  }

  /** Names made before `step` (for messages only). */
  namesBefore(step: number): string[] {
    return [...this.at].filter(([, e]) => e.first < step).map(([n]) => n);
  }
}

/** The names visible to templates at one step (`step` = Infinity: after every step, e.g. scenario headers). */
export interface RefScope {
  vars: ReadonlySet<string>;
  /** Data source -> its columns (empty when unknown). */
  data: ReadonlyMap<string, ReadonlySet<string>>;
  captures: CaptureIndex;
  step: number;
}

/** Report every reference in `parts` that names nothing defined at this point. */
export function checkRefs(parts: TemplatePart[], path: readonly Seg[], scope: RefScope, issues: Issues): void {
  for (const { ref, part } of templateRefs(parts)) {
    const needle = '${' + part.src;
    if (ref.ns === 'vars') {
      if (!scope.vars.has(ref.path[0])) {
        issues.add('E_UNKNOWN_REFERENCE', path, `variable "${ref.path[0]}" is not defined`, {
          needle,
          expected: scope.vars.size ? `one of ${[...scope.vars].join(', ')}` : 'a name under variables:',
          suggestion: suggest(ref.path[0], scope.vars),
        });
      }
    } else if (ref.ns === 'data') {
      const [src, col] = ref.path;
      const cols = scope.data.get(src);
      if (!cols) {
        issues.add('E_UNKNOWN_REFERENCE', path, `data source "${src}" is not defined`, {
          needle,
          expected: scope.data.size ? `one of ${[...scope.data.keys()].join(', ')}` : 'a name under data:',
          suggestion: suggest(src, scope.data.keys()),
        });
      } else if (cols.size > 0 && !cols.has(col)) {
        issues.add('E_UNKNOWN_REFERENCE', path, `data source "${src}" has no column "${col}"`, { needle, expected: `one of ${[...cols].join(', ')}`, suggestion: suggest(col, cols) });
      }
    } else if (ref.ns === 'name') {
      const name = ref.path[0];
      if (scope.captures.before(name, scope.step) || scope.vars.has(name)) continue;
      if (scope.captures.fromOn(name, scope.step)) {
        issues.add('E_UNKNOWN_REFERENCE', path, `"${name}" is used before it is captured`, { needle, expected: 'a capture made by an earlier step of the same flow' });
        continue;
      }
      const known = [...scope.captures.namesBefore(scope.step), ...scope.vars];
      issues.add('E_UNKNOWN_REFERENCE', path, `"${name}" is neither a capture of an earlier step nor a variable`, {
        needle,
        expected: known.length ? `one of ${known.join(', ')}` : 'a capture, a variable, vars.x, env.X or data.source.column',
        suggestion: suggest(name, known),
      });
    }
  }
}
