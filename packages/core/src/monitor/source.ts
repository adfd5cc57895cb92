import type { MonitorSourceHealth, MonitorValues } from '../metrics/model.js';

/** One monitored thing. `sample` writes its series (named without the source prefix) into `out`; it rejects when the sample failed. */
export interface Source {
  readonly health: MonitorSourceHealth;
  sample(out: MonitorValues): Promise<void>;
  close(): Promise<void>;
}

/** A short, single-line description of why a sample failed. */
export function failureText(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const text = e?.message ?? String(err);
  return text.split('\n')[0].slice(0, 200);
}
