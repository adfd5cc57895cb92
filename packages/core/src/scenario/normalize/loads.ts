/**
 * `loads:` -> ScenarioLoad[]: each load's model, flows, tags and rate-shortfall policy, and
 * its thresholds (scoped to it). Names are unique and usable as `load:<name>`, tags and labels.
 */
import type { Flow, ScenarioLoad, ThresholdSpec } from '../model.js';
import type { Seg } from '../parse.js';
import { LOAD_NAME, type LoadEntryInput } from '../schema/loads.js';
import { isObj } from '../values.js';
import type { Context } from './context.js';
import { normalizeFlows } from './flows.js';
import { normalizeLoad, normalizeRateShortfall } from './load.js';
import { CaptureIndex, type RefScope } from './refs.js';
import { normalizeTags } from './sections.js';
import { normalizeThresholds } from './thresholds.js';

export interface NormalizedLoads {
  loads: ScenarioLoad[];
  /** Every load's thresholds, each with its `load`. */
  thresholds: ThresholdSpec[];
  /** Every flow of every load (what the scenario's thresholds may name). */
  flows: Flow[];
  /** The names of the loads that have one (valid or not: `load:<name>` may refer to them). */
  names: string[];
  /** Every capture of every load's flows (what the scenario's headers may use). */
  captures: CaptureIndex;
  /** False when some load's flows have an issue. */
  complete: boolean;
}

export function normalizeLoads(c: Context, list: readonly LoadEntryInput[], refs: Pick<RefScope, 'vars' | 'data'>): NormalizedLoads {
  const out: NormalizedLoads = { loads: [], thresholds: [], flows: [], names: [], captures: new CaptureIndex(), complete: true };
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    c.tick();
    const base: Seg[] = ['loads', i];
    if (!isObj(entry)) return void (out.complete = false);
    const name = entry.name === undefined || !c.ok([...base, 'name']) ? undefined : c.text(entry.name, [...base, 'name'], { nonEmpty: true, expected: 'a load name' });
    let named = name !== undefined;
    if (name !== undefined && !LOAD_NAME.test(name)) {
      c.issue('E_BAD_VALUE', [...base, 'name'], `"${name}" cannot be a load name`, { expected: 'a name of letters, digits, _, . and - (it becomes load:<name>, a tag and a label)' });
      named = false;
    } else if (name !== undefined && seen.has(name)) {
      c.issue('E_BAD_VALUE', [...base, 'name'], `load name "${name}" is used twice`, { expected: 'unique load names' });
      named = false;
    }
    if (name !== undefined) {
      seen.add(name);
      out.names.push(name);
    }
    const flows = normalizeFlows(c, entry, refs, base, out.captures);
    out.flows.push(...flows.flows);
    if (!flows.complete) out.complete = false;
    const load = normalizeLoad(c, entry.load, [...base, 'load']);
    const rateShortfall = entry.rateShortfall === undefined ? undefined : normalizeRateShortfall(c, entry.rateShortfall, load, [...base, 'rateShortfall']);
    const tags = normalizeTags(c, isObj(entry.tags) ? entry.tags : undefined, base);
    const description = entry.description === undefined ? undefined : c.text(entry.description, [...base, 'description']);
    if (name !== undefined) out.thresholds.push(...normalizeThresholds(c, entry.thresholds, { flows: flows.flows, complete: flows.complete, load: name, base }));
    if (!named || name === undefined || load === undefined) return;
    const l: ScenarioLoad = { name, load, flows: flows.flows, tags };
    if (description !== undefined) l.description = description;
    if (rateShortfall) l.rateShortfall = rateShortfall;
    out.loads.push(l);
  });
  return out;
}
