/**
 * The piscina task: one long task per worker thread. It imports the scenario's hooks once,
 * compiles the program of each load it has a share of (one for a one-load scenario), warms
 * each share up, prepares their connections, reports ready, waits for the common start,
 * drives every share at once (one driver each) and ships a snapshot every interval through
 * the MessagePort; the task's result is the final snapshot.
 */
import { performance } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import type { WorkerSnapshot } from '../metrics/snapshot.js';
import { ArrivalSchedule } from '../plan/stages.js';
import { owned } from '../plan/stripe.js';
import type { LoadSharePlan, OpenLoadPlan, WorkerPlan } from '../plan/worker-plan.js';
import { compileWorker } from '../plan/worker-program.js';
import { ClosedDriver } from './closed-driver.js';
import type { ConnectionOptions, HttpClientKind } from './connections.js';
import type { MainToWorker } from './control.js';
import type { ArrivalTimerKind } from './precise-timer.js';
import { RunStoppedError } from './errors.js';
import { importHooks, type Hooks } from './hooks.js';
import { OpenDriver } from './open-driver.js';
import { HookErrorLog, WorkerRuntime } from './runtime.js';
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

/** A share's warm-up ends after this many iterations if its time has not run out first. */
export const WARMUP_ITERATIONS = 50_000;

/** The open model warms up at the rate the run starts with (its first stage's when it ramps up from 0). */
function warmupRate(load: OpenLoadPlan): number {
  return load.startRate > 0 ? load.startRate : (load.stages[0]?.rate ?? 0);
}

/**
 * Warm-up of one share: its load shape for `ms` or WARMUP_ITERATIONS iterations, whichever
 * comes first, through a throwaway runtime whose numbers are never reported (closed: the
 * share's warm-up users back to back; open: the share's arrivals at the starting rate). At its
 * end what is still in flight is abandoned (a slow or silent target cannot hold the run back).
 * Returns the requests it sent.
 */
async function warmUp(task: WorkerTask, share: LoadSharePlan, hooks: Hooks | null, ms: number, stopped: AbortSignal): Promise<number> {
  if (stopped.aborted) return 0;
  const { plan } = task;
  const rt = new WorkerRuntime({ plan, share, program: compileWorker(share), hooks });
  const connection = connectionOf(plan, task.httpClient);
  const load = share.load;
  let driver: Driver;
  if (load.model === 'closed') {
    driver = new ClosedDriver(rt, { users: [{ atMs: 0, users: share.warmupUsers }], durationMs: ms, iterations: WARMUP_ITERATIONS, connection });
  } else {
    const rate = warmupRate(load);
    const stages = [{ durationMs: ms, rate }];
    const arrivals = Math.min(WARMUP_ITERATIONS, owned(share.units, new ArrivalSchedule(rate, stages).totalArrivals));
    const open = { startRate: rate, stages, arrivals, maxInFlight: load.maxInFlight, connections: load.connections };
    driver = new OpenDriver(rt, { ...open, connection: { ...connection, pipelining: 1 }, timer: task.arrivalTimer });
  }
  await driver.prepare();
  rt.startPerf = performance.now();
  // At its end, or when the run is stopped, the warm-up stops at once: requests still in
  // flight are dropped, not waited for.
  const cut = (): void => {
    const err = new RunStoppedError();
    for (const r of rt.runners) r.exchange.abort(err);
    driver.stop();
  };
  const end = setTimeout(cut, ms);
  stopped.addEventListener('abort', cut, { once: true });
  if (!stopped.aborted) await driver.run();
  clearTimeout(end);
  stopped.removeEventListener('abort', cut);
  // Requests written to a connection, those abandoned at the end included (the target got them).
  const delays = rt.section().generatorDelay;
  let sent = 0;
  for (let k = 1; k < delays.length; k += 2) sent += delays[k];
  await driver.close();
  await rt.close();
  return sent;
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
  // The main thread may stop the run at any moment, during the warm-up too: listen from the start.
  const stopped = new AbortController();
  let started: (startEpoch: number) => void = () => {};
  const startMessage = new Promise<number>((resolve) => (started = resolve));
  port.on('message', (m: MainToWorker) => {
    if (m.type === 'start') started(m.startEpoch);
    else if (m.type === 'stop' && !stopped.signal.aborted) stopped.abort(m);
  });
  // Hooks are imported here, once per worker, by path (functions cannot be sent to a thread); every share's runtime gets them.
  const hooks = plan.hooks ? await importHooks(plan.hooks.module) : null;
  const warmups = task.warmupMs > 0 ? await Promise.all(plan.shares.map((share) => warmUp(task, share, hooks, task.warmupMs, stopped.signal))) : [];
  const warmupRequests = warmups.reduce((a, n) => a + n, 0);
  const hookErrors = new HookErrorLog(plan.worker);
  const runtimes = plan.shares.map((share) => new WorkerRuntime({ plan, share, program: compileWorker(share), hooks, hookErrors }));
  // Beside other loads, the thread is idle only when none of them runs an iteration.
  const threadIdle = runtimes.length > 1 ? () => runtimes.every((rt) => rt.activeUsers() === 0) : undefined;
  const drivers = runtimes.map((rt, i) => driverOf(rt, plan.shares[i], task, threadIdle));
  const ticker = new WorkerTicker({ worker: plan.worker, intervalMs: task.intervalMs, port, runtimes, hookErrors });
  // Open connections before the common start, so the first second measures the target, not our connects.
  await Promise.all(drivers.map((d) => d.prepare()));

  const stop = (): void => {
    const m = stopped.signal.reason as MainToWorker & { type: 'stop' };
    if (m.reason === 'interrupt') {
      const err = new RunStoppedError();
      for (const rt of runtimes) for (const r of rt.runners) r.exchange.abort(err);
    }
    for (const d of drivers) d.stop();
  };
  // Stopped before the start (in the warm-up or while waiting for it): the run starts now and sends nothing.
  const stoppedAt = new Promise<number>((resolve) => {
    const now = (): void => resolve(performance.timeOrigin + performance.now());
    if (stopped.signal.aborted) now();
    else stopped.signal.addEventListener('abort', now, { once: true });
  });
  port.postMessage({ type: 'ready', worker: plan.worker, warmupRequests });
  const startEpoch = await Promise.race([startMessage, stoppedAt]);
  if (stopped.signal.aborted) stop();
  else stopped.signal.addEventListener('abort', stop, { once: true });
  const startPerf = startEpoch - performance.timeOrigin;
  for (const rt of runtimes) rt.startPerf = startPerf;
  const wait = startPerf - performance.now();
  if (wait > 0 && !stopped.signal.aborted) await new Promise((r) => setTimeout(r, wait));
  ticker.start(startEpoch);
  if (!stopped.signal.aborted) await Promise.all(drivers.map((d) => d.run()));
  const final = ticker.finish();
  await Promise.all(drivers.map((d) => d.close()));
  await Promise.all(runtimes.map((rt) => rt.close()));
  port.close();
  return final;
}
