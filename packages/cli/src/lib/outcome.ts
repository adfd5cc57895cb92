/**
 * Mapping outcomes to exit codes (docs/architecture.md): 0 passed; 1 thresholds or a gate
 * failed; 2 bad input; 3 the run could not proceed; 130 interrupted.
 * User-fixable errors print one line (and a hint), no stack unless --debug.
 */
import type { Summary } from '@loadctl/core';

export const EXIT = { ok: 0, failed: 1, badInput: 2, cannotProceed: 3, interrupted: 130 } as const;

interface CodedError {
  code?: string;
  exitCode?: number;
  hint?: string;
  message: string;
  issues?: Array<{ message: string }>;
}

export function exitCodeOf(summary: Summary): number {
  switch (summary.verdict.endReason) {
    case 'interrupted':
      return EXIT.interrupted;
    case 'error':
      return EXIT.cannotProceed;
    default:
      return summary.verdict.passed ? EXIT.ok : EXIT.failed;
  }
}

/** One or more lines for stderr, and the exit code, for an error thrown by core. */
export function describeError(err: unknown, debug: boolean): { lines: string[]; exitCode: number } {
  const e = err as CodedError;
  const lines: string[] = [];
  if (e && Array.isArray(e.issues) && e.issues.length > 0) {
    for (const i of e.issues) lines.push(`error: ${i.message}`);
  } else {
    lines.push(`error: ${e?.message ?? String(err)}`);
  }
  if (e?.hint) lines.push(`hint: ${e.hint}`);
  if (debug && err instanceof Error && err.stack) lines.push(err.stack);
  const known = typeof e?.exitCode === 'number' ? e.exitCode : e?.code?.startsWith('E_') ? EXIT.badInput : EXIT.cannotProceed;
  return { lines, exitCode: known };
}

/** An AbortSignal that fires on the first SIGINT/SIGTERM; a second SIGINT exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const onSignal = (): void => {
    if (ac.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\nstopping: finishing up and writing results (Ctrl-C again to quit at once)\n');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Tell where the result files went (the file reporters' notes), on stderr. */
export function printWrittenFiles(summary: Summary): void {
  for (const name of ['json', 'junit', 'html']) {
    for (const note of summary.reporters[name]?.notes ?? []) process.stderr.write(`${note}\n`);
  }
}
