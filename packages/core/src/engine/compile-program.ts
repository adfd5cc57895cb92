/**
 * Bridge from the scenario model to the engine's program. Static steps only for
 * now; the template compiler (scenario/compile.ts) plugs in here.
 */
import type { Segment } from '../plan/segment.js';
import type { Scenario, Step } from '../scenario/model.js';
import type { EngineProgram, EngineStep, RenderedRequest } from './program.js';

type Ctx = undefined;

function staticStep(step: Step, defaultHeaders: Record<string, string>): EngineStep<Ctx> {
  const headers: string[] = [];
  for (const [k, v] of Object.entries({ ...defaultHeaders, ...step.headers })) headers.push(k, v);
  let body: string | null = null;
  if (step.body?.kind === 'raw') body = step.body.value;
  else if (step.body?.kind === 'json') body = JSON.stringify(step.body.value);
  const q = new URLSearchParams(step.query).toString();
  const rendered: RenderedRequest = { path: q ? `${step.path}?${q}` : step.path, headers, body };
  return {
    name: step.name,
    method: step.method,
    needsBody: false,
    needsHeaders: false,
    isStatic: true,
    hasEvaluation: false,
    timeoutMs: step.timeoutMs,
    think: step.think,
    render: () => rendered,
    evaluate: () => ({ checks: [] }),
  };
}

export function compileProgram(scenario: Scenario, _segment: Segment): EngineProgram<Ctx> {
  const flows = scenario.flows.map((f) => ({ name: f.name, pace: f.pace, steps: f.steps.map((s) => staticStep(s, scenario.headers)) }));
  return { flows, nextFlow: () => 0, newIteration: () => undefined };
}
