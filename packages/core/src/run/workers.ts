import { availableParallelism } from 'node:os';

/** Default worker threads: leave one core to the main thread (and often the target on small machines). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}
