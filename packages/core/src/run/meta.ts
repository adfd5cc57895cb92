/** The run's meta: what ran, against what, how, and with which load model. */
import { randomUUID } from 'node:crypto';
import { usesFastClient } from '../engine/connections.js';
import { DEFAULT_ARRIVAL_TIMER } from '../engine/open-driver.js';
import type { RunMeta } from '../metrics/model.js';
import type { Plan } from '../plan/worker-plan.js';
import { plannedDurationMs, scenarioLoads } from '../scenario/loads.js';
import type { Scenario } from '../scenario/model.js';
import { redactUrlSecrets } from '../scenario/redact.js';
import { LOADCTL_VERSION } from '../version.js';
import { describeModel, loadMetas } from './loads.js';
import type { ExecuteOptions } from './options.js';

export { describeModel } from './loads.js';

/** The meta of a run about to start (`startedAt` is moved to the common start once the workers are ready). */
export function runMeta(scenario: Scenario, o: ExecuteOptions, runPlan: Plan, intervalMs: number, warmupMs: number, seed: number): RunMeta {
  const meta: RunMeta = {
    runId: randomUUID(),
    scenario: scenario.name,
    target: redactUrlSecrets(scenario.target, scenario.secrets?.query),
    kind: o.kind,
    startedAt: Date.now(),
    workers: runPlan.workers.length,
    plannedDurationMs: plannedDurationMs(scenario),
    intervalMs,
    segment: runPlan.segment,
    loadctlVersion: LOADCTL_VERSION,
    model: o.model ?? describeModel(scenario),
    tags: { ...scenario.tags, ...o.tags },
    httpClient: usesFastClient({ origin: scenario.target, pipelining: 1, timeoutMs: 0, httpClient: o.httpClient }) ? 'fast' : 'undici',
    warmupMs,
    seed,
  };
  if (scenarioLoads(scenario).some((l) => l.load.model === 'open')) meta.arrivalTimer = o.arrivalTimer ?? DEFAULT_ARRIVAL_TIMER;
  const loads = loadMetas(scenario);
  if (loads !== undefined) meta.loads = loads;
  return meta;
}
