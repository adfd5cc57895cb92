/** flows / scenarios / steps -> Flow[]: names, weights, pace, steps with their reference scopes. */
import type { Flow, Step } from '../model.js';
import type { Seg } from '../parse.js';
import { FlowInList } from '../schema/step.js';
import type { FlowInput, StepInput } from '../schema/step.js';
import type { RequestLine } from '../schema/primitives.js';
import { isObj } from '../values.js';
import { captureNames } from './checks.js';
import type { Context } from './context.js';
import { CaptureIndex, type RefScope } from './refs.js';
import { normalizeStep } from './step.js';

type Names = Pick<RefScope, 'vars' | 'data'>;
type FlowLike = Partial<FlowInput>;

export interface NormalizedFlows {
  flows: Flow[];
  /** Every capture of every flow (what scenario-level headers may use). */
  captures: CaptureIndex;
  /** False when some flow or step has an issue (its names are then unknown). */
  complete: boolean;
}

/** Where flows are written: the scenario (one load) or one entry of `loads`. */
export interface FlowsInput {
  flows?: Record<string, Partial<FlowInput>> | Array<Partial<FlowInput>>;
  scenarios?: FlowsInput['flows'];
  steps?: Array<StepInput | RequestLine>;
}

/**
 * The flows of `parent` (found at `base`). `all` collects every capture name (shared by the
 * loads of a scenario, for the scenario's headers).
 */
export function normalizeFlows(c: Context, parent: FlowsInput, names: Names, base: readonly Seg[] = [], all = new CaptureIndex()): NormalizedFlows {
  const at = (...p: Seg[]): Seg[] => [...base, ...p];
  const result = (flows: Flow[]): NormalizedFlows => ({ flows, captures: all, complete: flows.length > 0 && c.ok(at('flows')) && c.ok(at('scenarios')) && c.ok(at('steps')) });
  const present = (['flows', 'scenarios', 'steps'] as const).filter((k) => parent[k] !== undefined);
  if (present.length === 0) {
    c.issues.missingKey(base, 'flows', 'flows: (a list of { name, weight, steps }) or steps: (a list of requests)');
    return result([]);
  }
  if (present.length > 1) {
    c.issue('E_CONFLICT', at(present[1]), `"${present[0]}" and "${present[1]}" cannot be used together`, { at: 'key', expected: 'one of flows, scenarios or steps' });
    return result([]);
  }
  const key = present[0];
  if (key === 'steps') {
    if (!Array.isArray(parent.steps)) return result([]);
    const f = flow(c, { steps: parent.steps }, [...base], 'default', 0, names, all);
    return result(f ? [f] : []);
  }
  const v = parent[key];
  const entries: Array<[Seg[], FlowLike, string | undefined]> = [];
  if (Array.isArray(v)) v.forEach((f, i) => entries.push([at(key, i), f, undefined]));
  else if (isObj(v)) for (const [k, f] of Object.entries(v)) entries.push([at(key, k), f as FlowLike, k]);
  const out: Flow[] = [];
  const seen = new Set<string>();
  entries.forEach(([path, f, mapName], i) => {
    const fl = flow(c, f, path, mapName, i, names, all);
    if (!fl) return;
    if (seen.has(fl.name)) return c.issue('E_BAD_VALUE', [...path, 'name'], `flow name "${fl.name}" is used twice`, { expected: 'unique flow names' });
    seen.add(fl.name);
    out.push(fl);
  });
  return result(out);
}

function flow(c: Context, o: FlowLike, path: Seg[], mapName: string | undefined, index: number, names: Names, all: CaptureIndex): Flow | undefined {
  c.tick();
  if (!isObj(o)) return undefined;
  let name = mapName ?? `flow${index + 1}`;
  if (o.name !== undefined && c.ok([...path, 'name'])) name = c.text(o.name, [...path, 'name'], { nonEmpty: true }) ?? name;
  const weight = o.weight === undefined ? 1 : c.ok([...path, 'weight']) ? c.num(o.weight, [...path, 'weight'], FlowInList.properties.weight) : undefined;
  const pace = o.pace === undefined || !c.ok([...path, 'pace']) ? undefined : c.range(o.pace, [...path, 'pace']);
  const stepsPath = [...path, 'steps'];
  if (!Array.isArray(o.steps)) return undefined;
  const list: Array<StepInput | RequestLine> = o.steps;
  // Index the captures of every step first (read loosely), so that a reference can tell
  // "captured by an earlier step" from "captured later" from "never captured" in O(1).
  const captures = new CaptureIndex();
  list.forEach((s, j) => {
    for (const n of captureNames(isObj(s) ? s.capture : undefined)) {
      c.tick();
      captures.add(n, j);
      all.add(n, 0);
    }
  });
  const steps: Step[] = [];
  list.forEach((s, j) => {
    c.tick();
    const step = normalizeStep(c, s, [...stepsPath, j], { ...names, captures, step: j });
    if (step) steps.push(step);
  });
  if (weight === undefined) return undefined;
  const f: Flow = { name, weight, steps };
  if (pace) f.pace = pace;
  return f;
}
