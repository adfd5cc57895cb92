/**
 * The piscina task: one long task per worker thread. It compiles the program of each
 * load it has a share of (one for a one-load scenario), prepares their connections,
 * reports ready, waits for the common start, drives every share at once (one driver
 * each) and ships a snapshot every interval through the MessagePort; the task's result
 * is the final snapshot.
 */
import { performance } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import type { WorkerSnapshot } from '../metrics/snapshot.js';
import type { LoadSharePlan, WorkerPlan } from '../plan/worker-plan.js';
import { compileWorker } from '../plan/worker-program.js';
import { ClosedDriver } from './closed-driver.js';
import type { ConnectionOptions, HttpClientKind } from './connections.js';
import type { MainToWorker } from './control.js';
import type { ArrivalTimerKind } from './precise-timer.js';
import { RunStoppedError } from './errors.js';
import { OpenDriver } from './open-driver.js';
import { WorkerRuntime } from './runtime.js';
import { WorkerTicker } from './ticker.js';

export interface WorkerTask {
  plan: WorkerPlan;
  intervalMs: number;
  port: MessagePort;
  /** Send load this long before the run, unmeasured, so the run starts with a warm JIT. */
  warmupMs: number;
  httpClient?: HttpClientKind;
  arrivalTimer?: ArrivalTimerKind;
}

type Driver = ClosedDriver | OpenDriver;

function connectionOf(plan: WorkerPlan, httpClient: HttpClientKind | undefined): ConnectionOptions {
  return { origin: plan.target.origin, pipelining: plan.target.pipelining, timeoutMs: plan.target.timeoutMs, httpClient };
}

/**
 * Warm-up: a closed load of the share's warm-up users running its flows for `ms`,
 * through a throwaway runtime whose numbers are never reported.
 */
async function warmUp(task: WorkerTask, share: LoadSharePlan, ms: number): Promise<void> {
  const { plan } = task;
  const rt = new WorkerRuntime({ plan, share, program: compileWorker(share) });
  const driver = new ClosedDriver(rt, { users: [{ atMs: 0, users: share.warmupUsers }], durationMs: ms, connection: connectionOf(plan, task.httpClient) });
  rt.startPerf = performance.now();
  await driver.run();
  await driver.close();
  await rt.close();
}

/** The driver of one share: closed or open model. `threadIdle` when other loads share the thread. */
function driverOf(rt: WorkerRuntime, share: LoadSharePlan, task: WorkerTask, threadIdle: (() => boolean) | undefined): Driver {
  const connection = connectionOf(task.plan, task.httpClient);
  const load = share.load;
  if (load.model === 'closed') return new ClosedDriver(rt, { users: load.users, durationMs: load.durationMs, iterations: load.iterations, connection });
  return new OpenDriver(rt, { ...load, connection: { ...connection, pipelining: 1 }, timer: task.arrivalTimer, threadIdle });
}

export default async function runWorker(task: WorkerTask): Promise<WorkerSnapshot> {
  const { plan, port } = task;
  if (task.warmupMs > 0) await Promise.all(plan.shares.map((share) => warmUp(task, share, task.warmupMs)));
  const runtimes = plan.shares.map((share) => new WorkerRuntime({ plan, share, program: compileWorker(share) }));
  // Beside other loads, the thread is idle only when none of them runs an iteration.
  const threadIdle = runtimes.length > 1 ? () => runtimes.every((rt) => rt.activeUsers() === 0) : undefined;
  const drivers = runtimes.map((rt, i) => driverOf(rt, plan.shares[i], task, threadIdle));
  const ticker = new WorkerTicker({ worker: plan.worker, intervalMs: task.intervalMs, port, runtimes });
  // Open connections before the common start, so the first second measures the target, not our connects.
  await Promise.all(drivers.map((d) => d.prepare()));

  let stopRequested = false;
  const stop = (m: MainToWorker & { type: 'stop' }): void => {
    if (m.reason === 'interrupt') {
      const err = new RunStoppedError();
      for (const rt of runtimes) for (const r of rt.runners) r.exchange.abort(err);
    }
    for (const d of drivers) d.stop();
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
    port.postMessage({ type: 'ready', worker: plan.worker });
  });
  const startPerf = startEpoch - performance.timeOrigin;
  for (const rt of runtimes) rt.startPerf = startPerf;
  const wait = startPerf - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  ticker.start(startEpoch);
  if (!stopRequested) await Promise.all(drivers.map((d) => d.run()));
  const final = ticker.finish();
  await Promise.all(drivers.map((d) => d.close()));
  await Promise.all(runtimes.map((rt) => rt.close()));
  port.close();
  return final;
}
