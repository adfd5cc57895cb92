/**
 * The piscina task: one long task per worker thread. It compiles its program from
 * its WorkerPlan, prepares its connections, reports ready, waits for the common
 * start, drives its share of the load and ships a snapshot every interval through
 * the MessagePort; the task's result is the final snapshot.
 */
import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { WorkerSnapshot } from '../metrics/snapshot.js';
import type { WorkerPlan } from '../plan/worker-plan.js';
import { compileWorker, type CompiledProgram } from '../plan/worker-program.js';
import { ClosedDriver } from './closed-driver.js';
import type { ConnectionOptions, HttpClientKind } from './connections.js';
import type { MainToWorker } from './control.js';
import type { ArrivalTimerKind } from './precise-timer.js';
import { RunStoppedError } from './errors.js';
import { importHooks, type Hooks } from './hooks.js';
import { OpenDriver } from './open-driver.js';
import { WorkerRuntime } from './runtime.js';

export interface WorkerTask {
  plan: WorkerPlan;
  intervalMs: number;
  port: MessagePort;
  /** Send load this long before the run, unmeasured, so the run starts with a warm JIT. */
  warmupMs: number;
  httpClient?: HttpClientKind;
  arrivalTimer?: ArrivalTimerKind;
}

function connectionOf(plan: WorkerPlan, httpClient: HttpClientKind | undefined): ConnectionOptions {
  return { origin: plan.target.origin, pipelining: plan.target.pipelining, timeoutMs: plan.target.timeoutMs, httpClient };
}

/**
 * Warm-up: a closed load of the plan's warm-up users running the scenario's flows for
 * `ms`, through a throwaway runtime whose numbers are never reported.
 */
async function warmUp(task: WorkerTask, program: CompiledProgram, hooks: Hooks | null, ms: number): Promise<void> {
  const { plan } = task;
  const { port1, port2 } = new MessageChannel();
  const rt = new WorkerRuntime({ plan, program, intervalMs: task.intervalMs, port: port1, hooks });
  const driver = new ClosedDriver(rt, { users: [{ atMs: 0, users: plan.warmupUsers }], durationMs: ms, connection: connectionOf(plan, task.httpClient) });
  rt.startPerf = performance.now();
  await driver.run();
  await driver.close();
  await rt.close();
  port1.close();
  port2.close();
}

export default async function runWorker(task: WorkerTask): Promise<WorkerSnapshot> {
  const { plan, port } = task;
  // Hooks are imported here, by path: functions cannot be sent to a thread.
  const hooks = plan.hooks ? await importHooks(plan.hooks.module) : null;
  if (task.warmupMs > 0) await warmUp(task, compileWorker(plan), hooks, task.warmupMs);
  const program = compileWorker(plan);
  const rt = new WorkerRuntime({ plan, program, intervalMs: task.intervalMs, port, hooks });
  const connection = connectionOf(plan, task.httpClient);
  const load = plan.load;
  const driver =
    load.model === 'closed'
      ? new ClosedDriver(rt, { users: load.users, durationMs: load.durationMs, iterations: load.iterations, connection })
      : new OpenDriver(rt, { ...load, connection: { ...connection, pipelining: 1 }, timer: task.arrivalTimer });
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
    port.postMessage({ type: 'ready', worker: plan.worker });
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
