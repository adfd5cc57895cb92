/** The run's meta: what ran, against what, how, and with which load model. */
import { randomUUID } from 'node:crypto';
import { usesFastClient } from '../engine/connections.js';
import { DEFAULT_ARRIVAL_TIMER } from '../engine/open-driver.js';
import type { RunMeta } from '../metrics/model.js';
import type { Plan } from '../plan/worker-plan.js';
import { totalDurationMs } from '../plan/stages.js';
import type { Scenario } from '../scenario/model.js';
import { redactUrlSecrets } from '../scenario/redact.js';
import { LOADCTL_VERSION } from '../version.js';
import type { ExecuteOptions } from './options.js';

/** A human summary of the load model, e.g. "closed 50 users" or "open up to 1000/s, max 200 in flight". */
export function describeModel(s: Scenario): string {
  const l = s.load;
  if (l.model === 'closed') {
    const peak = Math.max(...l.stages.map((x) => x.users));
    return l.iterations !== undefined ? `closed ${peak} users, ${l.iterations} iterations` : `closed ${peak} users`;
  }
  const peak = Math.max(l.startRate, ...l.stages.map((x) => x.rate));
  return `open up to ${peak}/s, max ${l.maxInFlight} in flight`;
}

/** The meta of a run about to start (`startedAt` is moved to the common start once the workers are ready). */
export function runMeta(scenario: Scenario, o: ExecuteOptions, runPlan: Plan, intervalMs: number, warmupMs: number, seed: number): RunMeta {
  const load = scenario.load;
  const meta: RunMeta = {
    runId: randomUUID(),
    scenario: scenario.name,
    target: redactUrlSecrets(scenario.target, scenario.secrets?.query),
    kind: o.kind,
    startedAt: Date.now(),
    workers: runPlan.workers.length,
    plannedDurationMs: load.model === 'closed' && load.iterations !== undefined ? undefined : totalDurationMs(load),
    intervalMs,
    segment: runPlan.segment,
    loadctlVersion: LOADCTL_VERSION,
    model: o.model ?? describeModel(scenario),
    tags: { ...scenario.tags, ...o.tags },
    httpClient: usesFastClient({ origin: scenario.target, pipelining: 1, timeoutMs: 0, httpClient: o.httpClient }) ? 'fast' : 'undici',
    warmupMs,
    seed,
  };
  if (load.model === 'open') meta.arrivalTimer = o.arrivalTimer ?? DEFAULT_ARRIVAL_TIMER;
  return meta;
}
