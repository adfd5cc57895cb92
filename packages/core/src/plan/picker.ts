/** Weighted choices: the flow picker, and the dealing of units to the parts of a segment sequence. */

/** Smooth weighted round robin (as in nginx): over sum(weights) calls each index comes exactly `weight` times, well interleaved. */
export function smoothWeightedRoundRobin(weights: readonly number[]): () => number {
  const current = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  return () => {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      current[i] += weights[i];
      if (current[i] > current[best]) best = i;
    }
    current[best] -= total;
    return best;
  };
}

/** Weighted pick from cumulative weights: rand in [0, 1) -> index. */
export function cumulativePicker(weights: readonly number[]): (rand: number) => number {
  const total = weights.reduce((a, b) => a + b, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const w of weights) cum.push((acc += w) / total);
  return (rand) => {
    for (let i = 0; i < cum.length; i++) if (rand < cum[i]) return i;
    return cum.length - 1;
  };
}
