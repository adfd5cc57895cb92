/**
 * The piscina task: one long task per worker thread. It compiles the scenario,
 * prepares its connections, reports ready, waits for the common start, drives its
 * segment of the load and ships a snapshot every interval through the
 * MessagePort; the task's result is the final snapshot.
 */
import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Segment } from '../plan/segment.js';
import { compileScenario } from '../plan/compile.js';
import type { Scenario } from '../scenario/model.js';
import { ClosedDriver } from './closed-driver.js';
import type { HttpClientKind } from './connections.js';
import type { ArrivalTimerKind } from './precise-timer.js';
import { RunStoppedError } from './errors.js';
import { OpenDriver } from './open-driver.js';
import type { WorkerSnapshot } from '../metrics/snapshot.js';
import type { MainToWorker } from './control.js';
import { WorkerRuntime } from './runtime.js';

export interface WorkerTask {
  scenario: Scenario;
  /** 0-based worker number within this process. */
  worker: number;
  segment: Segment;
  intervalMs: number;
  port: MessagePort;
  /** Send load this long before the run, unmeasured, so the run starts with a warm JIT. */
  warmupMs: number;
  httpClient?: HttpClientKind;
  arrivalTimer?: ArrivalTimerKind;
}

/**
 * Warm-up: this worker's share of a closed load (the scenario's flows, at most 50 users
 * per worker) for `ms`, through a throwaway runtime whose numbers are never reported.
 */
async function warmUp(task: WorkerTask, ms: number): Promise<void> {
  const { scenario, segment } = task;
  const url = new URL(scenario.target);
  const load = scenario.load;
  const peak = load.model === 'closed' ? Math.max(...load.stages.map((s) => s.users)) : load.connections;
  const users = Math.max(segment.count, Math.min(peak, 50 * segment.count));
  const program = compileScenario(scenario, { workerIndex: segment.index, workerCount: segment.count });
  const { port1, port2 } = new MessageChannel();
  const rt = new WorkerRuntime({ scenario, program, segment, worker: task.worker, intervalMs: task.intervalMs, port: port1, hostHeader: url.host });
  const driver = new ClosedDriver(rt, {
    stages: [{ durationMs: ms, users }],
    connection: { origin: url.origin, pipelining: scenario.pipelining, timeoutMs: scenario.timeoutMs, httpClient: task.httpClient },
  });
  rt.startPerf = performance.now();
  await driver.run();
  await driver.close();
  await rt.close();
  port1.close();
  port2.close();
}

export default async function runWorker(task: WorkerTask): Promise<WorkerSnapshot> {
  const { scenario, segment, port } = task;
  if (task.warmupMs > 0) await warmUp(task, task.warmupMs);
  const url = new URL(scenario.target);
  const program = compileScenario(scenario, { workerIndex: segment.index, workerCount: segment.count });
  const rt = new WorkerRuntime({ scenario, program, segment, worker: task.worker, intervalMs: task.intervalMs, port, hostHeader: url.host });
  const connection = { origin: url.origin, pipelining: scenario.pipelining, timeoutMs: scenario.timeoutMs, httpClient: task.httpClient };
  const load = scenario.load;
  const driver =
    load.model === 'closed'
      ? new ClosedDriver(rt, { stages: load.stages, iterations: load.iterations, connection })
      : new OpenDriver(rt, {
          startRate: load.startRate,
          stages: load.stages,
          maxInFlight: load.maxInFlight,
          connections: load.connections,
          connection: { ...connection, pipelining: 1 },
          timer: task.arrivalTimer,
        });
  // Open connections before the common start, so the first second measures the target, not our connects.
  await driver.prepare();

  let stopRequested = false;
  const stop = (m: MainToWorker & { type: 'stop' }): void => {
    if (m.reason === 'interrupt') {
      const err = new RunStoppedError();
      for (const r of rt.runners) r.exchange.abort(err);
    }
    driver.stop();
  };
  const startEpoch = await new Promise<number>((resolve) => {
    port.on('message', (m: MainToWorker) => {
      if (m.type === 'start') resolve(m.startEpoch);
      else if (m.type === 'stop' && !stopRequested) {
        stopRequested = true;
        stop(m);
        resolve(performance.timeOrigin + performance.now());
      }
    });
    port.postMessage({ type: 'ready', worker: task.worker });
  });
  rt.startPerf = startEpoch - performance.timeOrigin;
  const wait = rt.startPerf - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  rt.startTimers(startEpoch);
  if (!stopRequested) await driver.run();
  const final = rt.finish();
  await driver.close();
  await rt.close();
  port.close();
  return final;
}
