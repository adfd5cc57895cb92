/**
 * What a run needs to know of a scenario's loads, whatever its form (one load, or several
 * side by side): the load models in words, the planned length, each load's requested rate
 * and stage labels for the aggregator, the metas of the per-load summaries, the load
 * ceilings, and the stages trends are fitted over.
 */
import type { LoadContext } from '../metrics/tick-figures.js';
import { ArrivalSchedule, stageIndexAt, stageLabel, totalDurationMs } from '../plan/stages.js';
import { loadCeilingProblems, type CeilingContext, type CeilingProblem } from '../scenario/ceiling.js';
import { loadPlannedMs, scenarioLoads } from '../scenario/loads.js';
import type { LoadModel, Scenario } from '../scenario/model.js';
import type { LoadMeta } from '../metrics/model.js';

/** One load model in words, e.g. "closed 50 users" or "open up to 1000/s, max 200 in flight". */
export function describeLoad(l: LoadModel): string {
  if (l.model === 'closed') {
    const peak = Math.max(...l.stages.map((x) => x.users));
    return l.iterations !== undefined ? `closed ${peak} users, ${l.iterations} iterations` : `closed ${peak} users`;
  }
  const peak = Math.max(l.startRate, ...l.stages.map((x) => x.rate));
  return `open up to ${peak}/s, max ${l.maxInFlight} in flight`;
}

/** The scenario's load in words; loads side by side: "2 loads: api open up to 3000/s, ...; writers closed 3 users". */
export function describeModel(s: Scenario): string {
  if (s.loads === undefined) return describeLoad(s.load);
  return `${s.loads.length} loads: ${s.loads.map((l) => `${l.name} ${describeLoad(l.load)}`).join('; ')}`;
}

/** The stages trends are fitted over: the longest load's. */
export function trendStagesMs(s: Scenario): number[] {
  const longest = scenarioLoads(s).reduce((a, b) => (totalDurationMs(b.load) > totalDurationMs(a.load) ? b : a));
  return longest.load.stages.map((st) => st.durationMs);
}

/** What each side-by-side load is (the run's meta.loads); undefined for one load. */
export function loadMetas(s: Scenario): Record<string, LoadMeta> | undefined {
  if (s.loads === undefined) return undefined;
  return Object.fromEntries(
    s.loads.map((l) => {
      const m: LoadMeta = { model: describeLoad(l.load), tags: { ...l.tags } };
      const ms = loadPlannedMs(l.load);
      if (ms !== undefined) m.plannedDurationMs = ms;
      return [l.name, m];
    }),
  );
}

/** A load's requested rate (this process's `fraction` of it) and stage labels. */
function loadContext(l: LoadModel, fraction: number): LoadContext {
  const ctx: LoadContext = { stageAt: (t) => stageLabel(l.stages, stageIndexAt(l.stages, t)) };
  if (l.model === 'open') {
    const schedule = new ArrivalSchedule(l.startRate, l.stages);
    ctx.targetRate = (a, b) => (((schedule.arrivalsBefore(b) - schedule.arrivalsBefore(a)) * 1000) / (b - a)) * fraction;
  }
  return ctx;
}

/**
 * The aggregator's view of the loads: the run's requested rate (the sum of its open
 * loads'; undefined without one) and its stage labels (one load's; none beside others),
 * and each side-by-side load's own.
 */
export function intervalContexts(s: Scenario, fraction: number): { run: LoadContext; loads?: Record<string, LoadContext> } {
  if (s.loads === undefined) return { run: loadContext(s.load, fraction) };
  const loads = Object.fromEntries(s.loads.map((l) => [l.name, loadContext(l.load, fraction)]));
  const open = Object.values(loads).filter((c) => c.targetRate !== undefined);
  const run: LoadContext = {};
  if (open.length > 0) run.targetRate = (a, b) => open.reduce((sum, c) => sum + c.targetRate!(a, b), 0);
  return { run, loads };
}

/** Every load figure beyond the ceiling, with its path ("load.stages[0].users", "loads[1].load.maxInFlight"). */
export function scenarioCeilingProblems(s: Scenario, ctx: CeilingContext): Array<CeilingProblem & { path: string }> {
  if (s.loads === undefined) return loadCeilingProblems(s.load, ctx);
  return s.loads.flatMap((l, i) => loadCeilingProblems(l.load, ctx).map((p) => ({ ...p, path: `loads[${i}].${p.path}` })));
}
