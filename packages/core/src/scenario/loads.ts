/**
 * The loads of a scenario, whatever its form: one (the top-level `load` and `flows`) or
 * several side by side (`loads:`). The plan, the run and the overrides go through this,
 * so both forms take one path.
 */
import type { Flow, LoadModel, RateShortfallPolicy, Scenario } from './model.js';

/** One load as the plan and the run see it. */
export interface LoadEntry {
  /** The load's name; undefined for a one-load scenario (its results keep the flat shape, no `loads` grouping). */
  name?: string;
  /** The scenario's own object: changing it changes the scenario (overrides do). */
  load: LoadModel;
  flows: Flow[];
  tags: Record<string, string>;
  rateShortfall?: RateShortfallPolicy;
}

export function scenarioLoads(s: Scenario): LoadEntry[] {
  if (s.loads !== undefined) return s.loads;
  const one: LoadEntry = { load: s.load, flows: s.flows, tags: {} };
  if (s.rateShortfall) one.rateShortfall = s.rateShortfall;
  return [one];
}

/** Planned length (ms) of one load; undefined when its end is an iteration count. */
export function loadPlannedMs(l: LoadModel): number | undefined {
  if (l.model === 'closed' && l.iterations !== undefined) return undefined;
  return l.stages.reduce((n: number, st) => n + st.durationMs, 0);
}

/** The scenario's planned length: its longest load's; undefined when one of them ends by an iteration count. */
export function plannedDurationMs(s: Scenario): number | undefined {
  let out = 0;
  for (const e of scenarioLoads(s)) {
    const ms = loadPlannedMs(e.load);
    if (ms === undefined) return undefined;
    out = Math.max(out, ms);
  }
  return out;
}

/** Every flow of every load. */
export function scenarioFlows(s: Scenario): Flow[] {
  return s.loads !== undefined ? s.loads.flatMap((l) => l.flows) : s.flows;
}

/** Names of the loads side by side; empty for a one-load scenario. */
export function loadNames(s: Scenario): string[] {
  return s.loads?.map((l) => l.name) ?? [];
}
