/**
 * The piscina task: one long task per worker thread. It compiles the scenario,
 * opens its connections, drives its segment of the load and ships a snapshot
 * every interval through the MessagePort; the task's result is the final snapshot.
 */
import { performance } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import type { Segment } from '../plan/segment.js';
import type { Scenario } from '../scenario/model.js';
import { ClosedDriver } from './closed-driver.js';
import { RunStoppedError } from './errors.js';
import { OpenDriver } from './open-driver.js';
import { compileScenario } from '../scenario/compile.js';
import type { MainToWorker, WorkerSnapshot } from './protocol.js';
import { WorkerRuntime } from './runtime.js';

export interface WorkerTask {
  scenario: Scenario;
  /** 0-based worker number within this process. */
  worker: number;
  segment: Segment;
  intervalMs: number;
  port: MessagePort;
}

export default async function runWorker(task: WorkerTask): Promise<WorkerSnapshot> {
  const { scenario, segment, port } = task;
  const url = new URL(scenario.target);
  const program = compileScenario(scenario, { workerIndex: segment.index, workerCount: segment.count });
  // Compile and connect first, then tell the main thread we are ready and wait for the common start.
  let stopRequested = false;
  let onStop: (m: MainToWorker) => void = () => {};
  const startEpoch = await new Promise<number>((resolve) => {
    port.on('message', (m: MainToWorker) => {
      if (m.type === 'start') resolve(m.startEpoch);
      else if (m.type === 'stop') {
        if (stopRequested) return;
        stopRequested = true;
        onStop(m);
        resolve(performance.timeOrigin + performance.now());
      }
    });
    port.postMessage({ type: 'ready', worker: task.worker });
  });
  const startPerf = startEpoch - performance.timeOrigin;
  const rt = new WorkerRuntime({
    scenario,
    program,
    segment,
    worker: task.worker,
    startPerf,
    intervalMs: task.intervalMs,
    port,
    hostHeader: url.host,
  });
  const connection = { origin: url.origin, pipelining: scenario.pipelining, timeoutMs: scenario.timeoutMs };
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
        });

  onStop = (m) => {
    if (m.type !== 'stop') return;
    if (m.reason === 'interrupt') {
      const err = new RunStoppedError();
      for (const r of rt.runners) r.exchange.abort(err);
    }
    driver.stop();
  };

  const wait = startPerf - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  rt.startTimers(startEpoch);
  if (!stopRequested) await driver.run();
  const final = rt.finish();
  await driver.close();
  await rt.close();
  port.close();
  return final;
}
