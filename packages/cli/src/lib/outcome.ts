/**
 * Mapping outcomes to exit codes (docs/architecture.md): 0 passed; 1 thresholds or a gate
 * failed; 2 bad input; 3 the run could not proceed; 130 interrupted.
 * The one place errors become exit codes: core's LoadctlError carries its own
 * (2 or 3, with a stable `code`); anything else means the run could not proceed.
 * User-fixable errors print one line (and a hint), no stack unless --debug.
 */
import { LoadctlError, type RunHandle, type Summary } from '@loadctl/core';

export const EXIT = { ok: 0, failed: 1, badInput: 2, cannotProceed: 3, interrupted: 130 } as const;

const OUTPUT_FILES: Record<string, string> = { json: 'result file', junit: 'JUnit XML', html: 'HTML report' };

/** Output files (result, JUnit, HTML) that could not be written at the end of the run, as messages. */
export function failedOutputs(summary: Summary): string[] {
  const out: string[] = [];
  for (const [name, what] of Object.entries(OUTPUT_FILES)) {
    const h = summary.reporters[name];
    if (!h || h.errors === 0) continue;
    const last = h.notes.find((n) => n.startsWith('last error: '))?.slice('last error: '.length);
    out.push(`could not write the ${what}${last ? `: ${last}` : ''}`);
  }
  return out;
}

/** The exit code of a finished run: results that could not be written (3) come first. */
export function exitCodeOf(summary: Summary): number {
  if (failedOutputs(summary).length > 0) return EXIT.cannotProceed;
  switch (summary.verdict.endReason) {
    case 'interrupted':
      return EXIT.interrupted;
    case 'error':
      return EXIT.cannotProceed;
    default:
      return summary.verdict.passed ? EXIT.ok : EXIT.failed;
  }
}

/** The exit code of an error thrown by core or a reporter. */
export function exitCodeOfError(err: unknown): number {
  return err instanceof LoadctlError ? err.exitCode : EXIT.cannotProceed;
}

export interface DescribedError {
  lines: string[];
  exitCode: number;
  /** The error as printed by --json. */
  json: { code: string; message: string; hint?: string; issues?: Array<{ message: string }> };
}

/** One or more lines for stderr, the exit code and the --json form, for an error thrown by core. */
export function describeError(err: unknown, debug: boolean): DescribedError {
  const e = err instanceof LoadctlError ? err : null;
  const issues = e && 'issues' in e && Array.isArray(e.issues) ? (e.issues as Array<{ message: string }>) : [];
  const message = err instanceof Error ? err.message : String(err);
  const lines = issues.length > 0 ? issues.map((i) => `error: ${i.message}`) : [`error: ${message}`];
  if (e?.hint) lines.push(`hint: ${e.hint}`);
  if (debug && err instanceof Error && err.stack) lines.push(err.stack);
  const json = {
    code: e?.code ?? 'E_UNEXPECTED',
    message,
    ...(e?.hint ? { hint: e.hint } : {}),
    ...(issues.length > 0 ? { issues: issues.map((i) => ({ ...i })) } : {}),
  };
  return { lines, exitCode: exitCodeOfError(err), json };
}

/**
 * Interrupts: the first SIGINT/SIGTERM stops the run (in-flight requests dropped, reporters
 * flushed, results written); a second one ends it at once (workers terminated, sinks not
 * waited for, the result files still written); a third exits without results (temp files
 * are removed on exit, never left behind).
 */
function onInterrupts(first: () => void, second: () => void): { dispose(): void } {
  let count = 0;
  const onSignal = (): void => {
    count++;
    if (count === 1) {
      process.stderr.write('\nstopping: finishing up and writing results (Ctrl-C again to stop at once)\n');
      first();
    } else if (count === 2) {
      process.stderr.write('\nstopping at once: writing what was measured (Ctrl-C again to quit without results)\n');
      second();
    } else process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Interrupts as signals, for commands that are not a single run (capacity). */
export function interruptSignal(): { signal: AbortSignal; force: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const force = new AbortController();
  const { dispose } = onInterrupts(
    () => ac.abort(),
    () => force.abort(),
  );
  return { signal: ac.signal, force: force.signal, dispose };
}

/** Interrupts of a run handle (`start`, `startQuick`): Ctrl-C stops it, a second Ctrl-C at once. */
export function stopOnInterrupt(test: RunHandle): { dispose(): void } {
  return onInterrupts(
    () => void test.stop({ graceful: false }).catch(() => undefined),
    () => void test.stop({ force: true }).catch(() => undefined),
  );
}

/** Tell where the result files went (the file reporters' notes), and which could not be written, on stderr. */
export function printWrittenFiles(summary: Summary): void {
  for (const name of Object.keys(OUTPUT_FILES)) {
    for (const note of summary.reporters[name]?.notes ?? []) if (!note.startsWith('last error: ')) process.stderr.write(`${note}\n`);
  }
  for (const m of failedOutputs(summary)) process.stderr.write(`error: ${m}\n`);
}
