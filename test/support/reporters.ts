import type { Interval, Reporter } from '@loadctl/core';

/** A reporter that keeps every interval it is given. */
export function collectIntervals(): Reporter & { intervals: Interval[] } {
  const intervals: Interval[] = [];
  return { name: 'collect', intervals, interval: (i) => void intervals.push(i) };
}
