/**
 * The program one worker runs for one load, compiled in the worker from its share (closures
 * cannot cross threads): the flows' steps as closures, the flow picker, data-row
 * cursors over the rows the plan gave this worker, and fresh iteration contexts.
 */
import type { TemplateContext } from '../scenario/template.js';
import { compileStep, type CompiledStep, type IterationContext } from './compile.js';
import { cumulativePicker, smoothWeightedRoundRobin } from './picker.js';
import type { ThinkTime } from './program.js';
import { seededRandom } from './random.js';
import { unitAt } from './stripe.js';
import type { LoadSharePlan } from './worker-plan.js';

export interface CompiledFlow {
  name: string;
  weight: number;
  steps: CompiledStep[];
  /** Think time after each iteration. */
  pace?: ThinkTime;
  /** Data sources whose row advances with each iteration of this flow. */
  dataSources: string[];
}

export interface CompiledProgram {
  name: string;
  origin: string;
  flows: CompiledFlow[];
  /** A fresh context for one iteration of flow `flowIndex` by virtual user `vu` (advances data cursors). */
  newIteration(flowIndex: number, vu: number): IterationContext;
  /** Deterministic smooth weighted round robin: over sum(weights) calls each flow comes exactly `weight` times. */
  nextFlow(): number;
  /** Weighted pick from a uniform number in [0, 1). */
  pickFlow(rand: number): number;
  /** The worker's seeded PRNG, [0, 1). */
  random(): number;
  /** A think/pace time in ms (uniform in the range). */
  thinkMs(t: ThinkTime | undefined): number;
}

interface Cursor {
  rows: ReadonlyArray<Record<string, string>>;
  next: number;
  random: boolean;
}

/** The program of one share of a worker (one load's flows over the units it owns). */
export function compileWorker(plan: LoadSharePlan): CompiledProgram {
  const { program, units } = plan;
  const random = seededRandom(plan.seed);
  const flows: CompiledFlow[] = program.flows.map((f) => {
    const o = { vars: program.vars, captured: new Set(f.captured), env: {} };
    const out: CompiledFlow = { name: f.name, weight: f.weight, steps: f.steps.map((st) => compileStep(st, o)), dataSources: f.dataSources };
    if (f.pace) out.pace = f.pace;
    return out;
  });
  const weights = flows.map((f) => f.weight);
  const cursors = new Map<string, Cursor>();
  for (const [name, d] of Object.entries(plan.data)) cursors.set(name, { rows: d.rows, next: 0, random: d.order === 'random' });
  let localIteration = 0;

  return {
    name: program.name,
    origin: program.origin,
    flows,
    newIteration(flowIndex, vu) {
      const rows: TemplateContext['rows'] = {};
      for (const src of flows[flowIndex].dataSources) {
        const c = cursors.get(src)!;
        if (c.random) rows[src] = c.rows[Math.floor(random() * c.rows.length)];
        else {
          rows[src] = c.rows[c.next];
          c.next = c.next + 1 === c.rows.length ? 0 : c.next + 1;
        }
      }
      const iteration = unitAt(units, localIteration++);
      return { flowIndex, captures: Object.create(null) as Record<string, unknown>, rows, iteration, vu, rand: random };
    },
    nextFlow: smoothWeightedRoundRobin(weights),
    pickFlow: cumulativePicker(weights),
    random,
    thinkMs(t) {
      if (!t) return 0;
      return t.minMs === t.maxMs ? t.minMs : t.minMs + random() * (t.maxMs - t.minMs);
    },
  };
}
