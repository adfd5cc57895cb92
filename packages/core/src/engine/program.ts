/**
 * What the engine runs: a scenario compiled once per worker. The scenario layer
 * (scenario/compile.ts) produces these; the engine only calls them.
 */
import type { ThinkTime } from '../scenario/model.js';

export interface RenderedRequest {
  path: string;
  /** Flat [name, value, name, value, ...]. */
  headers: string[];
  body: string | null;
}

export interface StepResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

export interface EngineStep<Ctx> {
  name: string;
  method: string;
  needsBody: boolean;
  needsHeaders: boolean;
  isStatic: boolean;
  /** Whether evaluate() must be called (captures or checks exist). */
  hasEvaluation: boolean;
  timeoutMs?: number;
  think?: ThinkTime;
  render(ctx: Ctx): RenderedRequest;
  evaluate(res: StepResponse, ctx: Ctx): { checks: Array<{ name: string; passed: boolean }> };
}

export interface EngineFlow<Ctx> {
  name: string;
  steps: Array<EngineStep<Ctx>>;
  pace?: ThinkTime;
}

export interface EngineProgram<Ctx> {
  flows: Array<EngineFlow<Ctx>>;
  /** The next flow to run (weighted). */
  nextFlow(): number;
  newIteration(flowIndex: number, vu: number): Ctx;
}
