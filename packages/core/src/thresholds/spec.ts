/**
 * One threshold as written: `metric op value` with an optional scope. It belongs to
 * the thresholds folder (which parses and judges it); scenarios only carry it.
 */
export interface ThresholdSpec {
  /** Expression source, e.g. "p(95) < 200ms", "error_rate < 1%", "rps >= 450", "checks > 99%". */
  expression: string;
  /** "total" (default), a request name, or "flow:<name>"; of the load `load` when set. */
  scope: string;
  /**
   * A load of a scenario with loads side by side: the scope is that load's (its total, its
   * requests, its flows). Written `scope: load:<name>` or in the load's own `thresholds`.
   */
  load?: string;
  abortOnFail: boolean;
  /** With abortOnFail: do not evaluate before this many ms into the run. */
  delayAbortEvalMs: number;
}
