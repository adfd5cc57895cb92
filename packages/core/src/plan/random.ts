/** mulberry32: small, fast, good enough for load shaping (think times, random rows, template functions). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A worker's own seed from the run's seed: the workers' random streams differ but are reproducible. */
export function workerSeed(runSeed: number, worker: number): number {
  return (Math.imul(runSeed >>> 0, 0x9e3779b1) ^ Math.imul(worker + 1, 0x85ebca6b)) >>> 0;
}
