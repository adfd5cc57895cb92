/**
 * Main-thread side of the worker threads: a piscina pool with one long task per
 * worker, a MessageChannel each for snapshots, a common start once every worker
 * is ready, and stop messages.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { WorkerPlan } from '../plan/worker-plan.js';
import type { WorkerSnapshot } from '../metrics/snapshot.js';
import type { HttpClientKind } from './connections.js';
import type { MainToWorker, WorkerToMain } from './control.js';
import type { ArrivalTimerKind } from './precise-timer.js';

export interface WorkerPoolOptions {
  /** One worker thread per plan. */
  plans: WorkerPlan[];
  intervalMs: number;
  warmupMs: number;
  httpClient?: HttpClientKind;
  arrivalTimer?: ArrivalTimerKind;
  /**
   * Epoch ms the load must start at (independently started shards begin together). When the
   * workers are ready too late for it, the start moves to the next interval boundary after
   * it, so every shard's intervals stay on one grid.
   */
  startAt?: number;
  /** A worker is ready; its warm-up sent `warmupRequests` (told even when the run was stopped before its start). */
  onReady(warmupRequests: number): void;
  /** Every worker is ready: the load starts at `startEpoch`. */
  onStart(startEpoch: number): void;
  onSnapshot(s: WorkerSnapshot): void;
  onWorkerLost(worker: number, err: unknown): void;
}

/** Lead time between "all ready" and the common start, so every worker starts on the same tick grid. */
const START_LEAD_MS = 50;

/** The start: `earliest`, or `startAt` (or the first interval boundary after it that is not before `earliest`). */
export function commonStart(earliest: number, startAt: number | undefined, intervalMs: number): number {
  if (startAt === undefined) return earliest;
  if (startAt >= earliest) return startAt;
  return startAt + Math.ceil((earliest - startAt) / intervalMs) * intervalMs;
}

export class WorkerPool {
  private readonly piscina: Piscina;
  private readonly ports: MessagePort[] = [];
  private stopped = false;

  constructor(private readonly o: WorkerPoolOptions) {
    this.piscina = new Piscina({
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: o.plans.length,
      maxThreads: o.plans.length,
      concurrentTasksPerWorker: 1,
      atomics: 'disabled',
      idleTimeout: 60_000,
    });
  }

  /** Run every worker's task to its end. Resolves when all have finished (or died). */
  async run(): Promise<void> {
    const n = this.o.plans.length;
    let ready = 0;
    const tasks: Array<Promise<void>> = [];
    for (let w = 0; w < n; w++) {
      const { port1, port2 } = new MessageChannel();
      this.ports.push(port1);
      const onMessage = (m: WorkerToMain): void => {
        if (m.type === 'ready') {
          ready++;
          this.o.onReady(m.warmupRequests);
          if (ready === n && !this.stopped) {
            const startEpoch = commonStart(performance.timeOrigin + performance.now() + START_LEAD_MS, this.o.startAt, this.o.intervalMs);
            this.o.onStart(startEpoch);
            this.broadcast({ type: 'start', startEpoch });
          }
        } else this.o.onSnapshot(m);
      };
      port1.on('message', onMessage);
      const task = this.piscina
        .run(
          { plan: this.o.plans[w], intervalMs: this.o.intervalMs, warmupMs: this.o.warmupMs, httpClient: this.o.httpClient, arrivalTimer: this.o.arrivalTimer, port: port2 },
          { transferList: [port2] },
        )
        .then(
          (final: WorkerSnapshot) => {
            this.o.onSnapshot(final);
          },
          (err: unknown) => {
            this.o.onWorkerLost(w, err);
          },
        )
        .finally(() => {
          // The task's result travels apart from the port: snapshots still queued on the port
          // (a starved worker's last interval) are taken now, not lost with the close.
          for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) onMessage(m.message as WorkerToMain);
          port1.close();
        });
      tasks.push(task);
    }
    await Promise.all(tasks);
  }

  broadcast(m: MainToWorker): void {
    if (m.type === 'stop') this.stopped = true;
    for (const p of this.ports) {
      try {
        p.postMessage(m);
      } catch {
        // port already closed: that worker is done
      }
    }
  }

  private destroyed: Promise<void> | null = null;

  /** Terminate the worker threads (at once if they are still running: their unsent figures are lost). */
  destroy(): Promise<void> {
    this.destroyed ??= this.piscina.destroy();
    return this.destroyed;
  }
}
