/** Defaults of the format (documented in docs/scenario.md#defaults) and default names. */
import { parseTemplate } from '../template.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_PIPELINING = 1;
/** Time limit of an iteration-bounded closed run without a duration (like k6 shared-iterations maxDuration). */
export const DEFAULT_ITERATIONS_MAX_DURATION_MS = 10 * 60_000;
export const DEFAULT_RATE_SHORTFALL_GRACE_MS = 10_000;
export const MAX_DEFAULT_CONNECTIONS = 256;

/** Default in-flight cap of the open model: room for iterations taking 2 s at the peak rate, at least 100. */
export function defaultMaxInFlight(peakRate: number): number {
  return Math.max(100, Math.ceil(2 * peakRate));
}
export function defaultConnections(maxInFlight: number): number {
  return Math.min(maxInFlight, MAX_DEFAULT_CONNECTIONS);
}

/** "GET /users/${user.id}" -> "GET /users/{id}": the default metric key of a step. */
export function defaultStepName(method: string, path: string): string {
  let label = '';
  try {
    for (const p of parseTemplate(path)) {
      if (p.kind === 'text') label += p.text;
      else label += `{${p.expr.kind === 'ref' ? p.expr.path[p.expr.path.length - 1] : p.expr.kind === 'call' ? p.expr.fn : String(p.expr.value)}}`;
    }
  } catch {
    label = path;
  }
  return `${method} ${label}`;
}
