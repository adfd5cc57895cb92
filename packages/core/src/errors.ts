/**
 * Errors a user can fix or must know about, each with a stable `code` and the
 * exit code the CLI maps it to (docs/architecture.md): 2 bad input, 3 the run could not proceed.
 */
export class LoadctlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: 2 | 3,
    /** What the user can do about it. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LoadctlError';
  }
}

export function badInput(code: string, message: string, hint?: string): LoadctlError {
  return new LoadctlError(code, message, 2, hint);
}

export function cannotProceed(code: string, message: string, hint?: string): LoadctlError {
  return new LoadctlError(code, message, 3, hint);
}
