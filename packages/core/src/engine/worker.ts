/**
 * The piscina task: one long task per worker thread. It compiles its program from
 * its WorkerPlan, prepares its connections, reports ready, waits for the common
 * start, drives its share of the load and ships a snapshot every interval through
 * the MessagePort; the task's result is the final snapshot.
 */
import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { WorkerSnapshot } from '../metrics/snapshot.js';
import { ArrivalSchedule } from '../plan/stages.js';
import { owned } from '../plan/stripe.js';
import type { OpenLoadPlan, WorkerPlan } from '../plan/worker-plan.js';
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

/** A worker's warm-up ends after this many iterations if its time has not run out first. */
export const WARMUP_ITERATIONS = 50_000;

/** The open model warms up at the rate the run starts with (its first stage's when it ramps up from 0). */
function warmupRate(load: OpenLoadPlan): number {
  return load.startRate > 0 ? load.startRate : (load.stages[0]?.rate ?? 0);
}

/**
 * Warm-up: the plan's load shape for `ms` or WARMUP_ITERATIONS iterations, whichever comes
 * first, through a throwaway runtime whose numbers are never reported (closed: the plan's
 * warm-up users back to back; open: this worker's arrivals at the starting rate). At its end
 * what is still in flight is abandoned (a slow or silent target cannot hold the run back).
 * Returns the requests it sent.
 */
async function warmUp(task: WorkerTask, program: CompiledProgram, hooks: Hooks | null, ms: number): Promise<number> {
  const { plan } = task;
  const { port1, port2 } = new MessageChannel();
  const rt = new WorkerRuntime({ plan, program, intervalMs: task.intervalMs, port: port1, hooks });
  const connection = connectionOf(plan, task.httpClient);
  const load = plan.load;
  let driver: ClosedDriver | OpenDriver;
  if (load.model === 'closed') {
    driver = new ClosedDriver(rt, { users: [{ atMs: 0, users: plan.warmupUsers }], durationMs: ms, iterations: WARMUP_ITERATIONS, connection });
  } else {
    const rate = warmupRate(load);
    const stages = [{ durationMs: ms, rate }];
    const arrivals = Math.min(WARMUP_ITERATIONS, owned(plan.units, new ArrivalSchedule(rate, stages).totalArrivals));
    const open = { startRate: rate, stages, arrivals, maxInFlight: load.maxInFlight, connections: load.connections };
    driver = new OpenDriver(rt, { ...open, connection: { ...connection, pipelining: 1 }, timer: task.arrivalTimer });
  }
  await driver.prepare();
  rt.startPerf = performance.now();
  // At its end the warm-up stops at once: requests still in flight are dropped, not waited for.
  const end = setTimeout(() => {
    const err = new RunStoppedError();
    for (const r of rt.runners) r.exchange.abort(err);
    driver.stop();
  }, ms);
  await driver.run();
  clearTimeout(end);
  // Requests written to a connection, those abandoned at the end included (the target got them).
  const delays = rt.finish().generatorDelay;
  let sent = 0;
  for (let k = 1; k < delays.length; k += 2) sent += delays[k];
  await driver.close();
  await rt.close();
  port1.close();
  port2.close();
  return sent;
}

export default async function runWorker(task: WorkerTask): Promise<WorkerSnapshot> {
  const { plan, port } = task;
  // Hooks are imported here, by path: functions cannot be sent to a thread.
  const hooks = plan.hooks ? await importHooks(plan.hooks.module) : null;
  const warmupRequests = task.warmupMs > 0 ? await warmUp(task, compileWorker(plan), hooks, task.warmupMs) : 0;
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
    port.postMessage({ type: 'ready', worker: plan.worker, warmupRequests });
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
