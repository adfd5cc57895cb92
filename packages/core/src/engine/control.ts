/**
 * The tiny typed control protocol between the main thread and worker threads.
 * Worker -> main: a snapshot per interval tick (metrics/snapshot.ts) and "ready".
 * Main -> worker: control messages.
 */
import type { WorkerSnapshot } from '../metrics/snapshot.js';

export type MainToWorker = { type: 'start'; startEpoch: number } | { type: 'stop'; reason: 'interrupt' | 'abort' };

/** `ready`: the worker's connections are open; `warmupRequests`: requests its unmeasured warm-up sent. */
export type WorkerToMain = WorkerSnapshot | { type: 'ready'; worker: number; warmupRequests: number };
